// How cleaning and masking run their tools: a subprocess under a time limit (killed when
// it runs over), on a copy of the file in a private temporary directory that is removed
// whatever happens.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../shared/index.js';

/** What running a tool on evidence takes: the executable, where its copies go, how long it may work. */
export interface ToolOptions {
  /** the executable (mat2, ffmpeg) */
  command: string;
  /** where the temporary copies go: a memory-backed directory keeps them off the disk */
  tmpDir: string;
  timeoutMs: number;
  log: Logger;
}

export function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Writes `bytes` as `name` (owner-only) in a fresh directory under `tmpDir`, runs `work` on it, then removes the directory. */
export async function withCopy<T>(
  tmpDir: string,
  prefix: string,
  name: string,
  bytes: Uint8Array,
  work: (input: string, dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpDir, prefix));
  try {
    const input = join(dir, name);
    await writeFile(input, bytes, { mode: 0o600 });
    return await work(input, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
