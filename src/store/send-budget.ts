// How many messages Trustline may send right now without Telegram answering 429.
// Telegram counts messages per sliding window: about 30 a second for the bot, 1 a
// second per chat, 20 a minute per group. The windows live in Redis so that every
// process of one bot (pollers and workers, on several machines) shares one budget.
import { createHmac, randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Redis } from 'ioredis';
import type { TelegramLimits } from '../config/index.js';
import { redisKeys } from './redis-keys.js';
import { script } from './scripts.js';

/**
 * KEYS: the chat's hold, then one sorted set of send times per window.
 * ARGV: a unique member; how many messages the request holds (`want`, an album's items);
 * whether all of them must go at once ('1') or as many as fit (at least one); then per
 * window: its limit; its length (ms); whether it counts each message ('1', Telegram's
 * global and group windows) or the request once ('0', a chat's second); how many of its
 * sends are kept for urgent posts (`reserve`); and `grace` (ms): the reserve is kept
 * when those sends are free now or will be within `grace`, so in a window that frees a
 * send every few seconds ordinary posts may use all of it.
 * Returns {messages granted, 0}, recording them, or {0, ms until one might be}.
 * The time is Redis's, so processes with skewed clocks still agree.
 */
const TAKE = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = redis.call('PTTL', KEYS[1])
if wait < 0 then wait = 0 end
local want = tonumber(ARGV[2])
local grant = want
local function score(key, at)
  return tonumber(redis.call('ZRANGE', key, at, at, 'WITHSCORES')[2])
end
for i = 2, #KEYS do
  local b = 5 * i - 6
  local limit = tonumber(ARGV[b])
  local window = tonumber(ARGV[b + 1])
  local each = ARGV[b + 2] == '1'
  local reserve = tonumber(ARGV[b + 3])
  local grace = tonumber(ARGV[b + 4])
  local need = 1
  if each and ARGV[3] == '1' then need = math.max(1, math.min(want, limit - reserve)) end
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[i])
  local cap = limit
  if reserve > 0 then
    local soon = redis.call('ZCOUNT', KEYS[i], '-inf', now + grace - window)
    cap = math.min(limit, limit - reserve + soon)
  end
  if count + need > cap then
    local w = 0
    local k = count + need - (limit - reserve)
    if reserve > 0 and k > 0 then w = score(KEYS[i], k - 1) + window - grace - now + 1 end
    k = count + need - limit
    if k > 0 then w = math.max(w, score(KEYS[i], k - 1) + window - now + 1) end
    if w < 1 then w = 1 end
    if w > wait then wait = w end
  elseif each and cap - count < grant then
    grant = cap - count
  end
