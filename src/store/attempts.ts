// Counting failed attempts in a fixed window, in Redis so every process and a restart
// see the same count. Used to make /resume passphrase guessing hopeless: failures count
// per account (the person trying), and the costly key derivation has a service-wide
// rate, so nobody can guess fast and nobody can lock a reporter out of their own case.
import type { Redis } from 'ioredis';
import { redisKeys } from './redis-keys.js';

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

  /** One passphrase derivation out of `perSecond` across the service, or false when this second's are spent. */
  async derivationSlot(perSecond: number, now = Date.now()): Promise<boolean> {
    const key = redisKeys.resumeAttempts(`rate:${Math.floor(now / 1000)}`);
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, 2_000, 'NX').exec()) as [[unknown, number]];
    return count <= perSecond;
  }
}
