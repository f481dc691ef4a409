// A reporter whose phone someone else may look at clears the conversation: /wipe (the
// case stays) and /forget (the case is erased) delete both sides of the Telegram chat as
// far as Telegram lets a bot (48 hours), and say how to delete the chat itself. On
// WhatsApp the bot cannot delete, and says how to clear the chat.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeWhatsApp, until } from '../support/fake-whatsapp.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { botSays, fileReport, tap, write } from '../support/intake-driver.js';
import { dumpRedis } from '../support/redis.js';
import { startWhatsAppHotline } from '../support/whatsapp-hotline.js';
import { Redis } from 'ioredis';

let h: Hotline | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await h?.stop();
  await cleanup?.();
  h = cleanup = undefined;
});

const chatText = (h: Hotline, userId: number) =>
  h.api
    .allMessagesIn(userId)
    .map((m) => m.text ?? m.caption ?? '')
    .join('\n');

describe('/wipe and /forget on Telegram', () => {
  it('/wipe deletes both sides of the conversation, keeps the case, and says how to delete the chat', async () => {
    h = await startHotline({ threading: 'topics' });
    const hl = h;
    const user = hl.api.addUser({ firstName: 'Shared phone', languageCode: 'en' });
    const { code, passphrase } = await fileReport(hl.api, user, { lang: 'en', account: ['wipe-canary-account'] });
    const post = await hl.api.waitFor(() => hl.api.messagesIn(hl.staffGroup.id).find((m) => m.text?.includes('wipe-canary-account')), { timeoutMs: 10_000 });
    hl.api.sendPrivate(user, 'wipe-canary-follow-up');
    await hl.api.waitFor(() => hl.api.messagesIn(hl.staffGroup.id).some((m) => m.text === 'wipe-canary-follow-up'), { timeoutMs: 10_000 });
    hl.api.sendGroup(hl.staffGroup, hl.counsellor, 'wipe-canary-answer', { threadId: post.message_thread_id! });
    await botSays(hl.api, user, 'wipe-canary-answer');
    for (const canary of ['wipe-canary-account', 'wipe-canary-follow-up', 'wipe-canary-answer', passphrase]) expect(chatText(hl, user.id)).toContain(canary);

    hl.api.sendPrivate(user, '/wipe');
    await botSays(hl.api, user, 'Delete chat'); // (from the start: the chat has fewer messages now)
    await botSays(hl.api, user, 'only this chat was cleared');
    const left = chatText(hl, user.id);
    for (const canary of ['wipe-canary-account', 'wipe-canary-follow-up', 'wipe-canary-answer', passphrase, code, '/wipe']) expect(left).not.toContain(canary);
    // the case goes on: the next message reaches the counsellor
    hl.api.sendPrivate(user, 'after-wipe-canary');
    await hl.api.waitFor(() => hl.api.messagesIn(hl.staffGroup.id).some((m) => m.text === 'after-wipe-canary'), { timeoutMs: 10_000 });
    // what Trustline kept for this holds message ids only, and expires
    const redis = new Redis(hl.redis.url);
    const keys = await redis.keys('tl:chat:*');
    expect(keys).toHaveLength(1);
    expect(await redis.pttl(keys[0]!)).toBeGreaterThan(0);
    expect((await redis.zrange(keys[0]!, 0, -1)).every((id) => /^\d+$/.test(id))).toBe(true);
    expect(await dumpRedis(redis)).not.toContain('wipe-canary');
    redis.disconnect();
  });

  it('/forget erases the case and clears the chat; messages older than 48 hours are left, and the reporter is told how to remove them', async () => {
    h = await startHotline({ threading: 'topics' });
    const hl = h;
    const user = hl.api.addUser({ firstName: 'Forgetting', languageCode: 'en' });
    await fileReport(hl.api, user, { lang: 'en', account: ['old-canary'] });
    // two days pass: what was written then can no longer be deleted by the bot
    hl.api.backdate(user.id, 49 * 3600);
    const redis = new Redis(hl.redis.url);
    const [key] = await redis.keys('tl:chat:*');
    for (const id of await redis.zrange(key!, 0, -1)) await redis.zadd(key!, Date.now() - 49 * 3600_000, id);
    redis.disconnect();
    hl.api.sendPrivate(user, 'new-canary');
    await hl.api.waitFor(() => hl.api.messagesIn(hl.staffGroup.id).some((m) => m.text === 'new-canary'), { timeoutMs: 10_000 });
    await write(hl.api, user, '/forget', 'for good');
    await tap(hl.api, user, 'confirm-forget', 'yes');
    const told = await botSays(hl.api, user, 'Delete chat');
    expect(told.text).toContain('48 hours');
    const left = chatText(hl, user.id);
    expect(left).not.toContain('new-canary');
    expect(left).toContain('old-canary'); // older than Telegram allows: the reporter deletes the chat
    expect(left).toContain('was erased');
  });
});

describe('/wipe on WhatsApp', () => {
  it('says how to clear the chat, since the bot cannot delete there', async () => {
    const fake = new FakeWhatsApp();
    ({ h, cleanup } = await startWhatsAppHotline(fake));
    const jid = '77015550888@c.us';
    fake.write('line1', jid, 'Hello');
    await until(() => fake.sentTo('line1', jid).length > 0, { label: 'the first question' });
    fake.write('line1', jid, '/wipe');
    const told = await until(() => fake.sentTo('line1', jid).find((t) => t.includes('Clear chat')), { label: 'the clear-chat steps' });
    expect(told).toContain('cannot delete WhatsApp messages');
  });
});
