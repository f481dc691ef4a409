// The only module that reads the environment. Everything else receives a Config.
import { z } from 'zod';
import type { Lang } from './ids.js';
import { parseDuration } from './routing/command-args.js';
import { defaultEmergencyNumbers } from './routing/urgent-help.js';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const IDLE_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** How long a reporter may be idle, e.g. 90s, 30m, 24h. */
const idleTime = z
  .string()
  .trim()
  .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as 90s, 30m, 24h or 2d')
  .transform((v) => Number(/^\d+/.exec(v)![0]) * IDLE_UNITS[/[a-z]+$/.exec(v)![0]]!);

const MB = 1024 * 1024;
const byteSize = z
  .string()
  .trim()
  .regex(/^\d+\s*(B|KB|MB)?$/i, 'must be a size such as 5MB, 800KB or 1048576')
  .transform((v) => {
    const unit = /[a-z]+$/i.exec(v)?.[0]?.toUpperCase();
    return Number(/^\d+/.exec(v)![0]) * (unit === 'MB' ? MB : unit === 'KB' ? 1024 : 1);
  })
  // Telegram does not let bots download more than 20 MB.
  .refine((n) => n >= 1 && n <= 20 * MB, 'must be between 1 byte and 20MB');

const phoneNumbers = z
  .string()
  .trim()
  .regex(/^\+?\d{2,15}(\s*,\s*\+?\d{2,15})*$/, 'must be a comma-separated list of phone numbers, e.g. 112,102,103')
  .transform((v) => v.split(',').map((n) => n.trim()));

/** Comma-separated words or phrases; replaces the built-in list of that language. */
const wordList = z
  .string()
  .transform((v) => v.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean))
  .refine((list) => list.length > 0, 'must list at least one word (comma-separated)');

const integerId = z
  .string()
  .trim()
  .regex(/^-?\d+$/, 'must be an integer (e.g. -1001234567890)')
  .transform(Number);

const idList = z
  .string()
  .trim()
  .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be a comma-separated list of numeric Telegram user ids')
  .transform((v) => v.split(',').map((s) => Number(s.trim())));

/** Names of WhatsApp trust lines (one linked phone each); they name session folders and locks. */
const lineList = z
  .string()
  .trim()
  .regex(
    /^[a-z][a-z0-9_-]{0,31}(\s*,\s*[a-z][a-z0-9_-]{0,31})*$/,
    'must be comma-separated line names starting with a letter, of a-z 0-9 _ - (e.g. line1,line2), not phone numbers',
  )
  .transform((v) => [...new Set(v.split(',').map((s) => s.trim()))]);
/**
 * What a `trustline start` process does: take Telegram updates, run the WhatsApp lines,
 * work the queues. Several processes split the roles between them (README, Scale-out).
 */
export const roleNames = ['telegram', 'whatsapp', 'workers'] as const;
export type Role = (typeof roleNames)[number];
const ROLES_HINT = 'must be a comma-separated list of telegram, whatsapp and workers (e.g. telegram,whatsapp)';
const roleList = z
  .string()
  .trim()
  .regex(/^[a-z]+(\s*,\s*[a-z]+)*$/, ROLES_HINT)
  .transform((v) => v.split(',').map((s) => s.trim()))
  .refine((list) => list.every((r) => (roleNames as readonly string[]).includes(r)), ROLES_HINT)
  .transform((list) => new Set(list as Role[]) as ReadonlySet<Role>);

const duration = (example: string) =>
  z
    .string()
    .trim()
    .refine((v) => parseDuration(v) !== undefined, `must be a duration such as ${example} (s, m, h, d)`)
    .transform((v) => parseDuration(v)!);

