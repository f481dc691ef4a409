// The composition root: wires config, keys, Redis, queues and the bot into a running
// hotline. Nothing below this file reads the environment or builds its own deps.
import { createServer, type Server } from 'node:http';
import { webhookCallback } from 'grammy';
import type { Worker } from 'bullmq';
import type { Config } from './config.js';
import { OpenedCache, type KeyRing } from './crypto/index.js';
import { createIntake } from './flows/intake.js';
import { t } from './flows/i18n.js';
import type { Logger } from './log.js';
import type { FlushJob, RouteJob } from './queue/jobs.js';
import { queueNames } from './queue/jobs.js';
import { Pipeline } from './queue/pipeline.js';
import { CaseLog } from './routing/case-log.js';
import { createRouter } from './routing/router.js';
import { CaseStore } from './store/cases.js';
import { assertDurable, connectRedis } from './store/redis.js';
import { createReporterRelay } from './bot/reporter-relay.js';
import { staffChat } from './bot/staff-chat.js';
import { createStaffPost, threadingResolver } from './bot/staff-post.js';
import { allowedUpdates, createTelegramBot } from './bot/telegram.js';
import { telegramChannel } from './bot/telegram-channel.js';
import { leaveForeignChats } from './bot/telegram-groups.js';
import { telegramLimits } from './bot/telegram-limits.js';
import { startPolling, type Polling } from './bot/telegram-polling.js';
import { SendBudget } from './store/send-budget.js';
import { telegramReporter } from './bot/telegram-reporter.js';
import type { Job } from 'bullmq';
import type { CaseId } from './ids.js';

export interface Trustline {
  stop(): Promise<void>;
}

export async function startTrustline({ config, keys, log }: { config: Config; keys: KeyRing; log: Logger }): Promise<Trustline> {
  if (!config.redis.url) throw new Error('REDIS_URL is not set');
  const redis = connectRedis(config.redis.url, 'fail-fast');
  const workerRedis = connectRedis(config.redis.url, 'blocking');
  // Queues get a connection of their own: BullMQ defines ~60 scripts on whatever
  // connection it is given, and ioredis copies them all into every pipeline (every
  // MULTI, every auto-pipelined tick) made on that connection.
  const queueRedis = connectRedis(config.redis.url, 'fail-fast', { autoPipelining: false });
  await redis.ping().catch(async () => {
    // fail-fast connections do not queue commands while the first connect is under way
    await new Promise((r) => setTimeout(r, 300));
    await redis.ping();
  });
  const durability = await assertDurable(redis, config.redis.allowVolatile);
  if (!durability.appendonly || durability.evictionPolicy !== 'noeviction') {
    log.warn({ durability }, 'Redis can lose reports (REDIS_ALLOW_VOLATILE=true): throwaway setups only');
  }

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
  const limits = config.telegram.limits;
  const budget = limits ? new SendBudget(redis, limits, keys.pepper, stopping.signal) : undefined;
  const bot = createTelegramBot({
    token: config.telegram.token,
    apiRoot: config.telegram.apiRoot,
    log,
    ...(budget ? { limits: telegramLimits(budget) } : {}),
  });
  const threading = threadingResolver(bot.api, config.staff.chatId, config.staff.threading);
  const intake = createIntake({ store, caseLog, log, pipeline, keys });
  const router = createRouter({ store, pipeline });
  const staffPost = createStaffPost({
    api: bot.api,
    redis,
    store,
    caseLog,
    log,
    chatId: config.staff.chatId,
    lang: config.staff.lang,
    threading,
    leaseMs: config.jobs.lockMs,
    ...(budget ? { staffSlot: () => budget.tryTake(config.staff.chatId) } : {}),
  });
  const reporterRelay = createReporterRelay({
    redis,
    store,
    caseLog,
    log,
    keys,
    channels: new Map([['telegram', telegramChannel(bot.api)]]),
    leaseMs: config.jobs.lockMs,
    opened,
  });

  bot.use(leaveForeignChats(config.staff.chatId, log));
  bot.use(telegramReporter({ intake, keys, log }));
  bot.use(
    staffChat({
      chatId: config.staff.chatId,
      staffIds: config.staff.userIds,
      lang: config.staff.lang,
      threading,
      redis,
      store,
      caseLog,
      pipeline,
      keys,
      log,
    }),
  );

  /** Tells the staff chat what could not be done, naming only the case code. */
  const alertStaff = (message: 'staff-dead-post' | 'staff-dead-deliver') => async (job: Job<FlushJob>, reason: string) => {
    const record = await store.get(job.data.caseId);
    if (!record) return;
    await bot.api.sendMessage(config.staff.chatId, t(config.staff.lang, message, { code: record.code, reason }));
  };

  const workers: Worker[] = [
    pipeline.work<RouteJob>(queueNames.route, (job) => router.route(job.data.caseId), {
      concurrency: 4,
      log,
      onDead: async () => undefined,
    }),
    pipeline.work<FlushJob>(queueNames.staff, (job) => staffPost.flush(job.data.caseId, String(job.id)), {
      concurrency: 8,
      log,
      onDead: alertStaff('staff-dead-post'),
      oneDestination: true,
    }),
    pipeline.work<FlushJob>(queueNames.reporter, (job) => reporterRelay.flush(job.data.caseId, String(job.id)), {
      concurrency: 8,
      log,
      onDead: alertStaff('staff-dead-deliver'),
    }),
  ];

  await reconcile(store, pipeline);
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
  log.info({ event: 'started', mode: config.telegram.mode, bot: bot.botInfo.username }, 'Trustline is running');

  return {
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
      stopping.abort();
      await Promise.all(workers.map((w) => w.close()));
      await pipeline.close();
      await Promise.allSettled([redis.quit(), queueRedis.quit(), workerRedis.quit()]);
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
  for (const id of await store.pendingCases('in')) {
    const r = await store.get(id as CaseId);
    if (r) await pipeline.postToStaff(r.id, r.count.in);
  }
  for (const id of await store.pendingCases('out')) {
    const r = await store.get(id as CaseId);
    if (r) await pipeline.deliverToReporter(r.id, r.count.out);
  }
}
