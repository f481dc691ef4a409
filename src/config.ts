// The only module that reads the environment. Everything else receives a Config.
import { z } from 'zod';
import type { Lang } from './ids.js';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

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
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TZ: z
      .string()
      .default('Asia/Almaty')
      .refine(isTimeZone, 'must be an IANA time zone such as Asia/Almaty'),
    JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
    // Telegram's flood limits. Off only against a Bot API server that has none (benchmarks).
    TELEGRAM_RATE_LIMITS: z.enum(['on', 'off']).default('on'),
    TELEGRAM_GLOBAL_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(30),
    TELEGRAM_CHAT_PER_SECOND: z.coerce.number().int().min(1).max(100).default(1),
    TELEGRAM_GROUP_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(20),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_MODE === 'webhook' && !env.WEBHOOK_URL) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_URL'], message: 'required when TELEGRAM_MODE=webhook' });
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

export interface Config {
  telegram: {
    token: string;
    apiRoot: string;
    mode: 'polling' | 'webhook';
    webhook?: { url: string; secret: string; port: number };
    /** Outgoing flood limits Trustline keeps to; undefined = none (a Bot API server without limits). */
    limits?: TelegramLimits;
  };
  staff: { chatId: number; threading: Threading | 'auto'; userIds: ReadonlySet<number>; lang: Lang };
  redis: { url?: string; allowVolatile: boolean };
  keysDir: string;
  logLevel: string;
  timeZone: string;
  jobs: { attempts: number; lockMs: number };
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
      userIds: new Set(e.STAFF_USER_IDS ?? []),
      lang: e.STAFF_LANG,
    },
    redis: { url: e.REDIS_URL, allowVolatile: e.REDIS_ALLOW_VOLATILE },
    keysDir: e.TRUSTLINE_KEYS_DIR,
    logLevel: e.LOG_LEVEL,
    timeZone: e.TZ,
    jobs: { attempts: e.JOB_ATTEMPTS, lockMs: e.JOB_LOCK_MS },
  };
}
