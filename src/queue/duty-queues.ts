// The roster's own queues. SLA timers and follow-ups are delayed BullMQ jobs: they
// rest in Redis (AOF), so a restart or a crash neither loses nor repeats them.
import { Queue, type ConnectionOptions } from 'bullmq';
import type { CaseId, CounsellorId, DeskName, Logger } from '../shared/index.js';
import { type StaffNotice, type DeadlineJob, type EscalateJob, type FollowupJob, type MembershipJob, type NoticeJob, dutyQueueNames, jobIds } from './jobs.js';
import { queuePrefix } from '../store/index.js';
import type { Pipeline } from './pipeline.js';

const DAILY_SUMMARY_ID = 'daily-summary';

/** How long a done job's id is still recognised: far past any retry of the step that added it. */
const REMEMBER_DONE_MS = 24 * 3600_000;

/**
 * The same id is one job: while it waits, its id says so; once it is done and gone,
 * a deduplication mark (a key with a TTL) turns a repeated add into a no-op.
 */
function once(jobId: string) {
  return { jobId, deduplication: { id: jobId, ttl: REMEMBER_DONE_MS } };
}

export class DutyQueues {
  readonly escalate: Queue<EscalateJob>;
  readonly notice: Queue<NoticeJob>;
  readonly followup: Queue<FollowupJob>;
  readonly membership: Queue<MembershipJob>;
  readonly deadline: Queue<DeadlineJob>;
  readonly summary: Queue<Record<string, never>>;

  constructor(
    private readonly pipeline: Pipeline,
    opts: { connection: ConnectionOptions; attempts: number; log: Logger },
  ) {
    const defaultJobOptions = {
      attempts: opts.attempts,
      backoff: { type: 'exponential', delay: 1_000 },
      // A done job goes: keeping it (~1 KB) only served to spot a re-added id, which
      // the small deduplication mark of once() does (see below).
      removeOnComplete: true,
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
    this.membership = make<MembershipJob>(dutyQueueNames.membership);
    this.deadline = make<DeadlineJob>(dutyQueueNames.deadline);
    this.summary = make<Record<string, never>>(dutyQueueNames.summary);
  }

  /**
   * The staff chats' daily summary at `pattern` (cron, in `timeZone`), or none. Upserted by
   * every workers process: one scheduler, so one summary a day however many run.
   */
  async scheduleDailySummary(pattern: string | undefined, timeZone: string): Promise<void> {
    if (!pattern) return void (await this.summary.removeJobScheduler(DAILY_SUMMARY_ID));
    await this.summary.upsertJobScheduler(
      DAILY_SUMMARY_ID,
      { pattern, tz: timeZone },
      { name: 'summary', data: {}, opts: { removeOnComplete: { count: 10 } } },
    );
  }

  /**
   * One SLA timer per assignment epoch: a later assignment makes the earlier timer stale.
   * A case that turns urgent gets a second, shorter one for the same epoch (`urgent`):
   * whichever fires first passes the case on, and the other then finds the epoch moved.
   */
  async scheduleEscalation(caseId: CaseId, epoch: number, delayMs: number, dueAt: number, urgent = false): Promise<void> {
    const id = `esc.${caseId}.${epoch}${urgent ? '.urgent' : ''}`;
    await this.escalate.add('escalate', { caseId, epoch, dueAt }, { ...once(id), delay: Math.max(0, delayMs) });
  }

  /** `key` names the event, so a retried step posts its notice once. */
  /** `opening`: the case is not posted yet, and its first post may carry this notice instead. */
  async notify(caseId: CaseId, key: string, notice: StaffNotice, opening = false): Promise<void> {
    await this.notice.add('notice', { caseId, notice, ...(opening ? { opening: key } : {}) }, once(`notice.${caseId}.${key}`));
  }

  async scheduleFollowup(caseId: CaseId, dueAt: number, delayMs: number): Promise<void> {
    await this.followup.add('followup', { caseId, dueAt }, { ...once(`followup.${caseId}.${dueAt}`), delay: Math.max(0, delayMs) });
  }

  /**
   * A reminder at `at` of the case's deadline `dueAt`. A case given a new deadline keeps
   * the old reminders; they find it changed and say nothing (see routing/deadlines.ts).
   */
  async scheduleDeadline(caseId: CaseId, dueAt: number, when: DeadlineJob['when'], at: number, now: number): Promise<void> {
    await this.deadline.add('deadline', { caseId, dueAt, when }, { ...once(`deadline.${caseId}.${dueAt}.${when}`), delay: Math.max(0, at - now) });
  }

  /** Someone left the roster at `at`: they are taken out of the staff chat (see bot/telegram/staff-membership.ts). */
  /** `desk`: the chat they were in (a role change moves them from one to the other). */
  async removeFromChat(handle: CounsellorId, at: number, desk: DeskName = 'main'): Promise<void> {
    await this.membership.add('remove', { handle, ...(desk !== 'main' ? { desk } : {}) }, once(jobIds.membership(handle, at, desk)));
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
    await this.pipeline.route.add(
      'route',
      { caseId, dueAt: at },
      {
        jobId: `${jobIds.route(caseId)}.at${at}`,
        delay: Math.max(0, delayMs),
      },
    );
  }

  /** Routes the case again now (the roster changed while it waited). */
  async routeAgain(caseId: CaseId, now: number): Promise<void> {
    await this.pipeline.route.add('route', { caseId }, { jobId: `${jobIds.route(caseId)}.k${now}` });
  }

  async close(): Promise<void> {
    await Promise.all([
      this.escalate.close(),
      this.notice.close(),
      this.followup.close(),
      this.membership.close(),
      this.deadline.close(),
      this.summary.close(),
    ]);
  }
}
