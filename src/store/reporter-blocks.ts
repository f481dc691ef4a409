// Reporters the admins blocked for abuse (/block), by reporter key: nobody learns who they
// are, and the block outlives the case's account (a /resume elsewhere carries it along).
// A blocked key opens no new case until its time runs out.
import type { Redis } from 'ioredis';
import type { ReporterKey } from '../shared/index.js';
import { redisKeys } from './redis-keys.js';

export class ReporterBlocks {
  constructor(private readonly redis: Redis) {}

  /** No new case from this key for `ms` (a later block extends it). */
  async block(rk: ReporterKey, ms: number): Promise<void> {
    await this.redis.set(redisKeys.reporterBlock(rk), '1', 'PX', Math.max(1, ms));
  }

  async unblock(rk: ReporterKey): Promise<void> {
    await this.redis.del(redisKeys.reporterBlock(rk));
  }

  async isBlocked(rk: ReporterKey): Promise<boolean> {
    return (await this.redis.exists(redisKeys.reporterBlock(rk))) === 1;
  }
}
