// A lease in Redis: per-case ordering across processes and a guard against two
// workers posting the same case at once. Expires by itself if its holder crashes;
// while the holder lives it is renewed, because a send can outlast the lease (a
// Telegram retry_after, a 5xx backoff, a wait for a flood-control slot).
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKeys } from './keys.js';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface Lease {
  /** False once a renewal found the lease gone (expired while Redis was unreachable, taken over). */
  held(): boolean;
  release(): Promise<void>;
}

export async function tryLease(redis: Redis, name: string, ttlMs: number): Promise<Lease | undefined> {
  const key = redisKeys.lock(name);
  const token = randomBytes(12).toString('base64url');
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return undefined;
  let held = true;
  const renewal = setInterval(() => {
    redis.eval(RENEW, 1, key, token, ttlMs).then(
      (renewed) => {
        if (Number(renewed) !== 1) held = false;
      },
      // A failed renewal is not yet a lost lease: the next one may succeed in time.
      () => undefined,
    );
  }, Math.max(100, Math.floor(ttlMs / 3)));
  renewal.unref();
  return {
    held: () => held,
    async release() {
      clearInterval(renewal);
      held = false;
      await redis.eval(RELEASE, 1, key, token);
    },
  };
}
