// Leases: renewal keeps a lease alive past its first TTL; a lapsed lease is not ours to renew.
import { describe, expect, it } from 'vitest';
import { tryLease } from '../src/store/lock.js';
import { redisForFile } from './support/redis.js';

const db = redisForFile();

describe('lease renewal', () => {
  it('extends a held lease and refuses once another holder took it', async () => {
    const lease = (await tryLease(db.client, 'renew-test', 300))!;
    expect(lease).toBeDefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(await lease.renew(300)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(await tryLease(db.client, 'renew-test', 300)).toBeUndefined(); // still held: renewal worked
    await new Promise((r) => setTimeout(r, 250));
    const other = await tryLease(db.client, 'renew-test', 5_000);
    expect(other).toBeDefined();
    expect(await lease.renew(300)).toBe(false);
    await lease.release(); // must not release someone else's lease
    expect(await tryLease(db.client, 'renew-test', 300)).toBeUndefined();
    await other!.release();
  });
});
