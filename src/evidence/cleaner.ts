// A reporter's file, without what it says about them: mat2 (Debian's metadata
// anonymisation toolkit) removes EXIF and GPS from pictures (it re-renders them), authors
// and edit history from PDFs and office files, tags from audio and video. It runs as a
// subprocess on a copy in a private temporary directory (memory-backed where the system
// has one), under a time limit; the directory is removed whatever happens. A format mat2
// does not know, or a file it fails on, comes back marked as not cleaned, to be shown to
// staff only as a download with a warning.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceKind } from '../store/index.js';
import { extensionOf } from './formats.js';
import { run, withCopy, type ToolOptions } from './subprocess.js';

/** A file as the reporter sent it: the bytes, what the platform said it is, and its name (only its extension is used). */
export interface SentFile {
  bytes: Uint8Array;
  media: EvidenceKind;
  mime?: string;
  name?: string;
}

/**
 * What is kept instead: always a neutral extension, never the name. `cleaned: false`
 * keeps the bytes as sent (there is nothing else to show), with why.
 */
export type CleanedFile = { cleaned: true; bytes: Uint8Array; ext: string } | { cleaned: false; bytes: Uint8Array; ext: string; why: 'unsupported' | 'failed' };

/** Takes the identifying metadata out of a reporter's file. */
export interface EvidenceCleaner {
  clean(file: SentFile): Promise<CleanedFile>;
  /** Whether the tool answers at all (checked at start-up: a hotline without it says so). */
  available(): Promise<boolean>;
}

export type Mat2Options = ToolOptions;

export function mat2Cleaner(options: Mat2Options): EvidenceCleaner {
  const { command, tmpDir, timeoutMs, log } = options;

  async function clean(file: SentFile): Promise<CleanedFile> {
    const ext = extensionOf(file);
    // A neutral name: mat2 picks its parser by the extension, never by what the reporter called it.
    return withCopy(tmpDir, 'trustline-evidence-', `evidence.${ext}`, file.bytes, async (input, dir) => {
      const started = Date.now();
      const result = await run(command, [input], timeoutMs);
      const ms = Date.now() - started;
      if (result.code !== 0) {
        // mat2 says "[-] ... is not supported" for a format it does not know; anything else is a failure.
        const why = /not supported/i.test(result.stderr + result.stdout) ? 'unsupported' : 'failed';
        log.warn({ event: 'evidence.not-cleaned', media: file.media, ext, why, code: result.code, ms }, 'a file could not be cleaned of its metadata');
        return { cleaned: false, bytes: file.bytes, ext, why } as const;
      }
      const bytes = await readFile(join(dir, `evidence.cleaned.${ext}`));
      log.info({ event: 'evidence.cleaned', media: file.media, ext, ms }, 'metadata removed from a file');
      return { cleaned: true, bytes, ext } as const;
    });
  }

  return {
    clean,
    async available() {
      return (await run(command, ['--version'], timeoutMs)).code === 0;
    },
  };
}
