// Webhook mode: Telegram pushes updates to us; only requests with the secret count.
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../src/sandbox/redis-server.js';
import { startHotline, type Hotline } from './support/hotline.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('webhook mode', () => {
  it('registers the webhook with a secret and handles pushed updates once, rejecting unsigned ones', async () => {
    const port = await freePort();
    const secret = 'test-secret-0123456789';
    h = await startHotline({
      threading: 'topics',
      env: { TELEGRAM_MODE: 'webhook', WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`, WEBHOOK_SECRET: secret, WEBHOOK_PORT: String(port) },
    });
    const hotline = h;
    const setWebhook = hotline.api.callsTo('setWebhook')[0];
    expect(setWebhook?.params).toMatchObject({ url: `http://127.0.0.1:${port}/telegram`, secret_token: secret });
    expect(hotline.api.callsTo('getUpdates')).toHaveLength(0);

    const user = hotline.api.addUser({ firstName: 'W', languageCode: 'en' });
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
});
