// The cleaning of evidence, with the real mat2 and exiftool: what a reporter's file said
// about them is gone from what is kept; a format mat2 does not know is kept as sent, and
// marked so.
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { mat2Cleaner } from '../../src/evidence/index.js';
import { captureLog } from '../support/log-sink.js';
import { fixture, identifyingTags } from '../support/metadata.js';

const captured = captureLog('debug');
const cleaner = mat2Cleaner({ command: 'mat2', tmpDir: tmpdir(), timeoutMs: 60_000, log: captured.log });

describe('evidence cleaning with mat2', () => {
  for (const [file, media, mime, tags] of [
    ['gps-exif.jpg', 'photo', undefined, ['EXIF:GPSLatitudeRef', 'EXIF:Model', 'EXIF:Artist']],
    ['author.pdf', 'document', 'application/pdf', ['PDF:Author', 'PDF:Creator']],
    ['creator.docx', 'document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ['XMP:Creator', 'XML:LastModifiedBy']],
  ] as const) {
    it(`removes ${tags.join(', ')} from ${file}`, async () => {
      const sent = fixture(file);
      const ext = file.split('.').pop()!;
      // The fixture really carries them, or this test proves nothing.
      expect(Object.keys(await identifyingTags(sent, ext))).toEqual(expect.arrayContaining([...tags]));
      const kept = await cleaner.clean({ bytes: sent, media, ...(mime ? { mime } : {}), name: `Aigerim_complaint.${ext}` });
      expect(kept.cleaned).toBe(true);
      expect(kept.ext).toBe(ext);
      expect(await identifyingTags(kept.bytes, ext)).toEqual({});
      expect(Buffer.from(kept.bytes).includes('Aigerim')).toBe(false);
    });
  }

  it('keeps a format it does not know as sent, marked not cleaned, and logs no name', async () => {
    const bytes = Buffer.from('binary blob from some app \x00\x01\x02');
    const kept = await cleaner.clean({ bytes, media: 'document', name: 'Aigerim_notes.xyz' });
    expect(kept).toMatchObject({ cleaned: false, ext: 'xyz', why: 'unsupported' });
    expect(captured.lines.join('\n')).not.toContain('Aigerim');
  });

  it('answers whether mat2 is there', async () => {
    expect(await cleaner.available()).toBe(true);
    expect(await mat2Cleaner({ command: 'mat2-not-installed', tmpDir: tmpdir(), timeoutMs: 5_000, log: captured.log }).available()).toBe(false);
  });
});
