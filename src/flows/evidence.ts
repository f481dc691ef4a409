// Evidence a reporter sends: checked against the limits before and after download,
// so a too-large file is refused with a clear answer and never held in memory whole,
// then cleaned of what it says about them (src/evidence) before anything keeps it.
import type { EvidenceCleaner } from '../evidence/index.js';
import { t } from '../i18n/index.js';
import type { Lang, ReporterKey } from '../shared/index.js';
import type { EvidenceRef } from '../store/index.js';
import { type IntakeContext, say } from './intake-context.js';
import type { Reply } from './reply.js';
import type { ReporterContent } from './inbound.js';
import type { FileEntry } from '../cases/index.js';

/** Thrown by an adapter's download when the platform or the bytes exceed the limit. */
export class EvidenceTooBig extends Error {
  override name = 'EvidenceTooBig';
}

export type FileContent = Extract<ReporterContent, { kind: 'file' }>;

export type Fetched = { ok: true; bytes: Uint8Array } | { ok: false; problem: 'too-big' | 'failed'; size?: number; error?: unknown };

/** What is kept of a file: cleaned bytes under a neutral extension (or, for a format that cannot be cleaned, the bytes as sent, marked). */
export type Taken = { ok: true; bytes: Uint8Array; ext: string; cleaned: boolean } | Extract<Fetched, { ok: false }>;

/** Downloads and cleans a reporter's file; the bytes as sent go no further than this. */
export async function takeEvidence(content: FileContent, maxBytes: number, cleaner: EvidenceCleaner): Promise<Taken> {
  const fetched = await fetchEvidence(content, maxBytes);
  if (!fetched.ok) return fetched;
  const kept = await cleaner.clean({
    bytes: fetched.bytes,
    media: content.media,
    ...(content.mime ? { mime: content.mime } : {}),
    ...(content.name ? { name: content.name } : {}),
  });
  return { ok: true, bytes: kept.bytes, ext: kept.ext, cleaned: kept.cleaned };
}

export async function fetchEvidence(content: FileContent, maxBytes: number): Promise<Fetched> {
  if (content.size !== undefined && content.size > maxBytes) return { ok: false, problem: 'too-big', size: content.size };
  let bytes: Uint8Array;
  try {
    bytes = await content.download();
  } catch (err) {
    // The platform may refuse a file it did not declare as large (Telegram: over 20 MB).
    if (err instanceof EvidenceTooBig) return { ok: false, problem: 'too-big' };
    return { ok: false, problem: 'failed', error: err };
  }
  if (bytes.length > maxBytes) return { ok: false, problem: 'too-big', size: bytes.length };
  return { ok: true, bytes };
}

/**
 * What the reporter hears of the cleaning: once, what it removes and what it cannot (a
 * screenshot shows what it shows); each time, a file that could not be cleaned.
 */
export async function cleaningNotes(ctx: Pick<IntakeContext, 'conversations'>, rk: ReporterKey, lang: Lang, cleaned: boolean): Promise<Reply[]> {
  if (!cleaned) return [say(t(lang, 'evidence-not-cleaned'))];
  return (await ctx.conversations.claimCleaningNotice(rk)) ? [say(t(lang, 'evidence-cleaned'))] : [];
}

export function fileEntryOf(ref: Omit<EvidenceRef, 'n'>): Omit<FileEntry, 'blob'> {
  return {
    kind: 'file',
    media: ref.media,
    size: ref.size,
    ...(ref.mime !== undefined ? { mime: ref.mime } : {}),
    ...(ref.name !== undefined ? { name: ref.name } : {}),
    ...(ref.ext !== undefined ? { ext: ref.ext } : {}),
    ...(ref.cleaned !== undefined ? { cleaned: ref.cleaned } : {}),
    ...(ref.caption !== undefined ? { caption: ref.caption } : {}),
    at: ref.at,
  };
}
