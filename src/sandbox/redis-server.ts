// A private redis-server child on a free loopback port: the sandbox's and the test
// harness's Redis. Real Redis, never a mock, configured like production (AOF on,
// noeviction) so the durability check passes for the same reasons it would there.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** SIGKILL, like a crash; the data directory stays for restart(). */
  kill(): Promise<void>;
  /** Starts again on the same port and directory (AOF replays). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export class RedisBinaryMissing extends Error {
  override name = 'RedisBinaryMissing';
  constructor(binary: string) {
    super(`Cannot run "${binary}". Install Redis 7 (Debian/Ubuntu: sudo apt-get install -y redis-server) ` + 'or set REDIS_URL to a Redis you run yourself.');
  }
}

/**
 * A loopback port nobody listens on, below Linux's ephemeral range (32768-60999): a
 * port the kernel handed out for bind(0) can be taken as the source port of any
 * outgoing connection (a Redis client, an HTTP request) before the caller listens on
 * it, and the listen then fails with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
    if (attempt >= 50) throw new Error('no free port found between 20000 and 32000');
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export interface RedisServerOptions {
  binary?: string;
  /** Directory for AOF/RDB; a fresh temp dir by default (removed on stop). */
  dir?: string;
  appendonly?: boolean;
  /** `always` (Trustline's requirement) unless a test or the bench compares */
  appendfsync?: 'always' | 'everysec';
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? 'redis-server';
  const ownDir = !options.dir;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'trustline-redis-')));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    options.appendonly === false ? 'no' : 'yes',
    '--appendfsync',
    options.appendfsync ?? 'always',
    '--maxmemory-policy',
    'noeviction',
    // A case record holds two sealed values of ~90-110 bytes; over 64 bytes Redis stores
    // the whole hash as a hashtable at about twice the memory (see docs/performance.md).
    '--hash-max-listpack-value',
    '128',
    '--save',
    '',
    '--protected-mode',
    'yes',
    '--loglevel',
    'warning',
  ];
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    // Its own process group: a Ctrl-C at the terminal must not stop Redis before the
    // app that uses it has shut down; the owner stops it.
    child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    const failed = new Promise<never>((_, reject) => {
      child!.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new RedisBinaryMissing(binary) : err));
      child!.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} before it was ready`)));
    });
    failed.catch(() => undefined);
    await Promise.race([waitForPort(port), failed]);
  };

  const exited = (): Promise<void> =>
    new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
    });

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async kill() {
      child?.kill('SIGKILL');
      await exited();
    },
    async restart() {
      await launch();
    },
    async stop() {
      child?.kill('SIGTERM');
      await exited();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        // A PING proves Redis is serving, not merely that the port is bound.
        socket.write('PING\r\n');
        socket.once('data', (d) => {
          socket.destroy();
          resolve(d.toString().startsWith('+PONG'));
        });
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
