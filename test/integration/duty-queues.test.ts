// The roster's queues: a step that adds the same job twice (a retried route, a
// restart) gets one job, also after that job is done and removed.
import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { CaseId } from '../../src/shared/ids.js';
import { DutyQueues } from '../../src/queue/duty-queues.js';
import { dutyQueueNames } from '../../src/queue/jobs.js';
import { Pipeline } from '../../src/queue/pipeline.js';
import { queuePrefix } from '../../src/store/redis-keys.js';
import { captureLog } from '../support/log-sink.js';
import { redisForFile } from '../support/redis.js';

const file = redisForFile();

describe('duty queues', () => {
  it('run a notice once however often it is added, and keep nothing of it once done but a small mark', async () => {
    const redis = file.client;
    const { log } = captureLog('warn');
    const pipeline = new Pipeline({ connection: redis, workerConnection: redis, attempts: 2, lockMs: 2_000, log });
    const queues = new DutyQueues(pipeline, { connection: redis, attempts: 2, log });
    const ran: string[] = [];
    const worker = new Worker(dutyQueueNames.notice, async (job) => void ran.push(String(job.id)), {
      connection: redis.duplicate(),
      prefix: queuePrefix,
    });
    try {
      const caseId = 'c4seIdForDutyQueue' as CaseId;
      await queues.notify(caseId, 'assigned.1', { kind: 'reopened' });
      await queues.notify(caseId, 'assigned.1', { kind: 'reopened' });
      await expect.poll(() => ran.length).toBe(1);
      await expect.poll(async () => queues.notice.getJobCounts('completed', 'active', 'wait')).toEqual({ completed: 0, active: 0, wait: 0 });
      // Done and removed: adding it again (a retried step) is still recognised.
      await queues.notify(caseId, 'assigned.1', { kind: 'reopened' });
      await queues.notify(caseId, 'assigned.2', { kind: 'reopened' });
      await expect.poll(() => ran.length).toBe(2);
      expect(ran).toEqual([`notice.${caseId}.assigned.1`, `notice.${caseId}.assigned.2`]);
      expect(await redis.keys(`${queuePrefix}:${dutyQueueNames.notice}:notice.*`)).toEqual([]);
    } finally {
      await worker.close();
      await queues.close();
      await pipeline.close();
    }
  });
});
