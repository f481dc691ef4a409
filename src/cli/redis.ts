// A Redis connection for one CLI command: fails within seconds when Redis is away,
// instead of retrying forever behind a silent prompt.
import type { Config } from '../config/index.js';
import { connectRedis, type Redis } from '../store/index.js';

export class RedisUnreachable extends Error {
  override readonly name = 'RedisUnreachable';
}

export async function openRedis(config: Pick<Config, 'redis'>, timeoutMs = 5_000): Promise<Redis> {
  if (!config.redis.url) throw new RedisUnreachable('REDIS_URL is not set: this command reads the cases in Redis');
  const redis = connectRedis(config.redis.url, 'blocking');
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new RedisUnreachable('Cannot reach Redis at REDIS_URL. Is it running?')), timeoutMs);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  return redis;
}

export async function withRedis<T>(config: Pick<Config, 'redis'>, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = await openRedis(config);
  try {
    return await use(redis);
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
