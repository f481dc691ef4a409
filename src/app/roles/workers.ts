// The `workers` role: runs the queues' workers (routing, posting to staff, delivering
// to reporters, SLA timers, notices, follow-ups, intake timers), the daily retention
// job, and the start-up catch-up. Any number of processes may run it against one Redis:
// job ids, per-case leases and cursors keep each message to one send.
import type { Worker } from 'bullmq';
import {
  createStaffNotices,
  setTopicOpen,
  createStaffPost,
  createStaffErasure,
  sendRendered,
  withSlotTaken,
  type AssignedCopies,
} from '../../bot/telegram/index.js';
import {
  type EscalateJob,
  type FlushJob,
  type ReaderCopyJob,
  type DeadlineJob,
  type FollowupJob,
  type IntakeTimerJob,
  type MembershipJob,
  type NoticeJob,
  type RouteJob,
  type StaffErasureJob,
  type StaffNotice,
  type StaffQueueName,
  type Pipeline,
  dutyQueueNames,
  queueNames,
} from '../../queue/index.js';
import { t } from '../../i18n/index.js';
import { type CounsellorId, type DeskName, type Logger, MAIN_DESK } from '../../shared/index.js';
import { scheduleRetention } from '../../retention/index.js';
import { nightlyBackup } from '../../backup/index.js';
import { rehomeCases } from '../../cases/index.js';
import { dayOf, redisKeys, type CaseStore } from '../../store/index.js';
import { currentCard, dailySummary, noticeText, Roster } from '../../routing/index.js';
import type { HotlineParts } from '../parts.js';

export interface WorkersRole {
  /** for /healthz */
  readonly workers: readonly Worker[];
  /** Lets running jobs finish, then stops taking jobs. */
  close(): Promise<void>;
}

