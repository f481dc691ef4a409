// The only module that reads the environment. Everything else receives a Config.
import { accessSync, constants, readFileSync } from 'node:fs';
import { parseStaffChats, type StaffChat } from './staff-chats.js';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { type Lang, parseDays, parseDuration, parseTimeLimit, defaultEmergencyNumbers, type TimeLimit, type Weekday } from '../shared/index.js';

const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

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
  .transform((v) =>
    v
      .split(',')
      .map((w) => w.trim().toLowerCase())
      .filter(Boolean),
  )
  .refine((list) => list.length > 0, 'must list at least one word (comma-separated)');

const integerId = z
  .string()
  .trim()
  .regex(/^-?\d+$/, 'must be an integer (e.g. -1001234567890)')
  .transform(Number);

/** A Telegram group's id: negative (`-100…` for a supergroup). */
const groupId = integerId.refine((v) => v < 0, 'must be a group id (negative)');

/** Free text, absent when empty. */
const optionalText = z.string().trim().min(1).optional();

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
 * work the queues. Several processes split the roles between them (docs/operations.md, Scale-out).
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

/** The labels /label offers when CASE_LABELS is not set. */
export const DEFAULT_CASE_LABELS = ['needs-follow-up', 'referred', 'formal-complaint'] as const;

/**
 * The stages a case moves through (its statuses, see store/cases.ts; a unit test keeps the
 * two lists equal: config may not import the store).
 */
export const stageNames = ['new', 'acknowledged', 'under-consideration', 'investigation', 'measures-taken'] as const;
export type StageName = (typeof stageNames)[number];

const stageLimits = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const limits: Partial<Record<StageName, TimeLimit>> = {};
    for (const item of v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const [stage = '', limit = ''] = item.split('=').map((x) => x.trim());
      const parsed = parseTimeLimit(limit);
      if (!(stageNames as readonly string[]).includes(stage) || !parsed) {
        ctx.addIssue({
          code: 'custom',
          message: `"${item}" must read stage=limit, a stage of ${stageNames.join(', ')} and a limit such as 1wd (working days), 30d or 4h`,
        });
        return z.NEVER;
      }
      limits[stage as StageName] = parsed;
    }
    return limits;
  });

