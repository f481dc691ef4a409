// A lease in Redis: per-case ordering across processes, a guard against two workers
// posting the same case at once, one process per WhatsApp line. Expires by itself if
// its holder crashes. Case flushes keep theirs renewed while they live, because a send
// can outlast the lease (a Telegram retry_after, a 5xx backoff, a wait for a
// flood-control slot); so does a running WhatsApp line.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKeys } from './redis-keys.js';
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
  /**
   * False once the lease is no longer ours: a renewal found it gone (taken over), or
   * renewals failed (Redis unreachable) for so long that it may have lapsed.
   */
  held(): boolean;
  /** Extends the lease by ttlMs now; false when it lapsed and is no longer ours. */
  renew(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
}

export interface LeaseOptions {
  /**
   * Renew every ttl/3 until release. Without it the lease lapses after ttlMs unless
   * its holder calls renew().
   */
  keepAlive?: boolean;
  /** Called once, from the renewal, when the lease is found lost while held. */
  onLost?: () => void;
}

export interface HandOverLease extends Lease {
  /**
   * Releases the lease if nobody handed work over since the last call, and says so
   * (true). False: work came in, the lease is still held, and the holder must look again.
   */
  releaseIfIdle(): Promise<boolean>;
}

function holding(redis: Redis, keys: string[], token: string, ttlMs: number, options: LeaseOptions) {
  let held = true;
  let confirmedAt = Date.now();
  const lost = () => {
    if (!held) return;
    held = false;
    clearInterval(renewal);
    options.onLost?.();
  };
  const renew = async (renewMs: number) => {
    let renewed: boolean;
    try {
      renewed = Number(await RENEW.run(redis, keys, [token, renewMs])) === 1;
    } catch (err) {
      // A failed renewal is not yet a lost lease: the next one may succeed in time. But
      // once it could have lapsed, another holder may have it: stop before that moment.
      if (Date.now() - confirmedAt >= ttlMs * 0.8) lost();
      throw err;
    }
    if (renewed) confirmedAt = Date.now();
    else lost();
    return renewed;
  };
  const renewal = options.keepAlive !== true ? undefined : setInterval(() => void renew(ttlMs).catch(() => undefined), Math.max(100, Math.floor(ttlMs / 3)));
  renewal?.unref();
  return {
    held: () => held,
    renew: async (renewMs: number) => held && (await renew(renewMs)),
    stop() {
      clearInterval(renewal);
      held = false;
    },
  };
}

export async function tryLease(redis: Redis, name: string, ttlMs: number, options: LeaseOptions = {}): Promise<Lease | undefined> {
  const key = redisKeys.lock(name);
  const token = randomBytes(12).toString('base64url');
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return undefined;
  const h = holding(redis, [key], token, ttlMs, options);
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
  const h = holding(redis, keys, token, ttlMs, { keepAlive: true });
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
