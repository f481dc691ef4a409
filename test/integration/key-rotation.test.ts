// Rotation and retirement against cases in a real Redis: no case becomes unreadable.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { generateKeyRing, seal, sodiumReady, type KeyRing } from '../../src/crypto/index.js';
import { initKeys } from '../../src/keys/files.js';
import { loadKeys } from '../../src/keys/loading.js';
import { rotateKeys } from '../../src/keys/generations.js';
import { openReturnAddress } from '../../src/cases/return-address.js';
import { checkKeys } from '../../src/keys/check.js';
import { findSealedTo } from '../../src/keys/reseal.js';
import { retireKey, RetireRefused } from '../../src/keys/retire.js';
import { recordSealingKeys } from '../../src/keys/sealing.js';
import { CaseStore } from '../../src/store/cases.js';
import { makeCase, readFirstMessage, type MadeCase } from '../support/cases.js';
import { redisForFile } from '../support/redis.js';

const file = redisForFile();
let redis: Redis;
let dir: string;

beforeAll(async () => {
  await sodiumReady();
  redis = file.client;
});
beforeEach(async () => {
  await redis.flushall();
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'trustline-rotation-'));
});

async function readable(ring: KeyRing, cases: MadeCase[]): Promise<void> {
  const store = new CaseStore(redis);
  for (const c of cases) {
    expect(await readFirstMessage(redis, ring, c.id)).toBe(c.text);
    expect(openReturnAddress(ring, (await store.get(c.id))!.returnAddress)).toEqual({ channel: 'telegram', address: c.address });
  }
}

/** Three cases under the original keys, a rotation, two cases under the new keys. */
async function rotatedWithCases() {
  const made = await initKeys(dir);
  const first = await loadKeys(dir);
  const old = [await makeCase(redis, first), await makeCase(redis, first), await makeCase(redis, first)];
  const rotation = await rotateKeys(dir);
  const ring = await loadKeys(dir);
  const fresh = [await makeCase(redis, ring), await makeCase(redis, ring)];
  return { made, first, ring, rotation, old, fresh };
}

describe('keys rotate', () => {
  it('old cases stay readable next to new ones, and check tallies both generations', async () => {
    const { made, ring, rotation, old, fresh } = await rotatedWithCases();
    await readable(ring, [...old, ...fresh]);
    const check = await checkKeys({ redis, ring });
    expect(check).toMatchObject({ cases: 5, sampled: 5, opened: 5, failures: [] });
    expect(check.byKey.staff).toEqual(
      expect.arrayContaining([
        { kid: made.staffKid, cases: 3, held: true },
        { kid: rotation.staff.to, cases: 2, held: true },
      ]),
    );
    expect(check.byKey.relay).toHaveLength(2);
  });
});

describe('keys retire', () => {
  it('re-seals every case to the current keys, then deletes the old secrets', async () => {
    const { made, first, ring, rotation, old, fresh } = await rotatedWithCases();
    await recordSealingKeys(redis, ring); // the hotline was restarted after the rotation

    const staff = await retireKey({ redis, ring, dir, kid: made.staffKid });
    expect(staff).toMatchObject({ role: 'staff', resealed: 3, untouched: 2, failed: [] });
    expect(staff.removed).toEqual([join(dir, 'staff.key'), join(dir, 'staff.pub')]);
    const relay = await retireKey({ redis, ring, dir, kid: made.relayKid });
    expect(relay).toMatchObject({ role: 'relay', resealed: 3, untouched: 2 });

    const after = await loadKeys(dir);
    expect([...after.staffSecrets.keys()]).toEqual([rotation.staff.to]);
    expect([...after.relaySecrets.keys()]).toEqual([rotation.relay.to]);
    await readable(after, [...old, ...fresh]);
    expect(await findSealedTo(redis, made.staffKid)).toEqual([]);
    expect(await findSealedTo(redis, made.relayKid)).toEqual([]);
    // The old key ring alone opens nothing any more.
    await expect(readFirstMessage(redis, first, old[0]!.id)).rejects.toThrow(/sealed with a key this key ring does not hold/);
    expect((await checkKeys({ redis, ring: after })).opened).toBe(5);
  });

  it('refuses while a running process still seals to the old key, and for the current key', async () => {
    const { made, first, ring, rotation } = await rotatedWithCases();
    await recordSealingKeys(redis, first); // started before the rotation, not restarted since
    await expect(retireKey({ redis, ring, dir, kid: made.staffKid })).rejects.toThrow(/Restart every Trustline process/);
    await expect(retireKey({ redis, ring, dir, kid: rotation.staff.to })).rejects.toThrow(/current staff key/);
    await expect(retireKey({ redis, ring, dir, kid: '0123456789abcdef' })).rejects.toThrow(RetireRefused);
    expect(await readdir(dir)).toContain('staff.key');
  });

  it('keeps the old secret when anything else in Redis is still sealed to it', async () => {
    const { made, first, ring, old } = await rotatedWithCases();
    await recordSealingKeys(redis, ring);
    // e.g. a value some other part of Trustline sealed and that re-sealing does not know about
    await redis.set('tl:conv:someone', seal(first.staff.publicKey, 'state'));
    const err = await retireKey({ redis, ring, dir, kid: made.staffKid }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetireRefused);
    expect((err as Error).message).toMatch(/was not deleted: 0 case\(s\) .* 1 value\(s\) .*tl:conv:someone/);
    expect(await readdir(dir)).toContain('staff.key');
    await readable(await loadKeys(dir), old); // the cases were re-sealed all the same
  });
});

describe('keys check', () => {
  it('reports cases the configured keys cannot open, by case code, without content', async () => {
    const { ring, old } = await rotatedWithCases();
    const stranger = generateKeyRing();
    const check = await checkKeys({ redis, ring: stranger, sample: 3 });
    expect(check.cases).toBe(5);
    expect(check.sampled).toBe(3);
    expect(check.opened).toBe(0);
    expect(check.failures.filter((f) => f.what === 'case key')).toHaveLength(3);
    expect(check.failures.every((f) => f.problem === 'unknown-key')).toBe(true);
    expect(check.byKey.staff.every((k) => !k.held)).toBe(true);
    expect(JSON.stringify(check)).not.toContain(old[0]!.text);
    expect((await checkKeys({ redis, ring })).failures).toEqual([]);
  });

  it('spots a case key that opens but does not decrypt the case (a swapped sealed key)', async () => {
    const { ring, old, fresh } = await rotatedWithCases();
    const other = await redis.hgetBuffer(`tl:case:${fresh[0]!.id}`, 'sealedKey');
    await redis.hset(`tl:case:${old[0]!.id}`, 'sealedKey', other!);
    const check = await checkKeys({ redis, ring });
    expect(check.failures).toEqual([{ code: old[0]!.code, what: 'message', problem: 'tampered' }]);
  });
});