export async function startWorkers(p: HotlineParts): Promise<WorkersRole> {
  const { config, log, pipeline, duty, bot, store, budget } = p;
  // Before any job: cases of a team's chat taken out of STAFF_CHATS move to the main chat.
  const rehomed = await rehomeCases(
    { redis: p.redis, store, duty: duty.ctx.duty, pipeline, leaseMs: config.jobs.lockMs },
    p.desks.all.map((d) => d.name),
    Date.now(),
  );
  if (rehomed.moved)
    log.warn({ event: 'staff.chat-gone', moved: rehomed.moved }, 'a staff chat was taken out of STAFF_CHATS: its cases moved to the staff chat');
  if (rehomed.stranded) {
    log.error(
      { event: 'oversight.chat-gone', cases: rehomed.stranded },
      'OVERSIGHT_CHAT_ID is no longer set, but cases about the hotline’s own staff live in the oversight chat: they are posted nowhere until it is set again',
    );
  }
  // Need-to-know mode: a case's content goes to its holder's private chat only.
  const assigned: AssignedCopies | undefined =
    config.staff.visibility === 'assigned'
      ? {
          copies: duty.ctx.copies,
          cardOf: (record) => currentCard(duty.ctx, record),
          chatOf: p.privateChatOf,
        }
      : undefined;
  const staffNotices = createStaffNotices({
    api: bot.api,
    store,
    render: p.render,
    desks: p.desks,
    lang: config.staff.lang,
    timeZone: config.timeZone,
    log,
    ...(assigned ? { assigned } : {}),
    // Under the limits, notices other than urgent ones wait while case posts are in line.
    ...(budget ? { postsWaiting: async () => (await pipeline.staffBacklog()) > 0 } : {}),
  });
  const staffPost = createStaffPost({
    api: bot.api,
    redis: p.redis,
    store,
    caseLog: p.caseLog,
    log,
    desks: p.desks,
    lang: config.staff.lang,
    leaseMs: config.jobs.lockMs,
    async reopen(record, thread, mode) {
      const reopened = await duty.caseDesk.reopenByReporter(record.id);
      if (reopened && mode === 'topics') await setTopicOpen(bot.api, p.desks.of(record.desk).chatId, thread, true, log);
    },
    // Telegram's per-group limit is per chat: each staff chat has its own budget.
    ...(budget
      ? {
          staffSlots: {
            take: (chatId: number, urgent: boolean) => budget.tryTake(chatId, { urgent }),
            more: async (chatId: number, urgent: boolean, want: number) => (await budget.tryTakeSome(chatId, want, { urgent, more: true })).granted,
          },
        }
      : {}),
    onPosted: p.metrics.postedToStaff,
    ...(assigned ? { assigned } : {}),
    async openingText(record) {
      if (!record.opening) return undefined;
      const parts = await p.render(noticeText(JSON.parse(record.opening.notice) as StaffNotice, config.staff.lang, config.timeZone));
      return parts.length === 1 ? parts[0] : undefined;
    },
  });
  const { router } = duty;
  const erasure = createStaffErasure({
    api: bot.api,
    desks: p.desks,
    lang: config.staff.lang,
    audit: duty.ctx.audit,
    log,
    ...(assigned ? { chatOf: assigned.chatOf, copies: assigned.copies } : {}),
  });

  const workers: Worker[] = [
    pipeline.work<IntakeTimerJob>(queueNames.intakeTimer, (job) => p.intakeTimer.run(job.data, 'telegram'), {
      concurrency: 2,
      log,
      onDead: () => Promise.resolve(), // a missed reminder: the conversation still expires by its TTL
    }),
    pipeline.work<RouteJob>(queueNames.route, (job) => (job.name === 'urgent' ? router.turnedUrgent(job.data.caseId) : router.route(job.data.caseId)), {
      concurrency: 4,
      log,
      onDead: p.alertStaff('staff-dead-post'),
    }),
    // One queue of posts per staff chat: each its own line and its own 20 a minute.
    ...[...pipeline.staffQueues.values()].map((queue) =>
      pipeline.work<FlushJob | ReaderCopyJob>(
        queue.name as StaffQueueName,
        (job) => ('reader' in job.data ? staffPost.postReaderCopy(job.data) : staffPost.flush(job.data.caseId, String(job.id), job.data.line)),
        {
          // Under Telegram's limits, one post at a time, in line (urgent, conversations, new
          // cases; oldest first): concurrent posts would race for the same slot. Not in
          // need-to-know mode, where posts go to the holders' private chats, each its own line.
          concurrency: budget && config.staff.visibility === 'shared' ? 1 : 8,
          log,
          onDead: p.alertStaff('staff-dead-post'),
          // A full window pauses the chat's queue (in need-to-know mode posts go to many private chats).
          oneDestination: config.staff.visibility === 'shared',
        },
      ),
    ),
    pipeline.work<FlushJob>(queueNames.reporter, (job) => p.reporterRelay.flush(job.data.caseId, String(job.id)), {
      concurrency: 8,
      log,
      onDead: p.alertStaff('staff-dead-deliver'),
    }),
    pipeline.work<EscalateJob>(dutyQueueNames.escalate, (job) => router.escalate(job.data), { concurrency: 2, log, onDead: () => Promise.resolve() }),
    pipeline.work<NoticeJob>(dutyQueueNames.notice, (job) => staffNotices.post(job.data, job.timestamp), {
      concurrency: 2,
      log,
      onDead: () => Promise.resolve(),
    }),
    pipeline.work<FollowupJob>(dutyQueueNames.followup, (job) => duty.caseDesk.followupDue(job.data), { concurrency: 2, log, onDead: () => Promise.resolve() }),
    pipeline.work<DeadlineJob>(dutyQueueNames.deadline, (job) => duty.caseDesk.deadlineDue(job.data), { concurrency: 2, log, onDead: () => Promise.resolve() }),
    // Each staff chat's summary, in that chat (counts and codes only).
    pipeline.work(
      dutyQueueNames.summary,
      async () => {
        for (const desk of p.desks.all) {
          for (const part of await p.render(await dailySummary(duty.ctx, desk.name))) await sendRendered(bot.api, desk.chatId, part, {}, log);
        }
      },
      { concurrency: 1, log, onDead: () => Promise.resolve() },
    ),
    pipeline.work<StaffErasureJob>(queueNames.staffErase, async (job) => void (await erasure.run(job.data)), {
      concurrency: 1,
      log,
      // Out of attempts: the admins hear that the case is still in the chat, to delete by hand.
      onDead: async (job) => {
        const left = Math.max(1, job.data.messages.length);
        const desk = p.desks.byName(job.data.desk ?? MAIN_DESK);
        if (!desk) return; // that chat is no longer configured: its code must not show elsewhere
        await bot.api.sendMessage(desk.chatId, t(config.staff.lang, 'staff-case-deleted', { code: job.data.code, reason: job.data.reason, neutral: 0, left }));
      },
    }),
    pipeline.work<MembershipJob>(
      dutyQueueNames.membership,
      async (job) => {
        const handle = job.data.handle as CounsellorId;
        await erasure.clearPrivateChat(handle);
        await p.membership.rosterRemoved(handle, job.data.desk ?? MAIN_DESK);
      },
      {
        concurrency: 1,
        log,
        onDead: () => Promise.resolve(), // its failure is logged; the start-up rights check names what the bot lacks
      },
    ),
  ];

  const backlog = budget ? watchBacklog(p) : undefined;

  await duty.queues.scheduleDailySummary(config.dailySummary, config.timeZone);
  // A job scheduler, upserted by every workers process: still one retention run a day.
  const nightly = config.retention.backup;
  const retention = await scheduleRetention({
    connection: p.queueRedis,
    redis: p.redis,
    pipeline,
    config,
    log,
    ...(nightly
      ? {
          async backup() {
            const { file, summary, removed } = await nightlyBackup({
              redis: p.redis,
              pepper: p.keys.pepper,
              ...nightly,
              day: dayOf(Date.now(), config.timeZone),
            });
            log.info({ event: 'backup.written', keys: summary.keys, cases: summary.cases, removed: removed.length }, `nightly backup written to ${file}`);
          },
        }
      : {}),
  });

  await reconcile(store, pipeline);
  await router.rerouteWaiting(); // the roster may have changed while we were down (roster import)

  return {
    workers,
    async close() {
      backlog?.stop();
      await Promise.all(workers.map((w) => closeWorker(w, log)));
      await retention.close();
    },
  };
}