/** A file being cleaned stays in memory where the system has a memory-backed directory. */
function defaultTmpDir(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/**
 * What the configuration reference (`npm run docs`, docs/configuration.md) says of a
 * variable: its section, what it does, and its default as a person would type it where
 * that differs from the parsed value (`1h`, not 3600000).
 */
export type VariableDoc = {
  group: string;
  description: string;
  typedDefault?: string;
};
const doc = (group: string, description: string, typedDefault?: string): VariableDoc => ({ group, description, ...(typedDefault ? { typedDefault } : {}) });

/** Every environment variable Trustline reads, with its rules and its documentation. */
const variables = z.object({
  TELEGRAM_BOT_TOKEN: z
    .string({ error: 'missing: the bot token from @BotFather' })
    .regex(/^\d+:[\w-]{20,}$/, 'does not look like a bot token (digits:secret)')
    .meta(doc('Telegram', 'Bot token from @BotFather, shaped `digits:secret`. Required.')),
  TELEGRAM_API_ROOT: z
    .url({ error: 'must be a URL' })
    .default('https://api.telegram.org')
    .meta(doc('Telegram', 'Bot API server URL: a self-hosted `telegram-bot-api`, or the local server the sandbox and tests start. A trailing `/` is removed.')),
  TRUSTLINE_ROLES: roleList
    .default(new Set(roleNames))
    .meta(
      doc(
        'Processes',
        'What this `trustline start` process does, comma-separated: `telegram` (take Telegram updates), `whatsapp` (run the lines of `WHATSAPP_NUMBERS`), `workers` (work the queues). See docs/operations.md, Scale-out.',
        'telegram,whatsapp,workers',
      ),
    ),
  TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling').meta(doc('Telegram', '`polling` (long polling, no inbound port) or `webhook`.')),
  WEBHOOK_URL: z
    .url({ error: 'must be a URL' })
    .optional()
    .meta(doc('Telegram', 'Public HTTPS URL Telegram calls. Required in webhook mode, in a process with the `telegram` role.')),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z a-z 0-9 _ -')
    .optional()
    .meta(
      doc(
        'Telegram',
        'Secret token Telegram sends with each webhook call: 16-256 of `A-Za-z0-9_-`. Required in webhook mode, in a process with the `telegram` role.',
      ),
    ),
  WEBHOOK_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(8443)
    .meta(doc('Telegram', 'Port of the plain-HTTP webhook server (all interfaces; put a TLS proxy in front).')),
  STAFF_CHAT_ID: groupId.optional().meta(doc('Staff chat', 'Id of the staff group, negative (`-100…` for a supergroup). Required by `trustline start`.')),
  OVERSIGHT_CHAT_ID: groupId
    .optional()
    .meta(
      doc(
        'Staff chat',
        "Id of the oversight group: reports about the hotline's own staff go there, never to the staff chat. Its members are the roster's people with role `oversight`. Without it, such reporters are told before sending that the counselling team would read their report.",
      ),
    ),
  STAFF_CHATS: optionalText.meta(
    doc(
      'Staff chat',
      'Path of a YAML or JSON file naming more staff chats, each a team with the cases of some categories or languages (see docs/admin-guide.md, Several staff chats). Without it every case but those about staff goes to the staff chat.',
    ),
  ),
  STAFF_THREADING: z
    .enum(['topics', 'replies', 'auto'])
    .default('auto')
    .meta(
      doc('Staff chat', '`topics` (one forum topic per case), `replies` (plain group, reply threading) or `auto` (ask Telegram whether the group is a forum).'),
    ),
  STAFF_ADMIN_IDS: idList
    .optional()
    .meta(
      doc(
        'Staff chat',
        'Comma-separated Telegram user ids of the first admins. They are made active admins at every start, so someone can always run `/staff add`, and they are never removed from the chat. List only the people who run the hotline.',
      ),
    ),
  STAFF_USER_IDS: idList
    .optional()
    .meta(
      doc(
        'Staff chat',
        'Counsellors put on the roster at the first start only (when it is empty). Installs from before rosters: without `STAFF_ADMIN_IDS`, these people become the admins.',
      ),
    ),
  STAFF_LANG: z.enum(['kk', 'ru', 'en']).default('ru').meta(doc('Staff chat', 'Language (`kk`, `ru`, `en`) of everything Trustline says in the staff chat.')),
  CASE_LABELS: wordList
    .default([...DEFAULT_CASE_LABELS])
    .meta(
      doc(
        'Staff chat',
        'The labels `/label` offers counsellors for a case (comma-separated words; any other word can be used too). `/cases label <word>` lists the cases that have one.',
        'needs-follow-up,referred,formal-complaint',
      ),
    ),
  STAFF_CHAT_GUARD: z
    .enum(['remove', 'warn'])
    .default('remove')
    .meta(
      doc(
        'Staff chat',
        'Someone who joins the staff chat and is not on the active roster: `remove` takes them out at once and tells the chat; `warn` only tells the chat.',
      ),
    ),
  STAFF_VISIBILITY: z
    .enum(['shared', 'assigned'])
    .default('shared')
    .meta(
      doc(
        'Staff chat',
        "`shared`: every case is posted in the staff chat, for everyone on the roster to read. `assigned` (need-to-know): the staff chat shows a card per case without its content, and the content goes to the assigned counsellor's private chat with the bot. Being built (issue 18): see docs/admin-guide.md before choosing it.",
      ),
    ),
  PROTECT_CONTENT: flag
    .default(true)
    .meta(
      doc(
        'Staff chat',
        'Every message the bot sends, to the staff chat and to reporters, carries `protect_content` (no forwarding or saving). `false` turns it off.',
      ),
    ),
  REDIS_URL: z
    .url({ error: 'must be a redis:// URL' })
    .optional()
    .meta(doc('Redis and keys', '`redis://` URL. Required by `trustline start`; the sandbox starts its own Redis when it is unset.')),
  REDIS_SENTINELS: z
    .string()
    .trim()
    .regex(/^[\w.-]+:\d{1,5}(\s*,\s*[\w.-]+:\d{1,5})*$/, 'must be a comma-separated list of host:port, e.g. 10.0.0.1:26379,10.0.0.2:26379')
    .transform((v) => v.split(',').map((hp) => ({ host: hp.trim().split(':')[0]!, port: Number(hp.trim().split(':')[1]) })))
    .optional()
    .meta(
      doc(
        'Redis and keys',
        "Redis Sentinels (`host:port`, comma-separated): every connection (the app's, BullMQ's queues and workers) asks them for the current primary and follows a failover without a restart, and each acknowledged message waits until a replica has it (`WAIT 1`). Replaces `REDIS_URL`.",
      ),
    ),
  REDIS_SENTINEL_NAME: z
    .string()
    .trim()
    .min(1)
    .default('trustline')
    .meta(doc('Redis and keys', 'The name the Sentinels monitor the primary under (`sentinel monitor <name> …`).')),
  REDIS_ALLOW_VOLATILE: flag
    .default(false)
    .meta(doc('Redis and keys', '`true` lets Trustline run on a Redis without AOF or with eviction, with a warning. Throwaway setups only.')),
  REDIS_ALLOW_EVERYSEC: flag
    .default(false)
    .meta(
      doc(
        'Redis and keys',
        '`true` lets Trustline run on a Redis with `appendfsync everysec`: a power cut or kernel crash can then lose up to a second of reports already acknowledged to their senders. Without it Trustline requires `appendfsync always`.',
      ),
    ),
  REDIS_OUTAGE_HOLD: duration('5m')
    .default(300_000)
    .meta(
      doc(
        'Redis and keys',
        'How long a message that cannot be stored (Redis unreachable) is held and retried before its sender is told to send it again (in all three languages). Telegram updates are not confirmed meanwhile, so nothing is lost; a shorter Redis outage costs the reporter nothing.',
        '5m',
      ),
    ),
  TRUSTLINE_KEYS_DIR: z.string().min(1).default('./keys').meta(doc('Redis and keys', 'Directory of the key files (the Docker image uses `/keys`).')),
  EMERGENCY_NUMBERS: phoneNumbers
    .default([...defaultEmergencyNumbers])
    .meta(
      doc(
        'Intake',
        'Numbers given to a reporter at risk, in `/help` and in the off-hours notice, comma-separated. Known numbers are named in the catalogs.',
        '112,102,103,111,150',
      ),
    ),
  RISK_WORDS_KK: wordList
    .optional()
    .meta(doc('Intake', 'Comma-separated Kazakh words or phrases that make a case urgent; replaces the built-in list (`stem*` matches inflections).')),
  RISK_WORDS_RU: wordList.optional().meta(doc('Intake', 'The same for Russian.')),
  RISK_WORDS_EN: wordList.optional().meta(doc('Intake', 'The same for English.')),
  INTAKE_REMIND_AFTER: idleTime
    .default(3_600_000)
    .meta(doc('Intake', 'Idle time before the one reminder of an unfinished report (`90s`, `30m`, `2h`, `1d`). Shorter than the expiry.', '1h')),
  INTAKE_EXPIRE_AFTER: idleTime
    .default(86_400_000)
    .meta(doc('Intake', 'Idle time after which an unsent draft is deleted (an open urgent case only ends its questions).', '24h')),
  EVIDENCE_MAX_BYTES: byteSize
    .default(20 * MB)
    .meta(doc('Intake', 'Largest evidence file (`800KB`, `5MB`; Telegram lets bots download at most 20 MB).', '20MB')),
  EVIDENCE_MAX_FILES: z.coerce.number().int().min(0).max(50).default(10).meta(doc('Intake', 'Evidence files per report (`0` turns evidence off).')),
  OVERSIGHT_CONTACTS: optionalText.meta(
    doc(
      'Intake',
      "Where else a report about the hotline's own staff can go (e.g. the ethics commission's address and phone), told to a reporter who says their report is about staff. Without it they are pointed to the university's ethics commission in general words.",
    ),
  ),
  RIGHTS_PAGES: optionalText.meta(
    doc(
      'Intake',
      "Folder with the installation's own pages a reporter reads with /rights and the help contacts (rights.kk.yaml, rights.ru.yaml, rights.en.yaml; a language without a file keeps Trustline's text). Checked at start-up: a broken link, a missing page or a page too long for Telegram stops the start with the file and line (see docs/admin-guide.md, The reporter's pages).",
    ),
  ),
  MAT2_COMMAND: z
    .string()
    .min(1)
    .default('mat2')
    .meta(doc('Intake', 'The `mat2` executable (Debian package `mat2`) that removes location, device and author data from every file a reporter sends.')),
  EVIDENCE_TMP_DIR: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc(
        'Intake',
        'Where a file is written for the moment it is cleaned, in a private directory removed right after. Memory-backed by default, so it never reaches a disk.',
        '/dev/shm, else the system temp directory',
      ),
    ),
  VOICE_MASK: z
    .enum(['off', 'light', 'strong'])
    .default('strong')
    .meta(
      doc(
        'Intake',
        "How much a reporter's voice (voice notes, the sound of videos; not audio files, which are most likely recordings of what happened) is disguised before it is kept: pitch and formants lowered about two semitones (`light`) or four (`strong`), the words still clear. `off` keeps voices as sent.",
      ),
    ),
  FFMPEG_COMMAND: z.string().min(1).default('ffmpeg').meta(doc('Intake', 'The `ffmpeg` executable (Debian package `ffmpeg`) that masks voices.')),
  EVIDENCE_CLEAN_TIMEOUT: duration('60s')
    .default(60_000)
    .meta(doc('Intake', 'How long cleaning one file may take before it is given up (the file is then passed on marked as not cleaned).', '60s')),
  RESUME_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5).meta(doc('Intake', 'Wrong `/resume` attempts allowed per hour from one account.')),
  // Per reporter: a pasted story or an album fits in the burst; a flood does not (docs/performance.md: flood from one reporter).
  REPORTER_BURST: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(20)
    .meta(doc('Limits', 'Messages (and button taps) one reporter may send at once before the flood limit turns them away.')),
  REPORTER_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(30)
    .meta(doc('Limits', 'Messages per minute one reporter may send after the burst.')),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .meta(doc('Operations', '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.')),
  TZ: z
    .string()
    .default('Asia/Almaty')
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Almaty')
    .meta(
      doc('Operations', 'IANA time zone of shifts, `/roster`, the times told to reporters, report days and the retention schedule. Log timestamps stay UTC.'),
    ),
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8).meta(doc('Operations', 'Attempts per queued job before it is dead-lettered.')),
  JOB_LOCK_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(600_000)
    .default(10_000)
    .meta(doc('Operations', "BullMQ job lock and per-case lease, in ms. A crashed worker's job returns within about 1.5x this.")),
  WHATSAPP_NUMBERS: lineList
    .optional()
    .meta(
      doc('WhatsApp', 'Comma-separated names of the WhatsApp trust lines (`a-z 0-9 _ -`, starting with a letter), one linked phone each. Unset: no WhatsApp.'),
    ),
  WHATSAPP_DATA_DIR: z.string().min(1).default('./whatsapp').meta(doc('WhatsApp', "Folder of the lines' session folders (`session-<line>`): a secret.")),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium').meta(doc('WhatsApp', 'The system Chromium whatsapp-web.js drives.')),
  WHATSAPP_HEADLESS: flag.default(true).meta(doc('WhatsApp', '`false` shows the browser (debugging on a desktop).')),
  WHATSAPP_RESTART_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 30)
    .default(24)
    .meta(doc('WhatsApp', 'Restart each session this often, keeping its login; lines are staggered; `0` never.')),
  WHATSAPP_RESTART_ABOVE_MB: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .meta(doc('WhatsApp', "Restart a session early when its Chromium's memory passes this many MB; `0` never.")),
  WHATSAPP_MEMORY_LOG_MINUTES: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .default(5)
    .meta(doc('WhatsApp', 'How often each line logs its memory; `0` never.')),
  WHATSAPP_LOCK_MS: z.coerce
    .number()
    .int()
    .min(2_000)
    .max(600_000)
    .default(30_000)
    .meta(doc('WhatsApp', 'Lease of the one-process-per-line lock, in ms (the takeover time after a crash).')),
  // Protects secret key files (Argon2id); absent: the CLI asks at a terminal.
  TRUSTLINE_KEY_PASSPHRASE: z
    .string()
    .optional()
    .meta(doc('Redis and keys', 'Passphrase of passphrase-protected key files (Argon2id). Unset: the CLI asks at a terminal.')),
  RETENTION_CLOSED_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(36_500)
    .default(365)
    .meta(doc('Retention and report', 'Closed and withdrawn cases are shredded this many days after closing (in Redis and in the staff chat).')),
  AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(36_500)
    .default(400)
    .meta(doc('Retention and report', 'Audit log entries older than this many days are dropped by the daily retention run.')),
  RETENTION_INTAKE_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(7)
    .meta(doc('Retention and report', 'Longest life of the state of an intake nobody finished, in days.')),
  DAILY_SUMMARY: z
    .string()
    .trim()
    .regex(/^(off|\S+( \S+){4,5})$/, 'must be a cron pattern such as "0 9 * * 1-5", or off')
    .default('0 9 * * *')
    .meta(
      doc(
        'Duty',
        'When each staff chat gets its summary (a cron pattern in `TZ`, or `off`): how many cases are open, held by nobody, waiting for an answer and urgent, and which are past a deadline, by code; never their content.',
      ),
    ),
  RETENTION_SCHEDULE: z
    .string()
    .regex(/^\S+( \S+){4,5}$/, 'must be a cron pattern such as "30 3 * * *"')
    .default('30 3 * * *')
    .meta(doc('Retention and report', 'Cron pattern, in `TZ`, of the daily retention run.')),
  BACKUP_DIR: optionalText.meta(
    doc(
      'Retention and report',
      'Folder for a nightly backup, written after the daily retention run (`trustline-YYYY-MM-DD.tlbk`, encrypted with the key files, with the ids of erased cases beside it; see docs/operations.md, Backup and restore). Unset: no nightly backup.',
    ),
  ),
  BACKUP_KEEP: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(7)
    .meta(doc('Retention and report', 'How many nightly backups `BACKUP_DIR` keeps; older ones are deleted.')),
  REPORT_MIN_CELL: z.coerce
    .number()
    .int()
    .min(2)
    .max(100)
    .default(5)
    .meta(doc('Retention and report', 'Counts below this are suppressed in the annual report.')),
  REPORT_FIRST_ANSWER_SLA_HOURS: z.coerce
    .number()
    .min(0.25)
    .max(24 * 30)
    .default(24)
    .meta(doc('Retention and report', 'A first answer later than this many hours counts as a breach in the annual report.')),
  SLA_ACK_AFTER: duration('15m')
    .default(15 * 60_000)
    .meta(doc('Duty', 'Time a counsellor has to acknowledge a case before it passes on (`90s`, `15m`, `1h`).', '15m')),
  SLA_URGENT_ACK_AFTER: duration('5m')
    .default(5 * 60_000)
    .meta(doc('Duty', 'The same for urgent cases.', '5m')),
  CASE_DEADLINES: stageLimits
    .default({
      new: { n: 1, unit: 'working-days' },
      acknowledged: { n: 10, unit: 'working-days' },
      'under-consideration': { n: 10, unit: 'working-days' },
      investigation: { n: 30, unit: 'days' },
    })
    .meta(
      doc(
        'Duty',
        "The policy's time limits, per stage of a case (its status): when a case enters a stage listed here, its next step is due within the limit (`wd` working days, `d` days, `h` hours; working days end at midnight after the last one). Counsellors are reminded before and when it passes, `/cases overdue` lists the late ones, and the reporter's `/status` shows the date.",
        'new=1wd,acknowledged=10wd,under-consideration=10wd,investigation=30d',
      ),
    ),
  WORKING_DAYS: z
    .string()
    .trim()
    .refine((v) => parseDays(v) !== undefined, 'must be days such as mon-fri or mon-sat')
    .transform((v) => parseDays(v)! as readonly Weekday[])
    .default([0, 1, 2, 3, 4])
    .meta(doc('Duty', 'The days of the week that count as working days for `CASE_DEADLINES`.', 'mon-fri')),
  HOLIDAYS: z
    .string()
    .trim()
    .refine(
      (v) => v.split(',').every((d) => /^(\d{4}-)?\d{2}-\d{2}$/.test(d.trim())),
      'must be dates such as 2026-05-27 (that day) or 03-22 (every year), comma-separated',
    )
    .transform((v) => v.split(',').map((d) => d.trim()))
    .default(['01-01', '01-02', '01-07', '03-08', '03-21', '03-22', '03-23', '05-01', '05-07', '05-09', '07-06', '08-30', '10-25', '12-16'])
    .meta(
      doc(
        'Duty',
        "Days that are not working days for `CASE_DEADLINES`: `MM-DD` every year, `YYYY-MM-DD` once (Kurban Ait, a day moved by the government). Replaces the default, Kazakhstan's public holidays of fixed date; add the year's moving ones.",
        '01-01,01-02,01-07,03-08,03-21,03-22,03-23,05-01,05-07,05-09,07-06,08-30,10-25,12-16',
      ),
    ),
  BLOCK_NEW_CASES_FOR: duration('30d')
    .default(30 * 24 * 3600_000)
    .meta(
      doc(
        'Duty',
        'How long a reporter an admin blocked for abuse (`/block`) cannot open a new case, from the same account or one they `/resume` the case from. Their messages on the blocked case never reach staff until `/unblock`.',
        '30d',
      ),
    ),
  DEADLINE_REMIND_BEFORE: duration('1d')
    .default(24 * 3600_000)
    .meta(doc('Duty', 'How long before a deadline of `CASE_DEADLINES` the counsellor holding the case is reminded (and again when it passes).', '1d')),
  // Telegram's flood limits. Off only against a Bot API server that has none (benchmarks).
  TELEGRAM_RATE_LIMITS: z
    .enum(['on', 'off'])
    .default('on')
    .meta(doc('Limits', "`on` keeps to Telegram's flood limits (the next three); `off` only against a Bot API server that has none (benchmarks).")),
  TELEGRAM_GLOBAL_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(30).meta(doc('Limits', 'Messages the bot sends per second in all.')),
  TELEGRAM_CHAT_PER_SECOND: z.coerce.number().int().min(1).max(100).default(1).meta(doc('Limits', 'Messages per second to one chat.')),
  TELEGRAM_GROUP_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(20).meta(doc('Limits', 'Messages per minute to one group (the staff chat).')),
  // Benchmarks replay an incident on a faster clock, against an emulator whose "minute" is shorter by the same factor.
  TELEGRAM_MINUTE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(60_000)
    .default(60_000)
    .meta(doc('Limits', "The length of Telegram's minute in ms: leave at 60000; shorter only against an emulator with a scaled clock (`npm run bench`).")),
  // /healthz and /metrics: off unless a port is given (0 = any free port); unauthenticated, so loopback by default.
  HEALTH_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .meta(doc('Operations', 'Port of `/healthz` and `/metrics`. Unset: not started; `0` takes any free port (tests). Compose sets 9464.')),
  HEALTH_HOST: z
    .string()
    .trim()
    .min(1)
    .default('127.0.0.1')
    .meta(doc('Operations', 'Address the health server listens on. Unauthenticated: widen it only where the port is not reachable from outside.')),
});