/** Every environment variable Trustline reads, with its rules. */
const variables = z
  .object({
    TELEGRAM_BOT_TOKEN: z
      .string({ error: 'missing: the bot token from @BotFather' })
      .regex(/^\d+:[\w-]{20,}$/, 'does not look like a bot token (digits:secret)'),
    TELEGRAM_API_ROOT: z.url({ error: 'must be a URL' }).default('https://api.telegram.org'),
    TRUSTLINE_ROLES: roleList.default(new Set(roleNames)),
    TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling'),
    WEBHOOK_URL: z.url({ error: 'must be a URL' }).optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z a-z 0-9 _ -')
      .optional(),
    WEBHOOK_PORT: z.coerce.number().int().min(1).max(65535).default(8443),
    STAFF_CHAT_ID: integerId.refine((v) => v < 0, 'must be a group id (negative)').optional(),
    STAFF_THREADING: z.enum(['topics', 'replies', 'auto']).default('auto'),
    STAFF_ADMIN_IDS: idList.optional(),
    STAFF_USER_IDS: idList.optional(),
    STAFF_LANG: z.enum(['kk', 'ru', 'en']).default('ru'),
    STAFF_CHAT_GUARD: z.enum(['remove', 'warn']).default('remove'),
    PROTECT_CONTENT: flag.default(true),
    REDIS_URL: z.url({ error: 'must be a redis:// URL' }).optional(),
    REDIS_ALLOW_VOLATILE: flag.default(false),
    TRUSTLINE_KEYS_DIR: z.string().min(1).default('./keys'),
    EMERGENCY_NUMBERS: phoneNumbers.default([...defaultEmergencyNumbers]),
    RISK_WORDS_KK: wordList.optional(),
    RISK_WORDS_RU: wordList.optional(),
    RISK_WORDS_EN: wordList.optional(),
    INTAKE_REMIND_AFTER: idleTime.default(3_600_000),
    INTAKE_EXPIRE_AFTER: idleTime.default(86_400_000),
    EVIDENCE_MAX_BYTES: byteSize.default(20 * MB),
    EVIDENCE_MAX_FILES: z.coerce.number().int().min(0).max(50).default(10),
    RESUME_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
    // Per reporter: a pasted story or an album fits in the burst; a flood does not (README: flood limit).
    REPORTER_BURST: z.coerce.number().int().min(1).max(100_000).default(20),
    REPORTER_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TZ: z
      .string()
      .default('Asia/Almaty')
      .refine(isTimeZone, 'must be an IANA time zone such as Asia/Almaty'),
    JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
    WHATSAPP_NUMBERS: lineList.optional(),
    WHATSAPP_DATA_DIR: z.string().min(1).default('./whatsapp'),
    CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
    WHATSAPP_HEADLESS: flag.default(true),
    WHATSAPP_RESTART_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
    WHATSAPP_RESTART_ABOVE_MB: z.coerce.number().int().min(0).default(0),
    WHATSAPP_MEMORY_LOG_MINUTES: z.coerce.number().min(0).max(24 * 60).default(5),
    WHATSAPP_LOCK_MS: z.coerce.number().int().min(2_000).max(600_000).default(30_000),
    // Protects secret key files (Argon2id); absent: the CLI asks at a terminal.
    TRUSTLINE_KEY_PASSPHRASE: z.string().optional(),
    RETENTION_CLOSED_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
    RETENTION_INTAKE_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    RETENTION_SCHEDULE: z
      .string()
      .regex(/^\S+( \S+){4,5}$/, 'must be a cron pattern such as "30 3 * * *"')
      .default('30 3 * * *'),
    REPORT_MIN_CELL: z.coerce.number().int().min(2).max(100).default(5),
    REPORT_FIRST_ANSWER_SLA_HOURS: z.coerce.number().min(0.25).max(24 * 30).default(24),
    SLA_ACK_AFTER: duration('15m').default(15 * 60_000),
    SLA_URGENT_ACK_AFTER: duration('5m').default(5 * 60_000),
    // Telegram's flood limits. Off only against a Bot API server that has none (benchmarks).
    TELEGRAM_RATE_LIMITS: z.enum(['on', 'off']).default('on'),
    TELEGRAM_GLOBAL_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(30),
    TELEGRAM_CHAT_PER_SECOND: z.coerce.number().int().min(1).max(100).default(1),
    TELEGRAM_GROUP_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(20),
    // /healthz and /metrics: off unless a port is given (0 = any free port); unauthenticated, so loopback by default.
    HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    HEALTH_HOST: z.string().trim().min(1).default('127.0.0.1'),
  });

/** The names `docker-compose.yml` and the README may set (test/compose.test.ts holds them to this). */
export const configVariables: readonly string[] = Object.keys(variables.shape);

const schema = variables.superRefine((env, ctx) => {
  // Only a process that takes Telegram updates serves the webhook: the others, started
  // from the same environment file, do not need its address or secret.
  const servesWebhook = env.TELEGRAM_MODE === 'webhook' && env.TRUSTLINE_ROLES.has('telegram');
  if (servesWebhook && !env.WEBHOOK_URL) {
    ctx.addIssue({ code: 'custom', path: ['WEBHOOK_URL'], message: 'required when TELEGRAM_MODE=webhook' });
  }
  if (env.INTAKE_REMIND_AFTER >= env.INTAKE_EXPIRE_AFTER) {
    ctx.addIssue({ code: 'custom', path: ['INTAKE_REMIND_AFTER'], message: 'must be shorter than INTAKE_EXPIRE_AFTER' });
  }
  if (servesWebhook && !env.WEBHOOK_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'required when TELEGRAM_MODE=webhook' });
  }
});

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export type Threading = 'topics' | 'replies';
/** What happens when someone not on the roster joins the staff chat. */
export type StaffChatGuard = 'remove' | 'warn';

