// The queues that carry every hand-off, and the one way Trustline runs a worker.
import { DelayedError, Queue, Worker, type Job, type ConnectionOptions } from 'bullmq';
import { type Logger, type CaseId, type ChannelName, type DeskName, type ReporterKey, MAIN_DESK, NotYet, RateLimited, retryAfterMs } from '../shared/index.js';
import { queuePrefix, Stopping } from '../store/index.js';
import { toJobError } from './failures.js';
import {
  jobIds,
  queueNames,
  staffQueueName,
  type FlushJob,
  type IntakeTimerJob,
  type QueueName,
  type ReaderCopyJob,
  type RouteJob,
  type StaffErasureJob,
} from './jobs.js';

const NOT_YET_DELAY_MS = 200;

export interface PipelineOptions {
  /** For adding jobs: fail fast, so a reporter hears "try again" when Redis is down. */
  connection: ConnectionOptions;
  /** For workers: blocking commands, retried forever across reconnects. */
  workerConnection: ConnectionOptions;
  attempts: number;
  /** Lock lease; a crashed worker's job comes back after about 1.5x this. */
  lockMs: number;
  log: Logger;
  /**
   * A queue paused for the staff chat's budget looks again at least this soon, so an
   * urgent post that came meanwhile is not kept waiting: one send's pace of the staff
   * chat's minute (3 s of Telegram's 20 a minute), 2 s at most.
   */
  pauseAtMostMs?: number;
  /** every staff chat's name (the main one, the oversight chat, STAFF_CHATS): each has its own queue of posts */
  desks?: readonly DeskName[];
}

/** Where a staff post goes: the case and its staff chat. */
export interface StaffTarget {
  id: CaseId;
  desk: DeskName;
}

/** What a staff post is, for its place in line: see Pipeline.postToStaff. */
export type StaffPostKind = 'urgent' | 'conversation' | 'new';
const postPriority: Record<StaffPostKind, number> = { urgent: 1, conversation: 2, new: 3 };

/** The staff posts in line: by class, in all, and how long the one next in line has waited (ms; 0 when none). */
export interface StaffLine {
  waiting: Record<StaffPostKind, number>;
  total: number;
  headWaitedMs: number;
}

/** Read from the staff queue (any handle on it: the pipeline's, or /metrics' own). */
export async function staffLineOf(staff: Queue, now = Date.now()): Promise<StaffLine> {
  const [byPriority, delayed, [head]] = await Promise.all([
    staff.getCountsPerPriority(Object.values(postPriority)),
    staff.getDelayedCount(),
    staff.getJobs(['prioritized'], 0, 0, true),
  ]);
  const waiting = Object.fromEntries(Object.entries(postPriority).map(([kind, p]) => [kind, byPriority[p] ?? 0])) as Record<StaffPostKind, number>;
  // Delayed: new cases' first posts gathering (OPENING_GATHER_MS).
  waiting.new += delayed;
  return { waiting, total: waiting.urgent + waiting.conversation + waiting.new, headWaitedMs: head ? Math.max(0, now - head.timestamp) : 0 };
}

/** Several staff chats' lines as one: counts added up, the longest wait. */
export function sumLines(lines: StaffLine[]): StaffLine {
  const waiting = { urgent: 0, conversation: 0, new: 0 };
  for (const l of lines) for (const kind of Object.keys(waiting) as StaffPostKind[]) waiting[kind] += l.waiting[kind];
  return { waiting, total: waiting.urgent + waiting.conversation + waiting.new, headWaitedMs: Math.max(0, ...lines.map((l) => l.headWaitedMs)) };
}

/** How long a new case's first post waits for reports handled out of order (see postToStaff). */
export const OPENING_GATHER_MS = 500;

/** See PipelineOptions.pauseAtMostMs. */
const PAUSE_AT_MOST_MS = 2_000;

export class Pipeline {
  readonly route: Queue<RouteJob>;
  /** the main staff chat's posts (and need-to-know mode's reader copies) */
  readonly staff: Queue<FlushJob | ReaderCopyJob>;
  /** every staff chat's queue of posts, by chat */
  readonly staffQueues = new Map<DeskName, Queue<FlushJob | ReaderCopyJob>>();
  readonly reporter: Queue<FlushJob>;
  readonly intakeTimer: Queue<IntakeTimerJob>;
  readonly reporterWhatsApp: Queue<FlushJob>;
  readonly intakeTimerWhatsApp: Queue<IntakeTimerJob>;
  readonly staffErase: Queue<StaffErasureJob>;

  /** By name, for pausing a whole queue when its one destination is full. */
  private readonly queues = new Map<QueueName, Queue>();

