// When the staff chat has no room (Telegram allows a group about 20 messages a minute),
// a case's waiting messages are posted together, in order, in as few messages as fit.
import { afterEach, describe, expect, it } from 'vitest';
import { JOINED_SEPARATOR } from '../../src/bot/telegram/staff-post.js';
import type { TelegramLimits } from '../../src/config/config.js';
import { sharedLimits, startHotline, type Hotline } from '../support/hotline.js';
import { fileReport } from '../support/intake-driver.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

// A "minute" of 3 s with room for one message: a case's first post fills it.
const limits: TelegramLimits = { globalPerSecond: 30, chatPerSecond: 1, groupPerMinute: 1, minuteMs: 3000 };
const startLimited = (threading: 'topics' | 'replies') =>
  startHotline({
    threading,
    ...sharedLimits(limits),
  });

const casePosts = (hotline: Hotline, word: string) =>
  hotline.api
    .messagesIn(hotline.staffGroup.id)
    .filter((m) => m.text?.includes(word))
    .map((m) => m.text!);
/** Trustline's notices to the staff chat (routing names who got the case); not posts of the case. */
const isNotice = (text: string | undefined) => text?.startsWith('👤') ?? false;

describe('joining waiting messages of a case', () => {
  for (const threading of ['topics', 'replies'] as const) {
    it(`posts what waited as one message, in order (${threading})`, async () => {
      const hotline = (h = await startLimited(threading));
      const user = hotline.api.addUser({ firstName: 'W', languageCode: 'ru' });
      // The report (its account reads "строка 1") is the case's first post.
      const { code } = await fileReport(hotline.api, user, { account: ['строка 1'] });
      await hotline.api.waitFor(() => casePosts(hotline, 'строка 1').length === 1, { timeoutMs: 10_000 });
      // The staff chat's window is now full; these three wait together.
      for (const n of [2, 3, 4]) hotline.api.sendPrivate(user, `строка ${n}`);
      await hotline.api.waitFor(() => casePosts(hotline, 'строка 4').length === 1, { timeoutMs: 15_000 });

      const posts = casePosts(hotline, 'строка');
      expect(posts).toHaveLength(2);
      const prefix = threading === 'replies' ? `${code} ›\n` : '';
      expect(posts[1]).toBe(prefix + ['строка 2', 'строка 3', 'строка 4'].join(JOINED_SEPARATOR));
      // The case header is no message of its own: it opens the first post, the report.
      expect(posts[0]).toMatch(new RegExp(`^🆕[^]*${code}[^]*\n\n📋 Обращение · ${code}\n[^]*строка 1`));
      const staffMessages = hotline.api.messagesIn(hotline.staffGroup.id);
      expect(staffMessages.filter((m) => !isNotice(m.text))).toHaveLength(2);
      expect(staffMessages.filter((m) => isNotice(m.text)).length).toBeLessThanOrEqual(1);
      expect(hotline.api.stats.tooManyRequests).toBe(0);
    }, 90_000); // the intake conversation goes at Telegram's one message a second per chat
  }

  it('splits what waited at message boundaries to stay within 4096 characters, and posts each message once', async () => {
    const hotline = (h = await startLimited('topics'));
    const user = hotline.api.addUser({ firstName: 'L', languageCode: 'ru' });
    await fileReport(hotline.api, user, { account: ['начало'] });
    await hotline.api.waitFor(() => casePosts(hotline, 'начало').length === 1, { timeoutMs: 10_000 });
    const long = [2, 3, 4, 5, 6].map((n) => `часть ${n}: ${'подробности '.repeat(125)}`.trim()); // ~1,500 characters each
    for (const text of long) hotline.api.sendPrivate(user, text);
    await hotline.api.waitFor(() => casePosts(hotline, 'часть 6').length === 1, { timeoutMs: 20_000 });

    const posts = casePosts(hotline, 'часть');
    for (const p of posts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(posts).toEqual([long.slice(0, 2).join(JOINED_SEPARATOR), long.slice(2, 4).join(JOINED_SEPARATOR), long[4]]);
    expect(hotline.api.stats.tooManyRequests).toBe(0);
  }, 90_000);
});
