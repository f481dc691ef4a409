// The composition root: wires config, keys, Redis, queues and the bot into a running
// hotline. Nothing below this file reads the environment or builds its own deps.
// Shared parts are built here; what runs is up to the process's roles (TRUSTLINE_ROLES,
// all three by default): roles/telegram.ts takes Telegram updates, roles/whatsapp.ts
// runs the WhatsApp lines, roles/workers.ts works the queues.
import type { Config } from '../config/index.js';
import { OpenedCache, type KeyRing } from '../crypto/index.js';
import { annualReportOf } from '../report/index.js';
import { createIntake, createIntakeTimer } from '../flows/index.js';
import { t } from '../i18n/index.js';
import { type Logger, type Clock, type ChannelName, systemClock } from '../shared/index.js';
import { Pipeline } from '../queue/index.js';
import { CaseLog } from '../cases/index.js';
import { createDutyDesk } from '../routing/index.js';
import {
  CaseStore,
  AttemptCounter,
  InboundBudget,
  ConversationStore,
  ReporterCaseStore,
  assertDurable,
  connectRedis,
  SendBudget,
  ReporterMessages,
} from '../store/index.js';
import { createReporterRelay, type ReporterChannel } from '../relay/index.js';
import {
  threadingResolver,
  staffRenderer,
  createTelegramBot,
  telegramChannel,
  telegramLimits,
  telegramTransport,
  createStaffMembership,
  recordCaseMessages,
  telegramFailures,
  staffAdmins,
  type StaffAdmins,
  missingStaffRights,
  StaffRightsMissing,
  type StaffRight,
} from '../bot/telegram/index.js';
import { recordSealingKeys } from '../keys/index.js';
import { hotlineChecks, createHotlineMetrics, startHealthServer, type HealthServer } from '../health/index.js';
import type { HotlineParts, PlatformOverrides } from './parts.js';
import { startTelegram } from './roles/telegram.js';
import { startWhatsApp } from './roles/whatsapp.js';
import { startWorkers } from './roles/workers.js';

export type { PlatformOverrides } from './parts.js';

