// Long polling that handles different chats side by side and one chat in order.
//
// grammY's built-in bot.start() handles updates strictly one after another, so one
// slow reporter (or one Redis round trip too many) holds up everyone behind them.
// Here the updates of one batch are grouped by chat (by forum topic in the staff
// chat) and the groups run concurrently. The next getUpdates call, which confirms the
// batch to Telegram, is made only once every update of it has been handled: a crash
// mid-batch means Telegram sends the batch again (and intake drops what it already has),
// never that an update is confirmed but not handled.
import { BotError, type Bot, type Context } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../shared/index.js';
import { stampArrival } from './arrival.js';

export interface Polling {
  /** Stops asking for updates, waits for the batch in hand, confirms it to Telegram. */
  stop(): Promise<void>;
}

/** Updates with the same key are handled in order; different keys run side by side. */
export function orderKey(update: Update): string {
  const message = update.message ?? update.edited_message ?? update.channel_post ?? update.edited_channel_post;
  if (message) {
    // A forum topic is one case: its messages keep their order, other topics go on beside it.
    return message.is_topic_message && message.message_thread_id !== undefined ? `${message.chat.id}:${message.message_thread_id}` : String(message.chat.id);
  }
  const chat = update.callback_query?.message?.chat.id ?? update.callback_query?.from.id ?? update.my_chat_member?.chat.id ?? update.chat_member?.chat.id;
  return chat !== undefined ? String(chat) : `update:${update.update_id}`;
}

export function startPolling(bot: Bot<Context>, opts: { allowedUpdates: readonly string[]; log: Logger; timeoutSeconds?: number }): Polling {
  let running = true;
  const abort = new AbortController();
  let offset = 0;

  async function handle(update: Update): Promise<void> {
    try {
      await bot.handleUpdate(update);
    } catch (err) {
      // handleUpdate of this bot throws BotErrors of this bot's Context
      if (err instanceof BotError) await bot.errorHandler(err as BotError<Context>);
      else opts.log.error({ err }, 'update could not be handled');
    }
  }

  async function handleBatch(updates: Update[]): Promise<void> {
    // In Telegram's order, before any of them is handled.
    for (const u of updates) stampArrival(u);
    const lines = new Map<string, Update[]>();
    for (const u of updates) {
      const key = orderKey(u);
      const line = lines.get(key);
      if (line) line.push(u);
      else lines.set(key, [u]);
    }
    await Promise.all(
      [...lines.values()].map(async (line) => {
        for (const u of line) await handle(u);
      }),
    );
  }

  const loop = (async () => {
    // A webhook left over from webhook mode would make getUpdates fail with 409.
    await bot.api.deleteWebhook({ drop_pending_updates: false });
    let backoffMs = 500;
    while (running) {
      let updates: Update[];
      try {
        updates = await bot.api.getUpdates(
          { offset, timeout: opts.timeoutSeconds ?? 30, allowed_updates: [...opts.allowedUpdates] as never },
          // grammY types its signal with the abort-controller shim; Node's is the same thing at run time.
          abort.signal as Parameters<Bot<Context>['api']['getUpdates']>[1],
        );
        backoffMs = 500;
      } catch (err) {
        if (!running) break;
        opts.log.warn({ err }, 'getUpdates failed; polling again shortly');
        await new Promise((r) => setTimeout(r, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 30_000);
        continue;
      }
      await handleBatch(updates);
      const last = updates[updates.length - 1];
      if (last) offset = last.update_id + 1;
    }
    // Confirm the handled batch so Telegram does not send it again after a restart.
    if (offset > 0) await bot.api.getUpdates({ offset, limit: 1, timeout: 0 }).catch(() => undefined);
  })();
  loop.catch((err: unknown) => opts.log.fatal({ err }, 'Telegram polling stopped'));

  return {
    async stop() {
      running = false;
      abort.abort();
      await loop.catch(() => undefined);
    },
  };
}
