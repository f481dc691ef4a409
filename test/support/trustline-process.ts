// `trustline start` as a child process, for the tests that kill or signal it: a real
// redis-server, the local Bot API server and key files, set up once per test file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { sodiumReady } from '../../src/crypto/index.js';
import { initKeys } from '../../src/keys/files.js';
import { startBotApiServer, type BotApiServer } from '../../src/sandbox/bot-api/index.js';
import { startRedisServer, type RedisServer } from '../../src/sandbox/redis-server.js';

export interface ProcessHotline {
  redis: RedisServer;
  api: BotApiServer;
  keysDir: string;
  /** everything the children wrote, stdout and stderr */
  output: string[];
  /** what one child wrote (several run side by side in the scale-out test) */
  outputOf: (child: ChildProcess) => string;
  /** the environment `trustline start` needs for this staff group and counsellor */
  env: (staff: { id: number }, counsellor: { id: number }, extra?: Record<string, string>) => Record<string, string>;
  start: (env: Record<string, string>) => ChildProcess;
}

/** Registers the file's beforeAll/afterAll; the servers are there once beforeAll ran. */
export function useProcessHotline(): ProcessHotline {
  const children: ChildProcess[] = [];
  const outputs = new Map<ChildProcess, string[]>();
  const hotline = {
    output: [] as string[],
    env(staff, counsellor, extra = {}) {
      return {
        TELEGRAM_BOT_TOKEN: hotline.api.token,
        TELEGRAM_API_ROOT: hotline.api.apiRoot,
        STAFF_CHAT_ID: String(staff.id),
        STAFF_USER_IDS: String(counsellor.id),
        REDIS_URL: hotline.redis.url,
        TRUSTLINE_KEYS_DIR: hotline.keysDir,
        JOB_LOCK_MS: '2000',
        LOG_LEVEL: 'info',
        // Test reporters write at machine speed; the per-reporter flood limit has tests of its own.
        REPORTER_BURST: '100000',
        REPORTER_PER_MINUTE: '100000',
        ...extra,
      };
    },
    start(env) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const own: string[] = [];
      outputs.set(child, own);
      const keep = (d: Buffer) => {
        hotline.output.push(d.toString());
        own.push(d.toString());
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      children.push(child);
      return child;
    },
    outputOf: (child) => (outputs.get(child) ?? []).join(''),
  } as Pick<ProcessHotline, 'output' | 'outputOf' | 'env' | 'start'> as ProcessHotline; // servers arrive in beforeAll

  beforeAll(async () => {
    await sodiumReady();
    hotline.redis = await startRedisServer();
    hotline.api = await startBotApiServer();
    hotline.keysDir = await mkdtemp(join(tmpdir(), 'trustline-keys-'));
    await initKeys(hotline.keysDir);
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await hotline.api.close();
    await hotline.redis.stop();
    await rm(hotline.keysDir, { recursive: true, force: true });
  });

  return hotline;
}
