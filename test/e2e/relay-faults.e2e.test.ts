// Faults: nothing lost, nothing claimed that did not happen, nothing crossed between reporters.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { queueNames } from '../../src/queue/jobs.js';
import { t } from '../../src/i18n/i18n.js';
import { queuePrefix } from '../../src/store/redis-keys.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { fileReport, receiptOf, upToReview } from '../support/intake-driver.js';
import { createCase } from '../../src/flows/case-opening.js';
import { CaseStore } from '../../src/store/cases.js';
import { reporterKeyOf } from '../../src/crypto/index.js';
import { sealReturnAddress } from '../../src/cases/return-address.js';
import { staffSide, startInMode } from '../support/staff-side.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const CODE = /([0-9A-Z]{3}-[0-9A-Z]{3})/;
const texts = (api: Hotline['api'], chat: number) => api.messagesIn(chat).map((m) => m.text ?? '');
const t0 = (lang: 'kk' | 'ru' | 'en') => t(lang, 'try-again');

describe('faults and isolation', () => {
  for (const mode of ['topics', 'assigned'] as const) {
    it(`two reporters at once never see each other’s answers (${mode})`, async () => {
      const hotline = (h = await startInMode(mode));
      const staff = staffSide(hotline, mode);
      const a = hotline.api.addUser({ firstName: 'A', languageCode: 'en' });
      const b = hotline.api.addUser({ firstName: 'B', languageCode: 'en' });
      await Promise.all([fileReport(hotline.api, a), fileReport(hotline.api, b)]);
      hotline.api.sendPrivate(a, 'report from A');
      hotline.api.sendPrivate(b, 'report from B');
      const postA = await staff.waitForPost((m) => staff.bodyOf(m) === 'report from A');
      const postB = await staff.waitForPost((m) => staff.bodyOf(m) === 'report from B');
      if (mode === 'topics') expect(postA.message_thread_id).not.toBe(postB.message_thread_id);

      for (let i = 1; i <= 3; i++) {
        staff.answer(postA, `for A #${i}`);
        staff.answer(postB, `for B #${i}`);
      }
      await hotline.api.waitFor(() => texts(hotline.api, a.id).find((t) => t.endsWith('for A #3')), { timeoutMs: 10_000 });
      await hotline.api.waitFor(() => texts(hotline.api, b.id).find((t) => t.endsWith('for B #3')), { timeoutMs: 10_000 });
      const toA = texts(hotline.api, a.id).filter((t) => t.includes(' #'));
      const toB = texts(hotline.api, b.id).filter((t) => t.includes(' #'));
      expect(toA.map((t) => t.split('\n')[1])).toEqual(['for A #1', 'for A #2', 'for A #3']);
      expect(toB.map((t) => t.split('\n')[1])).toEqual(['for B #1', 'for B #2', 'for B #3']);
    });
  }

  it('holds what a reporter writes while Redis is down for 2 s: every message reaches staff once, in order, and nobody is told to send again', async () => {
    h = await startHotline({ threading: 'topics' });
    const { api, staffGroup } = h;
    const user = api.addUser({ firstName: 'R', languageCode: 'en' });
    await fileReport(api, user);
    api.sendPrivate(user, 'm000 before');
    await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text === 'm000 before'), { timeoutMs: 10_000 });
    const before = texts(api, user.id).length;

    // A message every 60 ms; Redis is killed after the 10th and is back 2 s later. A
    // counsellor answers while it is down: held too, and delivered once.
    const topic = api.topics(staffGroup.id)[0]!.message_thread_id;
    const sent: string[] = [];
    let down: Promise<void> = Promise.resolve();
    for (let i = 1; i <= 70; i++) {
      const text = `m${String(i).padStart(3, '0')} outage`;
      sent.push(text);
      api.sendPrivate(user, text);
      if (i === 10) down = h.redis.kill();
      if (i === 12) void down.then(() => new Promise((r) => setTimeout(r, 2_000))).then(() => h!.redis.restart());
      if (i === 15) await down.then(() => api.sendGroup(staffGroup, h!.counsellor, 'answered during the outage', { threadId: topic }));
      await new Promise((r) => setTimeout(r, 60));
    }
    const posted = () => texts(api, staffGroup.id).filter((t) => / outage$/.test(t));
    await api.waitFor(() => posted().length >= sent.length || undefined, { timeoutMs: 90_000, label: 'every message in the staff chat' });
    expect(posted()).toEqual(sent);
    const answered = () => texts(api, user.id).filter((t) => t.endsWith('answered during the outage'));
    await api.waitFor(() => answered().length > 0 || undefined, { timeoutMs: 30_000, label: 'the answer' });
    await new Promise((r) => setTimeout(r, 500));
    expect(answered()).toHaveLength(1);
    expect(
      texts(api, user.id)
        .slice(before)
        .filter((t) => t.includes('try again')),
    ).toEqual([]);
    // the case survived the crash (AOF): same topic, no second case
    expect(api.topics(staffGroup.id)).toHaveLength(1);
  }, 120_000);

  it('tells the reporter in all three languages to send again when the outage outlasts REDIS_OUTAGE_HOLD', async () => {
    h = await startHotline({ threading: 'topics', env: { REDIS_OUTAGE_HOLD: '1s' } });
    const { api, staffGroup } = h;
    const user = api.addUser({ firstName: 'R', languageCode: 'kk' });
    await fileReport(api, user);
    api.sendPrivate(user, 'алдында');
    await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text === 'алдында'), { timeoutMs: 10_000 });

    await h.redis.kill();
    const before = texts(api, user.id).length;
    api.sendPrivate(user, 'кезінде');
    const notice = await api.waitFor(
      () =>
        texts(api, user.id)
          .slice(before)
          .find((t) => t.includes(t0('kk'))),
      { timeoutMs: 30_000, label: 'the notice' },
    );
    expect(notice).toBe(['kk', 'ru', 'en'].map((l) => t0(l as 'kk' | 'ru' | 'en')).join('\n\n'));
    await h.redis.restart();
    // Once the hotline has reconnected (ioredis backs off up to 2 s), messages go through again.
    await new Promise((r) => setTimeout(r, 3_000));
    api.sendPrivate(user, 'кейін');
    await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text === 'кейін'), { timeoutMs: 30_000 });
  }, 90_000);

  it('routes a report whose first Send was cut short after its case opened, when the Send is taken again', async () => {
    h = await startHotline({ threading: 'topics' });
    const { api, staffGroup } = h;
    const user = api.addUser({ firstName: 'Half', languageCode: 'ru' });
    const review = await upToReview(api, user, { account: ['canary-half это случилось вчера'] });
    // The first handling of Send opened the case, then Redis went away before routing it.
    const redis = new Redis(h.redis.url);
    try {
      const store = new CaseStore(redis);
      await createCase(store, h.keys.staff.publicKey, {
        reporterKey: reporterKeyOf(h.keys.pepper, 'telegram', String(user.id)),
        channel: 'telegram',
        lang: 'ru',
        returnAddress: sealReturnAddress(h.keys, { channel: 'telegram', address: String(user.id) }),
        createdAt: Date.now(),
      });
    } finally {
      redis.disconnect();
    }
    api.pressButton(user, review, 'review:send');
    const { code } = await receiptOf(api, user);
    const topic = await api.waitFor(() => api.topics(staffGroup.id).find((x) => x.name.includes(code))?.message_thread_id, { timeoutMs: 15_000 });
    // Routed: someone holds it, and the report is in its topic once.
    await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.message_thread_id === topic && m.text?.startsWith('👤')), { timeoutMs: 15_000 });
    await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.message_thread_id === topic && m.text?.includes('canary-half')), { timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(api.messagesIn(staffGroup.id).filter((m) => m.text?.includes('canary-half'))).toHaveLength(1);
  });

  it('loses no accepted report or answer when Redis is killed and restarted (AOF) with them in flight', async () => {
    h = await startHotline({ threading: 'topics' });
    const { api, staffGroup, counsellor } = h;
    const reporters = [0, 1, 2].map((i) => api.addUser({ firstName: `F${i}`, languageCode: 'en' }));
    const codes = (await Promise.all(reporters.map((r) => fileReport(api, r)))).map((f) => f.code);
    const topics = await Promise.all(
      codes.map((code) => api.waitFor(() => api.topics(staffGroup.id).find((t) => t.name.includes(code))?.message_thread_id, { timeoutMs: 10_000 })),
    );
    // Nothing leaves Redis for Telegram while the queues are paused: everything accepted
    // from here on is in flight, stored and queued, when Redis dies.
    const before = new Redis(h.redis.url, { maxRetriesPerRequest: null });
    const names = [queueNames.route, queueNames.staff, queueNames.reporter];
    const queues = names.map((name) => new Queue(name, { connection: before, prefix: queuePrefix }));
    for (const q of queues) await q.pause();
    // a whole report, receipt and all, is filed meanwhile
    const late = api.addUser({ firstName: 'F3', languageCode: 'en' });
    const lateReport = await fileReport(api, late, { account: ['a report filed in flight'] });
    const sent = reporters.flatMap((r, i) => [1, 2, 3, 4, 5].map((n) => api.sendPrivate(r, `r${i}m${n} in flight`)));
    await api.waitFor(
      () => sent.every((m) => api.callsTo('setMessageReaction').some((c) => c.params.message_id === m.message_id && Number(c.params.chat_id) === m.chat.id)),
      {
        timeoutMs: 10_000,
        label: 'every message acknowledged',
      },
    );
    topics.forEach((thread, i) => [1, 2].forEach((n) => api.sendGroup(staffGroup, counsellor, `a${i}n${n} answer in flight`, { threadId: thread })));
    const caseIds = await Promise.all(codes.map((code) => before.get(`tl:code:${code}`)));
    for (let i = 0; i < 100; i++) {
      const counts = await Promise.all(caseIds.map((id) => before.hget(`tl:case:${id}`, 'n_out')));
      if (counts.every((n) => Number(n) >= 2)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await Promise.all(caseIds.map((id) => before.hget(`tl:case:${id}`, 'n_out')))).toEqual(['2', '2', '2']);
    expect(api.messagesIn(staffGroup.id).some((m) => m.text?.includes('in flight'))).toBe(false);
    await Promise.all(queues.map((q) => q.close()));
    before.disconnect();

    await h.redis.kill(); // SIGKILL: no shutdown, only what the AOF holds survives
    // Written while Redis is down: held, and taken once it is back.
    api.sendPrivate(reporters[0]!, 'r0m6 while Redis is down');
    await new Promise((r) => setTimeout(r, 1_000));
    await h.redis.restart();

    const after = new Redis(h.redis.url, { maxRetriesPerRequest: null });
    const resumed = names.map((name) => new Queue(name, { connection: after, prefix: queuePrefix }));
    expect(await resumed[0]!.isPaused()).toBe(true); // the pause, like the jobs, came back from the AOF
    for (const q of resumed) await q.resume();
    const marks = () => texts(api, staffGroup.id).flatMap((t) => [...t.matchAll(/\br(\d)m(\d)\b/g)].map((m) => `${m[1]}:${m[2]}`));
    const answers = (i: number) => texts(api, reporters[i]!.id).flatMap((t) => /a\dn(\d) answer in flight/.exec(t)?.[1] ?? []);
    const lateTopic = () => api.topics(staffGroup.id).find((t) => t.name.includes(lateReport.code))?.message_thread_id;
    const lateTexts = () => texts(api, staffGroup.id).filter((t) => t.includes('a report filed in flight'));
    await api.waitFor(() => marks().length >= 16 && [0, 1, 2].every((i) => answers(i).length >= 2) && lateTexts().length > 0, {
      timeoutMs: 60_000,
      label: 'everything accepted',
    });
    for (const q of resumed) await q.close();
    after.disconnect();

    // every accepted message and answer arrived once, in order, the one written during the outage too
    for (const i of [0, 1, 2]) {
      expect(marks().filter((m) => m.startsWith(`${i}:`))).toEqual((i === 0 ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5]).map((n) => `${i}:${n}`));
      expect(answers(i)).toEqual(['1', '2']);
    }
    expect(lateTopic()).toBeDefined();
    expect(lateTexts()).toHaveLength(1);
    expect(texts(api, reporters[0]!.id).some((t) => t.includes('try again'))).toBe(false);
  });

  for (const mode of ['replies', 'assigned'] as const) {
    it(`dead-letters an answer the reporter can no longer receive and tells the counsellor (${mode})`, async () => {
      const hotline = (h = await startInMode(mode));
      const staff = staffSide(hotline, mode);
      const user = hotline.api.addUser({ firstName: 'Gone', languageCode: 'ru' });
      await fileReport(hotline.api, user);
      hotline.api.sendPrivate(user, 'помогите');
      const posted = await staff.waitForPost((m) => m.text?.includes('помогите') ?? false);
      const code = CODE.exec(posted.text!)![1]!;
      // the assignment notice comes next; the fault is for the answer's delivery
      await hotline.api.waitFor(() => texts(hotline.api, hotline.staffGroup.id).find((t) => t.startsWith(mode === 'assigned' ? '🗂' : '👤')), {
        timeoutMs: 10_000,
      });

      hotline.api.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
      staff.answer(posted, 'ответ, который не дойдёт');
      const alert = await staff.waitForPost((m) => m.text?.startsWith('⚠️') ?? false);
      expect(alert.text).toContain(code);
      expect(alert.text).toMatch(/blocked/);
      expect(alert.text).not.toContain('ответ, который не дойдёт');
      // one attempt only: a 403 is permanent
      expect(hotline.api.callsTo('sendMessage').filter((c) => c.params.chat_id === user.id && String(c.params.text).includes('не дойдёт'))).toHaveLength(1);
    });
  }

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
    const posted = await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text?.includes('hello?')), {
      timeoutMs: 10_000,
    });
    const first = hotline.api.sendGroup(hotline.staffGroup, hotline.counsellor, 'first answer', { replyTo: posted.message_id });
    await hotline.api.waitFor(() => texts(hotline.api, user.id).find((t) => t.endsWith('first answer')), { timeoutMs: 10_000 });
    hotline.api.sendGroup(hotline.staffGroup, hotline.counsellor, 'follow-up to my answer', { replyTo: first.message_id });
    await hotline.api.waitFor(() => texts(hotline.api, user.id).find((t) => t.endsWith('follow-up to my answer')), { timeoutMs: 10_000 });
  });
});
