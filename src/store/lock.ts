// A lease in Redis: per-case ordering across processes, one process per WhatsApp
// line. Expires by itself if its holder crashes.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKeys } from './keys.js';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface Lease {
  release(): Promise<void>;
  /** Extends the lease by ttlMs; false when it lapsed and is no longer ours. */
  renew(ttlMs: number): Promise<boolean>;
}

/**
 * `keepAlive` renews the lease every ttl/3 until release: a case flush can outlast one
 * lease (Telegram asking us to wait), and a lapsed lease would let a second worker post
 * the same case out of order. Holders that must notice a lost lease renew themselves.
 */
export async function tryLease(
  redis: Redis,
  name: string,
  ttlMs: number,
  options: { keepAlive?: boolean } = {},
): Promise<Lease | undefined> {
  const key = redisKeys.lock(name);
  const token = randomBytes(12).toString('base64url');
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return undefined;
  const renew = async (renewMs: number) => (await redis.eval(RENEW, 1, key, token, renewMs)) === 1;
  const timer = options.keepAlive
    ? setInterval(() => void renew(ttlMs).catch(() => undefined), Math.max(100, Math.floor(ttlMs / 3)))
    : undefined;
  timer?.unref();
  return {
    async release() {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, key, token);
    },
    renew,
  };
}
