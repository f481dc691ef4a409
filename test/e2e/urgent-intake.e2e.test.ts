// A reporter in danger is heard at once: once the urgent path has opened their case,
// whatever they write during the questions goes to the counsellor like any message on
// an open case, the questions become optional (offered once, answers posted to staff
// as they come), no questionnaire reminder reaches them, and the draft's expiry never
// closes the case. On Telegram (real bot, local Bot API server) and on WhatsApp (fake
// client with whatsapp-web.js's shapes).
import type { Message, User } from 'grammy/types';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeWhatsApp, until } from '../support/fake-whatsapp.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { botSays, buttonsOf, CODE, tap } from '../support/intake-driver.js';
import { dumpRedis } from '../support/redis.js';
import { MENU, WhatsAppTyper } from '../support/whatsapp-intake.js';
import { startWhatsAppHotline } from '../support/whatsapp-hotline.js';

let h: Hotline | undefined;
let redis: Redis | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  redis?.disconnect();
  await h?.stop();
  await cleanup?.();
  h = redis = cleanup = undefined;
});

async function hotline(env: Record<string, string> = {}): Promise<{ h: Hotline; redis: Redis }> {
  h = await startHotline({ threading: 'topics', env });
  redis = new Redis(h.redis.url);
  return { h, redis };
}

const staffTexts = (h: Hotline) => h.api.messagesIn(h.staffGroup.id).map((m) => m.text ?? m.caption ?? '');
const botMessages = (h: Hotline, user: User) => h.api.messagesIn(user.id).filter((m) => m.from?.is_bot);
const reactedTo = (h: Hotline, m: Message) =>
  h.api.callsTo('setMessageReaction').some((c) => c.params.message_id === m.message_id && Number(c.params.chat_id) === m.chat.id);
/** The staff chat's texts, in order, that contain one of the canaries; each canary once. */
const canariesInStaff = (h: Hotline, canaries: readonly string[]) => staffTexts(h).flatMap((text) => canaries.filter((c) => text.includes(c)));

/** Language, consent, "yes, I am in danger": returns the case code the reporter is given. */
async function urgentStart(h: Hotline, user: User): Promise<string> {
  h.api.sendPrivate(user, '/start');
  await tap(h.api, user, 'language', 'en');
  await tap(h.api, user, 'consent', 'continue');
  await tap(h.api, user, 'way', 'report');
  const since = h.api.messagesIn(user.id).length;
  await tap(h.api, user, 'danger', 'yes');
  const opened = await botSays(h.api, user, 'Your case code is', since);
  return CODE.exec(opened.text!)![1]!;
}

async function counsellorAnswers(h: Hotline, code: string, text: string): Promise<void> {
  const post = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.includes(code) && m.message_thread_id !== undefined), {
    timeoutMs: 10_000,
    label: 'the urgent post',
  });
  h.api.sendGroup(h.staffGroup, h.counsellor, text, { threadId: post.message_thread_id! });
}

