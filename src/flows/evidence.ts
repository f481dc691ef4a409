// Evidence a reporter sends: checked against the limits before and after download,
// so a too-large file is refused with a clear answer and never held in memory whole.
import type { EvidenceRef } from '../store/index.js';
import type { ReporterContent } from './inbound.js';
import type { FileEntry } from '../cases/index.js';

/** Thrown by an adapter's download when the platform or the bytes exceed the limit. */
export class EvidenceTooBig extends Error {
  override name = 'EvidenceTooBig';
}

export type FileContent = Extract<ReporterContent, { kind: 'file' }>;

export type Fetched = { ok: true; bytes: Uint8Array } | { ok: false; problem: 'too-big' | 'failed'; size?: number; error?: unknown };

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

export function fileEntryOf(ref: Omit<EvidenceRef, 'n'>): Omit<FileEntry, 'blob'> {
  return {
    kind: 'file',
    media: ref.media,
    size: ref.size,
    ...(ref.mime !== undefined ? { mime: ref.mime } : {}),
    ...(ref.name !== undefined ? { name: ref.name } : {}),
    ...(ref.caption !== undefined ? { caption: ref.caption } : {}),
    at: ref.at,
  };
}