export interface IntakeConfig {
  /** Told to a reporter at risk and in the confidentiality notice. */
  emergencyNumbers: readonly string[];
  /** Per language, replacing the built-in risk words when set. */
  riskWords: Partial<Record<Lang, readonly string[]>>;
  /** An unfinished conversation is reminded once after this long idle... */
  remindAfterMs: number;
  /** ...and deleted (nothing sent) after this long idle. */
  expireAfterMs: number;
  evidence: { maxBytes: number; maxFiles: number };
  /** Wrong /resume passphrases allowed per hour, per case and per account. */
  resumeMaxAttempts: number;
  /** Messages one reporter may send at once, and per minute after that; more are turned away. */
  flood: { burst: number; perMinute: number };
}

export interface Config {
  /** TRUSTLINE_ROLES: what this process does (see README, Scale-out) */
  roles: ReadonlySet<Role>;
  telegram: {
    token: string;
    apiRoot: string;
    mode: 'polling' | 'webhook';
    /** Set when this process serves Telegram's webhook (webhook mode and the telegram role). */
    webhook?: { url: string; secret: string; port: number };
    /** Outgoing flood limits Trustline keeps to; undefined = none (a Bot API server without limits). */
    limits?: TelegramLimits;
    /** every message the bot sends carries protect_content (PROTECT_CONTENT) */
    protectContent: boolean;
  };
  staff: {
    chatId: number;
    threading: Threading | 'auto';
    /** STAFF_ADMIN_IDS (or, on an install from before rosters, STAFF_USER_IDS): always admins */
    adminIds: ReadonlySet<number>;
    /** STAFF_USER_IDS: counsellors put on an empty roster at first start */
    userIds: ReadonlySet<number>;
    lang: Lang;
    /** someone who joins the staff chat and is not on the roster: removed at once, or the admins warned */
    guard: StaffChatGuard;
  };
  /** time to acknowledge a case before it passes to the next counsellor */
  sla: { ackMs: number; urgentAckMs: number };
  redis: { url?: string; allowVolatile: boolean };
  intake: IntakeConfig;
  keysDir: string;
  logLevel: string;
  timeZone: string;
  jobs: { attempts: number; lockMs: number };
  whatsapp: WhatsAppConfig;
  /** Passphrase of protected key files, if given through the environment. */
  keyPassphrase?: string;
  retention: {
    /** closed and withdrawn cases are shredded this many days after closing */
    closedDays: number;
    /** conversation state of an intake never finished lives at most this long */
    intakeDays: number;
    /** cron pattern (in timeZone) of the daily retention job */
    schedule: string;
    /** audit log entries are dropped this many days after they were written */
    auditDays: number;
  };
  /** the /healthz and /metrics server; undefined = not started */
  health?: { host: string; port: number };
  report: {
    /** cells below this are suppressed in the public report */
    minCell: number;
    /** a first answer later than this after the report counts as an SLA breach */
    firstAnswerSlaHours: number;
  };
}

export interface WhatsAppConfig {
  /**
   * Line names; empty means no WhatsApp (and whatsapp-web.js is never loaded). Every
   * process is given them; only one with the whatsapp role runs them.
   */
  lines: string[];
  /** Holds one LocalAuth browser profile per line: a secret (chat history, phone numbers). */
  dataDir: string;
  chromiumPath: string;
  headless: boolean;
  /** Restart each session this often (keeps the login); 0 = never. */
  restartHours: number;
  /** Restart a session early when its Chromium uses more than this; 0 = never. */
  restartAboveMb: number;
  /** How often each line's memory is logged; 0 = never. */
  memoryLogMinutes: number;
  /** Lease of the one-process-per-line lock; a crashed holder's line is taken over after this. */
  lockMs: number;
}

