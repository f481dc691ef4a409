// The Telegram side of the hotline, before any role runs it: the bot with its flood
// limits, failure metrics and protected content, the staff chat's threading, who may
// post there, and the check that the bot may keep that chat private.
import {
  createStaffMembership,
  createTelegramBot,
  missingStaffRights,
  recordCaseMessages,
  staffAdmins,
  StaffRightsMissing,
  telegramChannel,
  telegramFailures,
  telegramLimits,
  telegramTransport,
  staffDesks,
  type StaffDesk,
  type StaffDesks,
  type StaffAdmins,
  type StaffMembership,
  type StaffRight,
  type TelegramBot,
} from '../bot/telegram/index.js';
import { type Config, staffChatsOf } from '../config/index.js';
import type { KeyRing } from '../crypto/index.js';
import type { HotlineMetrics } from '../health/index.js';
import type { ReporterChannel } from '../relay/index.js';
import type { StaffDirectory } from '../routing/index.js';
import type { Logger } from '../shared/index.js';
import { SendBudget } from '../store/index.js';
import type { Storage } from './storage.js';

export interface TelegramParts {
  readonly bot: TelegramBot;
  /** Telegram's flood limits, shared by every process through Redis (undefined: none) */
  readonly budget: SendBudget | undefined;
  /** the staff chats: the main one, and the oversight chat when configured */
  readonly desks: StaffDesks;
  /** who in the staff chat posts anonymously (counted, never named) */
  readonly admins: StaffAdmins;
  /** what the bot may not do in the staff chat but must (empty: all is well) */
  missingRights(): Promise<StaffRight[]>;
  /** the way out to Telegram reporters */
  readonly channel: ReporterChannel;
  /** keeps the staff chat to the roster (needs the roster's directory, built later) */
  membership(directory: StaffDirectory): StaffMembership;
  close(): Promise<void>;
}

/** Throws StaffRightsMissing when the bot cannot keep the staff chat private. */
export async function buildTelegram(deps: {
  config: Config;
  keys: KeyRing;
  log: Logger;
  storage: Storage;
  metrics: HotlineMetrics;
  /** aborted at shutdown: sends still waiting for a flood-control slot give their job back */
  stopping: AbortSignal;
}): Promise<TelegramParts> {
  const { config, keys, log, storage, metrics } = deps;
  const limits = config.telegram.limits;
  const budget = limits ? new SendBudget(storage.redis, limits, keys.pepper, deps.stopping) : undefined;
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
  const desks = staffDesks(bot.api, staffChatsOf(config));
  bot.api.config.use(recordCaseMessages({ store: storage.store, desks }));
  // A bot token starts with the bot's id: no getMe on every health check.
  const botId = Number(config.telegram.token.split(':')[0]);
  const missingIn = async (desk: StaffDesk) => missingStaffRights(bot.api, desk.chatId, botId, await desk.threading());
  const missingRights = async () => (await Promise.all(desks.all.map(missingIn))).flat();
  // Each staff chat stays private only if the bot may remove people and delete messages there.
  for (const desk of desks.all) {
    const missing = await missingIn(desk).catch(() => [] as StaffRight[]); // Telegram unreachable: the health check says so later
    if (missing.length) {
      void transport.close();
      throw new StaffRightsMissing(missing, desk.name);
    }
  }
  return {
    bot,
    budget,
    desks,
    admins: staffAdmins(bot.api, config.staff.chatId),
    missingRights,
    channel: telegramChannel(bot.api, { messages: storage.reporterMessages, pepper: keys.pepper }),
    membership: (directory) => createStaffMembership({ api: bot.api, desks, lang: config.staff.lang, directory, guard: config.staff.guard, log }),
    close: () => transport.close(),
  };
}
