// Long polling that handles different chats side by side and one chat in order.
//
// grammY's built-in bot.start() handles updates strictly one after another, so one
// slow reporter (a 20 MB file being downloaded and cleaned, or one Redis round trip too
// many) holds up everyone behind them. Here each chat (each forum topic in the staff
// chat) has its own line of updates, and the lines run side by side. Nothing is
// confirmed to Telegram before it was handled: getUpdates' offset never passes an
// update still in hand, so a crash means Telegram sends it again (and the redelivery
// marks drop what was already done). While an update is in hand, later ones are still
// fetched (Telegram hands the unconfirmed ones over again with them, and those are
// skipped), every POLL_WHILE_BUSY_MS, so a slow line never holds the other chats. An
// update that could not be stored (Redis unreachable) stays in hand and is tried again,
// its chat's later updates behind it, until storage is back (or the adapter gives up
// after REDIS_OUTAGE_HOLD and tells the sender); at shutdown it is left unconfirmed.
import { BotError, type Bot, type Context } from 'grammy';
import type { Update } from 'grammy/types';
import { heldRetryMs, type Logger, StorageUnavailable } from '../../shared/index.js';
import { isRedisUnreachable } from '../../store/index.js';
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

/** While an update is still in hand, new ones are looked for this often (a long poll would return at once). */
const POLL_WHILE_BUSY_MS = 500;

export function startPolling(bot: Bot<Context>, opts: { allowedUpdates: readonly string[]; log: Logger; timeoutSeconds?: number }): Polling {
  let running = true;
  const abort = new AbortController();
  /** the highest update_id taken in hand so far */
  let seen = 0;
  /** update_ids taken in hand and not yet handled: the offset stays at the lowest */
  const inHand = new Set<number>();
  /** per order key, the last update of its line */
  const lines = new Map<string, Promise<void>>();
  /** updates given up at shutdown while storage was unreachable: never confirmed, Telegram sends them again */
  const unstored = new Set<number>();
  let idle: (() => void) | undefined;

  async function handle(update: Update): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await bot.handleUpdate(update);
        if (attempt > 0) opts.log.info({ event: 'update.stored', attempts: attempt + 1 }, 'a held update was stored');
        return;
      } catch (err) {
        // handleUpdate of this bot throws BotErrors of this bot's Context
        const cause = err instanceof BotError ? (err as BotError<Context>).error : err;
        // The reporter adapter says so itself (it gives up after REDIS_OUTAGE_HOLD); a staff update that hit an unreachable Redis is held too.
        if (cause instanceof StorageUnavailable || isRedisUnreachable(cause)) {
          if (!running) {
            unstored.add(update.update_id);
            return;
          }
          if (attempt === 0) opts.log.warn({ event: 'update.held' }, 'storage unreachable: the update is held and tried again');
          await new Promise((r) => setTimeout(r, heldRetryMs(attempt)));
          continue;
        }
        if (err instanceof BotError) await bot.errorHandler(err as BotError<Context>);
        else opts.log.error({ err }, 'update could not be handled');
        return;
      }
    }
  }

  /** Puts a new update at the end of its chat's line. */
  function take(update: Update): void {
    // In Telegram's order, before any of them is handled.
    stampArrival(update);
    seen = update.update_id;
    inHand.add(update.update_id);
    const key = orderKey(update);
    const line = (lines.get(key) ?? Promise.resolve())
      .then(() => handle(update))
      .finally(() => {
        inHand.delete(update.update_id);
        if (lines.get(key) === line) lines.delete(key);
        if (inHand.size === 0) idle?.();
      });
    lines.set(key, line);
  }

  /** Resolves when nothing is in hand, or after `ms`. */
  function settled(ms: number): Promise<void> {
    if (inHand.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        idle = undefined;
        resolve();
      }
      idle = done;
    });
  }

  /** The offset that confirms everything handled and nothing in hand (1 before the first update: update ids are positive). */
  const offset = () => (inHand.size ? Math.min(...inHand) : seen + 1);

  const loop = (async () => {
    // A webhook left over from webhook mode would make getUpdates fail with 409.
    await bot.api.deleteWebhook({ drop_pending_updates: false });
    let backoffMs = 500;
    while (running) {
      const busy = inHand.size > 0;
      let updates: Update[];
      try {
        updates = await bot.api.getUpdates(
          { offset: offset(), timeout: busy ? 0 : (opts.timeoutSeconds ?? 30), allowed_updates: [...opts.allowedUpdates] as never },
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
      // Those still in hand come again with the new ones: only the new ones are taken.
      for (const u of updates) if (u.update_id > seen) take(u);
      await settled(POLL_WHILE_BUSY_MS);
    }
    // Everything in hand is finished, then confirmed, so Telegram does not send it again after a
    // restart; up to the first update that could not be stored, which it must send again.
    while (inHand.size > 0) await settled(60_000);
    const confirm = unstored.size ? Math.min(...unstored) : seen + 1;
    if (seen > 0) await bot.api.getUpdates({ offset: confirm, limit: 1, timeout: 0 }).catch(() => undefined);
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