/** The names `docker-compose.yml` and the README may set (test/unit/compose.test.ts holds them to this). */
export const configVariables: readonly string[] = Object.keys(variables.shape);

/** Each variable with its documentation and default (as typed), in the schema's order. */
export function variableReference(): { name: string; doc?: VariableDoc; default?: string }[] {
  return Object.entries(variables.shape).map(([name, schema]) => {
    const doc = z.globalRegistry.get(schema) as VariableDoc | undefined;
    const def = (schema as unknown as { _zod: { def: { type: string; defaultValue?: unknown } } })._zod.def;
    const value = def.type === 'default' ? def.defaultValue : undefined;
    const shown = doc?.typedDefault ?? (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined);
    return { name, ...(doc ? { doc } : {}), ...(shown !== undefined ? { default: shown } : {}) };
  });
}

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
export type StaffVisibility = 'shared' | 'assigned';

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
  /** mat2, and where and how long it may work on a file */
  cleaning: { command: string; tmpDir: string; timeoutMs: number };
  /** how much voices are disguised, with ffmpeg */
  voice: { level: 'off' | 'light' | 'strong'; command: string };
  /** where else a report about the hotline's own staff can go (OVERSIGHT_CONTACTS) */
  oversightContacts?: string;
  /** RIGHTS_PAGES: the folder of the installation's own /rights pages, if any */
  rightsPages?: string;
  /** an oversight chat is configured (OVERSIGHT_CHAT_ID): a report about staff goes there */
  oversightChat: boolean;
  /** STAFF_CHATS: the teams' chats and the cases that are theirs, first match first */
  deskRoutes: readonly StaffChat[];
  /** Wrong /resume passphrases allowed per hour, per case and per account. */
  resumeMaxAttempts: number;
  /** Messages one reporter may send at once, and per minute after that; more are turned away. */
  flood: { burst: number; perMinute: number };
  /** TZ: the dates a reporter is given (when their case's next step is due) */
  timeZone: string;
  /** BLOCK_NEW_CASES_FOR: how long a reporter blocked for abuse opens no new case */
  blockNewCasesMs: number;
}

