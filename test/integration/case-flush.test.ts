// A flush takes the case's lease and reads the case in one round trip. If the read
// fails, the lease it took must not be left behind: kept alive by its renewals, it
// would hold the case until the process restarts, and every later job would hand its
// messages to a holder that is gone.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyRing, sodiumReady } from '../../src/crypto/index.js';
import { flushCase } from '../../src/relay/case-flush.js';
import { CaseStore } from '../../src/store/cases.js';
import { redisKeys } from '../../src/store/redis-keys.js';
import { makeCase } from '../support/cases.js';
import { redisForFile } from '../support/redis.js';

const file = redisForFile();
beforeAll(() => sodiumReady());

describe('flushCase', () => {
  it('lets the lease go when the read beside the claim fails, so the next job can flush', async () => {
    const { client: redis } = file;
    const { id } = await makeCase(redis, generateKeyRing()); // one reporter message, not posted
    const store = new CaseStore(redis);
    const get = store.get.bind(store);
    store.get = () => Promise.reject(new Error('Redis went away'));
    const sent: number[] = [];
    const send = async (record: { count: { in: number } }) => {
      sent.push(record.count.in);
      await store.markDone(id, 'in', record.count.in);
    };
    const deps = { redis, store, leaseMs: 10_000 };

    await expect(flushCase(deps, 'in', id, 'job-1', send)).rejects.toThrow('Redis went away');
    expect(await redis.exists(redisKeys.lock(`staff:${id}`))).toBe(0);

    store.get = get;
    await flushCase(deps, 'in', id, 'job-2', send);
    expect(sent).toEqual([1]);
  });
});
