// Evidence a reporter sends: checked against the limits before and after download,
// so a too-large file is refused with a clear answer and never held in memory whole,
// then cleaned of what it says about them (src/evidence) before anything keeps it.
import { hasVoice, type EvidenceCleaner, type VoiceMask } from '../evidence/index.js';
import { t } from '../i18n/index.js';
import type { Lang, Logger, ReporterKey } from '../shared/index.js';
import type { EvidenceRef } from '../store/index.js';
import { type IntakeContext, say } from './intake-context.js';
import { formatSize } from './prompts.js';
import type { Reply } from './reply.js';
import type { ReporterContent } from './inbound.js';
import type { FileEntry } from '../cases/index.js';

/** Thrown by an adapter's download when the platform or the bytes exceed the limit. */
export class EvidenceTooBig extends Error {
  override name = 'EvidenceTooBig';
}

export type FileContent = Extract<ReporterContent, { kind: 'file' }>;

export type Fetched =
  { ok: true; bytes: Uint8Array; mime?: string; name?: string } | { ok: false; problem: 'too-big' | 'failed'; size?: number; error?: unknown };

/**
 * What is kept of a file: cleaned bytes under a neutral extension, its voice masked
 * where it has one (or, for a format that cannot be cleaned, the bytes as sent, marked).
 * A voice ffmpeg cannot read is `unreadable`: refused, since it cannot be kept unmasked.
 */
export type Taken =
  | { ok: true; bytes: Uint8Array; ext: string; cleaned: boolean; masked?: 'light' | 'strong' }
  | Extract<Fetched, { ok: false }>
  | { ok: false; problem: 'unreadable' };

/** Downloads, masks and cleans a reporter's file; the bytes as sent go no further than this. A file not taken is logged (why, never what). */
export async function takeEvidence(content: FileContent, maxBytes: number, deps: { cleaner: EvidenceCleaner; masker: VoiceMask; log: Logger }): Promise<Taken> {
  const taken = await maskAndClean(content, maxBytes, deps);
  if (!taken.ok) {
    deps.log.warn(
      { event: 'evidence.refused', problem: taken.problem, media: content.media, err: 'error' in taken ? taken.error : undefined },
      'evidence not taken',
    );
  }
  return taken;
}

/** What a kept file's record says of it: its size, extension, whether it was cleaned and masked. */
export function keptAs(taken: Extract<Taken, { ok: true }>): { size: number; ext: string; cleaned: boolean; masked?: 'light' | 'strong' } {
  return { size: taken.bytes.length, ext: taken.ext, cleaned: taken.cleaned, ...(taken.masked ? { masked: taken.masked } : {}) };
}

async function maskAndClean(content: FileContent, maxBytes: number, deps: { cleaner: EvidenceCleaner; masker: VoiceMask }): Promise<Taken> {
  const fetched = await fetchEvidence(content, maxBytes);
  if (!fetched.ok) return fetched;
  const mime = fetched.mime ?? content.mime;
  const name = fetched.name ?? content.name;
  const sent = { bytes: fetched.bytes, media: content.media, ...(mime ? { mime } : {}), ...(name ? { name } : {}) };
  const level = deps.masker.level;
  const masking = hasVoice(content.media) && level !== 'off' ? level : undefined;
  let file = sent;
  if (masking) {
    const masked = await deps.masker.mask(sent);
    if (!masked.ok) return { ok: false, problem: 'unreadable' };
    // What ffmpeg wrote is what mat2 cleans, under the type it now is.
    file = { bytes: masked.bytes, media: content.media, name: `voice.${masked.ext}` };
  }
  const kept = await deps.cleaner.clean(file);
  return { ok: true, bytes: kept.bytes, ext: kept.ext, cleaned: kept.cleaned, ...(masking ? { masked: masking } : {}) };
}

/** What the reporter is told when a file is not taken: in words, with what they can do instead. */
export function refusal(lang: Lang, taken: Extract<Taken, { ok: false }>, maxBytes: number): string {
  switch (taken.problem) {
    case 'too-big':
      return t(lang, 'evidence-too-big', { size: 'size' in taken && taken.size ? formatSize(taken.size) : '> 20 MB', limit: formatSize(maxBytes) });
    case 'unreadable':
      return t(lang, 'evidence-voice-failed');
    default:
      return t(lang, 'evidence-failed');
  }
}

export async function fetchEvidence(content: FileContent, maxBytes: number): Promise<Fetched> {
  if (content.size !== undefined && content.size > maxBytes) return { ok: false, problem: 'too-big', size: content.size };
  let downloaded: Awaited<ReturnType<FileContent['download']>>;
  try {
    downloaded = await content.download();
  } catch (err) {
    // The platform may refuse a file it did not declare as large (Telegram: over 20 MB).
    if (err instanceof EvidenceTooBig) return { ok: false, problem: 'too-big' };
    return { ok: false, problem: 'failed', error: err };
  }
  const { bytes, mime, name } = downloaded instanceof Uint8Array ? { bytes: downloaded, mime: undefined, name: undefined } : downloaded;
  if (bytes.length > maxBytes) return { ok: false, problem: 'too-big', size: bytes.length };
  return { ok: true, bytes, ...(mime ? { mime } : {}), ...(name ? { name } : {}) };
}

/**
 * What the reporter hears of the cleaning: once, what it removes and what it cannot (a
 * screenshot shows what it shows); each time, a file that could not be cleaned.
 */
export async function cleaningNotes(
  ctx: Pick<IntakeContext, 'conversations'>,
  rk: ReporterKey,
  lang: Lang,
  taken: { cleaned: boolean; masked?: string },
): Promise<Reply[]> {
  const notes: Reply[] = [];
  if (taken.masked && (await ctx.conversations.claimCleaningNotice(rk, 'voice'))) notes.push(say(t(lang, 'evidence-voice-masked')));
  if (!taken.cleaned) notes.push(say(t(lang, 'evidence-not-cleaned')));
  else if (await ctx.conversations.claimCleaningNotice(rk, 'files')) notes.push(say(t(lang, 'evidence-cleaned')));
  return notes;
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
    ...(ref.masked !== undefined ? { masked: ref.masked } : {}),
    ...(ref.caption !== undefined ? { caption: ref.caption } : {}),
    at: ref.at,
  };
}
