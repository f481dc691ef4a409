// Asking before reporting, end to end against the real bot, Redis and the local Bot API
// server: the three ways in after the consent; a consultation relayed both ways, posted
// to staff as a consultation; turned into a report by the reporter (/report) and after
// the counsellor's offer (/offer, a button), keeping the conversation and the code; and
// reading, which leaves no conversation behind.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from 'grammy/types';
import { t } from '../../src/i18n/i18n.js';
import { redisKeys } from '../../src/store/redis-keys.js';
import { loadRights } from '../../src/rights/index.js';
import { staffChat } from '../support/duty.js';
import { botSays, buttonsOf, CODE, currentStep, fromDangerToReview, tap, write } from '../support/intake-driver.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { dumpRedis } from '../support/redis.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const T = { timeoutMs: 15_000 };
const PASSPHRASE = /: ([a-z]+(?: [a-z]+){3})$/m;

/** /start, a language, the consent: the three ways in. */
async function upToWay(hotline: Hotline, user: User, lang: 'kk' | 'ru' | 'en') {
  hotline.api.sendPrivate(user, '/start');
  await tap(hotline.api, user, 'language', lang);
  await tap(hotline.api, user, 'consent', 'continue');
  return hotline.api.waitFor(() => [...hotline.api.messagesIn(user.id)].reverse().find((m) => buttonsOf(m).includes('way:ask')), T);
}

/** Asks a question as a consultation; returns its code, phrase and topic. */
async function consult(hotline: Hotline, user: User, question: string) {
  await tap(hotline.api, user, 'way', 'ask');
  await hotline.api.waitFor(() => currentStep(hotline.api, user) === 'question', T);
  const before = hotline.api.messagesIn(user.id).length;
  hotline.api.sendPrivate(user, question);
  const receipt = await hotline.api.waitFor(
    () =>
      hotline.api
        .messagesIn(user.id)
        .slice(before)
        .find((m) => PASSPHRASE.test(m.text ?? '')),
    T,
  );
  const code = CODE.exec(receipt.text!)![1]!;
  const topic = await hotline.api.waitFor(() => hotline.api.topics(hotline.staffGroup.id).find((x) => x.name.includes(code)), T);
  return { code, passphrase: PASSPHRASE.exec(receipt.text!)![1]!, receipt, thread: topic.message_thread_id };
}

/** The report's questions on an open case, answered quickly from the danger question to Send. */
async function answerTheQuestions(hotline: Hotline, user: User) {
  await fromDangerToReview(hotline.api, user, { account: ['canary-c4 с сентября, на каждом занятии'] });
  await tap(hotline.api, user, 'review', 'send');
}

