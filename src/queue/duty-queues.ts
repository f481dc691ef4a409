// The roster's own queues. SLA timers and follow-ups are delayed BullMQ jobs: they
// rest in Redis (AOF), so a restart or a crash neither loses nor repeats them.
import { Queue, type ConnectionOptions } from 'bullmq';
import type { CaseId } from '../ids.js';
import type { Logger } from '../log.js';
import type { StaffNotice } from '../routing/notices.js';
import { queuePrefix } from '../store/keys.js';
import { dutyQueueNames, jobIds, type EscalateJob, type FollowupJob, type NoticeJob, type RouteJob } from './jobs.js';
import type { Pipeline } from './pipeline.js';

export class DutyQueues {
  readonly escalate: Queue<EscalateJob>;
  readonly notice: Queue<NoticeJob>;
  readonly followup: Queue<FollowupJob>;

  constructor(
    private readonly pipeline: Pipeline,
    opts: { connection: ConnectionOptions; attempts: number; log: Logger },
  ) {
    const defaultJobOptions = {
      attempts: opts.attempts,
      backoff: { type: 'exponential', delay: 1_000 },
      // Kept so that re-adding the same job id is recognised as a duplicate.
      removeOnComplete: { age: 30 * 24 * 3600, count: 50_000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    };
    const make = <T>(name: string) => {
      const queue = new Queue<T>(name, { connection: opts.connection, prefix: queuePrefix, defaultJobOptions });
      queue.on('error', (err) => opts.log.warn({ queue: name, err }, 'queue connection error'));
      return queue;
    };
    this.escalate = make<EscalateJob>(dutyQueueNames.escalate);
    this.notice = make<NoticeJob>(dutyQueueNames.notice);
    this.followup = make<FollowupJob>(dutyQueueNames.followup);
  }

  /** One SLA timer per assignment epoch: a later assignment makes the earlier timer stale. */
  async scheduleEscalation(caseId: CaseId, epoch: number, delayMs: number, dueAt: number): Promise<void> {
    await this.escalate.add('escalate', { caseId, epoch, dueAt }, { jobId: `esc.${caseId}.${epoch}`, delay: Math.max(0, delayMs) });
  }

  /** `key` names the event, so a retried step posts its notice once. */
  async notify(caseId: CaseId, key: string, notice: StaffNotice): Promise<void> {
    await this.notice.add('notice', { caseId, notice }, { jobId: `notice.${caseId}.${key}` });
  }

  async scheduleFollowup(caseId: CaseId, dueAt: number, delayMs: number): Promise<void> {
    await this.followup.add('followup', { caseId, dueAt }, { jobId: `followup.${caseId}.${dueAt}`, delay: Math.max(0, delayMs) });
  }

  /** Pending follow-ups of a case (delayed jobs), soonest first. */
  async followupsOf(caseId: CaseId): Promise<{ dueAt: number; remove(): Promise<void> }[]> {
    const jobs = await this.followup.getDelayed();
    return jobs
      .filter((j) => j.data.caseId === caseId)
      .map((j) => ({ dueAt: j.data.dueAt, remove: () => j.remove() }))
      .sort((a, b) => a.dueAt - b.dueAt);
  }

  /** Routes the case again at `at` (the next shift start). */
  async routeAt(caseId: CaseId, at: number, delayMs: number): Promise<void> {
    await this.pipeline.route.add('route', { caseId, dueAt: at } as RouteJob, {
      jobId: `${jobIds.route(caseId)}.at${at}`,
      delay: Math.max(0, delayMs),
    });
  }

  /** Routes the case again now (the roster changed while it waited). */
  async routeAgain(caseId: CaseId, now: number): Promise<void> {
    await this.pipeline.route.add('route', { caseId }, { jobId: `${jobIds.route(caseId)}.k${now}` });
  }

  async close(): Promise<void> {
    await Promise.all([this.escalate.close(), this.notice.close(), this.followup.close()]);
  }
}