end
if wait > 0 then return {0, wait} end
for i = 2, #KEYS do
  local b = 5 * i - 6
  local n = 1
  if ARGV[b + 2] == '1' then n = grant end
  for j = 1, n do redis.call('ZADD', KEYS[i], now, ARGV[1] .. ':' .. j) end
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[b + 1]))
end
return {grant, 0}
`);

/**
 * Telegram measures on its own clock, and a request reaches it some milliseconds after
 * its slot was taken here. Each window is lengthened by this much so that jitter never
 * squeezes one send too many into Telegram's window: about 99% of the group limit.
 */
export function safetyMarginMs(windowMs: number): number {
  return Math.max(100, Math.round(windowMs * 0.01));
}

export class Stopping extends Error {
  override name = 'Stopping';
  constructor() {
    super('Trustline is stopping; the send was not made');
  }
}

interface Window {
  scope: string;
  limit: number;
  ms: number;
}

export class SendBudget {
  private readonly windows: { global: Window; chat: Window; group: Window };

  /**
   * @param pepper keys the hash that names a chat's window, so Redis holds no chat id
   * @param stopping aborts waits when the process shuts down
   */
  constructor(
    private readonly redis: Redis,
    limits: TelegramLimits,
    private readonly pepper: Uint8Array,
    private readonly stopping?: AbortSignal,
  ) {
    // Every waiting send listens for the stop: under a burst that is far more than Node's
    // default of 10, which would print a leak warning for what is no leak.
    if (stopping) setMaxListeners(0, stopping);
    const w = (limit: number, ms: number) => ({ limit, ms: ms + safetyMarginMs(ms) });
    this.windows = {
      global: { scope: 'global', ...w(limits.globalPerSecond, 1000) },
      chat: { scope: 'chat', ...w(limits.chatPerSecond, 1000) },
      group: { scope: 'group', ...w(limits.groupPerMinute, limits.minuteMs) },
    };
  }

  /**
   * 0 if a send to `chatId` may go now (and it is counted), else ms to wait before asking
   * again. A group keeps a twentieth of its minute (at least 1; 1 of 20) for `urgent`
   * sends (an urgent case's post), free now or within one send's pace, so one never waits
   * for the window of a backlog to pass, and a steady backlog still uses the whole minute.
   */
  async tryTake(chatId: number | undefined, { urgent = false } = {}): Promise<number> {
    return (await this.tryTakeSome(chatId, 1, { urgent, all: true })).waitMs;
  }

  /**
   * A request of `want` messages (an album): each counts in the global and group windows,
   * the request once in the chat's (not at all with `more`: items added to a request
   * already counted). Grants as many as fit now, at least one (or all of them, with
   * `all`), and counts them; or none, with the ms to wait before asking again.
   */
  async tryTakeSome(
    chatId: number | undefined,
    want: number,
    { urgent = false, all = false, more = false } = {},
  ): Promise<{ granted: number; waitMs: number }> {
    const windows: (Window & { each: boolean; reserve?: number; grace?: number })[] = [{ ...this.windows.global, each: true }];
    let hold = redisKeys.sendHold('global');
    if (chatId !== undefined && Number.isFinite(chatId)) {
      const chat = this.scopeOf(chatId);
      hold = redisKeys.sendHold(chat);
      // `more`: further items of a request already counted in the chat's second.
      if (!more) windows.push({ ...this.windows.chat, scope: `${chat}:s`, each: false });
      // Telegram's group ids are negative; users' are positive.
      if (chatId < 0) {
        const { limit, ms } = this.windows.group;
        const reserve = urgent || limit < 2 ? 0 : Math.max(1, Math.floor(limit / 20));
        // Kept for urgent posts unless the window frees it again within two sends' pace (6 s of a minute of 20):
        // one pace would keep it back whenever a steady line's posts are exactly a pace apart.
        windows.push({ ...this.windows.group, scope: `${chat}:m`, each: true, reserve, grace: Math.floor((2 * ms) / limit) });
      }
    }
    const keys = [hold, ...windows.map((w) => redisKeys.sendWindow(w.scope))];
    const args = [
      randomBytes(9).toString('base64url'),
      Math.max(1, want),
      all ? '1' : '0',
      ...windows.flatMap((w) => [w.limit, w.ms, w.each ? '1' : '0', w.reserve ?? 0, w.grace ?? 0]),
    ];
    const [granted, waitMs] = (await TAKE.run(this.redis, keys, args)) as [number, number];
    return { granted: Number(granted), waitMs: Number(waitMs) };
  }

  /**
   * Waits until a send of `messages` (an album's items; 1) to `chatId` may go, and counts
   * it. Rejects with Stopping on shutdown, unless `finishing`: the rest of a message whose
   * first part is already out.
   */
  async take(chatId: number | undefined, { finishing = false, urgent = false, messages = 1 } = {}): Promise<void> {
    for (;;) {
      const { waitMs } = await this.tryTakeSome(chatId, messages, { urgent, all: true });
      if (waitMs === 0) return;
      // A little spread so that waiters for the same chat do not all wake at once.
      await this.sleep(waitMs + Math.floor(Math.random() * 20), finishing ? undefined : this.stopping);
    }
  }

  /** Telegram said 429: nobody sends to this chat until retry_after has passed. */
  async hold(chatId: number | undefined, retryAfterSeconds: number): Promise<void> {
    const scope = chatId !== undefined && Number.isFinite(chatId) ? this.scopeOf(chatId) : 'global';
    await this.redis.set(redisKeys.sendHold(scope), '1', 'PX', Math.max(1, Math.ceil(retryAfterSeconds * 1000)));
  }

  private scopeOf(chatId: number): string {
    return createHmac('sha256', this.pepper).update(`send-budget:${chatId}`).digest('base64url').slice(0, 16);
  }

  private sleep(ms: number, stopping: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (stopping?.aborted) return reject(new Stopping());
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Stopping());
      };
      const timer = setTimeout(() => {
        stopping?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      stopping?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
