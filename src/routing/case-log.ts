// The encrypted conversation of a case. Every entry is sealed under the case key with
// the case id, direction and sequence number as associated data, so an entry moved to
// another case or position fails to open instead of being shown in the wrong place.
import { decryptText, encrypt, open, type KeyRing, type OpenedCache } from '../crypto/index.js';
import type { CaseId } from '../ids.js';
import type { CaseRecord, CaseStore } from '../store/cases.js';
import type { Direction } from '../store/keys.js';

/** What a case conversation holds. Notes are Trustline's own remarks (no content). */
export type Entry =
  | { kind: 'text'; text: string; at: number }
  | { kind: 'edit'; text: string; at: number }
  | { kind: 'note'; note: 'unsupported-media'; media: string; at: number };

const ad = (id: CaseId, dir: Direction, seq: number) => `trustline/v1/${id}/${dir}/${seq}`;

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

  async append(
    record: Pick<CaseRecord, 'id' | 'sealedKey'>,
    dir: Direction,
    entry: Entry,
    links: { staffMessageId?: number; updateId?: string } = {},
  ): Promise<number> {
    const key = this.caseKey(record);
    const seq = await this.store.nextSeq(record.id, dir);
    const envelope = encrypt(key, JSON.stringify(entry), ad(record.id, dir, seq));
    key.fill(0);
    await this.store.putMessage(record.id, dir, seq, envelope, links);
    return seq;
  }

  /** undefined when the seq was reserved but its write has not landed yet. */
  async read(
    record: Pick<CaseRecord, 'id'>,
    key: Uint8Array,
    dir: Direction,
    seq: number,
  ): Promise<{ entry: Entry; staffMessageId?: number } | undefined> {
    const stored = await this.store.getMessage(record.id, dir, seq);
    if (!stored) return undefined;
    const entry = JSON.parse(decryptText(key, stored.envelope, ad(record.id, dir, seq))) as Entry;
    return { entry, ...(stored.staffMessageId !== undefined ? { staffMessageId: stored.staffMessageId } : {}) };
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
