// Sound for the voice-masking tests, made and measured with the real ffmpeg: a pure tone
// as a phone's voice note, and what a file sounds like (its length, its frequency).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const RATE = 48_000;

/** A voice-note-like file: `seconds` of a pure tone, OGG/Opus as phones send them. */
export async function tone(hz: number, seconds: number): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'trustline-tone-'));
  try {
    const out = join(dir, 'tone.ogg');
    await run('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', `sine=frequency=${hz}:duration=${seconds}`, '-c:a', 'libopus', '-b:a', '32k', out]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A short video with a test picture and a tone of `hz` as its sound (a reporter's round video). */
export async function clip(hz: number, seconds: number): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'trustline-clip-'));
  try {
    const out = join(dir, 'clip.mp4');
    await run('ffmpeg', [
      ...['-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=240x240:rate=10:duration=${seconds}`],
      ...['-f', 'lavfi', '-i', `sine=frequency=${hz}:duration=${seconds}`],
      ...['-c:v', 'mpeg4', '-c:a', 'aac', '-shortest', out],
    ]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Decoded to 48 kHz mono samples: its length in seconds and its frequency by counting upward zero crossings. */
export async function listen(bytes: Uint8Array, ext: string): Promise<{ seconds: number; hz: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'trustline-listen-'));
  try {
    const input = join(dir, `in.${ext}`);
    writeFileSync(input, bytes);
    const { stdout } = await run('ffmpeg', ['-loglevel', 'error', '-i', input, '-f', 's16le', '-ac', '1', '-ar', String(RATE), '-'], {
      encoding: 'buffer',
      maxBuffer: 64 << 20,
    });
    const samples = new Int16Array(stdout.buffer, stdout.byteOffset, stdout.length / 2);
    // The middle second: away from the codec's start and end.
    const from = Math.floor(samples.length / 2 - RATE / 2);
    let crossings = 0;
    for (let i = from + 1; i < from + RATE; i++) if (samples[i - 1]! < 0 && samples[i]! >= 0) crossings++;
    return { seconds: samples.length / RATE, hz: crossings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
