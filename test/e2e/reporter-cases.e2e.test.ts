// A reporter with two cases (/new), end to end against the real bot, Redis and the
// local Bot API server: the second case is independent (its own code, phrase and
// topic), messages go to the case the reporter picks or whose answer came last, and
// withdrawing one leaves the other taking their messages.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from 'grammy/types';
import { t } from '../../src/i18n/i18n.js';
import { redisKeys } from '../../src/store/redis-keys.js';
import { staffChat } from '../support/duty.js';
import { botSays, buttonsOf, fileAnotherReport, fileReport, tap, write } from '../support/intake-driver.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { dumpRedis } from '../support/redis.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const T = { timeoutMs: 15_000 };

/** The staff topic of a case, once it is there. */
const topicOf = (hotline: Hotline, code: string) =>
  hotline.api.waitFor(() => hotline.api.topics(hotline.staffGroup.id).find((topic) => topic.name.includes(code)), T).then((topic) => topic.message_thread_id);

/** Writes as the reporter and waits for it in the staff chat; returns the topic it landed in. */
async function landsIn(hotline: Hotline, reporter: User, text: string): Promise<number | undefined> {
  hotline.api.sendPrivate(reporter, text);
  const posted = await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text?.includes(text)), T);
  return posted.message_thread_id;
}

describe('a reporter with more than one case', () => {
  it('opens a second, independent case with /new; messages go to the case picked or answered last; withdrawing one leaves the other', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const { api, counsellor: dana } = hotline;
    const chat = staffChat(hotline);
    const reporter = api.addUser({ firstName: 'Madina', languageCode: 'ru' });

    const a = await fileReport(api, reporter, { account: ['canary-a1 про общежитие'] });
    const threadA = await topicOf(hotline, a.code);
    const started = await write(api, reporter, '/new', 'Новое обращение');
    expect(started.text).toContain(t('ru', 'new-case-started', { code: a.code }));
    expect(buttonsOf(started)).toContain('danger:no');

    const b = await fileAnotherReport(api, reporter, { account: ['canary-b1 про кафедру'] });
    expect(b.code).not.toBe(a.code);
    expect(b.passphrase).not.toBe(a.passphrase);
    const receipt = await botSays(api, reporter, b.passphrase);
    expect(receipt.text).toContain(t('ru', 'receipt-alongside', { code: b.code, others: a.code, count: 1 }));
    // Its own topic; nothing in the staff chat ties the two together.
    const threadB = await topicOf(hotline, b.code);
    expect(threadB).not.toBe(threadA);
    const posts = chat.texts();
    expect(posts.filter((text) => text.includes(a.code) && text.includes(b.code))).toEqual([]);

    // Straight after sending, messages go to the new case.
    expect(await landsIn(hotline, reporter, 'canary-b2 ещё про кафедру')).toBe(threadB);

    // An answer on the first case says which case it is about, and the reply follows it.
    chat.say(dana, 'canary-a3 Мы получили ваше первое обращение.', threadA);
    const answer = await botSays(api, reporter, 'canary-a3');
    expect(answer.text).toBe(
      `${t('ru', 'counsellor-says-case', { code: a.code })}\ncanary-a3 Мы получили ваше первое обращение.\n\n${t('ru', 'writing-to', { code: a.code })}`,
    );
    expect(await landsIn(hotline, reporter, 'canary-a4 спасибо')).toBe(threadA);
    // A second answer on the same case: headed, with no word about switching.
    chat.say(dana, 'canary-a5 Когда вам удобно поговорить?', threadA);
    expect((await botSays(api, reporter, 'canary-a5')).text).toBe(
      `${t('ru', 'counsellor-says-case', { code: a.code })}\ncanary-a5 Когда вам удобно поговорить?`,
    );

    // /status lists both and lets the reporter pick with a button.
    const status = await write(api, reporter, '/status', a.code);
    expect(status.text).toContain(b.code);
    expect(status.text).toContain(t('ru', 'ask-case'));
    expect(buttonsOf(status)).toEqual([`case:${a.code.toLowerCase()}`, `case:${b.code.toLowerCase()}`]);
    const since = api.messagesIn(reporter.id).length;
    await tap(api, reporter, 'case', b.code.toLowerCase());
    await botSays(api, reporter, t('ru', 'writing-to', { code: b.code }), since);
    expect(await landsIn(hotline, reporter, 'canary-b6 выбрал второе')).toBe(threadB);

    // Withdrawn, the second case lets the first take the messages again.
    await write(api, reporter, '/withdraw', 'Отозвать');
    await tap(api, reporter, 'confirm-withdraw', 'yes');
    await botSays(api, reporter, t('ru', 'withdrawn', { code: b.code, next: a.code }));
    expect(await landsIn(hotline, reporter, 'canary-a7 снова про общежитие')).toBe(threadA);
    // One open case: answers are headed as for anyone with one case.
    chat.say(dana, 'canary-a8 Хорошо.', threadA);
    expect((await botSays(api, reporter, 'canary-a8')).text).toBe(`${t('ru', 'counsellor-says')}\ncanary-a8 Хорошо.`);
    const single = await write(api, reporter, '/status', a.code);
    expect(buttonsOf(single)).toEqual([]);

    const redis = new Redis(hotline.redis.url);
    try {
      // Redis links the reporter's cases only through their keyed hash, and holds no word of either.
      const dump = await dumpRedis(redis);
      expect(dump).not.toContain('canary');
      expect(dump).not.toContain(String(reporter.id));
      const keys = await redis.keys(`${redisKeys.reporter('' as never)}*:cases`);
      expect(keys).toHaveLength(1);
      const caseA = await redis.get(redisKeys.code(a.code as never));
      expect(await redis.smembers(keys[0]!)).toEqual([caseA]);
    } finally {
      redis.disconnect();
    }
  });

  it('answers /new during the questions by going on with them, and refuses it to a reporter an admin blocked', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const { api, admin } = hotline;
    const chat = staffChat(hotline);
    const reporter = api.addUser({ firstName: 'Erlan', languageCode: 'ru' });
    const a = await fileReport(api, reporter, { account: ['Преподаватель оскорбляет'] });
    const threadA = await topicOf(hotline, a.code);

    await write(api, reporter, '/new', 'Новое обращение');
    const again = await write(api, reporter, '/new', t('ru', 'new-during-intake'));
    expect(again.text).toBe(t('ru', 'new-during-intake'));
    // /cancel ends the new draft only: messages still go to the first case.
    await write(api, reporter, '/cancel', 'удалить');
    await tap(api, reporter, 'confirm-cancel', 'yes');
    await botSays(api, reporter, t('ru', 'cancelled'));
    expect(await landsIn(hotline, reporter, 'Всё ещё про первое')).toBe(threadA);

    // Blocked, the reporter opens no second case either: /new gets the same notice as the block.
    const before = api.messagesIn(reporter.id).length;
    await chat.ask(admin, '/block угрозы консультанту', threadA);
    const notice = await botSays(api, reporter, a.code, before);
    const refused = await write(api, reporter, '/new');
    expect(refused.text).toBe(notice.text);
    expect(buttonsOf(refused)).toEqual([]);
  });
});