describe('asking before reporting', () => {
  it('offers three ways in, in each language', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const user = hotline.api.addUser({ firstName: `Way ${lang}`, languageCode: lang });
      const way = await upToWay(hotline, user, lang);
      expect(way.text).toBe(t(lang, 'ask-way'));
      expect(way.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['report', 'ask', 'read'].map((v) => t(lang, `opt-way-${v}`)));
    }
  });

  it('relays a consultation both ways as a consultation, then the reporter turns it into a report with /report, keeping the conversation, the code and the phrase', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const { api, counsellor: dana } = hotline;
    const chat = staffChat(hotline);
    const reporter = api.addUser({ firstName: 'Aigul', languageCode: 'ru' });
    await upToWay(hotline, reporter, 'ru');
    const c = await consult(hotline, reporter, 'canary-c1 Это считается травлей, если преподаватель высмеивает меня при всех?');
    expect(c.receipt.text).toContain(t('ru', 'consult-receipt', { code: c.code, passphrase: c.passphrase }));
    expect(buttonsOf(c.receipt)).toEqual(['quiet:night', 'quiet:any']);

    // Staff see a consultation, not a complaint, and the question as written.
    const header = await chat.next((m) => m.message_thread_id === c.thread && (m.text ?? '').startsWith('💬'));
    expect(header.text).toContain(`💬 Консультация ${c.code}: вопрос, а не жалоба`);
    await chat.next((m) => m.message_thread_id === c.thread && (m.text ?? '').includes('canary-c1'));
    expect(chat.texts().some((x) => x.startsWith('📋') && x.includes(c.code))).toBe(false);

    chat.say(dana, 'canary-c2 Да, это может быть травлей. Хотите рассказать подробнее?', c.thread);
    expect((await botSays(api, reporter, 'canary-c2')).text).toBe(
      `${t('ru', 'counsellor-says')}\ncanary-c2 Да, это может быть травлей. Хотите рассказать подробнее?`,
    );
    api.sendPrivate(reporter, 'canary-c3 Да, это длится с сентября');
    await chat.next((m) => m.message_thread_id === c.thread && (m.text ?? '').includes('canary-c3'));

    // The reporter decides: the report's questions run on the same case.
    const started = await write(api, reporter, '/report', 'Превратим');
    expect(started.text).toContain(t('ru', 'to-report-started', { code: c.code }));
    expect(buttonsOf(started)).toContain('danger:no');
    await answerTheQuestions(hotline, reporter);
    const receipt = await botSays(api, reporter, t('ru', 'receipt-converted', { code: c.code }));
    expect(receipt.text).not.toMatch(PASSPHRASE);
    await chat.next((m) => m.message_thread_id === c.thread && (m.text ?? '').includes(t('ru', 'staff-event', { event: 'became-report' })));
    await chat.next((m) => m.message_thread_id === c.thread && (m.text ?? '').startsWith('📋') && (m.text ?? '').includes('Травля среди студентов'));

    const redis = new Redis(hotline.redis.url);
    try {
      const caseId = (await redis.get(redisKeys.code(c.code as never)))!;
      expect(await redis.hget(redisKeys.case(caseId as never), 'kind')).toBe('report');
      expect(Number(await redis.hget(redisKeys.case(caseId as never), 'convertedAt'))).toBeGreaterThan(0);
      expect(await dumpRedis(redis)).not.toContain('canary');
    } finally {
      redis.disconnect();
    }
    // The phrase from the consultation still opens the case from another account.
    const other = api.addUser({ firstName: 'Aigul2', languageCode: 'ru' });
    const resumed = await write(api, other, `/resume ${c.code} ${c.passphrase}`, c.code);
    expect(resumed.text).toBe(t('ru', 'resume-ok', { code: c.code }));
  });

  it('turns a consultation into a report after the counsellor’s /offer, with the button it brings', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const { api, counsellor: dana } = hotline;
    const chat = staffChat(hotline);
    const reporter = api.addUser({ firstName: 'Timur', languageCode: 'kk' });
    await upToWay(hotline, reporter, 'kk');
    const c = await consult(hotline, reporter, 'Жетекшім маған үнемі айқайлайды, не істеуге болады?');

    // The help contacts, the same card /rights shows, in the reporter's language.
    expect((await chat.ask(dana, '/contacts', c.thread)).text).toBe(t('ru', 'cmd-contacts-sent', { code: c.code }));
    await botSays(api, reporter, loadRights({ emergencyNumbers: ['112'] }).contacts('kk'));
    // Outside a case there is nothing to offer.
    expect((await chat.ask(dana, '/offer')).text).toBe(t('ru', 'cmd-needs-case'));
    expect((await chat.ask(dana, '/offer', c.thread)).text).toBe(t('ru', 'cmd-offered-report', { code: c.code }));
    const offer = await botSays(api, reporter, t('kk', 'offer-report', { code: c.code }));
    expect(buttonsOf(offer)).toEqual(['to-report:yes']);
    api.pressButton(reporter, offer, 'to-report:yes');
    await botSays(api, reporter, t('kk', 'to-report-started', { code: c.code }));
    await answerTheQuestions(hotline, reporter);
    await botSays(api, reporter, t('kk', 'receipt-converted', { code: c.code }));
    expect((await chat.ask(dana, '/offer', c.thread)).text).toBe(t('ru', 'cmd-offer-report-already', { code: c.code }));
    expect((await chat.ask(dana, '/history', c.thread)).text).toContain(t('ru', 'history-action', { action: 'offer-report', desk: '' }));
  });

  it('reads first: the pages, and no conversation is kept for reading', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const { api } = hotline;
    const reader = api.addUser({ firstName: 'Nurlan', languageCode: 'en' });
    await upToWay(hotline, reader, 'en');
    const redis = new Redis(hotline.redis.url);
    try {
      expect(await redis.keys('tl:conv:*')).toHaveLength(1);
      const since = api.messagesIn(reader.id).length;
      await tap(api, reader, 'way', 'read');
      const page = await botSays(
        api,
        reader,
        loadRights({ emergencyNumbers: ['112'] })
          .page('en')
          .text.split('\n')[0]!,
        since,
      );
      expect(buttonsOf(page)).toContain('rights-en:continue');
      expect(await redis.keys('tl:conv:*')).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
