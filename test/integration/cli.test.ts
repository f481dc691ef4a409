// The `trustline` command as an operator meets it.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../src/crypto/index.js';
import { initKeys } from '../../src/keys/files.js';
import { createServer } from 'node:net';
import { startBotApiServer } from '../../src/sandbox/bot-api/index.js';
import { startRedisServer } from '../../src/sandbox/redis-server.js';
import { runTrustline } from '../support/cli.js';
import en from '../../src/rights/locales/en.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const trustline = (args: string[], env: Record<string, string> = {}) => runTrustline(args, env);

describe('trustline CLI', () => {
  it('start: refuses a bad environment, naming each variable, exit code non-zero, no stack trace', async () => {
    const r = await trustline(['start'], { TELEGRAM_BOT_TOKEN: 'nonsense', STAFF_THREADING: 'both' });
    expect(r.code).not.toBe(0);
    for (const name of ['TELEGRAM_BOT_TOKEN', 'STAFF_THREADING', 'STAFF_CHAT_ID', 'STAFF_ADMIN_IDS']) expect(r.stderr).toContain(name);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('keys init: creates secret files 0600 and refuses to overwrite them', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'trustline-cli-')), 'keys');
    dirs.push(dir);
    const first = await trustline(['keys', 'init', '--dir', dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Back up');
    expect((await stat(join(dir, 'staff.key'))).mode & 0o777).toBe(0o600);
    const before = await readFile(join(dir, 'staff.key'));
    const second = await trustline(['keys', 'init', '--dir', dir]);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/exists/);
    expect(await readFile(join(dir, 'staff.key'))).toEqual(before);
  });

  it('start: says which key file is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trustline-cli-'));
    dirs.push(dir);
    const r = await trustline(['start'], {
      TELEGRAM_BOT_TOKEN: '123456:AAEabcdefghijklmnopqrstuvwxyz',
      STAFF_CHAT_ID: '-1001',
      STAFF_USER_IDS: '1',
      REDIS_URL: 'redis://127.0.0.1:1',
      TRUSTLINE_KEYS_DIR: dir,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/keys init/);
  });

  it('start: refuses a /rights page file with a broken link, naming the file and the line, before it connects anything', async () => {
    await sodiumReady();
    const dir = await mkdtemp(join(tmpdir(), 'trustline-cli-'));
    dirs.push(dir);
    await initKeys(join(dir, 'keys'));
    const own = en.replace('links: [retaliation, anonymity, index]', 'links: [retaliation, anonimity, index]');
    await writeFile(join(dir, 'rights.en.yaml'), own);
    const r = await trustline(['start'], {
      TELEGRAM_BOT_TOKEN: '123456:AAEabcdefghijklmnopqrstuvwxyz',
      STAFF_CHAT_ID: '-1001',
      STAFF_USER_IDS: '1',
      REDIS_URL: 'redis://127.0.0.1:1',
      TRUSTLINE_KEYS_DIR: join(dir, 'keys'),
      RIGHTS_PAGES: dir,
    });
    expect(r.code).not.toBe(0);
    const line = own.slice(0, own.indexOf('anonimity')).split('\n').length;
    expect(r.stderr).toContain(`${join(dir, 'rights.en.yaml')}:${line}: pages.after-report.links.1: no page "anonimity"`);
    expect(r.stderr).not.toMatch(/Redis| {4}at /);
  });

  it('rights export writes the three files to edit, never over an admin’s; rights check finds a broken one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trustline-cli-'));
    dirs.push(dir);
    const exported = await trustline(['rights', 'export', dir]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(join(dir, 'rights.kk.yaml'));
    expect((await trustline(['rights', 'check', dir])).code).toBe(0);
    const ru = join(dir, 'rights.ru.yaml');
    const text = (await readFile(ru, 'utf8')).replace('    title: Моббинг на работе\n', '    title: ""\n');
    await writeFile(ru, text);
    expect((await trustline(['rights', 'export', dir])).stderr).toContain(`${ru} exists already`);
    const checked = await trustline(['rights', 'check', dir]);
    expect(checked.code).not.toBe(0);
    expect(checked.stderr).toContain(`${ru}:${text.slice(0, text.indexOf('title: ""')).split('\n').length}: pages.mobbing.title: the title is empty`);
  });

  it('backup, backup --verify and restore: a sentence each, and a refusal that says what to do', async () => {
    await sodiumReady();
    const dir = await mkdtemp(join(tmpdir(), 'trustline-cli-'));
    dirs.push(dir);
    await initKeys(join(dir, 'keys'));
    const redis = await startRedisServer();
    try {
      const env = { REDIS_URL: redis.url, TRUSTLINE_KEYS_DIR: join(dir, 'keys') };
      const file = join(dir, 'b.tlbk');
      const written = await trustline(['backup', file], env);
      expect(written.code).toBe(0);
      expect(written.stdout).toMatch(/^Wrote .*b\.tlbk: \d+ keys: 0 cases/m);
      expect((await stat(`${file}.shredded`)).isFile()).toBe(true);
      const verified = await trustline(['backup', '--verify', file], env);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toContain('is a whole backup these keys open');
      await writeFile(join(dir, 'other'), 'x');
      const refused = await trustline(['restore', join(dir, 'other')], env);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('is not a Trustline backup');
      expect(refused.stderr).not.toMatch(/ {4}at /);
    } finally {
      await redis.stop();
    }
  });

  it('start: refuses a Redis that can lose reports, and exits instead of hanging', async () => {
    await sodiumReady();
    const dir = await mkdtemp(join(tmpdir(), 'trustline-cli-'));
    dirs.push(dir);
    await initKeys(join(dir, 'keys'));
    const redis = await startRedisServer({ appendonly: false });
    try {
      const r = await trustline(['start'], {
        TELEGRAM_BOT_TOKEN: '123456:AAEabcdefghijklmnopqrstuvwxyz',
        STAFF_CHAT_ID: '-1001',
        STAFF_USER_IDS: '1',
        REDIS_URL: redis.url,
        TRUSTLINE_KEYS_DIR: join(dir, 'keys'),
      });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/appendonly is off[\s\S]*REDIS_ALLOW_VOLATILE/);
    } finally {
      await redis.stop();
    }
  });

  it('start: says which port is taken in webhook mode, and exits', async () => {
    await sodiumReady();
    const dir = await mkdtemp(join(tmpdir(), 'trustline-cli-'));
    dirs.push(dir);
    await initKeys(join(dir, 'keys'));
    const [redis, api] = await Promise.all([startRedisServer(), startBotApiServer()]);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    try {
      const staff = api.addGroup({ title: 'Staff', forum: true });
      const r = await trustline(['start'], {
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
        TELEGRAM_MODE: 'webhook',
        WEBHOOK_URL: 'https://hotline.example.org/telegram',
        WEBHOOK_SECRET: 'a-long-enough-webhook-secret-123',
        WEBHOOK_PORT: String((taken.address() as { port: number }).port),
        STAFF_CHAT_ID: String(staff.id),
        STAFF_USER_IDS: '1',
        REDIS_URL: redis.url,
        TRUSTLINE_KEYS_DIR: join(dir, 'keys'),
      });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/EADDRINUSE[\s\S]*WEBHOOK_PORT/);
    } finally {
      taken.close();
      await Promise.all([redis.stop(), api.close()]);
    }
  });
});
