// The composition root: wires config, keys, Redis, queues and the bot into a running
// hotline. Nothing below this file reads the environment or builds its own deps.
import { createServer, type Server } from 'node:http';
import { webhookCallback } from 'grammy';
import type { Worker } from 'bullmq';
import type { Config } from './config.js';
import { OpenedCache, type KeyRing } from './crypto/index.js';
import { createIntake } from './flows/intake.js';
import { annualReportOf } from './report/annual.js';
import { createIntakeTimer } from './flows/intake-timer.js';
import type { IntakeTimerJob } from './queue/jobs.js';
import { t } from './flows/i18n.js';
import type { Logger } from './log.js';
import type { EscalateJob, FlushJob, FollowupJob, NoticeJob, RouteJob } from './queue/jobs.js';
import { dutyQueueNames, queueNames } from './queue/jobs.js';
import { Pipeline } from './queue/pipeline.js';
import { CaseLog } from './routing/case-log.js';
import { systemClock, type Clock } from './routing/clock.js';
import { createDutyDesk } from './routing/duty-desk.js';
import { CaseStore } from './store/cases.js';
import { AttemptCounter } from './store/attempts.js';
import { InboundBudget } from './store/inbound-budget.js';
import { ConversationStore } from './store/conversations.js';
import { ReporterCaseStore } from './store/reporter-cases.js';
import { assertDurable, connectRedis } from './store/redis.js';
import { createReporterRelay } from './bot/reporter-relay.js';
import { staffChat } from './bot/staff-chat.js';
import { createStaffNotices, setTopicOpen } from './bot/staff-notices.js';
import { createStaffPost, threadingResolver } from './bot/staff-post.js';
import { staffRenderer } from './bot/staff-render.js';
import { allowedUpdates, createTelegramBot } from './bot/telegram.js';
import { telegramChannel } from './bot/telegram-channel.js';
import { telegramFiles } from './bot/telegram-files.js';
import { leaveForeignChats } from './bot/telegram-groups.js';
import { telegramLimits } from './bot/telegram-limits.js';
import { startPolling, type Polling } from './bot/telegram-polling.js';
import { SendBudget } from './store/send-budget.js';
import { telegramReporter } from './bot/telegram-reporter.js';
import { telegramTransport } from './bot/telegram-transport.js';
import type { Job } from 'bullmq';
import type { CaseId, ChannelName } from './ids.js';
import type { ReporterChannel } from './bot/channel.js';
import type { WhatsAppClientFactory } from './bot/whatsapp/client.js';
import type { LineTiming } from './bot/whatsapp/line.js';
import { recordSealingKeys } from './keys/sealing.js';
import { scheduleRetention } from './retention/schedule.js';
import { hotlineChecks } from './health/checks.js';
import { createHotlineMetrics } from './health/metrics.js';
import { startHealthServer, type HealthServer } from './health/server.js';
import { telegramFailures } from './bot/telegram-failures.js';

export interface Trustline {
  /** the /healthz and /metrics server, when HEALTH_PORT is set */
  readonly health?: { url: string };
  stop(): Promise<void>;
}

/** Seams for tests: a fake WhatsApp client instead of Chromium, faster session timings. */
export interface PlatformOverrides {
  whatsapp?: { createClient?: WhatsAppClientFactory; timing?: Partial<LineTiming> };
}

