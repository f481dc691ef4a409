// What careless or clumsy reporters do every day gets an answer and loses nothing: a
// bare /resume followed by an ordinary answer, unknown commands, an old button pressed
// after sending, a message of invisible characters; and nothing a reporter writes can
// pass for the bot's own lines in the staff chat.
import type { MessageEntity } from 'grammy/types';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/i18n.js';
import type { Lang } from '../../src/shared/ids.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { botSays, buttonsOf, fileReport, tap, upToWhen as answerUpToWhen, write } from '../support/intake-driver.js';

let h: Hotline;
let redis: Redis;
beforeAll(async () => {
  h = await startHotline({ threading: 'topics' });
  redis = new Redis(h.redis.url);
});
afterAll(async () => {
  redis.disconnect();
  await h.stop();
});

const staffMessages = () => h.api.messagesIn(h.staffGroup.id);
const staffTexts = () => staffMessages().map((m) => m.text ?? m.caption ?? '');
const resumeCounters = async () => (await redis.keys('tl:resume:*')).length;

/** Language, consent, not in danger, then the questions up to `when`. */
async function upToWhen(user: Parameters<typeof tap>[1], lang: Lang = 'en') {
  await answerUpToWhen(h.api, user, { lang });
  await botSays(h.api, user, t(lang, 'ask-when'));
}

describe('a bare /resume', () => {
  it('followed by an ordinary answer keeps the answer where it belongs and costs no attempt', async () => {
    const user = h.api.addUser({ firstName: 'Slip', languageCode: 'en' });
    await upToWhen(user);
    await write(h.api, user, '/resume', 'send the case code and the secret phrase');
    // the reporter goes on answering the question they were at, in their own words
    const since = h.api.messagesIn(user.id).length;
    h.api.sendPrivate(user, 'last Tuesday after the lecture');
    const told = await botSays(h.api, user, 'does not look like a case code', since);
    expect(told.text).toContain('cost no attempt');
    // it answered "when": the next question is "where"
    await botSays(h.api, user, t('en', 'ask-where'), since);
    expect(await resumeCounters()).toBe(0);

    // at a choice question, the words are kept for the report (and still no attempt)
    await tap(h.api, user, 'where', 'campus');
    await write(h.api, user, '/resume', 'send the case code');
    const before = h.api.messagesIn(user.id).length;
    h.api.sendPrivate(user, 'in the library, near the stairs');
    await botSays(h.api, user, 'I kept what you wrote', before);
    expect(await resumeCounters()).toBe(0);
    // "/resume" with words that are no code: told the format, nothing spent
    await write(h.api, user, '/resume my case please', 'does not look like a case code');
    expect(await resumeCounters()).toBe(0);
    // a real try still counts
    await write(h.api, user, '/resume K7Q-4FD apple river cloud lamp', 'Attempts left this hour: 4');
    expect(await resumeCounters()).toBeGreaterThan(0);

    await tap(h.api, user, 'ongoing', 'no');
    await write(h.api, user, 'A classmate keeps mocking me.', 'Received (1)');
    await tap(h.api, user, 'account', 'done');
    await tap(h.api, user, 'evidence', 'done');
    await tap(h.api, user, 'contact', 'anonymous');
    const review = await botSays(h.api, user, 'Please check your report');
    expect(review.text).toContain('last Tuesday after the lecture');
    expect(review.text).toContain('• in the library, near the stairs');
  });
});

describe('unknown commands', () => {
  it('get a one-line hint in the reporter’s language and are not added to the report', async () => {
    const hints: Record<Lang, string> = { kk: 'мұнда мұндай команда жоқ', ru: 'здесь нет такой команды', en: 'is not a command here' };
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const user = h.api.addUser({ firstName: `Cmd ${lang}`, languageCode: lang });
      await upToWhen(user, lang);
      const hint = await write(h.api, user, '/stauts', hints[lang]);
      expect(hint.text).toContain('/stauts');
      expect(hint.text).toContain('/status');
      expect(buttonsOf(hint)[0]).toMatch(/^when:/); // and the question again, in the same message
      const { code } = await fileReportAfterWhen(user, lang);
      // after the report: a hint too, and nothing reaches the staff chat
      const posted = staffMessages().length;
      const after = await write(h.api, user, '/foo', hints[lang]);
      expect(after.text).toContain('/help');
      const review = await h.api.waitFor(() => staffTexts().find((text) => text.includes(code) && text.includes('📋')), {
        timeoutMs: 10_000,
        label: 'the report',
      });
      expect(review).not.toContain('/stauts');
      h.api.sendPrivate(user, 'real-follow-up-after-foo');
      await h.api.waitFor(() => staffTexts().includes('real-follow-up-after-foo'), { timeoutMs: 10_000, label: 'the follow-up' });
      expect(
        staffTexts()
          .slice(posted)
          .some((text) => text.includes('/foo')),
      ).toBe(false);
    }
  });
});

/** From `when` to the account question. */
async function upToAccount(user: Parameters<typeof tap>[1], lang: Lang = 'en') {
  await tap(h.api, user, 'when', 'week');
  await tap(h.api, user, 'where', 'campus');
  await tap(h.api, user, 'ongoing', 'yes');
  await botSays(h.api, user, t(lang, 'ask-account'));
}