export interface Config {
  /** TRUSTLINE_ROLES: what this process does (see docs/operations.md, Scale-out) */
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
    /** OVERSIGHT_CHAT_ID: where reports about the hotline's own staff go (threading asked of Telegram) */
    oversightChatId?: number;
    /** STAFF_CHATS: the teams' chats beside the main one, in the file's order (the first match wins) */
    chats: readonly StaffChat[];
    /** STAFF_ADMIN_IDS (or, on an install from before rosters, STAFF_USER_IDS): always admins */
    adminIds: ReadonlySet<number>;
    /** STAFF_USER_IDS: counsellors put on an empty roster at first start */
    userIds: ReadonlySet<number>;
    lang: Lang;
    /** someone who joins the staff chat and is not on the roster: removed at once, or the admins warned */
    guard: StaffChatGuard;
    /** who reads a case: everyone in the staff chat, or only the counsellor it is assigned to */
    visibility: StaffVisibility;
    /** CASE_LABELS: the labels /label offers */
    labels: readonly string[];
  };
  /** time to acknowledge a case before it passes to the next counsellor */
  sla: { ackMs: number; urgentAckMs: number };
  /** the policy's time limits per stage, counted on the working calendar */
  deadlines: { limits: Partial<Record<StageName, TimeLimit>>; workdays: readonly Weekday[]; holidays: readonly string[]; remindBeforeMs: number };
  /** DAILY_SUMMARY: the cron pattern of each staff chat's daily summary (undefined: off) */
  dailySummary?: string;
  /** `outageHoldMs`: REDIS_OUTAGE_HOLD, how long a message that cannot be stored is retried before its sender is told */
  /** `sentinels`: REDIS_SENTINELS with REDIS_SENTINEL_NAME, used instead of `url` when set */
  redis: {
    url?: string;
    sentinels?: { hosts: { host: string; port: number }[]; name: string };
    allowVolatile: boolean;
    allowEverysec: boolean;
    outageHoldMs: number;
  };
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
    /** BACKUP_DIR and BACKUP_KEEP: the nightly backup, when set */
    backup?: { dir: string; keep: number };
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
export function loadConfig(env: NodeJS.ProcessEnv = process.env, require: readonly Requirement[] = ['telegram', 'staff']): Config {
  // Empty strings mean "unset" (docker-compose passes `VAR=` through as empty).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const problems: string[] = [];
  const parsed = schema.safeParse(require.includes('telegram') ? cleaned : { TELEGRAM_BOT_TOKEN: '0:placeholder-not-used-xxxxxxxxx', ...cleaned });
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
  let chats: StaffChat[] = [];
  if (e?.STAFF_CHATS !== undefined) {
    try {
      chats = parseStaffChats(readFileSync(e.STAFF_CHATS, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push(`STAFF_CHATS: ${code ? `cannot read the file (${code})` : (err as Error).message}`);
    }
    const taken = [e.STAFF_CHAT_ID, e.OVERSIGHT_CHAT_ID];
    for (const c of chats)
      if (taken.includes(c.chatId)) problems.push(`STAFF_CHATS: chat ${c.name} is the staff or oversight chat: each team needs a group of its own`);
  }
  if (e?.OVERSIGHT_CHAT_ID !== undefined && e.OVERSIGHT_CHAT_ID === e.STAFF_CHAT_ID) {
    problems.push('OVERSIGHT_CHAT_ID: must be another group than STAFF_CHAT_ID: reports about staff must not reach the staff chat');
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
              minuteMs: e.TELEGRAM_MINUTE_MS,
            },
          }
        : {}),
    },
    staff: {
      chatId: e.STAFF_CHAT_ID ?? 0,
      threading: e.STAFF_THREADING,
      ...(e.OVERSIGHT_CHAT_ID !== undefined ? { oversightChatId: e.OVERSIGHT_CHAT_ID } : {}),
      chats,
      // Before rosters, STAFF_USER_IDS were the people who ran everything: without
      // STAFF_ADMIN_IDS they stay in charge, as admins.
      adminIds: new Set(e.STAFF_ADMIN_IDS ?? e.STAFF_USER_IDS ?? []),
      userIds: new Set(e.STAFF_USER_IDS ?? []),
      lang: e.STAFF_LANG,
      guard: e.STAFF_CHAT_GUARD,
      visibility: e.STAFF_VISIBILITY,
      labels: e.CASE_LABELS,
    },
    sla: { ackMs: e.SLA_ACK_AFTER, urgentAckMs: e.SLA_URGENT_ACK_AFTER },
    ...(e.DAILY_SUMMARY !== 'off' ? { dailySummary: e.DAILY_SUMMARY } : {}),
    deadlines: { limits: e.CASE_DEADLINES, workdays: e.WORKING_DAYS, holidays: e.HOLIDAYS, remindBeforeMs: e.DEADLINE_REMIND_BEFORE },
    redis: {
      url: e.REDIS_URL,
      ...(e.REDIS_SENTINELS ? { sentinels: { hosts: e.REDIS_SENTINELS, name: e.REDIS_SENTINEL_NAME } } : {}),
      allowVolatile: e.REDIS_ALLOW_VOLATILE,
      allowEverysec: e.REDIS_ALLOW_EVERYSEC,
      outageHoldMs: e.REDIS_OUTAGE_HOLD,
    },
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
      cleaning: { command: e.MAT2_COMMAND, tmpDir: e.EVIDENCE_TMP_DIR ?? defaultTmpDir(), timeoutMs: e.EVIDENCE_CLEAN_TIMEOUT },
      voice: { level: e.VOICE_MASK, command: e.FFMPEG_COMMAND },
      ...(e.OVERSIGHT_CONTACTS ? { oversightContacts: e.OVERSIGHT_CONTACTS } : {}),
      ...(e.RIGHTS_PAGES ? { rightsPages: e.RIGHTS_PAGES } : {}),
      oversightChat: e.OVERSIGHT_CHAT_ID !== undefined,
      deskRoutes: chats,
      resumeMaxAttempts: e.RESUME_MAX_ATTEMPTS,
      timeZone: e.TZ,
      blockNewCasesMs: e.BLOCK_NEW_CASES_FOR,
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
      ...(e.BACKUP_DIR ? { backup: { dir: e.BACKUP_DIR, keep: e.BACKUP_KEEP } } : {}),
    },
    report: { minCell: e.REPORT_MIN_CELL, firstAnswerSlaHours: e.REPORT_FIRST_ANSWER_SLA_HOURS },
    ...(e.HEALTH_PORT !== undefined ? { health: { host: e.HEALTH_HOST, port: e.HEALTH_PORT } } : {}),
  };
}

/** Every staff chat, the main one first: `oversight` when OVERSIGHT_CHAT_ID is set, then STAFF_CHATS. */
export function staffChatsOf(config: Pick<Config, 'staff'>): { name: string; chatId: number; threading: Threading | 'auto' }[] {
  const { staff } = config;
  return [
    { name: 'main', chatId: staff.chatId, threading: staff.threading },
    ...(staff.oversightChatId !== undefined ? [{ name: 'oversight', chatId: staff.oversightChatId, threading: 'auto' as const }] : []),
    ...staff.chats.map((c) => ({ name: c.name, chatId: c.chatId, threading: c.threading })),
  ];
}

/** Every staff chat's name (see staffChatsOf). */
export const deskNames = (config: Pick<Config, 'staff'>): string[] => staffChatsOf(config).map((c) => c.name);
