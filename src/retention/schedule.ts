// The daily retention pass as a BullMQ repeatable job: it survives restarts, runs once
// however many processes are up, and is retried with backoff if Redis hiccups.
import { Queue, type ConnectionOptions, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/index.js';
import type { Logger } from '../shared/index.js';
import { queueNames, type Pipeline } from '../queue/index.js';
import { queuePrefix } from '../store/index.js';
import { runRetention } from './run.js';

export const RETENTION_SCHEDULER_ID = 'retention-daily';

export interface RetentionSchedule {
  queue: Queue;
  worker: Worker;
  close(): Promise<void>;
}

export async function scheduleRetention({
  connection,
  redis,
  pipeline,
  config,
  log,
  now = Date.now,
  backup,
}: {
  connection: ConnectionOptions;
  redis: Redis;
  pipeline: Pipeline;
  config: Pick<Config, 'retention' | 'timeZone'>;
  log: Logger;
  now?: () => number;
  /** the nightly backup (BACKUP_DIR), run after the retention pass so it holds no shredded case */
  backup?: () => Promise<void>;
}): Promise<RetentionSchedule> {
  const queue = new Queue(queueNames.retention, { connection, prefix: queuePrefix });
  queue.on('error', (err) => log.warn({ queue: queueNames.retention, err }, 'queue connection error'));
  // Upsert: every process start re-declares the same scheduler, so a changed
  // RETENTION_SCHEDULE takes effect and there is never more than one.
  await queue.upsertJobScheduler(
    RETENTION_SCHEDULER_ID,
    { pattern: config.retention.schedule, tz: config.timeZone },
    {
      name: 'retention',
      data: {},
      opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 30 } },
    },
  );
  const worker = pipeline.work(
    queueNames.retention,
    async () => {
      await runRetention({
        redis,
        now: now(),
        closedDays: config.retention.closedDays,
        intakeDays: config.retention.intakeDays,
        timeZone: config.timeZone,
        dryRun: false,
        log,
        eraseStaffCopy: (job) => pipeline.eraseStaffCopy(job),
        auditDays: config.retention.auditDays,
      });
      await backup?.();
    },
    { concurrency: 1, log, onDead: () => Promise.resolve() },
  );
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
