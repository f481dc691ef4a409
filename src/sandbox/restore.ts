// What a new sandbox run rebuilds in the empty emulated Telegram so that earlier cases
// keep working: their staff topics under the old ids, and update ids above those the
// bot has already handled. (People get their old ids back in people.ts.)
import { Api } from 'grammy';
import { Redis } from 'ioredis';
import { t } from '../i18n/index.js';
import type { CaseCode, CaseId, Lang } from '../shared/index.js';
import type { BotApiServer, SimGroup } from './bot-api/index.js';
import { CaseStore, redisKeys } from '../store/index.js';
import { redactUrl, SandboxError } from './home.js';

/** Staff topics of the cases already in Redis: thread id -> case code, oldest first. */
export async function earlierTopics(url: string): Promise<Map<number, CaseCode>> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    retryStrategy: () => null,
  });
  let cause: Error | undefined; // connect() only says "Connection is closed"; the event has the reason
  redis.on('error', (err: Error) => (cause = err));
  try {
    await redis.connect().catch((err: unknown) => {
      const reason = (cause ?? (err instanceof Error ? err : new Error(String(err)))).message.replace(/\.$/, '');
      throw new SandboxError(
        `Cannot reach Redis at REDIS_URL (${redactUrl(url)}): ${reason}. ` + 'Start it, or unset REDIS_URL so the sandbox runs its own redis-server.',
      );
    });
    const store = new CaseStore(redis);
    const topics = Object.entries(await redis.hgetall(redisKeys.topics('main'))).sort(([a], [b]) => Number(a) - Number(b));
    const found = new Map<number, CaseCode>();
    for (const [thread, id] of topics) {
      const record = await store.get(id as CaseId);
      if (record) found.set(Number(thread), record.code);
    }
    return found;
  } finally {
    redis.disconnect();
  }
}

/**
 * Before the bot starts: recreates the earlier cases' staff topics under their old
 * ids (a topic id is a message id, so gaps are filled with placeholder messages), and
 * moves the update counter past every update an earlier run handled.
 */
export async function restoreTelegram(api: BotApiServer, staff: SimGroup, topics: ReadonlyMap<number, CaseCode>, lang: Lang): Promise<void> {
  const tg = new Api(api.token, { apiRoot: api.apiRoot });
  let last = 0;
  for (const id of topics.keys()) last = Math.max(last, id);
  for (let id = 1; id <= last; id++) {
    const code = topics.get(id);
    const made = code
      ? (await tg.createForumTopic(staff.id, t(lang, 'staff-topic-name', { code }))).message_thread_id
      : (await tg.sendMessage(staff.id, '(from an earlier sandbox run)')).message_id;
    if (made !== id) throw new Error(`could not restore staff topic ${id} (the emulator gave ${made})`);
  }
  // The bot remembers handled update ids (in Redis) to drop redeliveries, and Telegram's
  // ids only grow; a fresh emulator counting from its usual start would have every
  // message dropped as already seen. Milliseconds stay above an earlier run's ids
  // unless it handled over a thousand updates a second.
  const floor = Date.now();
  api.injectUpdate({ update_id: floor });
  await tg.getUpdates({ offset: floor + 1, timeout: 0 });
}
