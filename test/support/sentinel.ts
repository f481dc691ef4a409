// A Redis primary, a replica and three Sentinels on loopback, the way an installation with
// REDIS_SENTINELS runs them, for the failover test. Sentinel mode is `redis-sentinel`
// (Debian's package of that name) or, where only redis-server is installed, the same
// binary with --sentinel.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/sandbox/redis-server.js';

export const SENTINEL_NAME = 'trustline';

export interface SentinelSet {
  /** REDIS_SENTINELS */
  sentinels: string;
  primaryPort: number;
  replicaPort: number;
  /** SIGKILL of the primary, as a crash */
  killPrimary(): void;
  /** The port the Sentinels name as primary now. */
  primaryNow(): Promise<number>;
  stop(): Promise<void>;
}

const sentinelCommand = (): [string, string[]] =>
  spawnSync('redis-sentinel', ['--version']).status === 0 ? ['redis-sentinel', []] : ['redis-server', ['--sentinel']];

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function startSentinelSet(): Promise<SentinelSet> {
  const dir = mkdtempSync(join(tmpdir(), 'trustline-sentinel-'));
  const children: ChildProcess[] = [];
  const server = (port: number, args: string[]) => {
    const sub = join(dir, String(port));
    spawnSync('mkdir', ['-p', sub]);
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        sub,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--loglevel',
        'warning',
        ...args,
      ],
      { stdio: 'ignore' },
    );
    children.push(child);
    return child;
  };
  const primaryPort = await freePort();
  const replicaPort = await freePort();
  const primary = server(primaryPort, []);
  server(replicaPort, ['--replicaof', '127.0.0.1', String(primaryPort)]);
  const sentinelPorts: number[] = [];
  const [binary, flag] = sentinelCommand();
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    sentinelPorts.push(port);
    const conf = join(dir, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primaryPort} 2`,
        `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
        `sentinel failover-timeout ${SENTINEL_NAME} 5000`,
        `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
        '',
      ].join('\n'),
    );
    children.push(spawn(binary, [conf, ...flag, '--loglevel', 'warning'], { stdio: 'ignore' }));
  }
  const ask = async (port: number) => {
    const s = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await s.connect();
      const [, p] = (await s.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_NAME)) as [string, string];
      return Number(p);
    } finally {
      s.disconnect();
    }
  };
  // The replica has the primary's data, and the Sentinels see both.
  await until(
    async () => {
      const r = new Redis({ port: replicaPort, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await r.connect();
        return /master_link_status:up/.test(await r.info('replication'));
      } finally {
        r.disconnect();
      }
    },
    20_000,
    'the replica',
  );
  await until(async () => (await Promise.all(sentinelPorts.map(ask))).every((p) => p === primaryPort), 20_000, 'the sentinels');
  return {
    sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    primaryPort,
    replicaPort,
    killPrimary: () => void primary.kill('SIGKILL'),
    primaryNow: () => ask(sentinelPorts[0]!),
    async stop() {
      for (const c of children) c.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