export interface Trustline {
  /** the /healthz and /metrics server, when HEALTH_PORT is set */
  readonly health?: { url: string };
  stop(): Promise<void>;
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
  const redis = connectRedis(config.redis.url, 'fail-fast', { name: 'app' });
  const workerRedis = connectRedis(config.redis.url, 'blocking');
  // Queues get a connection of their own: BullMQ defines ~60 scripts on whatever
  // connection it is given, and ioredis copies them all into every pipeline (every
  // MULTI, every auto-pipelined tick) made on that connection. These two are not named:
  // BullMQ names the connections it is given, and finds its workers by those names.
  const queueRedis = connectRedis(config.redis.url, 'fail-fast', { autoPipelining: false });
  // A start that fails must not leave these reconnecting forever (the process would never exit).
  const disconnect = () => {
    redis.disconnect();
    queueRedis.disconnect();
    workerRedis.disconnect();
  };
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
    disconnect();
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
  // The roles' workers are read only when /healthz is asked (until they exist, the check fails).
  let admins: StaffAdmins | undefined; // once the bot exists
  let rights: (() => Promise<StaffRight[]>) | undefined;
  const health: HealthServer | undefined = config.health
    ? await startHealthServer({
        ...config.health,
        registry: metrics.registry,
        checks: {
          ...hotlineChecks(redis, () => [...(whatsapp?.workers ?? []), ...(workers?.workers ?? [])]),
          staffChat: async () => (rights ? (await rights()).length === 0 : false),
        },
        info: { staffAnonymousAdmins: () => (admins ? admins.anonymous() : Promise.reject(new Error('not yet'))) },
        log,
      })
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
    protect: config.telegram.protectContent,
  });
  const threading = threadingResolver(bot.api, config.staff.chatId, config.staff.threading);
  bot.api.config.use(recordCaseMessages({ store, chatId: config.staff.chatId, threading }));
  admins = staffAdmins(bot.api, config.staff.chatId);
  // A bot token starts with the bot's id: no getMe on every health check.
  const botId = Number(config.telegram.token.split(':')[0]);
  rights = async () => missingStaffRights(bot.api, config.staff.chatId, botId, await threading());
  // The staff chat stays private only if the bot may remove people and delete messages there.
  const missing = await rights().catch(() => [] as StaffRight[]); // Telegram unreachable: the health check says so later
  if (missing.length) {
    await Promise.allSettled([pipeline.close(), health?.close(), metrics.close()]);
    disconnect();
    void transport.close();
    throw new StaffRightsMissing(missing);
  }
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
  const duty = await createDutyDesk({
    redis,
    queueConnection: queueRedis,
    store,
    reporterCases,
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
    emergency: config.intake.emergencyNumbers,
    annualReport: annualReportOf({
      redis,
      timeZone: config.timeZone,
      minCell: config.report.minCell,
      firstAnswerSlaHours: config.report.firstAnswerSlaHours,
      lang: config.staff.lang,
    }),
    onSlaBreach: metrics.slaBreached,
  });
  const render = staffRenderer(duty.directory, config.staff.lang);
  const membership = createStaffMembership({
    api: bot.api,
    chatId: config.staff.chatId,
    lang: config.staff.lang,
    directory: duty.directory,
    guard: config.staff.guard,
    log,
  });
  const reporterMessages = new ReporterMessages(redis);
  const channels = new Map<ChannelName, ReporterChannel>([['telegram', telegramChannel(bot.api, { messages: reporterMessages, pepper: keys.pepper })]]);
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
    // Every process is given the same WHATSAPP_NUMBERS; one with the whatsapp role runs
    // the lines, and answers to their reporters are sent from there.
    async handOver(caseId, channel, seq) {
      if (channel !== 'whatsapp' || config.whatsapp.lines.length === 0) return false;
      await pipeline.deliverThroughWhatsApp(caseId, seq);
      return true;
    },
  });
  // Reminders go out like answers, through whichever channel the reporter wrote from.
  const intakeTimer = createIntakeTimer({ ...intakeDeps, notify: reporterRelay.notify });

  const parts: HotlineParts = {
    config,
    keys,
    log,
    platform,
    redis,
    queueRedis,
    store,
    caseLog,
    reporterCases,
    pipeline,
    bot,
    budget,
    metrics,
    threading,
    intakeDeps,
    intake: createIntake(intakeDeps),
    duty,
    render,
    channels,
    reporterRelay,
    intakeTimer,
    admins,
    membership,
    reporterMessages,
    alertStaff: (message) => async (job, reason) => {
      const record = await store.get(job.data.caseId);
      if (!record) return;
      await bot.api.sendMessage(config.staff.chatId, t(config.staff.lang, message, { code: record.code, reason }));
    },
  };
  // WhatsApp first: its lines join `channels` before any answer to them is worked.
  const roles = config.roles;
  const whatsapp = roles.has('whatsapp') && config.whatsapp.lines.length > 0 ? await startWhatsApp(parts) : undefined;
  const workers = roles.has('workers') ? await startWorkers(parts) : undefined;
  const telegram = roles.has('telegram') ? await startTelegram(parts) : undefined;
  log.info({ event: 'started', roles: [...roles], ...(telegram ? { mode: config.telegram.mode } : {}) }, 'Trustline is running');

  return {
    ...(health ? { health: { url: health.url } } : {}),
    /**
     * Graceful shutdown, in the order that loses nothing and sends nothing twice:
     * take no more updates (the batch in hand is handled and confirmed), let sends that
     * wait for a flood-control slot hand their jobs back (the rest of a message already
     * partly sent is finished instead), let running jobs finish (a send under way
     * completes and moves its cursor), then close Redis.
     */
    async stop() {
      log.info({ event: 'stopping' }, 'Trustline is stopping');
      await telegram?.stopTaking();
      await whatsapp?.stopTaking();
      stopping.abort();
      await Promise.all([whatsapp?.closeWorkers(), workers?.close()]);
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
