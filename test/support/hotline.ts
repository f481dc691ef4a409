// A whole hotline for end-to-end tests: real redis-server, the local Bot API server,
// the real grammY bot and workers, and a log captured line by line.
import { loadConfig, type Config, type TelegramLimits } from '../../src/config/config.js';
import { startTrustline, type PlatformOverrides, type Trustline } from '../../src/app/app.js';
import { generateKeyRing, sodiumReady, type KeyRing } from '../../src/crypto/index.js';
import { startBotApiServer, type BotApiServer, type BotRights, type RateLimits } from '../../src/sandbox/bot-api/index.js';
import { startRedisServer, type RedisServer } from '../../src/sandbox/redis-server.js';
import type { Clock } from '../../src/shared/clock.js';
import { captureLog, type CapturedLog } from './log-sink.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Hotline {
  redis: RedisServer;
  api: BotApiServer;
  keys: KeyRing;
  captured: CapturedLog;
  staffGroup: { id: number };
  counsellor: { id: number; username?: string };
  /** the admin from STAFF_ADMIN_IDS (Dana, from STAFF_USER_IDS, is a counsellor) */
  admin: { id: number; username?: string };
  /** with `teams`: each team's group (STAFF_CHATS), by name; nobody is in them yet */
  teams: Record<string, { id: number }>;
  /** with `oversight: true`: the oversight group (OVERSIGHT_CHAT_ID) and its one member, Olzhas, not on the roster yet */
  oversight?: { group: { id: number }; member: { id: number; username?: string } };
  /** the environment its config was loaded from */
  env: Record<string, string>;
  config: Config;
  app: Trustline;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Telegram's flood limits enforced by the emulator, and the same limits kept by
 * Trustline: spread into startHotline's options.
 */
export function sharedLimits(limits: TelegramLimits): { rateLimits: RateLimits; configure: (config: Config) => Config } {
  return {
    rateLimits: {
      globalPerSecond: limits.globalPerSecond,
      perChatPerSecond: limits.chatPerSecond,
      perGroupPerMinute: limits.groupPerMinute,
      minuteMs: limits.minuteMs,
    },
    configure: (c) => ({ ...c, telegram: { ...c.telegram, limits } }),
  };
}

