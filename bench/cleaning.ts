// What cleaning a reporter's file costs: mat2 as a subprocess, per kind of file, timed
// whole (spawn, parse, write, read back). The files are the tests' fixtures with metadata
// and the Bot API emulator's samples.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { mat2Cleaner, voiceMask } from '../src/evidence/index.js';
import { samples } from '../src/sandbox/bot-api/index.js';
import type { EvidenceKind } from '../src/store/index.js';

export interface CleaningRow {
  file: string;
  bytes: number;
  medianMs: number;
  maxMs: number;
  cleaned: boolean;
}

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'test', 'fixtures', 'evidence', name));

/** A voice note of `seconds` (a tone, as OGG/Opus like a phone's). */
function voiceNote(seconds: number): Buffer {
  const out = join(mkdtempSync(join(tmpdir(), 'trustline-bench-voice-')), 'voice.ogg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', `sine=frequency=220:duration=${seconds}`, '-c:a', 'libopus', '-b:a', '32k', out]);
  return readFileSync(out);
}

/** A phone-sized photo (3000x2000, about a megabyte), made with ffmpeg's test pattern. */
function phonePhoto(): Buffer {
  const out = join(mkdtempSync(join(tmpdir(), 'trustline-bench-photo-')), 'photo.jpg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=3000x2000', '-frames:v', '1', '-q:v', '3', out]);
  return readFileSync(out);
}

export async function cleaningCost(rounds: number): Promise<CleaningRow[]> {
  const cleaner = mat2Cleaner({ command: 'mat2', tmpDir: '/dev/shm', timeoutMs: 60_000, log: pino({ level: 'silent' }) });
  if (!(await cleaner.available())) throw new Error('mat2 is not installed (Debian package mat2)');
  const files: [string, Buffer, EvidenceKind, string?][] = [
    ['photo, JPEG with GPS', fixture('gps-exif.jpg'), 'photo'],
    ['photo, 3000x2000 JPEG', phonePhoto(), 'photo'],
    ['PDF with an author', fixture('author.pdf'), 'document', 'application/pdf'],
    ['DOCX with a creator', fixture('creator.docx'), 'document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['voice note, OGG/Opus', samples.ogg(), 'voice', 'audio/ogg'],
    ['video, MP4', samples.mp4(), 'video', 'video/mp4'],
  ];
  const rows: CleaningRow[] = [];
  for (const [file, bytes, media, mime] of files) {
    const times: number[] = [];
    let cleaned = false;
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      cleaned = (await cleaner.clean({ bytes, media, ...(mime ? { mime } : {}) })).cleaned;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    rows.push({ file, bytes: bytes.length, medianMs: Math.round(times[Math.floor(times.length / 2)]!), maxMs: Math.round(times.at(-1)!), cleaned });
  }
  // Masking a voice note (ffmpeg), then cleaning it: what a reporter's voice note costs.
  const masker = voiceMask({ level: 'strong', command: 'ffmpeg', tmpDir: '/dev/shm', timeoutMs: 60_000, log: pino({ level: 'silent' }) });
  for (const seconds of [10, 60]) {
    const bytes = voiceNote(seconds);
    const times: number[] = [];
    let cleaned = false;
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      const masked = await masker.mask({ bytes, media: 'voice', mime: 'audio/ogg' });
      if (!masked.ok) throw new Error('ffmpeg could not mask the voice note');
      cleaned = (await cleaner.clean({ bytes: masked.bytes, media: 'voice', name: 'voice.ogg' })).cleaned;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    rows.push({
      file: `voice ${seconds} s, masked+cleaned`,
      bytes: bytes.length,
      medianMs: Math.round(times[Math.floor(times.length / 2)]!),
      maxMs: Math.round(times.at(-1)!),
      cleaned,
    });
  }
  return rows;
}

export function cleaningTable(rows: CleaningRow[], rounds: number): string {
  const lines = rows.map(
    (r) =>
      `  ${r.file.padEnd(24)} ${String(r.bytes).padStart(7)} B  ${String(r.medianMs).padStart(5)} ms median  ${String(r.maxMs).padStart(5)} ms max${r.cleaned ? '' : '  (not cleaned!)'}`,
  );
  return [`\nCleaning one evidence file with mat2 (${rounds} rounds each, tmp dir in /dev/shm):`, ...lines].join('\n');
}
