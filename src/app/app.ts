// The composition root: builds the hotline's areas in order and stops them in reverse.
// Nothing below this folder reads the environment or builds its own deps. What runs is
// up to the process's roles (TRUSTLINE_ROLES, all three by default): roles/telegram.ts
// takes Telegram updates, roles/whatsapp.ts runs the WhatsApp lines, roles/workers.ts
// works the queues.
import { staffRenderer } from '../bot/telegram/index.js';
import { type Config, ConfigError, deskNames } from '../config/index.js';
import type { KeyRing } from '../crypto/index.js';
import { createHotlineMetrics, hotlineChecks, startHealthServer, type HealthServer } from '../health/index.js';
import { reportCategories, type IntakeDeps } from '../flows/index.js';
import { t } from '../i18n/index.js';
import { StorageOutage, systemClock, type Clock, type CounsellorId, type Logger } from '../shared/index.js';
import { buildDuty } from './duty.js';
import { buildIntake } from './intake.js';
import { loadRights } from '../rights/index.js';
import type { HotlineParts, PlatformOverrides } from './parts.js';
import { startTelegram } from './roles/telegram.js';
import { startWhatsApp } from './roles/whatsapp.js';
import { startWorkers } from './roles/workers.js';
import { buildStorage } from './storage.js';
import { buildTelegram, type TelegramParts } from './telegram.js';

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
  checkStaffChats(config);
  // An installation's /rights pages are checked before anything starts: a broken one stops here, naming the file and line.
  const rights = loadRights({ ...(config.intake.rightsPages ? { dir: config.intake.rightsPages } : {}), emergencyNumbers: config.intake.emergencyNumbers });
  const storage = await buildStorage({ config, keys, log });
  const { redis, store, pipeline } = storage;
  // Aborted at shutdown: sends still waiting for a flood-control slot give their job back.
  const stopping = new AbortController();
  const metrics = createHotlineMetrics({ redis, queueConnection: storage.queueRedis, desks: deskNames(config) });
  // Listening before any worker runs: a taken port fails the start before work is picked up.
  // The roles' workers and the bot are read only when /healthz is asked (until they exist, the check fails).
  let telegram: TelegramParts | undefined;
  let evidenceToolsMissing: number | undefined;
  const health: HealthServer | undefined = config.health
    ? await startHealthServer({
        ...config.health,
        registry: metrics.registry,
        checks: {
          ...hotlineChecks(redis, () => [...(whatsapp?.workers ?? []), ...(workers?.workers ?? [])]),
          staffChat: async () => (telegram ? (await telegram.missingRights()).length === 0 : false),
        },
        info: {
          staffAnonymousAdmins: () => (telegram ? telegram.admins.anonymous() : Promise.reject(new Error('not yet'))),
          // mat2 and ffmpeg, checked at start: without them files are not cleaned, voices not accepted.
          evidenceToolsMissing: () => (evidenceToolsMissing === undefined ? Promise.reject(new Error('not yet')) : Promise.resolve(evidenceToolsMissing)),
        },
        log,
      })
    : undefined;
  try {
    telegram = await buildTelegram({ config, keys, log, storage, metrics, stopping: stopping.signal });
  } catch (err) {
    await Promise.allSettled([pipeline.close(), health?.close(), metrics.close()]);
    storage.disconnect();
    throw err;
  }
  const { bot } = telegram;
  const duty = await buildDuty({ config, keys, log, clock, storage, metrics, rights });
  const intake = buildIntake({
    config,
    keys,
    log,
    storage,
    metrics,
    rights,
    channels: [['telegram', telegram.channel]],
    onHeld: (caseId, seq, until) => duty.queues.notify(caseId, `quiet.${seq}`, { kind: 'quiet-held', until }),
  });
  evidenceToolsMissing = await missingEvidenceTools(intake.intakeDeps, config, log);
  if (config.staff.oversightChatId === undefined) {
    log.warn(
      { event: 'oversight.missing' },
      "No oversight chat (OVERSIGHT_CHAT_ID): a report about the hotline's own staff can only go to the staff chat. Reporters who say so are told before sending and pointed to OVERSIGHT_CONTACTS. See docs/admin-guide.md, Reports about staff.",
    );
  }

  const privateChatOf = async (id: CounsellorId) => {
    const identity = await duty.directory.identityOf(id);
    return identity?.channel === 'telegram' ? Number(identity.address) : undefined;
  };
  const parts: HotlineParts = {
    config,
    keys,
    log,
    platform,
    redis,
    queueRedis: storage.queueRedis,
    store,
    caseLog: storage.caseLog,
    reporterCases: storage.reporterCases,
    pipeline,
    bot,
    budget: telegram.budget,
    metrics,
    desks: telegram.desks,
    ...intake,
    outage: new StorageOutage(config.redis.outageHoldMs),
    duty,
    render: staffRenderer(duty.directory, config.staff.lang, (desk) => telegram.desks.byName(desk)?.chatId),
    admins: telegram.admins,
    membership: telegram.membership(duty.directory),
    reporterMessages: storage.reporterMessages,
    privateChatOf,
    alertStaff: (message) => async (job, reason) => {
      const record = await store.get(job.data.caseId);
      if (!record) return;
      const holder = message === 'staff-dead-deliver' && config.staff.visibility === 'assigned' ? record.assignee : undefined;
      const chat = (holder && (await privateChatOf(holder))) ?? telegram.desks.of(record.desk).chatId;
      await bot.api.sendMessage(chat, t(config.staff.lang, message, { code: record.code, reason }));
    },
  };
  // WhatsApp first: its lines join `channels` before any answer to them is worked.
  const roles = config.roles;
  const whatsapp = roles.has('whatsapp') && config.whatsapp.lines.length > 0 ? await startWhatsApp(parts) : undefined;
  const workers = roles.has('workers') ? await startWorkers(parts) : undefined;
  const taking = roles.has('telegram') ? await startTelegram(parts) : undefined;
  log.info({ event: 'started', roles: [...roles], ...(taking ? { mode: config.telegram.mode } : {}) }, 'Trustline is running');

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
      await taking?.stopTaking();
      await whatsapp?.stopTaking();
      stopping.abort();
      await Promise.all([whatsapp?.closeWorkers(), workers?.close()]);
      await duty.queues.close();
      await health?.close(); // scrapes read Redis: answered until just before it closes
      await metrics.close();
      await Promise.allSettled([storage.close(), telegram?.close()]);
      log.info({ event: 'stopped' }, 'Trustline stopped');
    },
  };
}

