// The encrypted conversation of a case. Every entry is sealed under the case key with
// the case id, direction and sequence number as associated data, so an entry moved to
// another case or position fails to open instead of being shown in the wrong place.
import { randomBytes } from 'node:crypto';
import { decrypt, decryptText, encrypt, open, type KeyRing, type OpenedCache } from '../crypto/index.js';
import type { EvidenceKind, CaseRecord, CaseStore, Direction } from '../store/index.js';
import type { Report } from './report.js';
import type { CaseId } from '../shared/index.js';

/** What a case conversation holds. Notes are Trustline's own remarks (no content). */
export type Entry =
  /** the structured answers of the intake conversation */
  | { kind: 'report'; report: Report; at: number }
  /** evidence; its bytes are encrypted separately under the case key, named by `blob` */
  | {
      kind: 'file';
      blob: string;
      media: EvidenceKind;
      size: number;
      mime?: string;
      /** the name the reporter gave it, in cases from before cleaning (never written now) */
      name?: string;
      /** the extension it is kept under; `cleaned: false` when its metadata could not be removed */
      ext?: string;
      cleaned?: boolean;
      /** its voice was masked (voice notes, videos) */
      masked?: 'light' | 'strong';
      caption?: string;
      at: number;
    }
  /** something the reporter did, told to staff without content */
  | { kind: 'event'; event: 'withdrawn' | 'urgent' | 'resumed' | 'questions-stopped' | 'questions-left' | 'became-report'; at: number }
  /**
   * An answer to one of the questions, given after the case was opened early (urgent):
   * the step and the option value or the reporter's words, and what is still unanswered.
   */
  | { kind: 'answer'; step: string; value: string; unanswered: string[]; at: number }
  | { kind: 'text'; text: string; at: number }
  | { kind: 'edit'; text: string; at: number }
  | { kind: 'note'; note: 'unsupported-media'; media: string; at: number }
  /** A counsellor edited answer `of` (an out seq): the reporter's copy is corrected. */
  | { kind: 'correction'; of: number; text: string; at: number }
  /** Trustline's own words to the reporter (status change, off-hours, check-in), already in their language. */
  /** Trustline's own words; `offer: 'report'` comes with a button that turns a consultation into a report, where the channel has buttons */
  | { kind: 'notice'; text: string; at: number; offer?: 'report' };

export type FileEntry = Extract<Entry, { kind: 'file' }>;

/**
 * What an entry does to "the reporter is waiting for an answer" (/cases waiting): anything
 * the reporter says starts the wait, a counsellor's answer (words or a file) ends it. Trustline's own notices
 * and a withdrawal do neither.
 */
function waitingAfter(dir: Direction, entry: Entry): { since: number } | 'stop' | undefined {
  if (dir === 'out') return entry.kind === 'text' || entry.kind === 'file' ? 'stop' : undefined;
  if (entry.kind === 'event' && entry.event !== 'resumed' && entry.event !== 'urgent') return undefined;
  return { since: entry.at };
}

const fileAd = (id: CaseId, blob: string) => `trustline/v1/${id}/file/${blob}`;

const ad = (id: CaseId, dir: Direction, seq: number) => `trustline/v1/${id}/${dir}/${seq}`;

const noteAd = (id: CaseId) => `trustline/v1/${id}/note`;

export class CaseLog {
  constructor(
    private readonly store: CaseStore,
    private readonly keys: KeyRing,
    /** keeps opened case keys briefly: every message of a case needs its key */
    private readonly opened?: OpenedCache,
  ) {}

  /** The case key, for the caller to zero when done. */
  caseKey(record: Pick<CaseRecord, 'sealedKey'>): Uint8Array {
    return this.opened ? this.opened.open(this.keys.staffSecrets, record.sealedKey) : open(this.keys.staffSecrets, record.sealedKey);
  }

