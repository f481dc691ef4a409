// Redis connections and the start-up durability check.
import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * Two kinds of connection: BullMQ workers need `maxRetriesPerRequest: null` (they
 * block), while the intake path must fail fast so a reporter is told "try again"
 * instead of waiting on a queue of commands that may never run.
 */
/** Where Redis is: a URL, or Sentinels that name the current primary (REDIS_SENTINELS). */
export type RedisTarget = string | { sentinels: { host: string; port: number }[]; name: string };

export function connectRedis(
  target: RedisTarget,
  kind: 'blocking' | 'fail-fast',
  opts: {
    autoPipelining?: boolean;
    /** shown by CLIENT LIST, so an operator sees which connection is whose (`trustline-<name>`) */
    name?: string;
  } = {},
): Redis {
  const options: RedisOptions =
    kind === 'blocking'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 2_000,
          commandTimeout: 5_000,
          // Commands issued in the same tick by concurrent handlers and jobs go out in one
          // write: under load, per-command socket writes were a fifth of Trustline's CPU.
          enableAutoPipelining: opts.autoPipelining ?? true,
        };
  const common: RedisOptions = { ...options, lazyConnect: false, ...(opts.name ? { connectionName: `trustline-${opts.name}` } : {}) };
  // With Sentinels ioredis asks them for the primary at every (re)connect, so a failover
  // is followed without a restart; BullMQ's duplicates inherit the same options.
  const redis = typeof target === 'string' ? new Redis(target, common) : new Redis({ ...common, sentinels: target.sentinels, name: target.name });
  // Without a listener ioredis prints every reconnect error to stderr; callers log
  // failures where they happen, without the command arguments.
  redis.on('error', () => undefined);
  return redis;
}

/**
 * Whether an error says Redis could not be reached (refused, closed, not writable, timed
 * out), as opposed to a command Redis answered with an error: only the first is worth
 * holding a message for.
 */
export function isRedisUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  const code = (err as NodeJS.ErrnoException).code;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
  return /Stream isn't writeable|Connection is closed|Command timed out|connect ECONNREFUSED/.test(err.message);
}

export class RedisNotDurable extends Error {
  override name = 'RedisNotDurable';
}

export interface Durability {
  appendonly: boolean;
  evictionPolicy: string;
  /** appendfsync: `always`, `everysec`, `no`, or `unknown` where CONFIG is disabled */
  fsync: string;
}

export async function readDurability(redis: Redis): Promise<Durability> {
  // INFO works where CONFIG is renamed or disabled (managed Redis).
  const persistence = await redis.info('persistence');
  const memory = await redis.info('memory');
  const field = (text: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
  // The fsync policy is in no INFO section: CONFIG GET, where it is allowed.
  const fsync = await redis.config('GET', 'appendfsync').then(
    (pair) => String((pair as string[])[1] ?? 'unknown'),
    () => 'unknown',
  );
  return {
    appendonly: field(persistence, 'aof_enabled') === '1',
    evictionPolicy: field(memory, 'maxmemory_policy'),
    fsync,
  };
}

/**
 * Refuses a Redis that can lose acknowledged reports: without AOF a crash loses jobs
 * whose add() already returned; with eviction Redis may silently drop cases or jobs;
 * with `appendfsync everysec` a power cut or kernel crash loses up to a second of what
 * reporters were already given a receipt or a 👌 for.
 */
export async function assertDurable(redis: Redis, allow: { volatile: boolean; everysec: boolean }): Promise<Durability> {
  const d = await readDurability(redis);
  const problems: string[] = [];
  if (!d.appendonly) problems.push('appendonly is off (set `appendonly yes`)');
  if (d.evictionPolicy !== 'noeviction') {
    problems.push(`maxmemory-policy is ${d.evictionPolicy || 'unknown'} (set \`maxmemory-policy noeviction\`)`);
  }
  if (problems.length && !allow.volatile) {
    throw new RedisNotDurable(
      `Redis could lose reports: ${problems.join('; ')}. ` + 'Fix the Redis configuration, or set REDIS_ALLOW_VOLATILE=true for a throwaway setup.',
    );
  }
  if (d.appendonly && d.fsync !== 'always' && !allow.everysec && !allow.volatile) {
    throw new RedisNotDurable(
      `Redis could lose reports that were already acknowledged: appendfsync is ${d.fsync}, so a power cut or a kernel crash loses up to the last second ` +
        'of writes after their senders got a receipt or a 👌. Set `appendfsync always`, or set REDIS_ALLOW_EVERYSEC=true to accept that risk ' +
        '(for instance on a host with a battery-backed disk).',
    );
  }
  return d;
}
