// Counting failed attempts in a fixed window, in Redis so every process and a restart
// see the same count. Used to make /resume passphrase guessing hopeless.
import type { Redis } from 'ioredis';
import { redisKeys } from './keys.js';

export class AttemptCounter {
  constructor(
    private readonly redis: Redis,
    private readonly windowMs: number,
  ) {}

  async used(scope: string): Promise<number> {
    return Number((await this.redis.get(redisKeys.resumeAttempts(scope))) ?? 0);
  }

  /** Records a failure; the window starts with the first one. */
  async fail(scope: string): Promise<number> {
    const key = redisKeys.resumeAttempts(scope);
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, this.windowMs, 'NX').exec()) as [[unknown, number]];
    return count;
  }

  async reset(scope: string): Promise<void> {
    await this.redis.del(redisKeys.resumeAttempts(scope));
  }
}
