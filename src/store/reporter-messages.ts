// The messages of a reporter's private chat with the bot (theirs and the bot's), by
// message id only, so that /wipe and /forget can delete them from the chat: Telegram
// lets a bot delete both sides of a private chat for 48 hours, so ids older than that
// are dropped. Keyed by the reporter key; no text, no chat id.
import type { Redis } from 'ioredis';
import type { ReporterKey } from '../ids.js';
import { redisKeys } from './keys.js';

/** Telegram deletes nothing older than this (a margin under its 48 hours). */
const DELETABLE_FOR_MS = 47 * 3600_000;

export class ReporterMessages {
  constructor(private readonly redis: Redis) {}

  async record(rk: ReporterKey, ids: readonly number[], now = Date.now()): Promise<void> {
    if (!ids.length) return;
    const key = redisKeys.reporterMessages(rk);
    await this.redis
      .multi()
      .zadd(key, ...ids.flatMap((id) => [now, String(id)]))
      .zremrangebyscore(key, '-inf', now - DELETABLE_FOR_MS)
      .pexpire(key, DELETABLE_FOR_MS)
      .exec();
  }

  /** The ids still deletable, oldest first; the record goes with them. */
  async take(rk: ReporterKey, now = Date.now()): Promise<number[]> {
    const key = redisKeys.reporterMessages(rk);
    const [[, ids]] = (await this.redis.multi().zrangebyscore(key, now - DELETABLE_FOR_MS, '+inf').del(key).exec()) as [[unknown, string[]], unknown];
    return ids.map(Number);
  }
}
