// The running hotline takes part in key retirement and retention: it records the keys
// it seals to, and registers the daily retention job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { queuePrefix } from '../src/store/keys.js';
import { RETENTION_SCHEDULER_ID } from '../src/retention/schedule.js';
import { startHotline, type Hotline } from './support/hotline.js';

let h: Hotline;
beforeAll(async () => {
  h = await startHotline({ threading: 'topics' });
});
afterAll(async () => {
  await h.stop();
});

describe('hotline start-up', () => {
  it('records the key ids it seals to and schedules retention once', async () => {
    const redis = new Redis(h.redis.url);
    const queue = new Queue('retention', { connection: redis, prefix: queuePrefix });
    try {
      expect(await redis.hgetall('tl:keys:sealing')).toEqual({ staff: h.keys.staff.kid, relay: h.keys.relay.kid });
      await h.restart();
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([[RETENTION_SCHEDULER_ID, '30 3 * * *', 'Asia/Almaty']]);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });
});