/** Posts in line before the people on duty hear that the staff chat is full, and how often at most. */
const BACKLOG_TELL_AT = 5;
const BACKLOG_TELL_EVERY_S = 600;

/**
 * An incident fills a staff chat's 20 posts a minute: whoever is on duty in that chat hears
 * it once (every 10 minutes at most, across processes), privately where they have a chat
 * with the bot, so the news costs the full chat nothing; otherwise in the chat.
 */
function watchBacklog(p: HotlineParts): { stop(): void } {
  const { pipeline, redis, duty, config, bot, log } = p;
  const look = async () => {
    for (const desk of p.desks.all) await lookAt(desk.name, desk.chatId);
  };
  const lookAt = async (desk: DeskName, chatId: number) => {
    const count = (await pipeline.staffLine(desk)).total;
    if (count < BACKLOG_TELL_AT) return;
    if ((await redis.set(redisKeys.backlogTold(desk), '1', 'EX', BACKLOG_TELL_EVERY_S, 'NX')) !== 'OK') return;
    const perMinute = config.telegram.limits?.groupPerMinute ?? 20;
    const text = t(config.staff.lang, 'staff-backlog', { count, minutes: Math.max(1, Math.ceil(count / perMinute)) });
    const onDuty = new Roster(await duty.ctx.roster.snapshot(), config.timeZone).forDesk(desk).onDuty(duty.ctx.clock.now());
    // Only those who wrote to the bot: it cannot start a private chat itself.
    const ready = await duty.ctx.copies.ready(onDuty.map((c) => c.id));
    const chats = (await Promise.all([...ready].map((id) => p.privateChatOf(id)))).filter((c): c is number => c !== undefined);
    for (const chat of chats) await bot.api.sendMessage(chat, text).catch(() => undefined);
    if (!chats.length) {
      // In the full chat itself, with the slot kept for urgent posts: news of the line must not wait at its end.
      await p.budget?.take(chatId, { urgent: true });
      await withSlotTaken(() => bot.api.sendMessage(chatId, text)).catch(() => undefined);
    }
    log.warn({ event: 'staff.backlog', desk, waiting: count, told: chats.length || 'chat' }, 'a staff chat is saturated: the people on duty there were told');
  };
  const timer = setInterval(() => void look().catch((err: unknown) => log.warn({ err }, 'could not look at the staff backlog')), 15_000);
  return { stop: () => clearInterval(timer) };
}

/** Long enough for any job to finish its step; a job cut short is picked up again (its lock lapses). */
const CLOSE_WITHIN_MS = 20_000;

/**
 * Lets the worker's running jobs finish, then closes it. A worker whose Redis client is
 * stuck reconnecting never finishes closing (taskforcesh/bullmq#4656, after a Redis
 * restart): after CLOSE_WITHIN_MS it is closed by force, and the stop goes on.
 */
export async function closeWorker(worker: Pick<Worker, 'name' | 'close'>, log: Logger, withinMs = CLOSE_WITHIN_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), withinMs);
  });
  const closing = worker.close();
  try {
    if ((await Promise.race([closing, late])) !== 'late') return;
    log.warn({ event: 'worker.close-forced', queue: worker.name }, 'a queue worker did not close in time; closed by force, not waited for');
    // Not awaited: a client stuck reconnecting may never answer this either.
    closing.catch(() => undefined);
    worker.close(true).catch(() => undefined);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A crash between storing a message and queueing its job leaves the case marked
 * pending; queueing a flush for every pending case at start-up picks it up.
 */
async function reconcile(store: CaseStore, pipeline: Pipeline): Promise<void> {
  // A fresh job id per start: the plain one may belong to a job that was dead-lettered
  // (e.g. the bot lacked rights in the staff chat); an admin's fix plus a restart retries it.
  const again = `r${Date.now()}`;
  for (const id of await store.pendingCases('in')) {
    const r = await store.get(id);
    if (r) await pipeline.postToStaff(r, r.count.in, again);
  }
  for (const id of await store.pendingCases('out')) {
    const r = await store.get(id);
    if (r) await pipeline.deliverToReporter(r.id, r.count.out, again);
  }
}
