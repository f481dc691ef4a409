// Webhook mode: Telegram pushes updates to us; only requests with the secret count.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/sandbox/redis-server.js';
import { makeCase } from '../support/cases.js';
import { startHotline, type Hotline } from '../support/hotline.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const secret = 'test-secret-0123456789';

/** A hotline taking its updates as a webhook on a free loopback port. */
async function startInWebhookMode(): Promise<{ port: number; hotline: Hotline }> {
  const port = await freePort();
  const hotline = (h = await startHotline({
    threading: 'topics',
    env: { TELEGRAM_MODE: 'webhook', WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`, WEBHOOK_SECRET: secret, WEBHOOK_PORT: String(port) },
  }));
  return { port, hotline };
}

describe('webhook mode', () => {
  it('registers the webhook with a secret and handles pushed updates once, rejecting unsigned ones', async () => {
    const { port, hotline } = await startInWebhookMode();
    const setWebhook = hotline.api.callsTo('setWebhook')[0];
    expect(setWebhook?.params).toMatchObject({ url: `http://127.0.0.1:${port}/telegram`, secret_token: secret });
    expect(hotline.api.callsTo('getUpdates')).toHaveLength(0);

    const user = hotline.api.addUser({ firstName: 'W', languageCode: 'en', wroteToBot: true });
    const update = {
      update_id: 5001,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: 'private', first_name: 'W' },
        from: { id: user.id, is_bot: false, first_name: 'W', language_code: 'en' },
        text: 'pushed by webhook',
      },
    };
    const post = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(update),
      });

    const forged = await post({});
    expect(forged.status).toBe(401);
    const ok = await post({ 'x-telegram-bot-api-secret-token': secret });
    expect(ok.status).toBe(200);
    // The first message starts the questions: the bot asks for the language.
    const asked = () => hotline.api.messagesIn(user.id).filter((m) => m.text?.includes('Choose your language'));
    await hotline.api.waitFor(() => asked().length === 1, { timeoutMs: 10_000 });
    // Telegram redelivers when unsure: the same update again is not handled twice.
    await post({ 'x-telegram-bot-api-secret-token': secret });
    await new Promise((r) => setTimeout(r, 500));
    expect(asked()).toHaveLength(1);
  });

  it('answers 503 to an update it cannot store while Redis is down, so Telegram sends it again, and takes it once when Redis is back', async () => {
    const { port, hotline } = await startInWebhookMode();
    const user = hotline.api.addUser({ firstName: 'W', languageCode: 'en', wroteToBot: true });
    const post = () =>
      fetch(`http://127.0.0.1:${port}/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify({
          update_id: 7001,
          message: {
            message_id: 1,
            date: Math.floor(Date.now() / 1000),
            chat: { id: user.id, type: 'private', first_name: 'W' },
            from: { id: user.id, is_bot: false, first_name: 'W', language_code: 'en' },
            text: 'written while Redis is down',
          },
        }),
      });
    await hotline.redis.kill();
    expect((await post()).status).toBe(503);
    expect(hotline.api.messagesIn(user.id).filter((m) => m.from?.is_bot)).toEqual([]);
    await hotline.redis.restart();
    await new Promise((r) => setTimeout(r, 3_000)); // ioredis reconnects
    expect((await post()).status).toBe(200);
    const asked = () => hotline.api.messagesIn(user.id).filter((m) => m.text?.includes('Choose your language'));
    await hotline.api.waitFor(() => asked().length === 1, { timeoutMs: 10_000 });
    expect((await post()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(asked()).toHaveLength(1);
  }, 60_000);

  it('takes out-of-order and late duplicate updates once each, in the order they arrive', async () => {
    const { port, hotline } = await startInWebhookMode();
    const { api, staffGroup } = hotline;
    const user = api.addUser({ firstName: 'W', languageCode: 'en', wroteToBot: true });
    const redis = new Redis(hotline.redis.url, { maxRetriesPerRequest: null });
    await makeCase(redis, hotline.keys, { address: String(user.id), lang: 'en' });
    redis.disconnect();
    const update = (id: number, text: string) => ({
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: 'private', first_name: 'W' },
        from: { id: user.id, is_bot: false, first_name: 'W', language_code: 'en' },
        text,
      },
    });
    const push = async (id: number, text: string) => {
      const res = await fetch(`http://127.0.0.1:${port}/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(update(id, text)),
      });
      expect(res.status).toBe(200);
    };
    const staff = () => api.messagesIn(staffGroup.id).flatMap((m) => [...(m.text ?? '').matchAll(/\bu(\d+)\b/g)].map((x) => Number(x[1])));

    // 5 arrives before 4 (webhook pushes are not ordered), then old ones again after newer ones
    await push(7005, 'u7005 pushed first');
    await push(7004, 'u7004 pushed second');
    await push(7005, 'u7005 pushed first');
    await push(7004, 'u7004 pushed second');
    // the same update twice at once (Telegram retrying while the first is still being handled)
    await Promise.all([push(7006, 'u7006 twice at once'), push(7006, 'u7006 twice at once')]);
    await push(7007, 'u7007 last');
    await api.waitFor(() => staff().includes(7007), { timeoutMs: 10_000 });
    // once each, in the order Trustline took them in: arrival, not update_id
    expect(staff()).toEqual([7005, 7004, 7006, 7007]);
  });
});
