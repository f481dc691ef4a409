// A worker killed mid-job (SIGKILL, no clean-up) and started again delivers once.
// The hotline runs as a real `trustline start` child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initKeys, sodiumReady } from '../src/crypto/index.js';
import { startBotApiServer, type BotApiServer } from '../src/sandbox/bot-api/index.js';
import { startRedisServer, type RedisServer } from '../src/sandbox/redis-server.js';
import { fileReport } from './support/intake-driver.js';

let redis: RedisServer;
let api: BotApiServer;
let keysDir: string;
const children: ChildProcess[] = [];
const output: string[] = [];

beforeAll(async () => {
  await sodiumReady();
  redis = await startRedisServer();
  api = await startBotApiServer();
  keysDir = await mkdtemp(join(tmpdir(), 'trustline-keys-'));
  await initKeys(keysDir);
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await api.close();
  await redis.stop();
  await rm(keysDir, { recursive: true, force: true });
});

function startTrustlineProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  children.push(child);
  return child;
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('a worker killed mid-job', () => {
  it('is picked up again after its lock lapses and delivers exactly once', async () => {
    const counsellor = api.addUser({ firstName: 'Dana' });
    const staff = api.addGroup({ title: 'Staff', forum: true, members: [counsellor] });
    const env = {
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      STAFF_CHAT_ID: String(staff.id),
      STAFF_USER_IDS: String(counsellor.id),
      REDIS_URL: redis.url,
      TRUSTLINE_KEYS_DIR: keysDir,
      JOB_LOCK_MS: '2000',
      LOG_LEVEL: 'info',
    };
    const first = startTrustlineProcess(env);
    const reporter = api.addUser({ firstName: 'Aliya', languageCode: 'ru' });
    await fileReport(api, reporter, { account: ['сначала вопросы'] });
    api.sendPrivate(reporter, 'мне угрожают после жалобы');
    // (under Telegram's limits the case header opens the first post, and waiting messages are joined)
    const posted = await api.waitFor(() => api.messagesIn(staff).find((m) => m.text?.endsWith('мне угрожают после жалобы')), { timeoutMs: 20_000 });
    // routing mentions whoever got the case; hold the delivery only after that notice
    await api.waitFor(() => api.messagesIn(staff).find((m) => m.text?.startsWith('👤')), { timeoutMs: 20_000 });

    // The answer's delivery request reaches "Telegram" but is never applied: the
    // process dies while it waits for the response.
    const hold = api.holdNext('sendMessage');
    api.sendGroup(staff, counsellor, 'Мы с вами. Вы в безопасности?', { threadId: posted.message_thread_id! });
    const held = await hold.held;
    expect(held.params.chat_id).toBe(reporter.id);
    await killed(first);
    hold.drop();

    startTrustlineProcess(env);
    const delivered = await api.waitFor(
      () => api.messagesIn(reporter).find((m) => m.text?.includes('Мы с вами')),
      { timeoutMs: 25_000 },
    );
    expect(delivered.text).toMatch(/^Консультант:/);
    // Give a duplicate every chance to show up, then count.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(api.messagesIn(reporter).filter((m) => m.text?.includes('Мы с вами'))).toHaveLength(1);
    expect(api.messagesIn(staff).filter((m) => m.text?.endsWith('мне угрожают после жалобы'))).toHaveLength(1);
    const logs = output.join('');
    expect(logs).toContain('"event":"started"');
    expect(logs).not.toContain('угрожают');
    expect(logs).not.toContain(String(reporter.id));
  }, 60_000);
});