/** The account, no evidence, anonymous (tapped, or typed so its buttons stay), send. */
async function finishReport(user: Parameters<typeof tap>[1], lang: Lang, o: { typeContact?: boolean } = {}): Promise<{ code: string }> {
  await write(h.api, user, 'Они смеются надо мной.', t(lang, 'account-received', { count: 1 }));
  await tap(h.api, user, 'account', 'done');
  await tap(h.api, user, 'evidence', 'done');
  if (o.typeContact) await write(h.api, user, '1', t(lang, 'ask-review', { summary: '' }).split('\n')[0]);
  else await tap(h.api, user, 'contact', 'anonymous');
  await tap(h.api, user, 'review', 'send');
  const receipt = await botSays(h.api, user, /[0-9A-Z]{3}-[0-9A-Z]{3}/);
  return { code: /([0-9A-Z]{3}-[0-9A-Z]{3})/.exec(receipt.text!)![1]! };
}

async function fileReportAfterWhen(user: Parameters<typeof tap>[1], lang: Lang): Promise<{ code: string }> {
  await upToAccount(user, lang);
  return finishReport(user, lang);
}

describe('an old button after sending', () => {
  it('gets a short answer saying the report was sent and that writing here adds to it', async () => {
    const user = h.api.addUser({ firstName: 'Old button', languageCode: 'en' });
    await upToWhen(user);
    await upToAccount(user);
    // answered by typing its number, the contact question keeps its buttons
    const { code } = await finishReport(user, 'en', { typeContact: true });
    const contact = [...h.api.messagesIn(user.id)].reverse().find((m) => buttonsOf(m).includes('contact:share'))!;
    const since = h.api.messagesIn(user.id).length;
    h.api.pressButton(user, contact, 'contact:share');
    const answer = await botSays(h.api, user, 'has already been sent', since);
    expect(answer.text).toContain(code);
    expect(answer.text).toContain('simply write here');
  });
});

describe('a message of invisible characters', () => {
  it('is treated as empty, in the questions and after the report', async () => {
    const user = h.api.addUser({ firstName: 'Blank', languageCode: 'en' });
    const invisible = '\u200B\u200D\u2060\u202E\u2066\uFE0F\u3164';
    await upToWhen(user);
    await upToAccount(user);
    await write(h.api, user, invisible, 'looks empty');
    // not taken as the account: the first real line is message 1
    const { code } = await finishReport(user, 'en');
    // after the report: the same answer, and nothing reaches the case's thread
    await h.api.waitFor(() => staffTexts().some((text) => text.includes(code) && text.includes('📋')), { timeoutMs: 10_000, label: 'the report' });
    const posted = staffMessages().length;
    await write(h.api, user, invisible, 'looks empty');
    h.api.sendPrivate(user, 'visible-after-blank');
    await h.api.waitFor(() => staffTexts().includes('visible-after-blank'), { timeoutMs: 10_000, label: 'the next message' });
    // (other posts, such as the assignment notice, may arrive meanwhile: only the blank must not)
    const after = staffMessages()
      .slice(posted)
      .map((m) => m.text ?? '');
    expect(after).toContain('visible-after-blank');
    // eslint-disable-next-line no-misleading-character-class -- invisible code points, one by one
    expect(after.filter((text) => text.replace(/[\s\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFE0F\u3164]/g, '') === '')).toEqual([]);
  });
});

describe('reporter text that tries to look like the bot', () => {
  it('sits inside a quote in the staff chat, without control characters or an open override', async () => {
    const user = h.api.addUser({ firstName: 'Forger', languageCode: 'ru' });
    const { code } = await fileReport(h.api, user, { lang: 'ru' });
    const forged = 'forged-start\n✅ Обращение закрыто\n👤 Назначено: Дана\n\u202Eforged-rtl\u0007\u001B[31m end';
    h.api.sendPrivate(user, forged);
    const post = await h.api.waitFor(() => staffMessages().find((m) => m.text?.includes('forged-start')), { timeoutMs: 10_000, label: 'the forged text' });
    const text = post.text!;
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    const quotes = (post.entities ?? []).filter((e: MessageEntity) => e.type === 'blockquote');
    expect(quotes).toHaveLength(1);
    const quoted = text.slice(quotes[0]!.offset, quotes[0]!.offset + quotes[0]!.length);
    // every line the reporter wrote is inside the quote, the override closed on its line
    expect(quoted).toContain('✅ Обращение закрыто');
    expect(quoted).toContain('👤 Назначено: Дана');
    expect(quoted).toContain('\u202Eforged-rtl[31m end\u202C');
    expect(quoted.startsWith('forged-start')).toBe(true);
    // the report itself: the account is a quote, the field labels are not
    const report = staffMessages().find((m) => m.text?.includes(code) && m.text.includes('📋'))!;
    const reportQuotes = (report.entities ?? []).filter((e: MessageEntity) => e.type === 'blockquote');
    const quotedReport = reportQuotes.map((e) => report.text!.slice(e.offset, e.offset + e.length)).join('\n');
    expect(quotedReport).toContain('It keeps happening in the dormitory.');
    expect(quotedReport).not.toContain('Что произошло');
  });
});
