// A lease in Redis: per-case ordering across processes and a guard against two
// workers posting the same case at once. Expires by itself if its holder crashes;
// case flushes keep theirs renewed while they live, because a send can outlast the
// lease (a Telegram retry_after, a 5xx backoff, a wait for a flood-control slot).
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKeys } from './keys.js';
import { script } from './scripts.js';

const RELEASE = script(`if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`);
// KEYS[2], when given, is the lease's "more work" mark: it lives exactly as long as the lease.
const RENEW = script(`
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('pexpire', KEYS[1], ARGV[2])
if KEYS[2] then redis.call('pexpire', KEYS[2], ARGV[2]) end
return 1`);
/**
 * Takes the lease; takes it back if it is still held in the same owner's name (a run
 * of the same job that died or failed without letting go); otherwise leaves the
 * holder a mark that there is more to do. Values are "<owner> <token>".
 */
const CLAIM = script(`
if redis.call('set', KEYS[1], ARGV[1] .. ' ' .. ARGV[2], 'PX', ARGV[3], 'NX') then return 1 end
local current = redis.call('get', KEYS[1])
if current and string.sub(current, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. ' ' then
  redis.call('set', KEYS[1], ARGV[1] .. ' ' .. ARGV[2], 'PX', ARGV[3])
  return 1
end
redis.call('set', KEYS[2], '1', 'PX', math.max(1, redis.call('pttl', KEYS[1])))
return 0`);
/** Releases unless the mark says work was handed over meanwhile: then keeps the lease (0). */
const RELEASE_IF_IDLE = script(`
if redis.call('get', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('del', KEYS[2]) == 1 then return 0 end
redis.call('del', KEYS[1])
return 1`);

export interface Lease {
  /** False once a renewal found the lease gone (expired while Redis was unreachable, taken over). */
  held(): boolean;
  /** Extends the lease by ttlMs; false when it lapsed and is no longer ours. */
  renew(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
}

export interface HandOverLease extends Lease {
  /**
   * Releases the lease if nobody handed work over since the last call, and says so
   * (true). False: work came in, the lease is still held, and the holder must look again.
   */
  releaseIfIdle(): Promise<boolean>;
}

/** Renewal by hand, and every ttl/3 until stop() when `keepAlive`. */
function holding(redis: Redis, keys: string[], token: string, ttlMs: number, keepAlive: boolean) {
  let held = true;
  const renew = async (renewMs: number) => {
    const renewed = Number(await RENEW.run(redis, keys, [token, renewMs])) === 1;
    if (!renewed) held = false;
    return renewed;
  };
  // A failed renewal is not yet a lost lease: the next one may succeed in time.
  const timer = keepAlive ? setInterval(() => void renew(ttlMs).catch(() => undefined), Math.max(100, Math.floor(ttlMs / 3))) : undefined;
  timer?.unref();
  return {
    held: () => held,
    renew,
    stop() {
      clearInterval(timer);
      held = false;
    },
  };
}

/** `keepAlive` renews the lease every ttl/3 until release. */
export async function tryLease(redis: Redis, name: string, ttlMs: number, options: { keepAlive?: boolean } = {}): Promise<Lease | undefined> {
  const key = redisKeys.lock(name);
  const token = randomBytes(12).toString('base64url');
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return undefined;
  const h = holding(redis, [key], token, ttlMs, options.keepAlive ?? false);
  return {
    held: h.held,
    renew: h.renew,
    async release() {
      h.stop();
      await RELEASE.run(redis, [key], [token]);
    },
  };
}

/**
 * Takes the lease, or hands the work to whoever holds it: undefined means the holder
 * has been told there is more to do and will do it before it lets go (releaseIfIdle).
 * For jobs that all mean "catch this case up": the second one need not wait and run
 * again, it can simply finish.
 *
 * `owner` is the job's id. If the holder dies or fails without letting go, its job is
 * retried under the same id (BullMQ brings back a stalled job, or retries a failed
 * one) and takes the lease back at once, handed-over work included. The price: if
 * BullMQ wrongly thinks a live job stalled (its event loop blocked longer than the
 * job lock) two runs of that job can overlap, as BullMQ itself allows then.
 */
export async function claimOrHandOver(redis: Redis, name: string, owner: string, ttlMs: number): Promise<HandOverLease | undefined> {
  const keys = [redisKeys.lock(name), redisKeys.lockMore(name)];
  const token = `${owner} ${randomBytes(12).toString('base64url')}`;
  const claimed = Number(await CLAIM.run(redis, keys, [owner, token.slice(owner.length + 1), ttlMs]));
  if (claimed !== 1) return undefined;
  // Always kept alive: a flush can outlast its lease (retry_after, a 5xx backoff, a flood slot).
  const h = holding(redis, keys, token, ttlMs, true);
  return {
    held: h.held,
    renew: h.renew,
    async release() {
      h.stop();
      await RELEASE.run(redis, [keys[0]!], [token]);
    },
    async releaseIfIdle() {
      const result = Number(await RELEASE_IF_IDLE.run(redis, keys, [token]));
      if (result === 0) return false;
      h.stop();
      return true;
    },
  };
}