  /**
   * A record that carries its counts (as read from the store) saves a Redis round trip:
   * the append tries the next seq straight away, and reads the count only if it moved.
   */
  async append(
    record: Pick<CaseRecord, 'id' | 'sealedKey'> & Partial<Pick<CaseRecord, 'count'>>,
    dir: Direction,
    entry: Entry,
    links: { staffMessageId?: number; updateId?: string } = {},
  ): Promise<number> {
    const key = this.caseKey(record);
    try {
      const seal = (n: number) => encrypt(key, JSON.stringify(entry), ad(record.id, dir, n));
      return await this.store.append(record.id, dir, seal, links, record.count?.[dir], waitingAfter(dir, entry));
    } finally {
      key.fill(0);
    }
  }

  /** Free text about the case kept elsewhere (an audit reason), sealed under the case key: it dies with the case. */
  sealNote(record: Pick<CaseRecord, 'id' | 'sealedKey'>, text: string): string {
    const key = this.caseKey(record);
    try {
      return encrypt(key, text, noteAd(record.id)).toString('base64');
    } finally {
      key.fill(0);
    }
  }

  /** undefined once the case is erased or shredded (its key is gone). */
  async openNote(caseId: CaseId, sealed: string): Promise<string | undefined> {
    const record = await this.store.get(caseId);
    if (!record) return undefined;
    const key = this.caseKey(record);
    try {
      return decryptText(key, Buffer.from(sealed, 'base64'), noteAd(caseId));
    } finally {
      key.fill(0);
    }
  }

  /** undefined when no message has that seq (shredded, or never written). */
  async read(record: Pick<CaseRecord, 'id'>, key: Uint8Array, dir: Direction, seq: number): Promise<{ entry: Entry; staffMessageId?: number } | undefined> {
    const stored = await this.store.getMessage(record.id, dir, seq);
    if (!stored) return undefined;
    const entry = JSON.parse(decryptText(key, stored.envelope, ad(record.id, dir, seq))) as Entry;
    return { entry, ...(stored.staffMessageId !== undefined ? { staffMessageId: stored.staffMessageId } : {}) };
  }

  /**
   * Evidence: the bytes first, under a random blob id, then the entry that names them,
   * appended like any message. A crash in between leaves only an unnamed ciphertext,
   * which goes with the case.
   */
  async appendFile(
    record: Pick<CaseRecord, 'id' | 'sealedKey'>,
    entry: Omit<FileEntry, 'blob'>,
    bytes: Uint8Array,
    links: { updateId?: string; staffMessageId?: number } = {},
    /** 'out': a file a counsellor sends the reporter */
    dir: Direction = 'in',
  ): Promise<number> {
    const blob = randomBytes(12).toString('base64url');
    const key = this.caseKey(record);
    try {
      await this.store.putFile(record.id, blob, encrypt(key, bytes, fileAd(record.id, blob)));
    } finally {
      key.fill(0);
    }
    return this.append(record, dir, { ...entry, blob }, links);
  }

  /** undefined when the bytes are gone (the case was erased meanwhile). */
  async readFile(record: Pick<CaseRecord, 'id'>, key: Uint8Array, entry: FileEntry): Promise<Buffer | undefined> {
    const stored = await this.store.getFile(record.id, entry.blob);
    return stored ? decrypt(key, stored, fileAd(record.id, entry.blob)) : undefined;
  }

  /**
   * Up to `max` consecutive entries from `from` (at most up to `to`), stopping before
   * the first seq whose write has not landed yet.
   */
  async readRun(
    record: Pick<CaseRecord, 'id'>,
    key: Uint8Array,
    dir: Direction,
    from: number,
    to: number,
    max: number,
  ): Promise<{ seq: number; entry: Entry }[]> {
    const seqs = Array.from({ length: Math.max(0, Math.min(max, to - from + 1)) }, (_, i) => from + i);
    const stored = await this.store.getMessages(record.id, dir, seqs);
    const run: { seq: number; entry: Entry }[] = [];
    for (const [i, s] of stored.entries()) {
      if (!s) break;
      const seq = seqs[i]!;
      run.push({ seq, entry: JSON.parse(decryptText(key, s.envelope, ad(record.id, dir, seq))) as Entry });
    }
    return run;
  }
}