export async function startHotline(options: {
  threading: 'topics' | 'replies';
  env?: Record<string, string>;
  platform?: PlatformOverrides;
  clock?: Clock;
  /** Telegram's flood control in the emulator (off by default, like the emulator) */
  rateLimits?: RateLimits;
  /** last word on the config, e.g. a shorter group window than a minute */
  configure?: (config: Config) => Config;
  /** what the bot may do as an administrator of the staff chat (all it needs, by default) */
  botRights?: Partial<BotRights>;
  /** the staff group's "Restrict saving content", on by default as the README's setup asks */
  protectedContent?: boolean;
  /** an oversight group beside the staff chat (a forum when `threading` is topics) */
  oversight?: boolean;
  /** teams' chats (STAFF_CHATS, written to a file): forums when `threading` is topics */
  teams?: { name: string; categories?: string[]; languages?: string[] }[];
}): Promise<Hotline> {
  await sodiumReady();
  const redis = await startRedisServer();
  const api = await startBotApiServer(options.rateLimits ? { rateLimits: options.rateLimits } : {});
  const counsellor = api.addUser({ firstName: 'Dana', username: 'dana_counsellor', languageCode: 'ru' });
  const admin = api.addUser({ firstName: 'Aliya', username: 'aliya_admin', languageCode: 'ru' });
  const staffGroup = api.addGroup({ title: 'Trustline staff', forum: options.threading === 'topics', members: [counsellor.id, admin.id] });
  if (options.botRights) api.setBotRights(staffGroup, options.botRights);
  api.setProtectedContent(staffGroup, options.protectedContent ?? true);
  let oversight: Hotline['oversight'];
  if (options.oversight) {
    const member = api.addUser({ firstName: 'Olzhas', username: 'olzhas_oversight', languageCode: 'ru' });
    const group = api.addGroup({ title: 'Trustline oversight', forum: options.threading === 'topics', members: [member.id] });
    api.setProtectedContent(group, true);
    oversight = { group, member };
  }
  const teams: Hotline['teams'] = {};
  let staffChats: string | undefined;
  if (options.teams?.length) {
    const chats = options.teams.map((team) => {
      const group = api.addGroup({ title: `Trustline ${team.name}`, forum: options.threading === 'topics' });
      api.setProtectedContent(group, true);
      teams[team.name] = group;
      return { name: team.name, chatId: group.id, categories: team.categories ?? [], languages: team.languages ?? [] };
    });
    staffChats = join(mkdtempSync(join(tmpdir(), 'trustline-chats-')), 'staff-chats.json');
    writeFileSync(staffChats, JSON.stringify({ chats }));
  }
  const env = {
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    STAFF_CHAT_ID: String(staffGroup.id),
    ...(oversight ? { OVERSIGHT_CHAT_ID: String(oversight.group.id) } : {}),
    ...(staffChats ? { STAFF_CHATS: staffChats } : {}),
    STAFF_ADMIN_IDS: String(admin.id),
    STAFF_USER_IDS: String(counsellor.id),
    STAFF_THREADING: 'auto',
    REDIS_URL: redis.url,
    JOB_LOCK_MS: '2000',
    JOB_ATTEMPTS: '3',
    // The emulator has no flood control unless a test asks for it; neither does the hotline.
    TELEGRAM_RATE_LIMITS: options.rateLimits ? 'on' : 'off',
    // Test reporters write at machine speed; the per-reporter flood limit has tests of its own.
    REPORTER_BURST: '100000',
    REPORTER_PER_MINUTE: '100000',
    ...options.env,
  };
  const loaded = loadConfig(env);
  const config = options.configure ? options.configure(loaded) : loaded;
  const keys = generateKeyRing();
  const captured = captureLog('debug');
  const app = await startTrustline({ config, keys, log: captured.log, platform: options.platform, ...(options.clock ? { clock: options.clock } : {}) }).catch(
    async (err: unknown) => {
      await api.close();
      await redis.stop();
      throw err;
    },
  );
  const hotline: Hotline = {
    redis,
    api,
    keys,
    captured,
    staffGroup,
    counsellor,
    admin,
    ...(oversight ? { oversight } : {}),
    teams,
    env,
    config,
    app,
    async restart() {
      await hotline.app.stop();
      hotline.app = await startTrustline({ config, keys, log: captured.log, platform: options.platform, ...(options.clock ? { clock: options.clock } : {}) });
    },
    async stop() {
      // A stop that hangs says where: the last things the hotline logged (events, no content).
      const slow = setTimeout(() => {
        const tail = captured.records().slice(-25);
        console.error(`hotline stop still running after 20 s; last log records:\n${tail.map((r) => JSON.stringify(r)).join('\n')}`);
      }, 20_000);
      try {
        await hotline.app.stop();
      } finally {
        clearTimeout(slow);
      }
      await api.close();
      await redis.stop();
    },
  };
  return hotline;
}

/**
 * Another process of the same hotline (same Redis, Bot API server and keys) with its
 * own log, e.g. with other TRUSTLINE_ROLES. Stop it before the hotline.
 */
export async function startBeside(
  h: Hotline,
  options: { env: Record<string, string>; platform?: PlatformOverrides },
): Promise<{ app: Trustline; captured: CapturedLog; config: Config }> {
  const config = loadConfig({ ...h.env, ...options.env });
  const captured = captureLog('debug');
  const app = await startTrustline({ config, keys: h.keys, log: captured.log, ...(options.platform ? { platform: options.platform } : {}) });
  return { app, captured, config };
}
