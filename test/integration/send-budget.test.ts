// The flood budget against a real Redis: Telegram's sliding windows, shared by every
// process, with no chat id stored, and the transformer that makes every send ask it.
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCountedMethod, telegramLimits, withSlotTaken } from '../../src/bot/telegram/limits.js';
import type { TelegramLimits } from '../../src/config/config.js';
import { safetyMarginMs, SendBudget, Stopping } from '../../src/store/send-budget.js';
import { dumpRedis, redisForFile } from '../support/redis.js';

const file = redisForFile();
let redis: Redis;
beforeAll(() => {
  redis = file.client;
});

const pepper = new Uint8Array(32).fill(7);
const limits = (l: Partial<TelegramLimits> = {}): TelegramLimits => ({ globalPerSecond: 30, chatPerSecond: 1, groupPerMinute: 20, minuteMs: 60_000, ...l });
const GROUP = -1001234567890;
const USER = 555777999;

describe('send budget', () => {
  it('allows a chat one send per second, and says how long to wait for the next', async () => {
    await redis.flushall();
    const budget = new SendBudget(redis, limits(), pepper);
    expect(await budget.tryTake(USER)).toBe(0);
    const wait = await budget.tryTake(USER);
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1000 + safetyMarginMs(1000) + 1);
    // another chat is not affected
    expect(await budget.tryTake(USER + 1)).toBe(0);
  });

  it('lengthens a window by 1% (at least 100 ms) against jitter: a group keeps 99% of its minute', () => {
    // 1.5% cost the incident bench's two-chat run its 95% of the group limit (docs/performance.md).
    expect(safetyMarginMs(60_000)).toBe(600);
    expect(safetyMarginMs(1000)).toBe(100);
  });

  it('allows a group its per-minute count, then makes it wait for the window to slide', async () => {
    await redis.flushall();
    const budget = new SendBudget(redis, limits({ chatPerSecond: 100, groupPerMinute: 3, minuteMs: 2000 }), pepper);
    // Two of the three for anything, the last one kept for an urgent post.
    for (let i = 0; i < 2; i++) expect(await budget.tryTake(GROUP)).toBe(0);
    expect(await budget.tryTake(GROUP, { urgent: true })).toBe(0);
    const wait = await budget.tryTake(GROUP, { urgent: true });
    expect(wait).toBeGreaterThan(1500);
    await new Promise((r) => setTimeout(r, wait));
    expect(await budget.tryTake(GROUP)).toBe(0);
  });

  it('keeps the last send of a group’s minute for an urgent case', async () => {
    await redis.flushall();
    const budget = new SendBudget(redis, limits({ chatPerSecond: 100, globalPerSecond: 100 }), pepper);
    for (let i = 0; i < 19; i++) expect(await budget.tryTake(GROUP)).toBe(0);
    expect(await budget.tryTake(GROUP)).toBeGreaterThan(0); // an ordinary post waits for the window
    expect(await budget.tryTake(GROUP, { urgent: true })).toBe(0); // an urgent one goes now
    expect(await budget.tryTake(GROUP, { urgent: true })).toBeGreaterThan(0); // and still never past Telegram's 20
    // People's private chats keep no such reserve.
    expect(await budget.tryTake(USER)).toBe(0);
  });

  it('counts each message of an album in the group minute and the request once in the chat second', async () => {
    await redis.flushall();
    const budget = new SendBudget(redis, limits({ globalPerSecond: 100, groupPerMinute: 8, minuteMs: 60_000 }), pepper);
    // 8 a minute, 1 kept for urgent posts: 7; an album of 5 takes 5 of them.
    expect(await budget.tryTakeSome(GROUP, 5)).toEqual({ granted: 5, waitMs: 0 });
    // The chat's second is used once, by the album as one request.
    expect((await budget.tryTakeSome(GROUP, 1)).waitMs).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1200));
    // 2 left: an album of 4 goes as 2 (as many as fit), or not at all when all must go together.
    expect((await budget.tryTakeSome(GROUP, 4, { all: true })).waitMs).toBeGreaterThan(30_000);
    expect(await budget.tryTakeSome(GROUP, 4)).toEqual({ granted: 2, waitMs: 0 });
    await new Promise((r) => setTimeout(r, 1200));
    expect((await budget.tryTakeSome(GROUP, 1)).waitMs).toBeGreaterThan(30_000);
    expect(await budget.tryTakeSome(GROUP, 3, { urgent: true })).toEqual({ granted: 1, waitMs: 0 });
  });

  it('lets ordinary posts use the kept send once the window frees one within two sends’ pace, so urgent waits at most that', async () => {
    await redis.flushall();
    // 4 a "minute" of 4 s (4.1 s with the margin): a send's pace is 1025 ms, two of them 2050 ms.
    const budget = new SendBudget(redis, limits({ chatPerSecond: 100, globalPerSecond: 100, groupPerMinute: 4, minuteMs: 4000 }), pepper);
    for (let i = 0; i < 3; i++) expect(await budget.tryTake(GROUP)).toBe(0);
    const wait = await budget.tryTake(GROUP); // the 4th is kept while the window frees nothing soon
    expect(wait).toBeGreaterThan(1800);
    expect(wait).toBeLessThan(4100 - 1800);
    await new Promise((r) => setTimeout(r, wait + 5));
    expect(await budget.tryTake(GROUP)).toBe(0); // now the oldest expires within two paces: taken
    const urgentWait = await budget.tryTake(GROUP, { urgent: true });
    expect(urgentWait).toBeGreaterThan(0);
    expect(urgentWait).toBeLessThanOrEqual(2051); // an urgent post waits two paces at most
  });

  it('counts every chat against the global limit, across budget instances (processes) on one Redis', async () => {
    await redis.flushall();
    const a = new SendBudget(redis, limits({ globalPerSecond: 4 }), pepper);
    const b = new SendBudget(redis, limits({ globalPerSecond: 4 }), pepper);
    const results = [await a.tryTake(1), await b.tryTake(2), await a.tryTake(3), await b.tryTake(4), await a.tryTake(5)];
    expect(results.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(results[4]).toBeGreaterThan(0);
  });

  it('holds a chat off for retry_after once Telegram said 429', async () => {
    await redis.flushall();
    const budget = new SendBudget(redis, limits(), pepper);
    await budget.hold(GROUP, 2);
    const wait = await budget.tryTake(GROUP);
    expect(wait).toBeGreaterThan(1500);
    expect(await budget.tryTake(USER)).toBe(0);
  });

  it('take() waits for the slot; a shutdown ends the wait with Stopping', async () => {
    await redis.flushall();
    const stopping = new AbortController();
    const budget = new SendBudget(redis, limits(), pepper, stopping.signal);
    await budget.take(USER);
    const started = Date.now();
    await budget.take(USER);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const waiting = budget.take(USER);
    stopping.abort();
    await expect(waiting).rejects.toBeInstanceOf(Stopping);
  });

  it('take() for the rest of a message already partly sent waits through a shutdown', async () => {
    await redis.flushall();
    const stopping = new AbortController();
    const budget = new SendBudget(redis, limits(), pepper, stopping.signal);
    await budget.take(USER);
    const started = Date.now();
    const rest = budget.take(USER, { finishing: true });
    stopping.abort();
    await rest;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await expect(budget.take(USER)).rejects.toBeInstanceOf(Stopping);
  });

  it('lets any number of sends wait for the stop without a listener-leak warning', async () => {
    await redis.flushall();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const stopping = new AbortController();
    const budget = new SendBudget(redis, limits(), pepper, stopping.signal);
    try {
      await budget.take(USER);
      const waiting = Array.from({ length: 20 }, () => budget.take(USER)); // 20 sends to one chat: 19 wait
      await new Promise((r) => setTimeout(r, 100));
      stopping.abort();
      await Promise.allSettled(waiting);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('keeps no chat id in Redis', async () => {
    await redis.flushall();
    const budget = new SendBudget(redis, limits(), pepper);
    await budget.tryTake(USER);
    await budget.tryTake(GROUP);
    await budget.hold(USER, 5);
    const dump = await dumpRedis(redis);
    expect(dump.length).toBeGreaterThan(0);
    expect(dump).not.toContain(String(USER));
    expect(dump).not.toContain(String(GROUP).slice(1));
  });
});

describe('the limits transformer', () => {
  it('counts what Telegram counts', () => {
    for (const m of ['sendMessage', 'sendPhoto', 'copyMessage', 'forwardMessage', 'editMessageText']) expect(isCountedMethod(m)).toBe(true);
    for (const m of ['sendChatAction', 'setMessageReaction', 'deleteMessage', 'getUpdates', 'createForumTopic', 'getChat'])
      expect(isCountedMethod(m)).toBe(false);
  });

  it('takes a slot before each counted request, skips it once inside withSlotTaken, and holds the chat after a 429', async () => {
    await redis.flushall();
    const budget = new SendBudget(redis, limits(), pepper);
    const takes: (number | undefined)[] = [];
    const take = budget.take.bind(budget);
    budget.take = (chatId) => {
      takes.push(chatId);
      return take(chatId);
    };
    const transform = telegramLimits(budget);
    const calls: number[] = [];
    const ok = async () => {
      calls.push(Date.now());
      return { ok: true as const, result: true };
    };
    const started = Date.now();
    await transform(ok as never, 'sendMessage', { chat_id: USER, text: 'x' });
    await transform(ok as never, 'sendMessage', { chat_id: USER, text: 'y' });
    expect(calls[1]! - started).toBeGreaterThanOrEqual(900); // waited for the chat's next second

    // The caller took the slot itself: the first request inside does not take another.
    expect(await budget.tryTake(USER + 1)).toBe(0);
    takes.length = 0;
    await withSlotTaken(async () => {
      await transform(ok as never, 'sendMessage', { chat_id: USER + 1, text: 'z' });
      await transform(ok as never, 'sendMessage', { chat_id: USER + 3, text: 'z2' });
    });
    expect(takes).toEqual([USER + 3]); // only the second request asked for a slot

    const limited = async () => ({ ok: false as const, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } });
    await transform(limited as never, 'sendMessage', { chat_id: USER + 2, text: 'w' });
    expect(await budget.tryTake(USER + 2)).toBeGreaterThan(2000);

    // uncounted methods pass straight through
    takes.length = 0;
    for (let i = 0; i < 5; i++) await transform(ok as never, 'setMessageReaction', { chat_id: USER } as never);
    expect(takes).toEqual([]);
  });
});
