// What a file says about whoever made it, read with exiftool (a real binary, as the
// cleaning is mat2): the tags a reporter could be found by.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A fixture in test/fixtures/evidence. Made once: a JPEG with GPS, camera and artist tags written by exiftool, a PDF with an author, a DOCX with a creator. */
export const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'evidence', name));

/** Tags that locate or name someone: GPS, device, people, software. */
const IDENTIFYING = /^(GPS|Make$|Model$|Artist$|Author$|Creator$|LastModifiedBy$|Owner|Copyright$|Comment$|XPAuthor$|Producer$|Software$|SerialNumber)/;

export async function identifyingTags(bytes: Uint8Array, ext: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'trustline-meta-'));
  try {
    const file = join(dir, `file.${ext}`);
    writeFileSync(file, bytes);
    const { stdout } = await promisify(execFile)('exiftool', ['-j', '-G0', '-s', file]);
    const [tags] = JSON.parse(stdout) as [Record<string, unknown>];
    return Object.fromEntries(Object.entries(tags).filter(([k]) => IDENTIFYING.test(k.replace(/^[^:]+:/, ''))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
