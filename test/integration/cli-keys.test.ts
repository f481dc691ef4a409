// The keys commands as an admin runs them: a real process, real files, real Redis.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { askHidden, PromptAborted } from '../../src/cli/prompt.js';
import { sodiumReady } from '../../src/crypto/index.js';
import { loadKeys } from '../../src/keys/loading.js';
import { makeCase, readFirstMessage } from '../support/cases.js';
import { redisForFile } from '../support/redis.js';
import { runTrustline } from '../support/cli.js';

const PASSPHRASE = 'a long admin passphrase 2026';
const file = redisForFile();
let redis: Redis;
const dirs: string[] = [];

beforeAll(async () => {
  await sodiumReady();
  redis = file.client;
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const trustline = (args: string[], env: Record<string, string> = {}) => runTrustline(args, env);

describe('trustline keys', () => {
  // Spawning the CLI costs a second or more per command on a busy 2-core machine, and
  // protected files cost real Argon2id work (3 passes over 64 MiB each): allow for it.
  const SLOW = 90_000;

  it(
    'protected files: init --protect, no passphrase, a wrong one, then a rotation with the right one',
    async () => {
      const dir = join(await mkdtemp(join(tmpdir(), 'trustline-cli-keys-')), 'keys');
      dirs.push(dir);
      const env = { TRUSTLINE_KEYS_DIR: dir };

      const init = await trustline(['keys', 'init', '--protect'], { ...env, TRUSTLINE_KEY_PASSPHRASE: PASSPHRASE });
      expect(init.code).toBe(0);
      expect(init.stdout).toContain('protected with the passphrase');
      expect(await readFile(join(dir, 'staff.key'), 'utf8')).toMatch(/^tl-protected-key v1 argon2id13 ops=3 mem=67108864 /);

      // No passphrase and no terminal: told how to give one.
      const none = await trustline(['keys', 'rotate'], env);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/protected with a passphrase: set TRUSTLINE_KEY_PASSPHRASE/);

      const wrong = await trustline(['keys', 'rotate'], { ...env, TRUSTLINE_KEY_PASSPHRASE: 'wrong but long passphrase' });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/^cannot open .*pepper\.key: wrong passphrase \(or the file was modified\)\n$/);
      expect(wrong.stderr).not.toContain('wrong but long passphrase');

      const rotated = await trustline(['keys', 'rotate'], { ...env, TRUSTLINE_KEY_PASSPHRASE: PASSPHRASE });
      expect(rotated.stderr).toBe('');
      const ring = await loadKeys(dir, { passphrase: async () => PASSPHRASE });
      expect(ring.staffSecrets.size).toBe(2);
      expect(await readFile(join(dir, `staff-${ring.staff.kid}.key`), 'utf8')).toMatch(/^tl-protected-key v1/);
    },
    SLOW,
  );

  it(
    'rotate, check and retire against the cases in Redis',
    async () => {
      const dir = join(await mkdtemp(join(tmpdir(), 'trustline-cli-keys-')), 'keys');
      dirs.push(dir);
      await redis.flushall();
      const env = { TRUSTLINE_KEYS_DIR: dir, REDIS_URL: file.server.url };
      expect((await trustline(['keys', 'init'], env)).code).toBe(0);
      const ring = await loadKeys(dir);
      const cases = [await makeCase(redis, ring), await makeCase(redis, ring)];

      const rotated = await trustline(['keys', 'rotate'], env);
      expect(rotated.code).toBe(0);
      expect(rotated.stdout).toContain(`trustline keys retire ${ring.staff.kid}`);

      const check = await trustline(['keys', 'check'], env);
      expect(check.code).toBe(0);
      expect(check.stdout).toContain('Opened 2 of 2 sampled case(s) completely.');
      expect(check.stdout).toContain(`staff key ${ring.staff.kid}: 2 case(s)`);
      for (const c of cases) expect(check.stdout + check.stderr).not.toContain(c.text);

      const retire = await trustline(['keys', 'retire', ring.staff.kid], env);
      expect(retire.stderr).toBe('');
      expect(retire.code).toBe(0);
      expect(retire.stdout).toContain(`Re-sealed 2 case(s) from staff key ${ring.staff.kid}`);

      // Every case now opens under the new key alone.
      const after = await loadKeys(dir);
      expect(after.staffSecrets.has(ring.staff.kid)).toBe(false);
      for (const c of cases) expect(await readFirstMessage(redis, after, c.id)).toBe(c.text);
    },
    SLOW,
  );

  it('check exits non-zero, naming the case code, when the keys cannot open a case', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'trustline-cli-keys-')), 'keys');
    dirs.push(dir);
    await redis.flushall();
    expect((await trustline(['keys', 'init', '--dir', dir])).code).toBe(0);
    const { generateKeyRing } = await import('../../src/crypto/index.js');
    const foreign = await makeCase(redis, generateKeyRing());
    const check = await trustline(['keys', 'check', '--dir', dir], { REDIS_URL: file.server.url });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`FAILED ${foreign.code}: case key (unknown-key)`);
    expect(check.stdout).toContain('NOT in the configured keys');
  });
});

describe('passphrase prompt', () => {
  const io = () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (b: Buffer) => (shown += b.toString()));
    return { io: { input, output }, input, shown: () => shown };
  };

  it('reads one line, honours backspace, and never writes what was typed', async () => {
    const t = io();
    const answer = askHidden('Passphrase: ', t.io);
    t.input.write('secret phrazz\u007f\u007fse\r');
    expect(await answer).toBe('secret phrase');
    expect(t.shown()).toBe('Passphrase: \n');
  });

  it('Ctrl-C and end of input abort', async () => {
    const a = io();
    const cancelled = askHidden('P: ', a.io);
    a.input.write('abc\u0003');
    await expect(cancelled).rejects.toBeInstanceOf(PromptAborted);
    const b = io();
    const ended = askHidden('P: ', b.io);
    b.input.end();
    await expect(ended).rejects.toThrow(/input ended/);
  });
});
