// The one grammY bot: reporters in private chats, counsellors in the staff chat,
// nothing anywhere else.
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, type Context, type Transformer } from 'grammy';
import type { Logger } from '../../shared/index.js';
import type { TelegramTransport } from './transport.js';
import { protectContent } from './protect.js';

// chat_member: who joins the staff chat (Telegram sends it only when asked for, to an admin bot).
export const allowedUpdates = ['message', 'edited_message', 'my_chat_member', 'chat_member', 'channel_post', 'callback_query'] as const;

/**
 * The redelivery mark of a Telegram update. update_ids count per bot, so the bot's id is
 * part of it: a new bot token must not inherit the old one's memory.
 */
export const deliveryIdOf = (ctx: Context): string => `tg:${ctx.me.id}:${ctx.update.update_id}`;

/** The bot as the rest of the hotline holds it. */
export type TelegramBot = Bot<Context>;

export function createTelegramBot(opts: {
  token: string;
  apiRoot: string;
  log: Logger;
  limits?: Transformer;
  failures?: Transformer;
  /** grammY's own node-fetch when absent */
  transport?: TelegramTransport;
  /** every message goes out with protect_content (no forwarding or saving) */
  protect?: boolean;
}): TelegramBot {
  const fetch = opts.transport?.fetch as typeof globalThis.fetch | undefined;
  const bot = new Bot<Context>(opts.token, { client: { apiRoot: opts.apiRoot, ...(fetch ? { fetch } : {}) } });
  // Innermost of all: sees every request as Telegram answered it (metrics).
  if (opts.failures) bot.api.config.use(opts.failures);
  // Installed first, so it sits inside auto-retry: each attempt waits for its own slot.
  if (opts.limits) bot.api.config.use(opts.limits);
  if (opts.protect !== false) bot.api.config.use(protectContent());
  // Bounded: the plugin retries forever by default, which would pin a job (and the
  // case's order) behind one unreachable chat. BullMQ's backoff takes over after this.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, rethrowHttpErrors: true }));
  // Without a catch grammY stops polling on the first error. Never log ctx: it holds the update.
  bot.catch((err) => opts.log.error({ err: err.error, updateType: Object.keys(err.ctx.update)[1] }, 'update handling failed'));
  return bot;
}