export async function startTrustline({
  config,
  keys,
  log,
  platform = {},
  clock = systemClock,
}: {
  config: Config;
  keys: KeyRing;
  log: Logger;
  platform?: PlatformOverrides;
  /** what "now" is for rosters, SLAs and follow-ups (tests and the sandbox move it) */
  clock?: Clock;
}): Promise<Trustline> {
  if (!config.redis.url) throw new Error('REDIS_URL is not set');
  const redis = connectRedis(config.redis.url, 'fail-fast');
  const workerRedis = connectRedis(config.redis.url, 'blocking');
  // Queues get a connection of their own: BullMQ defines ~60 scripts on whatever
  // connection it is given, and ioredis copies them all into every pipeline (every
  // MULTI, every auto-pipelined tick) made on that connection.
  const queueRedis = connectRedis(config.redis.url, 'fail-fast', { autoPipelining: false });
  try {
    await redis.ping().catch(async () => {
      // fail-fast connections do not queue commands while the first connect is under way
      await new Promise((r) => setTimeout(r, 300));
      await redis.ping();
    });
    const durability = await assertDurable(redis, config.redis.allowVolatile);
    if (!durability.appendonly || durability.evictionPolicy !== 'noeviction') {
      log.warn({ durability }, 'Redis can lose reports (REDIS_ALLOW_VOLATILE=true): throwaway setups only');
    }
  } catch (err) {
    // Otherwise the worker connection keeps reconnecting and the process never exits.
    redis.disconnect();
    queueRedis.disconnect();
    workerRedis.disconnect();
    throw err;
  }
  // `keys retire` refuses to delete a key this process still seals new cases to.
  await recordSealingKeys(redis, keys);

  const store = new CaseStore(redis);
  const opened = new OpenedCache();
  const caseLog = new CaseLog(store, keys, opened);
  const pipeline = new Pipeline({
    connection: queueRedis,
    workerConnection: workerRedis,
    attempts: config.jobs.attempts,
    lockMs: config.jobs.lockMs,
    log,
  });
  // Aborted at shutdown: sends still waiting for a flood-control slot give their job back.
  const stopping = new AbortController();
  const metrics = createHotlineMetrics({ redis, queueConnection: queueRedis });
  // Listening before any worker runs: a taken port fails the start before work is picked up.
  // `workers` is read only when /healthz is asked (until they exist, they count as not running).
  const health: HealthServer | undefined = config.health
    ? await startHealthServer({ ...config.health, registry: metrics.registry, checks: hotlineChecks(redis, () => workers), log })
    : undefined;
  const limits = config.telegram.limits;
  const budget = limits ? new SendBudget(redis, limits, keys.pepper, stopping.signal) : undefined;
  const transport = telegramTransport(config.telegram.apiRoot);
  const bot = createTelegramBot({
    token: config.telegram.token,
    apiRoot: config.telegram.apiRoot,
    log,
    transport,
    ...(budget ? { limits: telegramLimits(budget) } : {}),
    failures: telegramFailures(metrics.telegramFailed),
  });
  const threading = threadingResolver(bot.api, config.staff.chatId, config.staff.threading);
  const reporterCases = new ReporterCaseStore(redis);
  const intakeDeps = {
    store,
    caseLog,
    log,
    pipeline,
    keys,
    // Kept an hour past expiry, so the expiry job can still tell the reporter.
    conversations: new ConversationStore(redis, keys.pepper, config.intake.expireAfterMs + 3_600_000),
    reporterCases,
    attempts: new AttemptCounter(redis, 3_600_000),
    inbound: new InboundBudget(redis, config.intake.flood),
    config: config.intake,
    // Long enough for a file download and a passphrase hash.
    leaseMs: Math.max(config.jobs.lockMs, 30_000),
  };
  const intake = createIntake(intakeDeps);
  const duty = await createDutyDesk({
    redis,
    queueConnection: queueRedis,
    store,
    caseLog,
    pipeline,
    keys,
    clock,
    log,
    timeZone: config.timeZone,
    staffLang: config.staff.lang,
    sla: config.sla,
    attempts: config.jobs.attempts,
    leaseMs: config.jobs.lockMs,
    seed: { adminIds: [...config.staff.adminIds], counsellorIds: [...config.staff.userIds] },
    annualReport: annualReportOf({
      redis,
      timeZone: config.timeZone,
      minCell: config.report.minCell,
      firstAnswerSlaHours: config.report.firstAnswerSlaHours,
    }),
    onSlaBreach: metrics.slaBreached,
  });
  const { router } = duty;
  const render = staffRenderer(duty.directory, config.staff.lang);
  const staffNotices = createStaffNotices({
    api: bot.api,
    store,
    render,
    chatId: config.staff.chatId,
    lang: config.staff.lang,
    timeZone: config.timeZone,
    threading,
    log,
  });
  const staffPost = createStaffPost({
    api: bot.api,
    redis,
    reporterCases,
    store,
    caseLog,
    log,
    chatId: config.staff.chatId,
    lang: config.staff.lang,
    threading,
    leaseMs: config.jobs.lockMs,
    async reopen(record, thread, mode) {
      const reopened = await duty.caseDesk.reopenByReporter(record.id);
      if (reopened && mode === 'topics') await setTopicOpen(bot.api, config.staff.chatId, thread, true, log);
    },
    ...(budget ? { staffSlot: () => budget.tryTake(config.staff.chatId) } : {}),
    onPosted: metrics.postedToStaff,
  });
  const channels = new Map<ChannelName, ReporterChannel>([['telegram', telegramChannel(bot.api)]]);
  const reporterRelay = createReporterRelay({
    redis,
    store,
    caseLog,
    log,
    keys,
    channels,
    leaseMs: config.jobs.lockMs,
    opened,
    onDelivered: metrics.deliveredToReporter,
  });

  // Loaded only when lines are configured: whatsapp-web.js brings puppeteer and Chromium.
  // Started before the workers, so a queued answer to a WhatsApp case finds its channel.
  let whatsapp: { stop(): Promise<void> } | undefined;
  if (config.whatsapp.lines.length > 0) {
    const { startWhatsAppLines } = await import('./bot/whatsapp/index.js');
    const lines = startWhatsAppLines({
      config: config.whatsapp,
      redis,
      intake,
      keys,
      store,
      log,
      staffLang: config.staff.lang,
      tellStaff: (text) => bot.api.sendMessage(config.staff.chatId, text),
      ...platform.whatsapp,
    });
    channels.set('whatsapp', lines.channel);
    whatsapp = lines;
  }

  bot.use(leaveForeignChats(config.staff.chatId, log));
  bot.use(
    telegramReporter({
      intake,
      keys,
      log,
      files: telegramFiles(bot.api, { token: config.telegram.token, apiRoot: config.telegram.apiRoot }),
      maxFileBytes: config.intake.evidence.maxBytes,
    }),
  );
  bot.use(
    staffChat({
      chatId: config.staff.chatId,
      lang: config.staff.lang,
      threading,
      redis,
      store,
      caseLog,
      pipeline,
      keys,
      log,
      directory: duty.directory,
      commands: duty.commands,
      caseDesk: duty.caseDesk,
      render,
    }),
  );

  // Reminders go out like answers, through whichever channel the reporter wrote from.
  const intakeTimer = createIntakeTimer({ ...intakeDeps, notify: reporterRelay.notify });

  /** Tells the staff chat what could not be done, naming only the case code. */
  const alertStaff = (message: 'staff-dead-post' | 'staff-dead-deliver') => async (job: Job<{ caseId: CaseId }>, reason: string) => {
    const record = await store.get(job.data.caseId);
    if (!record) return;
    await bot.api.sendMessage(config.staff.chatId, t(config.staff.lang, message, { code: record.code, reason }));
  };

  const workers: Worker[] = [
    pipeline.work<IntakeTimerJob>(queueNames.intakeTimer, (job) => intakeTimer.run(job.data), {
      concurrency: 2,
      log,
      onDead: async () => undefined, // a missed reminder: the conversation still expires by its TTL
    }),
    pipeline.work<RouteJob>(queueNames.route, (job) => router.route(job.data.caseId), {
      concurrency: 4,
      log,
      onDead: alertStaff('staff-dead-post'),
    }),
    pipeline.work<FlushJob>(
      queueNames.staff,
      (job) => (job.name === 'erased' ? staffPost.noticeErased(job.data.caseId) : staffPost.flush(job.data.caseId, String(job.id))),
      {
        concurrency: 8,
        log,
        onDead: alertStaff('staff-dead-post'),
        oneDestination: true,
      },
    ),
    pipeline.work<FlushJob>(queueNames.reporter, (job) => reporterRelay.flush(job.data.caseId, String(job.id)), {
      concurrency: 8,
      log,
      onDead: alertStaff('staff-dead-deliver'),
    }),
    pipeline.work<EscalateJob>(dutyQueueNames.escalate, (job) => router.escalate(job.data), { concurrency: 2, log, onDead: async () => undefined }),
    pipeline.work<NoticeJob>(dutyQueueNames.notice, (job) => staffNotices.post(job.data, job.timestamp), { concurrency: 2, log, onDead: async () => undefined }),
    pipeline.work<FollowupJob>(dutyQueueNames.followup, (job) => duty.caseDesk.followupDue(job.data), { concurrency: 2, log, onDead: async () => undefined }),
  ];

  const retention = await scheduleRetention({ connection: queueRedis, redis, pipeline, config, log });

  await reconcile(store, pipeline);
  await router.rerouteWaiting(); // the roster may have changed while we were down (roster import)
  await bot.init();
  let server: Server | undefined;
  let polling: Polling | undefined;
  if (config.telegram.mode === 'webhook' && config.telegram.webhook) {
    const { url, secret, port } = config.telegram.webhook;
    server = createServer(webhookCallback(bot, 'http', { secretToken: secret }));
    await new Promise<void>((resolve) => server!.listen(port, resolve));
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...allowedUpdates] });
  } else {
    polling = startPolling(bot, { allowedUpdates, log });
  }
  log.info({ event: 'started', mode: config.telegram.mode }, 'Trustline is running');

  return {
    ...(health ? { health: { url: health.url } } : {}),
    /**
     * Graceful shutdown, in the order that loses nothing and sends nothing twice:
     * take no more updates (the batch in hand is handled and confirmed), let sends that
     * wait for a flood-control slot hand their jobs back, let running jobs finish (a
     * send under way completes and moves its cursor), then close Redis.
     */
    async stop() {
      log.info({ event: 'stopping' }, 'Trustline is stopping');
      await polling?.stop();
      await new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections(); // kept-alive webhook connections would hold close() open
      });
      await whatsapp?.stop();
      stopping.abort();
      await Promise.all(workers.map((w) => w.close()));
      await retention.close();
      await duty.queues.close();
      await pipeline.close();
      await health?.close(); // scrapes read Redis: answered until just before it closes
      await metrics.close();
      await Promise.allSettled([redis.quit(), queueRedis.quit(), workerRedis.quit(), transport.close()]);
      opened.clear();
      log.info({ event: 'stopped' }, 'Trustline stopped');
    },
  };
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
    if (r) await pipeline.postToStaff(r.id, r.count.in, again);
  }
  for (const id of await store.pendingCases('out')) {
    const r = await store.get(id);
    if (r) await pipeline.deliverToReporter(r.id, r.count.out, again);
  }
}
