// The daily retention job: registered once as a BullMQ job scheduler, and its worker
// shreds what is due (clock injected), with job data that holds nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/config.js';
import { generateKeyRing, sodiumReady } from '../../src/crypto/index.js';
import { Pipeline } from '../../src/queue/pipeline.js';
import { RETENTION_SCHEDULER_ID, scheduleRetention } from '../../src/retention/schedule.js';
import { CaseStore } from '../../src/store/cases.js';
import { captureLog } from '../support/log-sink.js';
import { makeCase } from '../support/cases.js';
import { redisForFile } from '../support/redis.js';

const DAY = 24 * 3600 * 1000;
const file = redisForFile();
let redis: Redis;

beforeAll(async () => {
  await sodiumReady();
  redis = file.client;
});

describe('retention job', () => {
  it('is scheduled daily in the hotline time zone, once however often processes start, and shreds what is due', async () => {
    const config = loadConfig({ REDIS_URL: file.server.url, RETENTION_SCHEDULE: '15 4 * * *' }, []);
    const captured = captureLog('info');
    const pipeline = new Pipeline({ connection: redis, workerConnection: redis, attempts: 2, lockMs: 2_000, log: captured.log });
    const ring = generateKeyRing();
    const store = new CaseStore(redis);
    const due = await makeCase(redis, ring, { text: 'must not survive' });
    await store.setStatus(due.id, 'closed', Date.now() - 400 * DAY);
    const kept = await makeCase(redis, ring);
    await store.setStatus(kept.id, 'closed', Date.now() - 10 * DAY);

    const first = await scheduleRetention({ connection: redis, redis, pipeline, config, log: captured.log });
    const second = await scheduleRetention({ connection: redis, redis, pipeline, config, log: captured.log });
    try {
      const schedulers = await first.queue.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ key: RETENTION_SCHEDULER_ID, pattern: '15 4 * * *', tz: 'Asia/Almaty' });

      // Run it now rather than wait for 04:15.
      const job = await first.queue.add('retention', {});
      await expect.poll(async () => (await first.queue.getJob(job.id!))?.finishedOn, { timeout: 10_000 }).toBeDefined();
      expect(await store.get(due.id)).toBeUndefined();
      expect(await store.get(kept.id)).toBeDefined();

      const line = captured.records().find((r) => r.event === 'retention.run');
      expect(line).toMatchObject({ shredded: 1, kept: 1, dryRun: false });
      expect(captured.lines.join('\n')).not.toContain(due.code);
      // What BullMQ keeps of the jobs holds no case code, id or content.
      const jobs = JSON.stringify(await first.queue.getJobs(['completed', 'delayed', 'waiting']));
      for (const secret of [due.code, due.id, due.text]) expect(jobs).not.toContain(secret);
    } finally {
      await second.close();
      await first.close();
      await pipeline.close();
    }
  });
});