/** A category STAFF_CHATS names that no report can have would route nothing there, silently: refused. */
function checkStaffChats(config: Config): void {
  const known = new Set(reportCategories());
  const unknown = config.staff.chats.flatMap((c) => c.categories.filter((x) => !known.has(x)).map((x) => `STAFF_CHATS: chat ${c.name}: unknown category ${x}`));
  if (unknown.length) throw new ConfigError([...unknown, `STAFF_CHATS: the categories are ${[...known].join(', ')}`]);
}

/**
 * Warns at start-up about a missing mat2 or ffmpeg; returns how many are missing. Not a
 * reason to turn reporters away: without mat2 their files reach staff marked as not
 * cleaned; without ffmpeg a voice note is refused (it is never kept undisguised).
 */
async function missingEvidenceTools(deps: IntakeDeps, config: Config, log: Logger): Promise<number> {
  const [mat2, ffmpeg] = await Promise.all([deps.cleaner.available(), deps.masker.available()]);
  if (!mat2) {
    log.warn(
      { event: 'evidence.cleaner-missing', command: config.intake.cleaning.command },
      'mat2 is not installed: files reporters send cannot be cleaned of location and author data, and reach staff marked so. Install the Debian package mat2.',
    );
  }
  if (!ffmpeg) {
    log.warn(
      { event: 'evidence.masker-missing', command: config.intake.voice.command },
      'ffmpeg is not installed: voice notes cannot be disguised, so reporters are asked to write instead. Install the Debian package ffmpeg, or set VOICE_MASK=off.',
    );
  }
  return Number(!mat2) + Number(!ffmpeg);
}