describe('urgent intake on Telegram', () => {
  it('relays what the reporter writes at a choice, a text question and the evidence step at once, in order; answers update staff', async () => {
    const { h, redis } = await hotline();
    const user = h.api.addUser({ firstName: 'Urgent', languageCode: 'en' });
    const code = await urgentStart(h, user);
    const early = await h.api.waitFor(() => staffTexts(h).find((t) => t.startsWith('🚨') && t.includes(code)), { timeoutMs: 10_000 });
    // the counsellor sees which questions are still open, to ask in their own words
    expect(early).toContain(
      'Пока без ответа: Что произошло, О сотрудниках самой службы, Кто пострадал, Когда, Где, Продолжается, Рассказ, Доказательства, Контакт',
    );

    await counsellorAnswers(h, code, 'We are here with you. Are you safe right now?');
    await botSays(h.api, user, 'We are here with you');

    // at the category question (a choice), the reporter talks instead of tapping
    const canaries = [
      'canary-7f1 he is outside',
      'canary-7f2 I locked the door',
      'canary-7f3 since yesterday',
      'canary-7f4 he has a key',
      'canary-7f6 please hurry',
    ];
    const before = botMessages(h, user).length;
    const first = h.api.sendPrivate(user, canaries[0]!);
    await h.api.waitFor(() => canariesInStaff(h, canaries).length === 1, { timeoutMs: 10_000, label: 'the first message in the staff chat' });
    await h.api.waitFor(() => reactedTo(h, first), { timeoutMs: 10_000, label: '👌 on the first message' });
    // one offer of the remaining questions, with a button to go on and one to stop
    const offer = await botSays(h.api, user, 'A few questions are left', 0);
    expect(buttonsOf(offer)).toEqual(['more-questions:continue', 'more-questions:stop']);
    const second = h.api.sendPrivate(user, canaries[1]!);
    await h.api.waitFor(() => canariesInStaff(h, canaries).length === 2, { timeoutMs: 10_000, label: 'the second message in the staff chat' });
    await h.api.waitFor(() => reactedTo(h, second), { timeoutMs: 10_000, label: '👌 on the second message' });

    // "continue" asks the question they were at; its old buttons work too
    await tap(h.api, user, 'more-questions', 'continue');
    await botSays(h.api, user, 'What happened? Choose', before + 1);
    await tap(h.api, user, 'category', 'harassment');
    await tap(h.api, user, 'harassment', 'physical');
    const answered = await h.api.waitFor(() => staffTexts(h).find((t) => t.startsWith('📝 Добавлен ответ')), {
      timeoutMs: 10_000,
      label: 'the answer in the staff chat',
    });
    expect(answered).toContain(code);
    expect(answered).toContain('Что произошло: Домогательства (Физические');
    // the two messages already with the counsellor count as the account
    expect(answered).toContain('Пока без ответа: О сотрудниках самой службы, Кто пострадал, Когда, Где, Продолжается, Доказательства, Контакт');
    await tap(h.api, user, 'about-staff', 'no');
    await tap(h.api, user, 'affected', 'me');

    // at "when" (a question that also takes words), free words go to the counsellor
    await botSays(h.api, user, 'when did it happen');
    h.api.sendPrivate(user, canaries[2]!);
    await h.api.waitFor(() => canariesInStaff(h, canaries).length === 3, { timeoutMs: 10_000, label: 'the text-question message in the staff chat' });
    await tap(h.api, user, 'when', 'today');
    await tap(h.api, user, 'where', 'dormitory');
    await tap(h.api, user, 'ongoing', 'yes');
    // the account question: messages already with the counsellor count as the account
    h.api.sendPrivate(user, canaries[3]!);
    await h.api.waitFor(() => canariesInStaff(h, canaries).length === 4, { timeoutMs: 10_000, label: 'the account message in the staff chat' });
    await tap(h.api, user, 'account', 'done');

    // evidence: a photo and words go to staff at once, not at the end
    await botSays(h.api, user, 'up to');
    h.api.sendPrivateMessage(user, { photo: [{ width: 90, height: 90, file_size: 2_000 }], caption: 'canary-7f5 his car' });
    await h.api.waitFor(() => staffTexts(h).some((t) => t.includes('canary-7f5 his car')), { timeoutMs: 10_000, label: 'the photo in the staff chat' });
    h.api.sendPrivate(user, canaries[4]!);
    await h.api.waitFor(() => canariesInStaff(h, canaries).length === 5, { timeoutMs: 10_000, label: 'the evidence-step message in the staff chat' });
    expect(canariesInStaff(h, canaries)).toEqual(canaries);
    // an edit of something already passed on follows as a correction
    h.api.editPrivate(user, first.message_id, 'canary-7f7 he is outside, by the stairs');
    await h.api.waitFor(() => staffTexts(h).some((t) => t.startsWith('✏️') && t.includes('canary-7f7 he is outside, by the stairs')), {
      timeoutMs: 10_000,
      label: 'the correction',
    });

    // each question was asked once (plus once after "continue"), and the offer came once
    const texts = botMessages(h, user).map((m) => m.text ?? '');
    expect(texts.filter((t) => t.includes('A few questions are left'))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('What happened? Choose'))).toHaveLength(2);
    expect(texts.filter((t) => t.includes('Please choose one of the answers'))).toHaveLength(0);
    expect(texts.filter((t) => t.includes('I kept what you wrote'))).toHaveLength(0);

    // finishing the questions still sends the full report into the same case
    await tap(h.api, user, 'evidence', 'done');
    await tap(h.api, user, 'contact', 'anonymous');
    await tap(h.api, user, 'review', 'send');
    const receipt = await botSays(h.api, user, 'Your report was sent');
    expect(receipt.text).toContain(code);
    await h.api.waitFor(() => staffTexts(h).find((t) => t.startsWith('🚨 СРОЧНО · Обращение ·')), { timeoutMs: 10_000, label: 'the full report' });
    expect(h.api.topics(h.staffGroup.id)).toHaveLength(1);

    // nothing the reporter wrote rests in Redis or the log in clear
    const dump = await dumpRedis(redis);
    for (const secret of [...canaries, 'canary-7f5', 'canary-7f7']) {
      expect(dump).not.toContain(secret);
      expect(h.captured.lines.join('\n')).not.toContain(secret);
    }
  });

  it('a flood during the urgent intake: one 👌 per message, no repeated questions, everything to staff in order', async () => {
    const { h } = await hotline();
    const user = h.api.addUser({ firstName: 'Flood', languageCode: 'en' });
    await urgentStart(h, user);
    await botSays(h.api, user, 'What happened? Choose');
    const before = botMessages(h, user).length;
    const canaries = Array.from({ length: 30 }, (_, i) => `flood-canary-${String(i).padStart(2, '0')}`);
    const sent = canaries.map((text) => h.api.sendPrivate(user, text));
    await h.api.waitFor(() => canariesInStaff(h, canaries).length === canaries.length, { timeoutMs: 30_000, label: 'all 30 in the staff chat' });
    expect(canariesInStaff(h, canaries)).toEqual(canaries);
    await h.api.waitFor(() => sent.every((m) => reactedTo(h, m)), { timeoutMs: 30_000, label: 'a 👌 on each message' });
    for (const m of sent) {
      const reactions = h.api.callsTo('setMessageReaction').filter((c) => c.params.message_id === m.message_id && Number(c.params.chat_id) === user.id);
      expect(reactions).toHaveLength(1);
    }
    // 30 messages brought one offer of the questions, nothing else
    const after = botMessages(h, user)
      .slice(before)
      .map((m) => m.text ?? '');
    expect(after).toHaveLength(1);
    expect(after[0]).toContain('A few questions are left');
  });

  it('"stop asking" ends the questions, keeps the case open and tells staff; later messages are relayed', async () => {
    const { h, redis } = await hotline();
    const user = h.api.addUser({ firstName: 'Stop', languageCode: 'en' });
    const code = await urgentStart(h, user);
    h.api.sendPrivate(user, 'stop-canary-1');
    await tap(h.api, user, 'more-questions', 'stop');
    const stopped = await botSays(h.api, user, 'No more questions');
    expect(stopped.text).toContain(code);
    await h.api.waitFor(() => staffTexts(h).some((t) => t.startsWith('⏹ Заявитель больше не хочет отвечать')), { timeoutMs: 10_000, label: 'staff told' });
    const later = h.api.sendPrivate(user, 'stop-canary-2');
    await h.api.waitFor(() => staffTexts(h).includes('stop-canary-2'), { timeoutMs: 10_000, label: 'a later message relayed' });
    await h.api.waitFor(() => reactedTo(h, later), { timeoutMs: 10_000, label: '👌 on the later message' });
    const caseId = (await redis.get(`tl:code:${code}`))!;
    expect(await redis.hget(`tl:case:${caseId}`, 'status')).not.toBe('closed');
    // no questionnaire came back
    expect(botMessages(h, user).filter((m) => m.text?.startsWith('What happened? Choose'))).toHaveLength(1);
  });

  it('no "are you still there" reminder during an urgent intake; the draft expires, the case stays open', async () => {
    const { h, redis } = await hotline({ INTAKE_REMIND_AFTER: '1s', INTAKE_EXPIRE_AFTER: '3s' });
    const user = h.api.addUser({ firstName: 'Quiet', languageCode: 'en' });
    const code = await urgentStart(h, user);
    await h.api.waitFor(() => staffTexts(h).some((t) => t.startsWith('⏹ Заявитель не закончил')), {
      timeoutMs: 15_000,
      label: 'the questions left unfinished',
    });
    await counsellorAnswers(h, code, 'Please write when you can.');
    await botSays(h.api, user, 'Please write when you can.');
    const texts = botMessages(h, user).map((m) => m.text ?? '');
    expect(texts.filter((t) => t.includes('have not finished'))).toHaveLength(0);
    expect(texts.filter((t) => t.includes('was deleted'))).toHaveLength(0);
    const caseId = (await redis.get(`tl:code:${code}`))!;
    expect(await redis.hget(`tl:case:${caseId}`, 'status')).not.toBe('closed');
    // writing later joins the same open case
    h.api.sendPrivate(user, 'quiet-canary-after-expiry');
    await h.api.waitFor(() => staffTexts(h).includes('quiet-canary-after-expiry'), { timeoutMs: 10_000, label: 'the later message' });
    expect(h.api.topics(h.staffGroup.id)).toHaveLength(1);
  });
});

