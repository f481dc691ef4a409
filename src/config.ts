// The only module that reads the environment. Everything else receives a Config.
import { z } from 'zod';
import type { Lang } from './ids.js';

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

const schema = z
  .object({
    TELEGRAM_BOT_TOKEN: z
      .string({ error: 'missing: the bot token from @BotFather' })
      .regex(/^\d+:[\w-]{20,}$/, 'does not look like a bot token (digits:secret)'),
    TELEGRAM_API_ROOT: z.url({ error: 'must be a URL' }).default('https://api.telegram.org'),
    TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling'),
    WEBHOOK_URL: z.url({ error: 'must be a URL' }).optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z a-z 0-9 _ -')
      .optional(),
    WEBHOOK_PORT: z.coerce.number().int().min(1).max(65535).default(8443),
    STAFF_CHAT_ID: integerId.refine((v) => v < 0, 'must be a group id (negative)').optional(),
    STAFF_THREADING: z.enum(['topics', 'replies', 'auto']).default('auto'),
    STAFF_USER_IDS: idList.optional(),
    STAFF_LANG: z.enum(['kk', 'ru', 'en']).default('ru'),
    REDIS_URL: z.url({ error: 'must be a redis:// URL' }).optional(),
    REDIS_ALLOW_VOLATILE: flag.default(false),
    TRUSTLINE_KEYS_DIR: z.string().min(1).default('./keys'),
    EMERGENCY_NUMBERS: phoneNumbers.default(['112', '102', '103', '111', '150']),
    RISK_WORDS_KK: wordList.optional(),
    RISK_WORDS_RU: wordList.optional(),
    RISK_WORDS_EN: wordList.optional(),
    INTAKE_REMIND_AFTER: idleTime.default(3_600_000),
    INTAKE_EXPIRE_AFTER: idleTime.default(86_400_000),
    EVIDENCE_MAX_BYTES: byteSize.default(20 * MB),
    EVIDENCE_MAX_FILES: z.coerce.number().int().min(0).max(50).default(10),
    RESUME_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TZ: z
      .string()
      .default('Asia/Almaty')
      .refine(isTimeZone, 'must be an IANA time zone such as Asia/Almaty'),
    JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_MODE === 'webhook' && !env.WEBHOOK_URL) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_URL'], message: 'required when TELEGRAM_MODE=webhook' });
    }
    if (env.INTAKE_REMIND_AFTER >= env.INTAKE_EXPIRE_AFTER) {
      ctx.addIssue({ code: 'custom', path: ['INTAKE_REMIND_AFTER'], message: 'must be shorter than INTAKE_EXPIRE_AFTER' });
    }
    if (env.TELEGRAM_MODE === 'webhook' && !env.WEBHOOK_SECRET) {
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
}

export interface Config {
  telegram: {
    token: string;
    apiRoot: string;
    mode: 'polling' | 'webhook';
    webhook?: { url: string; secret: string; port: number };
  };
  staff: { chatId: number; threading: Threading | 'auto'; userIds: ReadonlySet<number>; lang: Lang };
  redis: { url?: string; allowVolatile: boolean };
  intake: IntakeConfig;
  keysDir: string;
  logLevel: string;
  timeZone: string;
  jobs: { attempts: number; lockMs: number };
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
    if (cleaned.STAFF_USER_IDS === undefined) problems.push('STAFF_USER_IDS: missing: comma-separated Telegram user ids of counsellors');
  }
  if (problems.length || !e) throw new ConfigError(problems);

  return {
    telegram: {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
      mode: e.TELEGRAM_MODE,
      ...(e.TELEGRAM_MODE === 'webhook'
        ? { webhook: { url: e.WEBHOOK_URL!, secret: e.WEBHOOK_SECRET!, port: e.WEBHOOK_PORT } }
        : {}),
    },
    staff: {
      chatId: e.STAFF_CHAT_ID ?? 0,
      threading: e.STAFF_THREADING,
      userIds: new Set(e.STAFF_USER_IDS ?? []),
      lang: e.STAFF_LANG,
    },
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
    },
    keysDir: e.TRUSTLINE_KEYS_DIR,
    logLevel: e.LOG_LEVEL,
    timeZone: e.TZ,
    jobs: { attempts: e.JOB_ATTEMPTS, lockMs: e.JOB_LOCK_MS },
  };
}
