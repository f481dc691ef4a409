// The case store on a real Redis: appends never leave gaps, cursors never go back,
// leases hold while their holder works.
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyRing, newCaseId, newCaseKey, seal, sodiumReady, type KeyRing } from '../../src/crypto/index.js';
import type { CaseCode, ReporterKey } from '../../src/shared/ids.js';
import { CaseLog } from '../../src/cases/case-log.js';
import { CaseStore } from '../../src/store/cases.js';
import { redisKeys } from '../../src/store/redis-keys.js';
import { tryLease } from '../../src/store/lock.js';
import { redisForFile } from '../support/redis.js';

const file = redisForFile();
let redis: Redis;
let keys: KeyRing;
beforeAll(async () => {
  await sodiumReady();
  redis = file.client;
  keys = generateKeyRing();
});

async function newCase(store: CaseStore) {
  const id = newCaseId();
  await store.create({
    id,
    code: 'AAA-BBB' as CaseCode,
    reporterKey: `rk-${id}` as ReporterKey,
    channel: 'telegram',
    lang: 'ru',
    sealedKey: seal(keys.staff.publicKey, newCaseKey()),
    returnAddress: seal(keys.relay.publicKey, 'x'),
    createdAt: 0,
  });
  return (await store.get(id))!;
}

describe('case store', () => {
  it('gives concurrent appends to one case contiguous seqs, every one readable', async () => {
    const store = new CaseStore(redis);
    const log = new CaseLog(store, keys);
    const record = await newCase(store);
    const seqs = await Promise.all(Array.from({ length: 25 }, (_, i) => log.append(record, 'in', { kind: 'text', text: `m${i}`, at: i })));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const key = log.caseKey(record);
    const texts = [];
    for (let seq = 1; seq <= 25; seq++) texts.push((await log.read(record, key, 'in', seq))!.entry);
    expect(new Set(texts.map((e) => (e.kind === 'text' ? e.text : ''))).size).toBe(25);
    expect((await store.get(record.id))!.count.in).toBe(25);
  });

  it('moves cursors only forward and clears the pending mark only when caught up', async () => {
    const store = new CaseStore(redis);
    const log = new CaseLog(store, keys);
    const record = await newCase(store);
    for (let i = 0; i < 3; i++) await log.append(record, 'out', { kind: 'text', text: 'a', at: 0 });
    expect(await store.pendingCases('out')).toContain(record.id);
    await store.markDone(record.id, 'out', 2);
    await store.markDone(record.id, 'out', 1);
    expect((await store.get(record.id))!.done.out).toBe(2);
    expect(await store.clearPendingIfCaughtUp(record.id, 'out')).toBe(false);
    expect(await store.pendingCases('out')).toContain(record.id);
    // Catching up takes the case off the pending set in the same step...
    await store.markDone(record.id, 'out', 3);
    expect(await store.pendingCases('out')).not.toContain(record.id);
    // ...and a message written after that puts it back.
    await log.append(record, 'out', { kind: 'text', text: 'b', at: 0 });
    expect(await store.pendingCases('out')).toContain(record.id);
    expect(await store.clearPendingIfCaughtUp(record.id, 'out')).toBe(false);
    await store.markDone(record.id, 'out', 4);
    expect(await store.clearPendingIfCaughtUp(record.id, 'out')).toBe(true);
  });

  it('records the time of the first answer only once', async () => {
    const store = new CaseStore(redis);
    const log = new CaseLog(store, keys);
    const record = await newCase(store);
    await log.append(record, 'in', { kind: 'text', text: 'q', at: 0 });
    expect(await redis.hget(redisKeys.case(record.id), 'firstAnswerAt')).toBeNull();
    await log.append(record, 'out', { kind: 'text', text: 'a', at: 0 });
    const first = await redis.hget(redisKeys.case(record.id), 'firstAnswerAt');
    expect(Number(first)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 5));
    await log.append(record, 'out', { kind: 'text', text: 'b', at: 0 });
    expect(await redis.hget(redisKeys.case(record.id), 'firstAnswerAt')).toBe(first);
  });

  it('keeps a lease alive while held, so nobody else takes the case mid-flush', async () => {
    const held = await tryLease(redis, 'test:renew', 600, { keepAlive: true });
    expect(held).toBeDefined();
    await new Promise((r) => setTimeout(r, 1_500)); // well past the first expiry
    expect(await tryLease(redis, 'test:renew', 600)).toBeUndefined();
    await held!.release();
    const next = await tryLease(redis, 'test:renew', 600);
    expect(next).toBeDefined();
    await next!.release();
  });
});
