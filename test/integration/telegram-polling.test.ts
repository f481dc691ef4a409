// Polling: different chats side by side, one chat in order, and nothing confirmed to
// Telegram before it was handled.
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { orderKey, startPolling } from '../../src/bot/telegram/polling.js';
import { startBotApiServer, type BotApiServer } from '../../src/sandbox/bot-api/index.js';
import { captureLog } from '../support/log-sink.js';

let api: BotApiServer | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('order keys', () => {
  it('one key per private chat, per forum topic, and per plain group', () => {
    const msg = (chat: number, extra: Record<string, unknown> = {}) =>
      ({ update_id: 1, message: { message_id: 1, date: 0, chat: { id: chat }, ...extra } }) as unknown as Update;
    expect(orderKey(msg(42))).toBe('42');
    expect(orderKey(msg(-100, { is_topic_message: true, message_thread_id: 7 }))).toBe('-100:7');
    expect(orderKey(msg(-100))).toBe('-100');
    expect(
      orderKey({ update_id: 9, callback_query: { id: 'q', from: { id: 42 }, chat_instance: 'c', message: { chat: { id: 42 } } } } as unknown as Update),
    ).toBe('42');
  });
});

describe('polling', () => {
  it('handles another chat while one is slow, keeps each chat in order, and confirms only what was handled', async () => {
    api = await startBotApiServer();
    const server = api;
    const slow = server.addUser({ firstName: 'Slow' });
    const quick = server.addUser({ firstName: 'Quick' });
    // Queued before polling starts, so the first getUpdates hands them over as one batch.
    server.sendPrivate(slow, 'slow 1');
    server.sendPrivate(quick, 'quick 1');
    server.sendPrivate(slow, 'slow 2');

    const bot = new Bot(server.token, { client: { apiRoot: server.apiRoot } });
    const handled: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    bot.on('message:text', async (ctx) => {
      if (ctx.msg.text === 'slow 1') await gate;
      handled.push(ctx.msg.text);
    });
    await bot.init();
    const polling = startPolling(bot, { allowedUpdates: ['message'], log: captureLog().log, timeoutSeconds: 1 });

    // (the server's waitFor re-checks on its own events; nothing happens there while the batch is in hand)
    for (let i = 0; i < 250 && !handled.includes('quick 1'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(handled).toEqual(['quick 1']); // the slow chat's second message waits for its first

    const stopped = polling.stop(); // a shutdown while the batch is still in hand
    let stoppedYet = false;
    void stopped.then(() => (stoppedYet = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(stoppedYet).toBe(false);
    release();
    await stopped;
    expect(handled).toEqual(['quick 1', 'slow 1', 'slow 2']);
    expect(server.pendingUpdates).toBe(0); // the batch was confirmed on the way out
  });

  it('takes in later updates while one is slow, handles them, and never confirms the slow one before it is handled', async () => {
    api = await startBotApiServer();
    const server = api;
    const slow = server.addUser({ firstName: 'Slow' });
    const quick = server.addUser({ firstName: 'Quick' });
    const bot = new Bot(server.token, { client: { apiRoot: server.apiRoot } });
    const handled: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let slowStarted = false;
    bot.on('message:text', async (ctx) => {
      if (ctx.msg.text === 'a 20 MB file') {
        slowStarted = true;
        await gate;
      }
      handled.push(ctx.msg.text);
    });
    await bot.init();
    const polling = startPolling(bot, { allowedUpdates: ['message'], log: captureLog().log, timeoutSeconds: 1 });
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(done()).toBe(true);
    };
    server.sendPrivate(slow, 'a 20 MB file');
    await until(() => slowStarted);
    // Sent after the slow one was taken in hand: another batch, handled while it is still held.
    server.sendPrivate(quick, 'hello');
    server.sendPrivate(slow, 'and then');
    await until(() => handled.includes('hello'));
    expect(handled).toEqual(['hello']); // the slow chat's next message waits for its first
    expect(server.pendingUpdates).toBeGreaterThanOrEqual(2); // the slow one (and what follows it) is not confirmed
    release();
    await until(() => handled.length === 3);
    expect(handled).toEqual(['hello', 'a 20 MB file', 'and then']);
    await polling.stop();
    expect(server.pendingUpdates).toBe(0);
  });
});
