// Redis and what lives in it: the three connections, the durability check, the case
// store and log, and the queues. Built first: nothing else starts if Redis can lose reports.
import { deskNames, type Config } from '../config/index.js';
import { CaseLog } from '../cases/index.js';
import { OpenedCache, type KeyRing } from '../crypto/index.js';
import { recordSealingKeys } from '../keys/index.js';
import { Pipeline } from '../queue/index.js';
import type { Logger } from '../shared/index.js';
import { assertDurable, CaseStore, connectRedis, ReporterCaseStore, ReporterMessages, type Redis, type RedisTarget } from '../store/index.js';

export interface Storage {
  readonly redis: Redis;
  /** for queues (and the retention scheduler): BullMQ's scripts stay off `redis`'s pipelines */
  readonly queueRedis: Redis;
  readonly store: CaseStore;
  /** keeps opened sealed values briefly (a case key, a return address) */
  readonly opened: OpenedCache;
  readonly caseLog: CaseLog;
  readonly reporterCases: ReporterCaseStore;
  /** message ids of reporters' Telegram chats, for /wipe and /forget */
  readonly reporterMessages: ReporterMessages;
  readonly pipeline: Pipeline;
  /** After a failed start: drops the connections at once, so the process can exit. */
  disconnect(): void;
  /** At shutdown, once every worker has stopped. */
  close(): Promise<void>;
}

/** REDIS_SENTINELS when set, else REDIS_URL. */
export function redisTarget(config: Config): RedisTarget {
  if (config.redis.sentinels) return { sentinels: config.redis.sentinels.hosts, name: config.redis.sentinels.name };
  if (!config.redis.url) throw new Error('REDIS_URL (or REDIS_SENTINELS) is not set');
  return config.redis.url;
}

export async function buildStorage(deps: { config: Config; keys: KeyRing; log: Logger }): Promise<Storage> {
  const { config, keys, log } = deps;
  const target = redisTarget(config);
  const redis = connectRedis(target, 'fail-fast', { name: 'app' });
  const workerRedis = connectRedis(target, 'blocking');
  // Queues get a connection of their own: BullMQ defines ~60 scripts on whatever
  // connection it is given, and ioredis copies them all into every pipeline (every
  // MULTI, every auto-pipelined tick) made on that connection. These two are not named:
  // BullMQ names the connections it is given, and finds its workers by those names.
  const queueRedis = connectRedis(target, 'fail-fast', { autoPipelining: false });
  // A start that fails must not leave these reconnecting forever (the process would never exit).
  const disconnect = () => {
    redis.disconnect();
    queueRedis.disconnect();
    workerRedis.disconnect();
  };
  try {
    await redis.ping().catch(async () => {
      // fail-fast connections do not queue commands while the first connect is under way
      await new Promise((r) => setTimeout(r, 300));
      await redis.ping();
    });
    const durability = await assertDurable(redis, { volatile: config.redis.allowVolatile, everysec: config.redis.allowEverysec });
    if (!durability.appendonly || durability.evictionPolicy !== 'noeviction') {
      log.warn({ durability }, 'Redis can lose reports (REDIS_ALLOW_VOLATILE=true): throwaway setups only');
    } else if (durability.fsync !== 'always') {
      log.warn({ durability }, 'Redis fsyncs once a second (REDIS_ALLOW_EVERYSEC=true): a power cut can lose the last second of acknowledged reports');
    }
    // `keys retire` refuses to delete a key this process still seals new cases to.
    await recordSealingKeys(redis, keys);
  } catch (err) {
    disconnect();
    throw err;
  }

  const store = new CaseStore(redis);
  const opened = new OpenedCache();
  const pipeline = new Pipeline({
    connection: queueRedis,
    workerConnection: workerRedis,
    attempts: config.jobs.attempts,
    lockMs: config.jobs.lockMs,
    log,
    desks: deskNames(config),
    ...(config.telegram.limits ? { pauseAtMostMs: Math.floor(config.telegram.limits.minuteMs / config.telegram.limits.groupPerMinute) } : {}),
  });
  return {
    redis,
    queueRedis,
    store,
    opened,
    caseLog: new CaseLog(store, keys, opened),
    reporterCases: new ReporterCaseStore(redis),
    reporterMessages: new ReporterMessages(redis),
    pipeline,
    disconnect,
    async close() {
      await pipeline.close();
      await Promise.allSettled([redis.quit(), queueRedis.quit(), workerRedis.quit()]);
      opened.clear();
    },
  };
}