describe('urgent intake on WhatsApp', () => {
  it('relays free text at once, acknowledges with 👌, offers the questions once as a menu', async () => {
    const fake = new FakeWhatsApp();
    ({ h, cleanup } = await startWhatsAppHotline(fake));
    const hl = h;
    const r = new WhatsAppTyper(fake, 'line1', '77015550999@c.us');
    await r.answer('Hello');
    await r.answer('3'); // English
    await r.answer('1'); // continue
    await r.answer('1'); // report what happened
    const opened = await r.answer('1'); // yes, I am in danger
    expect(opened.join('\n')).toContain('Your case code is');
    const code = CODE.exec(opened.join('\n'))![1]!;

    const since = r.texts().length;
    const m1 = fake.write('line1', r.jid, 'wa-canary-1 he is here');
    await hl.api.waitFor(() => staffTexts(hl).includes('wa-canary-1 he is here'), { timeoutMs: 10_000, label: 'the WhatsApp message in the staff chat' });
    await until(() => fake.line('line1').reactions.some((x) => x.messageId === m1.id._serialized && x.reaction === '👌'), { label: '👌 on WhatsApp' });
    const offer = await until(
      () =>
        r
          .texts()
          .slice(since)
          .find((t) => t.includes('A few questions are left')),
      { label: 'the offer' },
    );
    expect(offer).toMatch(MENU);
    const m2 = fake.write('line1', r.jid, 'wa-canary-2 please');
    await hl.api.waitFor(() => staffTexts(hl).includes('wa-canary-2 please'), { timeoutMs: 10_000, label: 'the second WhatsApp message' });
    await until(() => fake.line('line1').reactions.some((x) => x.messageId === m2.id._serialized), { label: '👌 on the second' });
    // "1" at the offer means "continue the questions", not the first category
    const asked = await r.answer('1');
    expect(asked.at(-1)).toContain('What happened? Choose');
    await r.answer('2'); // harassment
    await r.answer('3'); // physical
    const answered = await hl.api.waitFor(() => staffTexts(hl).find((t) => t.startsWith('📝 Добавлен ответ')), { timeoutMs: 10_000, label: 'the answer' });
    expect(answered).toContain(code);
    expect(r.texts().filter((t) => t.includes('A few questions are left'))).toHaveLength(1);
  });
});
