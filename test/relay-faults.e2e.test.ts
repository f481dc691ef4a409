// Faults: nothing lost, nothing claimed that did not happen, nothing crossed between reporters.
import { afterEach, describe, expect, it } from 'vitest';
import { startHotline, type Hotline } from './support/hotline.js';
import { fileReport } from './support/intake-driver.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const CODE = /([0-9A-Z]{3}-[0-9A-Z]{3})/;
const texts = (api: Hotline['api'], chat: number) => api.messagesIn(chat).map((m) => m.text ?? '');

describe('faults and isolation', () => {
  it('two reporters at once never see each other’s answers', async () => {
    h = await startHotline({ threading: 'topics' });
    const hotline = h;
    const a = hotline.api.addUser({ firstName: 'A', languageCode: 'en' });
    const b = hotline.api.addUser({ firstName: 'B', languageCode: 'en' });
    await Promise.all([fileReport(hotline.api, a), fileReport(hotline.api, b)]);
    hotline.api.sendPrivate(a, 'report from A');
    hotline.api.sendPrivate(b, 'report from B');
    const postA = await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text === 'report from A'), { timeoutMs: 10_000 });
    const postB = await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text === 'report from B'), { timeoutMs: 10_000 });
    expect(postA.message_thread_id).not.toBe(postB.message_thread_id);

    for (let i = 1; i <= 3; i++) {
      hotline.api.sendGroup(hotline.staffGroup, hotline.counsellor, `for A #${i}`, { threadId: postA.message_thread_id! });
      hotline.api.sendGroup(hotline.staffGroup, hotline.counsellor, `for B #${i}`, { threadId: postB.message_thread_id! });
    }
    await hotline.api.waitFor(() => texts(hotline.api, a.id).find((t) => t.endsWith('for A #3')), { timeoutMs: 10_000 });
    await hotline.api.waitFor(() => texts(hotline.api, b.id).find((t) => t.endsWith('for B #3')), { timeoutMs: 10_000 });
    const toA = texts(hotline.api, a.id).filter((t) => t.includes(' #'));
    const toB = texts(hotline.api, b.id).filter((t) => t.includes(' #'));
    expect(toA.map((t) => t.split('\n')[1])).toEqual(['for A #1', 'for A #2', 'for A #3']);
    expect(toB.map((t) => t.split('\n')[1])).toEqual(['for B #1', 'for B #2', 'for B #3']);
  });

  it('tells the reporter to try again while Redis is down, and works again after', async () => {
    h = await startHotline({ threading: 'topics' });
    const hotline = h;
    const user = hotline.api.addUser({ firstName: 'R', languageCode: 'ru' });
    await fileReport(hotline.api, user);
    hotline.api.sendPrivate(user, 'до сбоя');
    await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text === 'до сбоя'), { timeoutMs: 10_000 });

    await hotline.redis.kill();
    const before = texts(hotline.api, user.id).length;
    hotline.api.sendPrivate(user, 'во время сбоя');
    await hotline.api.waitFor(() => texts(hotline.api, user.id).find((t) => t.includes('попробуйте ещё раз')), { timeoutMs: 15_000 });
    expect(texts(hotline.api, user.id).slice(before)).toHaveLength(1); // told to try again, nothing claimed

    await hotline.redis.restart();
    await new Promise((r) => setTimeout(r, 1_500)); // ioredis reconnects with a short backoff
    hotline.api.sendPrivate(user, 'после сбоя');
    await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text === 'после сбоя'), { timeoutMs: 20_000 });
    // the case survived the crash (AOF): same topic, no second case
    expect(hotline.api.topics(hotline.staffGroup.id)).toHaveLength(1);
  });

  it('dead-letters an answer the reporter can no longer receive and tells the staff chat', async () => {
    h = await startHotline({ threading: 'replies' });
    const hotline = h;
    const user = hotline.api.addUser({ firstName: 'Gone', languageCode: 'ru' });
    await fileReport(hotline.api, user);
    hotline.api.sendPrivate(user, 'помогите');
    const posted = await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text?.includes('помогите')), { timeoutMs: 10_000 });
    const code = CODE.exec(posted.text!)![1]!;
    // the assignment notice comes next; the fault is for the answer's delivery
    await hotline.api.waitFor(() => texts(hotline.api, hotline.staffGroup.id).find((t) => t.startsWith('👤')), { timeoutMs: 10_000 });

    hotline.api.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    hotline.api.sendGroup(hotline.staffGroup, hotline.counsellor, 'ответ, который не дойдёт', { replyTo: posted.message_id });
    const alert = await hotline.api.waitFor(() => texts(hotline.api, hotline.staffGroup.id).find((t) => t.startsWith('⚠️')), { timeoutMs: 10_000 });
    expect(alert).toContain(code);
    expect(alert).toMatch(/blocked/);
    expect(alert).not.toContain('ответ, который не дойдёт');
    // one attempt only: a 403 is permanent
    expect(hotline.api.callsTo('sendMessage').filter((c) => c.params.chat_id === user.id && String(c.params.text).includes('не дойдёт'))).toHaveLength(1);
  });

  it('retries a failed staff post with backoff and posts it once', async () => {
    h = await startHotline({ threading: 'topics' });
    const hotline = h;
    hotline.api.failNext('createForumTopic', { error_code: 502, description: 'Bad Gateway', times: 1 });
    const user = hotline.api.addUser({ firstName: 'Z', languageCode: 'en' });
    await fileReport(hotline.api, user);
    hotline.api.sendPrivate(user, 'retry me');
    await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text === 'retry me'), { timeoutMs: 15_000 });
    expect(hotline.api.topics(hotline.staffGroup.id)).toHaveLength(1);
    expect(texts(hotline.api, hotline.staffGroup.id).filter((t) => t === 'retry me')).toHaveLength(1);
  });

  it('posts a dead-lettered case after the cause is fixed and the hotline restarts', async () => {
    h = await startHotline({ threading: 'topics' });
    const hotline = h;
    // e.g. the bot was not allowed to manage topics: 400 is permanent, so one attempt and an alert
    hotline.api.failNext('createForumTopic', { error_code: 400, description: 'Bad Request: not enough rights to create a topic' });
    const user = hotline.api.addUser({ firstName: 'Q', languageCode: 'en' });
    await fileReport(hotline.api, user, { account: ['please see me'] });
    await hotline.api.waitFor(() => texts(hotline.api, hotline.staffGroup.id).find((t) => t.startsWith('⚠️')), { timeoutMs: 10_000 });
    expect(texts(hotline.api, hotline.staffGroup.id).filter((t) => t.includes('please see me'))).toEqual([]);

    await hotline.restart();
    await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text?.includes('please see me')), { timeoutMs: 10_000 });
    expect(texts(hotline.api, hotline.staffGroup.id).filter((t) => t.includes('please see me'))).toHaveLength(1);
  });

  it('relays a counsellor who replies to a colleague’s answer (reply mode)', async () => {
    h = await startHotline({ threading: 'replies' });
    const hotline = h;
    const user = hotline.api.addUser({ firstName: 'C', languageCode: 'en' });
    await fileReport(hotline.api, user, { account: ['hello?'] });
    const posted = await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text?.includes('hello?')), { timeoutMs: 10_000 });
    const first = hotline.api.sendGroup(hotline.staffGroup, hotline.counsellor, 'first answer', { replyTo: posted.message_id });
    await hotline.api.waitFor(() => texts(hotline.api, user.id).find((t) => t.endsWith('first answer')), { timeoutMs: 10_000 });
    hotline.api.sendGroup(hotline.staffGroup, hotline.counsellor, 'follow-up to my answer', { replyTo: first.message_id });
    await hotline.api.waitFor(() => texts(hotline.api, user.id).find((t) => t.endsWith('follow-up to my answer')), { timeoutMs: 10_000 });
  });
});
