// The messages of a reporter's private chat with the bot (theirs and the bot's), by
// message id only, so that /wipe and /forget can delete them from the chat: Telegram
// lets a bot delete both sides of a private chat for 48 hours, so ids older than that
// are dropped. Keyed by the reporter key; no text, no chat id.
import type { Redis } from 'ioredis';
import type { ReporterKey } from '../shared/index.js';
import { redisKeys } from './redis-keys.js';
import { script } from './scripts.js';

/** Telegram deletes nothing older than this (a margin under its 48 hours). */
const DELETABLE_FOR_MS = 47 * 3600_000;

// KEYS: 1 the chat's ids. ARGV: 1 now, 2 cut-off, 3 lifetime ms, 4.. message ids.
const RECORD = script(`
for i = 4, #ARGV do redis.call('ZADD', KEYS[1], ARGV[1], ARGV[i]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -1001) -- at most the latest 1,000: a chat that long is deleted by the reporter
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`);

export class ReporterMessages {
  constructor(private readonly redis: Redis) {}

  /** One script call, not a MULTI: it rides in the same write as the commands around it (auto-pipelining). */
  async record(rk: ReporterKey, ids: readonly number[], now = Date.now()): Promise<void> {
    if (!ids.length) return;
    await RECORD.run(this.redis, [redisKeys.reporterMessages(rk)], [now, now - DELETABLE_FOR_MS, DELETABLE_FOR_MS, ...ids.map(String)]);
  }

  /** The ids still deletable, oldest first; the record goes with them. */
  async take(rk: ReporterKey, now = Date.now()): Promise<number[]> {
    const key = redisKeys.reporterMessages(rk);
    const [[, ids]] = (await this.redis
      .multi()
      .zrangebyscore(key, now - DELETABLE_FOR_MS, '+inf')
      .del(key)
      .exec()) as [[unknown, string[]], unknown];
    return ids.map(Number);
  }
}
