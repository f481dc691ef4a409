// A voice is the reporter's own: before a voice note (or the sound of a video) is kept,
// ffmpeg lowers its pitch and formants together (resampled, then stretched back to its
// length), so the words stay clear and the speaker is hard to recognise. The output has
// no metadata (`-map_metadata -1`); mat2 still runs after it. Nothing of the original
// sound is kept: a file ffmpeg cannot read is refused, not stored as it came.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceKind } from '../store/index.js';
import type { SentFile } from './cleaner.js';
import { extensionOf } from './formats.js';
import { run, withCopy, type ToolOptions } from './subprocess.js';

export const voiceMaskLevels = ['off', 'light', 'strong'] as const;
export type VoiceMaskLevel = (typeof voiceMaskLevels)[number];

/** How far pitch and formants move: light about two semitones down, strong about four. */
export const MASK_RATIO: Record<Exclude<VoiceMaskLevel, 'off'>, number> = { light: 0.89, strong: 0.79 };

/**
 * Kinds whose sound is masked: voice notes and videos (round video messages too), most
 * likely the reporter's own voice. An audio file is left as it is: it is most likely a
 * recording of what happened, whose voices are the evidence.
 */
export const hasVoice = (media: EvidenceKind): boolean => media === 'voice' || media === 'video';

export type Masked = { ok: true; bytes: Uint8Array; ext: string } | { ok: false };

export interface VoiceMask {
  readonly level: VoiceMaskLevel;
  /** The file with its voice disguised (`ok: false` when ffmpeg could not read it). */
  mask(file: SentFile): Promise<Masked>;
  /** Whether ffmpeg answers at all (checked at start-up); always true when masking is off. */
  available(): Promise<boolean>;
}

export interface VoiceMaskOptions extends ToolOptions {
  level: VoiceMaskLevel;
}

const RATE = 48_000;

/** The filter: resample, play at a lower rate (pitch and formants drop), stretch back to the same length. */
export function maskFilter(ratio: number): string {
  return `aresample=${RATE},asetrate=${Math.round(RATE * ratio)},aresample=${RATE},atempo=${(1 / ratio).toFixed(4)}`;
}

export function voiceMask(options: VoiceMaskOptions): VoiceMask {
  const { level, command, tmpDir, timeoutMs, log } = options;

  async function mask(file: SentFile): Promise<Masked> {
    if (level === 'off') return { ok: true, bytes: file.bytes, ext: extensionOf(file) };
    const video = file.media === 'video';
    const ext = video ? 'mp4' : 'ogg';
    return withCopy(tmpDir, 'trustline-voice-', `in.${extensionOf(file)}`, file.bytes, async (input, dir) => {
      const output = join(dir, `out.${ext}`);
      const codec = video ? ['-c:v', 'copy', '-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart'] : ['-vn', '-c:a', 'libopus', '-b:a', '32k'];
      const args = [
        '-nostdin',
        '-loglevel',
        'error',
        '-i',
        input,
        '-map_metadata',
        '-1',
        '-map_chapters',
        '-1',
        '-af',
        maskFilter(MASK_RATIO[level]),
        ...codec,
        output,
      ];
      const started = Date.now();
      if ((await run(command, args, timeoutMs)).code !== 0) {
        log.warn({ event: 'evidence.mask-failed', media: file.media, ms: Date.now() - started }, 'a voice could not be masked');
        return { ok: false } as const;
      }
      log.info({ event: 'evidence.masked', media: file.media, level, ms: Date.now() - started }, 'a voice was masked');
      return { ok: true, bytes: await readFile(output), ext } as const;
    });
  }

  return {
    level,
    mask,
    available: async () => level === 'off' || (await run(command, ['-version'], timeoutMs)).code === 0,
  };
}