export interface TelegramLimits {
  globalPerSecond: number;
  chatPerSecond: number;
  groupPerMinute: number;
  /** Length of the group window; a minute, shortened only by tests. */
  minuteMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Trustline cannot start; fix these environment variables:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export type Requirement = 'telegram' | 'staff';

/**
 * Parses the environment. `require` lists the parts the command needs, so that
 * e.g. `trustline keys init` does not demand a bot token.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  require: readonly Requirement[] = ['telegram', 'staff'],
): Config {
  // Empty strings mean "unset" (docker-compose passes `VAR=` through as empty).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const problems: string[] = [];
  const parsed = schema.safeParse(
    require.includes('telegram') ? cleaned : { TELEGRAM_BOT_TOKEN: '0:placeholder-not-used-xxxxxxxxx', ...cleaned },
  );
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.') || '(environment)';
      // Never echo the value: a token or an id is exactly what must not land in a log.
      problems.push(`${name}: ${issue.message}`);
    }
  }
  const e = parsed.success ? parsed.data : undefined;
  // Presence is checked on the raw environment so one run reports every problem.
  if (require.includes('staff')) {
    if (cleaned.STAFF_CHAT_ID === undefined) problems.push('STAFF_CHAT_ID: missing: the id of the staff group (negative number)');
    if (cleaned.STAFF_ADMIN_IDS === undefined && cleaned.STAFF_USER_IDS === undefined) {
      problems.push('STAFF_ADMIN_IDS: missing: comma-separated Telegram user ids of the first admins (they add everyone else with /staff add)');
    }
  }
  if (problems.length || !e) throw new ConfigError(problems);

  return {
    roles: e.TRUSTLINE_ROLES,
    telegram: {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
      mode: e.TELEGRAM_MODE,
      protectContent: e.PROTECT_CONTENT,
      ...(e.TELEGRAM_MODE === 'webhook' && e.TRUSTLINE_ROLES.has('telegram')
        ? { webhook: { url: e.WEBHOOK_URL!, secret: e.WEBHOOK_SECRET!, port: e.WEBHOOK_PORT } }
        : {}),
      ...(e.TELEGRAM_RATE_LIMITS === 'on'
        ? {
            limits: {
              globalPerSecond: e.TELEGRAM_GLOBAL_PER_SECOND,
              chatPerSecond: e.TELEGRAM_CHAT_PER_SECOND,
              groupPerMinute: e.TELEGRAM_GROUP_PER_MINUTE,
              minuteMs: 60_000,
            },
          }
        : {}),
    },
    staff: {
      chatId: e.STAFF_CHAT_ID ?? 0,
      threading: e.STAFF_THREADING,
      // Before rosters, STAFF_USER_IDS were the people who ran everything: without
      // STAFF_ADMIN_IDS they stay in charge, as admins.
      adminIds: new Set(e.STAFF_ADMIN_IDS ?? e.STAFF_USER_IDS ?? []),
      userIds: new Set(e.STAFF_USER_IDS ?? []),
      lang: e.STAFF_LANG,
      guard: e.STAFF_CHAT_GUARD,
    },
    sla: { ackMs: e.SLA_ACK_AFTER, urgentAckMs: e.SLA_URGENT_ACK_AFTER },
    redis: { url: e.REDIS_URL, allowVolatile: e.REDIS_ALLOW_VOLATILE },
    intake: {
      emergencyNumbers: e.EMERGENCY_NUMBERS,
      riskWords: {
        ...(e.RISK_WORDS_KK ? { kk: e.RISK_WORDS_KK } : {}),
        ...(e.RISK_WORDS_RU ? { ru: e.RISK_WORDS_RU } : {}),
        ...(e.RISK_WORDS_EN ? { en: e.RISK_WORDS_EN } : {}),
      },
      remindAfterMs: e.INTAKE_REMIND_AFTER,
      expireAfterMs: e.INTAKE_EXPIRE_AFTER,
      evidence: { maxBytes: e.EVIDENCE_MAX_BYTES, maxFiles: e.EVIDENCE_MAX_FILES },
      resumeMaxAttempts: e.RESUME_MAX_ATTEMPTS,
      flood: { burst: e.REPORTER_BURST, perMinute: e.REPORTER_PER_MINUTE },
    },
    keysDir: e.TRUSTLINE_KEYS_DIR,
    logLevel: e.LOG_LEVEL,
    timeZone: e.TZ,
    jobs: { attempts: e.JOB_ATTEMPTS, lockMs: e.JOB_LOCK_MS },
    whatsapp: {
      lines: e.WHATSAPP_NUMBERS ?? [],
      dataDir: e.WHATSAPP_DATA_DIR,
      chromiumPath: e.CHROMIUM_PATH,
      headless: e.WHATSAPP_HEADLESS,
      restartHours: e.WHATSAPP_RESTART_HOURS,
      restartAboveMb: e.WHATSAPP_RESTART_ABOVE_MB,
      memoryLogMinutes: e.WHATSAPP_MEMORY_LOG_MINUTES,
      lockMs: e.WHATSAPP_LOCK_MS,
    },
    ...(e.TRUSTLINE_KEY_PASSPHRASE !== undefined ? { keyPassphrase: e.TRUSTLINE_KEY_PASSPHRASE } : {}),
    retention: {
      closedDays: e.RETENTION_CLOSED_DAYS,
      intakeDays: e.RETENTION_INTAKE_DAYS,
      schedule: e.RETENTION_SCHEDULE,
      auditDays: e.AUDIT_RETENTION_DAYS,
    },
    report: { minCell: e.REPORT_MIN_CELL, firstAnswerSlaHours: e.REPORT_FIRST_ANSWER_SLA_HOURS },
    ...(e.HEALTH_PORT !== undefined ? { health: { host: e.HEALTH_HOST, port: e.HEALTH_PORT } } : {}),
  };
}
