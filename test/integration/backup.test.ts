// Backup and restore against real redis-servers: a backup is unreadable without the key
// files and holds everything; a restore brings back exactly what there was, refuses a
// Redis that is not empty, a wrong key or a cut file without writing a key, and erases
// again the cases erased after the backup was taken.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyRing, sodiumReady, type KeyRing } from '../../src/crypto/index.js';
import { nightlyBackup, readBackup, restoreBackup, shreddedIds, writeBackup } from '../../src/backup/index.js';
import { ReporterCaseStore } from '../../src/store/reporter-cases.js';
import { redisKeys } from '../../src/store/redis-keys.js';
import { makeCase, readFirstMessage, type MadeCase } from '../support/cases.js';
import { useRedis } from '../support/redis.js';
import type { Redis } from 'ioredis';
import type { RedisServer } from '../../src/sandbox/redis-server.js';

const servers: { server: RedisServer; client: Redis }[] = [];
const fresh = async () => {
  const r = await useRedis();
  servers.push(r);
  return r.client;
};
afterAll(async () => {
  for (const r of servers) {
    r.client.disconnect();
    await r.server.stop();
  }
});

let keys: KeyRing;
let source: Redis;
let cases: MadeCase[];
const dir = mkdtempSync(join(tmpdir(), 'trustline-backup-'));
const file = join(dir, 'trustline.backup');

/** Every key with its value (a set's members sorted: their order is Redis's own) and whether it expires. */
async function contents(redis: Redis): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of await redis.keys('*')) {
    const value = (await redis.type(key)) === 'set' ? (await redis.smembers(key)).sort().join(',') : (await redis.dumpBuffer(key))?.toString('base64');
    out.set(key, `${value}|${(await redis.pttl(key)) > 0}`);
  }
  return out;
}

beforeAll(async () => {
  await sodiumReady();
  keys = generateKeyRing();
  source = await fresh();
  cases = [];
  for (let i = 0; i < 3; i++) cases.push(await makeCase(source, keys, { text: `canary-backup-${i} он угрожает`, answer: `answer ${i}` }));
  await source.set('tl:expiring', 'x', 'EX', 3600);
});

describe('backup and restore', () => {
  it('writes everything, readable only with the keys, and restores it exactly', async () => {
    const summary = await writeBackup(source, keys.pepper, file);
    expect(summary).toMatchObject({ cases: 3, keys: await source.dbsize() });
    const raw = readFileSync(file);
    for (const secret of ['tl:case:', 'canary-backup', cases[0]!.code]) expect(raw.includes(secret)).toBe(false);
    await expect(readBackup(generateKeyRing().pepper, file, () => undefined)).rejects.toThrow(/cannot be opened with these keys/);

    const target = await fresh();
    const { summary: restored } = await restoreBackup(target, keys.pepper, file, { force: false, now: Date.now() });
    expect(restored.keys).toBe(summary.keys);
    expect(await contents(target)).toEqual(await contents(source));
    expect(await readFirstMessage(target, keys, cases[1]!.id)).toBe('canary-backup-1 он угрожает');
  });

  it('refuses a Redis that is not empty, and a cut or changed file, before writing a key', async () => {
    const busy = await fresh();
    await busy.set('something', '1');
    await expect(restoreBackup(busy, keys.pepper, file, { force: false, now: Date.now() })).rejects.toThrow(/not empty[\s\S]*--force/);

    const cut = join(dir, 'cut.backup');
    const whole = readFileSync(file);
    writeFileSync(cut, whole.subarray(0, whole.length - 40));
    const empty = await fresh();
    await expect(restoreBackup(empty, keys.pepper, cut, { force: false, now: Date.now() })).rejects.toThrow();
    const changed = join(dir, 'changed.backup');
    const flipped = Buffer.from(whole);
    flipped[flipped.length - 100] = flipped[flipped.length - 100]! ^ 1;
    writeFileSync(changed, flipped);
    await expect(restoreBackup(empty, keys.pepper, changed, { force: false, now: Date.now() })).rejects.toThrow(/changed/);
    expect(await empty.dbsize()).toBe(0);
  });

  it('never brings back a case erased after the backup: it is erased again', async () => {
    const older = join(dir, 'older.backup');
    await writeBackup(source, keys.pepper, older);
    // Erased (the reporter's /forget) after that backup was taken.
    await new ReporterCaseStore(source).erase(cases[2]!.id, cases[2]!.reporterKey, Date.now());
    const shreds = await shreddedIds(source);
    expect(shreds).toEqual([cases[2]!.id]);

    const target = await fresh();
    const { reapplied } = await restoreBackup(target, keys.pepper, older, { force: false, shreds, now: Date.now() });
    expect(reapplied).toBe(1);
    expect(await target.hget(redisKeys.case(cases[2]!.id), 'sealedKey')).toBeNull();
    await expect(readFirstMessage(target, keys, cases[2]!.id)).rejects.toThrow();
    expect(await readFirstMessage(target, keys, cases[0]!.id)).toBe('canary-backup-0 он угрожает');
    // Restored into the Redis that holds the erasure itself (--force), it is erased again too.
    const again = await restoreBackup(source, keys.pepper, older, { force: true, now: Date.now() });
    expect(again.reapplied).toBe(1);
    expect(await source.hget(redisKeys.case(cases[2]!.id), 'sealedKey')).toBeNull();
  });

  it('writes a nightly backup with its list of erased cases, and keeps only BACKUP_KEEP of them', async () => {
    const nightly = join(dir, 'nightly');
    for (const day of ['2026-12-05', '2026-12-06', '2026-12-07', '2026-12-07', '2026-12-08']) {
      await nightlyBackup({ redis: source, pepper: keys.pepper, dir: nightly, keep: 2, day });
    }
    expect(readdirSync(nightly).sort()).toEqual([
      'trustline-2026-12-07.tlbk',
      'trustline-2026-12-07.tlbk.shredded',
      'trustline-2026-12-08.tlbk',
      'trustline-2026-12-08.tlbk.shredded',
    ]);
    const summary = await readBackup(keys.pepper, join(nightly, 'trustline-2026-12-08.tlbk'), () => undefined);
    expect(summary.keys).toBe(await source.dbsize());
    expect(readFileSync(join(nightly, 'trustline-2026-12-08.tlbk.shredded'), 'utf8')).toBe((await shreddedIds(source)).map((id) => `${id}\n`).join(''));
  });
});