  constructor(private readonly options: PipelineOptions) {
    const defaultJobOptions = {
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: 1_000 },
      // Removed when done. A flush is idempotent (the case cursor says what was sent),
      // so a re-added id running again costs a no-op, while keeping completed jobs cost
      // a BullMQ record per message in Redis and extra commands on every completion.
      removeOnComplete: true,
      removeOnFail: { age: 30 * 24 * 3600 },
    };
    const make = <T>(name: QueueName) => {
      const queue = new Queue<T>(name, { connection: options.connection, prefix: queuePrefix, defaultJobOptions });
      this.queues.set(name, queue as Queue);
      // Without a listener BullMQ prints connection errors to the console, unredacted.
      queue.on('error', (err) => options.log.warn({ queue: name, err }, 'queue connection error'));
      return queue;
    };
    this.route = make<RouteJob>(queueNames.route);
    this.staff = make<FlushJob | ReaderCopyJob>(queueNames.staff);
    this.staffQueues.set(MAIN_DESK, this.staff);
    for (const desk of options.desks ?? []) if (desk !== MAIN_DESK) this.staffQueues.set(desk, make<FlushJob | ReaderCopyJob>(staffQueueName(desk)));
    this.reporter = make<FlushJob>(queueNames.reporter);
    this.intakeTimer = make<IntakeTimerJob>(queueNames.intakeTimer);
    this.reporterWhatsApp = make<FlushJob>(queueNames.reporterWhatsApp);
    this.intakeTimerWhatsApp = make<IntakeTimerJob>(queueNames.intakeTimerWhatsApp);
    this.staffErase = make<StaffErasureJob>(queueNames.staffErase);
  }

  /**
   * An open case became urgent (the reporter's words): routing tells everyone on duty
   * and restarts the SLA with the urgent one. Once per case: a case turns urgent once.
   */
  async caseTurnedUrgent(caseId: CaseId): Promise<void> {
    await this.route.add('urgent', { caseId }, { jobId: `urgent.${caseId}` });
  }

  /** `again`: a fresh job id, for a case routed once already (moved to another staff chat). */
  async routeCase(caseId: CaseId, again?: string): Promise<void> {
    await this.route.add('route', { caseId }, { jobId: jobIds.route(caseId) + (again ? `.${again}` : '') });
  }

  /**
   * `again` gives the job a fresh id: for catching up after a restart, when a job with the
   * plain id may already have failed. `kind` orders the posts when the staff chat's budget
   * is short: an urgent case's first, then conversations under way, then new cases, each
   * oldest first (BullMQ priority; a post that finds no slot keeps its place, see work()).
   * `inLine`: a new case's first post in a shared staff chat, which also takes its place in
   * the chat's line of openings (see FlushJob.line) and waits OPENING_GATHER_MS first: a
   * report sent a moment before it but handled a moment after is then in line too, and
   * goes first.
   */
  async postToStaff(to: StaffTarget, seq: number, again?: string, kind: StaffPostKind = 'conversation', inLine = false): Promise<void> {
    const opening = inLine && kind === 'new';
    const data: FlushJob = { caseId: to.id, seq, ...(opening ? { line: to.desk } : {}) };
    await this.staffQueue(to.desk).add('post', data, {
      jobId: jobIds.staff(to.id, seq) + (again ? `.${again}` : ''),
      priority: postPriority[kind],
      ...(opening ? { delay: OPENING_GATHER_MS } : {}),
    });
  }

  /** A staff chat's queue of posts (the main chat's for one not configured in this process). */
  staffQueue(desk: DeskName): Queue<FlushJob | ReaderCopyJob> {
    return this.staffQueues.get(desk) ?? this.staff;
  }

  /** Staff posts waiting for their turn (not the one being posted), in every staff chat. */
  async staffBacklog(): Promise<number> {
    const counts = await Promise.all([...this.staffQueues.values()].map((q) => q.getJobCounts('wait', 'prioritized', 'delayed')));
    return counts.reduce((n, c) => n + (c.wait ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0), 0);
  }

  /** The staff posts in line (see staffLineOf): of one staff chat, or of all of them. */
  async staffLine(desk?: DeskName, now = Date.now()): Promise<StaffLine> {
    const queues = desk !== undefined ? [this.staffQueue(desk)] : [...this.staffQueues.values()];
    return sumLines(await Promise.all(queues.map((q) => staffLineOf(q, now))));
  }

  /** Need-to-know mode: the case as it is now, once, to the private chat of a supervisor who opened it. */
  async postReaderCopy(caseId: CaseId, reader: string, at: number): Promise<void> {
    await this.staff.add('read', { caseId, reader }, { jobId: `read.${caseId}.${reader}.${at}` });
  }

  async deliverToReporter(caseId: CaseId, seq: number, again?: string): Promise<void> {
    await this.reporter.add('deliver', { caseId, seq }, { jobId: jobIds.reporter(caseId, seq) + (again ? `.${again}` : '') });
  }

  /**
   * For a process without the case's WhatsApp line: the delivery goes to the queue that
   * only processes running WhatsApp lines work. No fixed job id: a hand-over made again
   * (the line's worker found the case's lease still held) must not be taken for the
   * earlier one while that is still finishing.
   */
  async deliverThroughWhatsApp(caseId: CaseId, seq: number): Promise<void> {
    await this.reporterWhatsApp.add('deliver', { caseId, seq });
  }

  /** An erased or shredded case's copy leaves the staff chat (see bot/telegram/staff-erasure.ts). */
  async eraseStaffCopy(job: StaffErasureJob): Promise<void> {
    await this.staffErase.add('erase', job, { jobId: jobIds.staffErase(job.code) });
  }

  /**
   * One timer per conversation; it reschedules itself while the reporter is active. A
   * WhatsApp conversation's timer runs where the lines run, as its reminder goes out
   * through one.
   */
  async watchConversation(rk: ReporterKey, cid: string, delayMs: number, channel: ChannelName): Promise<void> {
    await this.timers(channel).add('idle', { rk, cid }, { jobId: jobIds.intakeTimer(cid), delay: delayMs });
  }

  /**
   * The conversation ended (sent or cancelled): its timer would only fire to find that
   * out, and meanwhile holds ~800 bytes of Redis per reporter. A timer running right
   * now cannot be removed; it finds the conversation gone and stops by itself.
   */
  async forgetConversation(cid: string, channel: ChannelName): Promise<void> {
    await this.timers(channel)
      .remove(jobIds.intakeTimer(cid))
      .catch(() => undefined);
  }

  /** A WhatsApp conversation's timer is worked where its line runs (see app/roles/whatsapp.ts). */
  private timers(channel: ChannelName): Queue<IntakeTimerJob> {
    return channel === 'whatsapp' ? this.intakeTimerWhatsApp : this.intakeTimer;
  }

  /**
   * Runs `process` for a queue. Errors are rebuilt without content before BullMQ stores
   * them; a job that exhausts its attempts (or fails permanently) goes to `onDead`.
   */
  work<T>(
    name: QueueName,
    process: (job: Job<T>) => Promise<void>,
    opts: {
      concurrency: number;
      log: Logger;
      onDead: (job: Job<T>, reason: string) => Promise<void>;
      /** Every job of this queue sends to one chat: a flood limit there pauses the whole queue. */
      oneDestination?: boolean;
    },
  ): Worker<T> {
    const queue = this.queues.get(name);
    if (opts.oneDestination && !queue) throw new Error(`no queue ${name} to pause`);
    const worker: Worker<T> = new Worker<T>(
      name,
      async (job, token) => {
        try {
          await process(job);
        } catch (err) {
          // None of these is a failure: the job comes back later without spending an attempt.
          const limitedFor = err instanceof RateLimited ? err.waitMs : retryAfterMs(err);
          if (limitedFor !== undefined && opts.oneDestination && queue) {
            // Paused in Redis, so workers in other processes hold off too. The job goes
            // back to the head of the queue; when it runs again it posts everything its
            // case gathered meanwhile.
            await queue.rateLimit(Math.min(limitedFor, this.options.pauseAtMostMs ?? PAUSE_AT_MOST_MS, PAUSE_AT_MOST_MS));
            throw Worker.RateLimitError();
          }
          const later = limitedFor ?? (err instanceof NotYet ? (err.retryInMs ?? NOT_YET_DELAY_MS) : err instanceof Stopping ? NOT_YET_DELAY_MS : undefined);
          if (later !== undefined && token) {
            await job.moveToDelayed(Date.now() + later, token);
            throw new DelayedError();
          }
          opts.log.warn({ queue: name, jobId: job.id, attempt: job.attemptsMade + 1, err }, 'job failed');
          throw toJobError(err);
        }
      },
      {
        connection: this.options.workerConnection,
        prefix: queuePrefix,
        concurrency: opts.concurrency,
        lockDuration: this.options.lockMs,
        stalledInterval: Math.max(500, Math.floor(this.options.lockMs / 2)),
        maxStalledCount: 3,
        // BullMQ only lets a queue-wide pause (queue.rateLimit) reach other processes'
        // workers when a limiter is configured; this one never limits by itself.
        ...(opts.oneDestination ? { limiter: { max: 1_000_000, duration: 1000 } } : {}),
      },
    );
    worker.on('failed', (job, err) => {
      if (!job) return;
      const dead = err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (!dead) return;
      opts.log.error({ queue: name, jobId: job.id, reason: err.message }, 'job dead-lettered');
      opts.onDead(job, err.message).catch((e: unknown) => opts.log.error({ err: e }, 'dead-letter alert failed'));
    });
    worker.on('error', (err) => opts.log.error({ queue: name, err }, 'worker error'));
    return worker;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
