// The sandbox directory: one sandbox at a time (a lock file that also lets the next run
// stop a redis-server a killed run left behind), and small file helpers.
import { readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A problem the person can fix; main.ts prints the message without a stack trace. */
export class SandboxError extends Error {
  override name = 'SandboxError';
}

export interface HomeLock {
  unlock(): void;
  noteRedis(port: number): void;
}

/**
 * One sandbox per directory: two would run two redis-servers on the same data. The
 * lock file also names our redis-server's port, so that if this process is killed
 * outright, the next run can stop the redis-server it left behind.
 */
export async function lockHome(home: string): Promise<HomeLock> {
  const file = join(home, 'sandbox.pid');
  for (;;) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid }), { flag: 'wx', mode: 0o600 });
      let held = true;
      return {
        unlock() {
          if (held) rmSync(file, { force: true });
          held = false;
        },
        noteRedis(port) {
          if (held) writeAtomic(file, JSON.stringify({ pid: process.pid, redisPort: port }));
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let held: { pid?: unknown; redisPort?: unknown } = {};
    try {
      held = JSON.parse(readFileSync(file, 'utf8')) as typeof held;
    } catch {
      // unreadable: treat as stale
    }
    if (typeof held.pid === 'number' && isAlive(held.pid)) {
      throw new SandboxError(
        `Another sandbox is already running from ${home} (process ${held.pid}). Stop it first, or set ` +
          `TRUSTLINE_SANDBOX_DIR to another directory. (If none is running, delete ${file}.)`,
      );
    }
    if (typeof held.redisPort === 'number') await stopOrphanRedis(held.redisPort, join(home, 'redis'));
    rmSync(file, { force: true });
  }
}

/** Shuts down a redis-server on `port` if it is the one serving our data directory. */
async function stopOrphanRedis(port: number, dir: string): Promise<void> {
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, enableOfflineQueue: false, connectTimeout: 1_000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const [, served] = (await redis.config('GET', 'dir')) as [string, string];
    if (realpathSync(served) !== realpathSync(dir)) return;
    process.stdout.write(`Stopping the redis-server (port ${port}) that a killed sandbox left running…\n`);
    await redis.shutdown().catch(() => undefined); // the connection drops as it exits
  } catch {
    // nothing listening there any more, or not a Redis we can ask: leave it be
  } finally {
    redis.disconnect();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Write then rename, so a stop mid-write never leaves half a file. */
export function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export async function ensure(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** A Redis URL without its password, fit to print. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'an unparsable URL';
  }
}
