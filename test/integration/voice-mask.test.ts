// Voice masking with the real ffmpeg: on a generated 220 Hz tone, the fundamental moves by
// the configured ratio and the length stays the same.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MASK_RATIO, voiceMask } from '../../src/evidence/index.js';
import { captureLog } from '../support/log-sink.js';
import { listen, tone } from '../support/sound.js';

describe('voice masking with ffmpeg', () => {
  const log = captureLog('debug').log;
  for (const level of ['light', 'strong'] as const) {
    it(`${level}: moves the pitch by ${MASK_RATIO[level]} and keeps the length`, async () => {
      const sent = await tone(220, 4);
      const before = await listen(sent, 'ogg');
      expect(before.hz).toBeGreaterThan(215);
      expect(before.hz).toBeLessThan(225);
      const masked = await voiceMask({ level, command: 'ffmpeg', tmpDir: tmpdir(), timeoutMs: 60_000, log }).mask({
        bytes: sent,
        media: 'voice',
        mime: 'audio/ogg',
      });
      if (!masked.ok) throw new Error('not masked');
      expect(masked.ext).toBe('ogg');
      const after = await listen(masked.bytes, masked.ext);
      expect(after.hz / 220).toBeCloseTo(MASK_RATIO[level], 1);
      expect(Math.abs(after.hz - 220 * MASK_RATIO[level])).toBeLessThan(220 * 0.03);
      expect(Math.abs(after.seconds - before.seconds)).toBeLessThan(0.1);
    });
  }

  it('off: keeps the file as it is; a file ffmpeg cannot read is refused, not kept', async () => {
    const sent = await tone(220, 1);
    const off = await voiceMask({ level: 'off', command: 'ffmpeg', tmpDir: tmpdir(), timeoutMs: 60_000, log }).mask({ bytes: sent, media: 'voice' });
    expect(off.ok && Buffer.from(off.bytes).equals(sent)).toBe(true);
    const broken = await voiceMask({ level: 'strong', command: 'ffmpeg', tmpDir: tmpdir(), timeoutMs: 60_000, log }).mask({
      bytes: Buffer.from('not a sound at all'),
      media: 'voice',
    });
    expect(broken.ok).toBe(false);
  });

  it('masks the sound of a video (a round video message too) and keeps its picture', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trustline-video-'));
    try {
      const file = join(dir, 'clip.mp4');
      await promisify(execFile)('ffmpeg', [
        ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10', '-f', 'lavfi', '-i', 'sine=frequency=220:duration=3'],
        ...['-t', '3', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-c:a', 'aac', '-shortest', file],
      ]);
      const sent = readFileSync(file);
      const masked = await voiceMask({ level: 'strong', command: 'ffmpeg', tmpDir: tmpdir(), timeoutMs: 60_000, log }).mask({
        bytes: sent,
        media: 'video',
        mime: 'video/mp4',
      });
      if (!masked.ok) throw new Error('not masked');
      expect(masked.ext).toBe('mp4');
      const after = await listen(masked.bytes, 'mp4');
      expect(Math.abs(after.hz - 220 * MASK_RATIO.strong)).toBeLessThan(220 * 0.04);
      writeFileSync(join(dir, 'masked.mp4'), masked.bytes);
      const probed = await promisify(execFile)('ffprobe', [
        '-v',
        'error',
        '-select_streams',
        'v',
        '-show_entries',
        'stream=codec_type',
        '-of',
        'csv=p=0',
        join(dir, 'masked.mp4'),
      ]);
      expect(probed.stdout.trim()).toBe('video');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
