// Under Telegram's flood control (global, per chat, per group; the group "minute"
// shortened to keep the test short) the bot causes no 429 at all and still delivers
// everything, once, in each case's order, both ways.
import type { Message } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import type { TelegramLimits } from '../../src/config/config.js';
import { sharedLimits, startHotline, type Hotline } from '../support/hotline.js';
import { botSays, fileReport, receiptOf, upToReview, upToWhen } from '../support/intake-driver.js';
import { fixture } from '../support/metadata.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const limits: TelegramLimits = { globalPerSecond: 5, chatPerSecond: 1, groupPerMinute: 5, minuteMs: 4000 };
const MARK = /\b([ra])(\d)m(\d)\b/g;

/** Reporters' chats less throttled than Telegram's 1 a second (so an intake is quick), the staff group short of posts. */
const busyStaffChat = (threading: 'replies' | 'topics', groupPerMinute: number, minuteMs: number, teams?: { name: string; languages: string[] }[]) =>
  startHotline({ threading, ...(teams ? { teams } : {}), ...sharedLimits({ globalPerSecond: 30, chatPerSecond: 10, groupPerMinute, minuteMs }) });

describe('throttled by Telegram', () => {
  it('causes no 429 and delivers every message once, in per-case order', async () => {
    const hotline = (h = await startHotline({
      threading: 'topics',
      ...sharedLimits(limits),
    }));
    const { api, staffGroup, counsellor } = hotline;
    const reporters = Array.from({ length: 5 }, (_, i) => api.addUser({ firstName: `R${i}`, languageCode: 'en' }));

    // The counsellor answers every post twice, at once: reporters' chats get bursts too.
    const answered = new Set<number>();
    api.onBotMessage((m: Message) => {
      if (m.chat.id !== staffGroup.id || answered.has(m.message_id)) return;
      const marks = [...(m.text ?? '').matchAll(MARK)].filter((x) => x[1] === 'r');
      const last = marks[marks.length - 1];
      if (!last) return;
      answered.add(m.message_id);
      setImmediate(() => {
        for (const k of [1, 2]) api.sendGroup(staffGroup, counsellor, `a${last[2]}m${last[3]}.${k}`, { threadId: m.message_thread_id! });
      });
    });
    // Every reporter files a report first (the case opens with it), then writes four messages.
    const codes = (await Promise.all(reporters.map((r) => fileReport(api, r)))).map((f) => f.code);
    for (let n = 1; n <= 4; n++) reporters.forEach((r, i) => api.sendPrivate(r, `r${i}m${n} report line`));

    const staffMarks = () =>
      api.messagesIn(staffGroup.id).flatMap((m) => [...(m.text ?? '').matchAll(MARK)].filter((x) => x[1] === 'r').map((x) => `${x[2]}:${x[3]}`));
    function answersTo(i: number): string[] {
      return api.messagesIn(reporters[i]!.id).flatMap(
        (m) =>
          /a\dm(\d)\.(\d)/
            .exec(m.text ?? '')
            ?.slice(1, 3)
            .join('.') ?? [],
      );
    }
    function allAnswersIn(): boolean {
      const expected = answered.size * 2;
      return expected > 0 && reporters.reduce((n, _, i) => n + answersTo(i).length, 0) === expected;
    }
    await api.waitFor(() => staffMarks().length >= 20, { timeoutMs: 60_000 });
    await api.waitFor(() => allAnswersIn(), { timeoutMs: 60_000 });

    expect(api.stats.tooManyRequests).toBe(0);
    // each reporter message exactly once, in order per case
    const marks = staffMarks();
    expect(new Set(marks).size).toBe(20);
    expect(marks).toHaveLength(20);
    for (let i = 0; i < 5; i++) expect(marks.filter((m) => m.startsWith(`${i}:`))).toEqual(['1', '2', '3', '4'].map((n) => `${i}:${n}`));
    // answers once each, in the order they were written
    for (let i = 0; i < 5; i++) {
      const got = answersTo(i);
      expect(new Set(got).size).toBe(got.length);
      expect(got).toEqual([...got].sort());
    }
    // every report posted once
    const staffTexts = api.messagesIn(staffGroup.id).map((m) => m.text ?? '');
    for (const code of codes) expect(staffTexts.filter((t) => t.includes(`Обращение · ${code}`))).toHaveLength(1);
    // the limits were really in play: fewer staff posts than reporter messages (5 reports
    // and 20 messages), not counting routing's notices of who got each case
    expect(api.messagesIn(staffGroup.id).filter((m) => !m.text?.startsWith('👤')).length).toBeLessThan(5 + 20);
  }, 240_000);
});

describe('a case opening under Telegram’s limits', () => {
  for (const threading of ['topics', 'replies'] as const) {
    it(`is one post (${threading}): the header, the report and who has it, with the mention`, { timeout: 120_000 }, async () => {
      // Reporters' chats less throttled than Telegram's 1 a second, so the intake does not take half a minute.
      const hotline = (h = await startHotline({ threading, ...sharedLimits({ ...limits, globalPerSecond: 30, chatPerSecond: 10 }) }));
      const { api, staffGroup, counsellor } = hotline;
      api.sendGroup(staffGroup, counsellor, 'Привет'); // so the bot knows her name to mention
      const user = api.addUser({ firstName: 'O', languageCode: 'ru' });
      const { code } = await fileReport(api, user, { account: ['Мне угрожают в общежитии.'] });
      const T = { timeoutMs: 60_000 };
      const post = await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text?.includes(code) && m.text.includes('📋')), T);
      expect(post.text).toMatch(/^🆕/);
      expect(post.text).toContain('Мне угрожают в общежитии.');
      const line = post.text!.indexOf('\n\n👤');
      expect(line).toBeGreaterThan(0);
      const mention = (post.entities ?? []).find((e) => e.type === 'text_mention' && e.user.id === counsellor.id);
      expect(post.text!.slice(mention!.offset, mention!.offset + mention!.length)).toBe('Dana');
      expect(mention!.offset).toBeGreaterThan(line);
      if (threading === 'topics') return; // the notice job's retry takes half a minute: waited for once, below
      // The notice's own job posts nothing more: the bot's only post in the chat is that one.
      await api.waitFor(() => hotline.captured.records().find((r) => r.event === 'staff.notice-in-post'), T);
      expect(
        api
          .messagesIn(staffGroup.id)
          .filter((m) => m.from?.is_bot)
          .map((m) => m.message_id),
      ).toEqual([post.message_id]);
    });
  }
});

describe('evidence under Telegram’s limits', () => {
  for (const threading of ['replies', 'topics'] as const)
    it(`goes up in albums (${threading}): photos together, documents together, each in the case's thread`, { timeout: 120_000 }, async () => {
      const hotline = (h = await busyStaffChat(threading, 20, 10_000));
      const { api, staffGroup, counsellor } = hotline;
      const user = api.addUser({ firstName: 'E', languageCode: 'ru' });
      const photo = (caption: string) => ({ media: 'photo' as const, data: fixture('gps-exif.jpg'), caption });
      const pdf = { media: 'document' as const, data: fixture('author.pdf'), file_name: 'statement.pdf', mime_type: 'application/pdf' };
      const { code } = await fileReport(api, user, { evidence: [photo('board'), photo('door'), photo('chat'), pdf, pdf] });
      const T = { timeoutMs: 60_000 };
      const bot = () => api.messagesIn(staffGroup.id).filter((m) => m.from?.is_bot);
      await api.waitFor(() => bot().filter((m) => m.document).length === 2, T);
      const [post, ...files] = bot();
      expect(post!.text).toContain(code);
      expect(files.map((m) => (m.photo ? 'photo' : 'document'))).toEqual(['photo', 'photo', 'photo', 'document', 'document']);
      const albums = files.map((m) => m.media_group_id);
      expect(albums.every((id) => id !== undefined)).toBe(true);
      expect(new Set(albums.slice(0, 3)).size).toBe(1);
      expect(new Set(albums.slice(3)).size).toBe(1);
      expect(albums[0]).not.toBe(albums[3]);
      if (threading === 'replies') expect(files.map((m) => m.reply_to_message?.message_id)).toEqual(files.map(() => post!.message_id));
      else expect(files.map((m) => m.message_thread_id)).toEqual(files.map(() => post!.message_thread_id));
      expect(files[1]!.caption).toContain('door');
      expect(files[1]!.has_media_spoiler).toBe(true);
      expect(api.callsTo('sendPhoto')).toHaveLength(0);
      expect(api.stats.tooManyRequests).toBe(0);
      // Every picture of the album is the case's: an answer to the second one reaches the reporter.
      api.sendGroup(staffGroup, counsellor, 'Спасибо, мы видим фотографии.', {
        replyTo: files[1]!.message_id,
        ...(threading === 'topics' ? { threadId: post!.message_thread_id! } : {}),
      });
      await botSays(api, user, 'Спасибо, мы видим фотографии.', 0, 30_000);
    });
});

describe('new cases in line', () => {
  it('are posted in the order their reports came, even when handled the other way round', { timeout: 120_000 }, async () => {
    // One ordinary post a 6-second "minute": a line forms at once.
    const hotline = (h = await busyStaffChat('replies', 2, 6_000));
    const { api, staffGroup } = hotline;
    const [c, d, a, b] = ['C', 'D', 'A', 'B'].map((n) => api.addUser({ firstName: n, languageCode: 'ru' }));
    const codeC = (await fileReport(api, c!)).code;
    const codeD = (await fileReport(api, d!)).code; // waits for C's minute to pass
    const [reviewA, reviewB] = await Promise.all([upToReview(api, a!), upToReview(api, b!)]);
    // A presses Send just before B, in the same batch; A's handling is held up (its
    // callback answer), so B's case is opened and routed first.
    const held = api.holdNext('answerCallbackQuery');
    api.pressButton(a!, reviewA, 'review:send');
    api.pressButton(b!, reviewB, 'review:send');
    const codeB = (await receiptOf(api, b!)).code;
    held.release();
    const codeA = (await receiptOf(api, a!)).code;
    const order = () =>
      api
        .messagesIn(staffGroup.id)
        .filter((m) => m.from?.is_bot && m.text?.startsWith('🆕'))
        .map((m) => [codeA, codeB, codeC, codeD].find((code) => m.text!.includes(code)));
    await api.waitFor(() => order().length === 4, { timeoutMs: 90_000 });
    expect(order()).toEqual([codeC, codeD, codeA, codeB]);
    expect(api.stats.tooManyRequests).toBe(0);
  });
});

describe('an urgent report during a backlog', () => {
  it('is posted ahead of the ordinary cases in line, with the slot kept for it', { timeout: 120_000 }, async () => {
    const hotline = (h = await busyStaffChat('replies', 2, 10_000));
    const { api, staffGroup } = hotline;
    const reporters = Array.from({ length: 6 }, (_, i) => api.addUser({ firstName: `Q${i}`, languageCode: 'ru' }));
    const codes = (await Promise.all(reporters.map((r) => fileReport(api, r)))).map((f) => f.code);
    // One ordinary post per 10 s now: most of the six are still in line.
    const posted = () => codes.filter((code) => api.messagesIn(staffGroup.id).some((m) => m.text?.includes(code))).length;
    const urgent = api.addUser({ firstName: 'U', languageCode: 'ru' });
    await upToWhen(api, urgent, { danger: 'yes' });
    const opened = await api.waitFor(() => api.messagesIn(urgent.id).find((m) => /^Код вашего обращения: /.test(m.text ?? '')), { timeoutMs: 30_000 });
    const code = /([0-9A-Z]{3}-[0-9A-Z]{3})/.exec(opened.text!)![1]!;
    await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text?.includes(code)), { timeoutMs: 30_000 });
    expect(posted()).toBeLessThanOrEqual(3); // half the ordinary cases, sent before it, still wait behind it
    expect(api.stats.tooManyRequests).toBe(0);
  });
});

describe('a saturated staff chat', () => {
  it('is told once, ahead of the line', { timeout: 120_000 }, async () => {
    // Two posts a 10-second "minute": ten reports make a line at once.
    const hotline = (h = await busyStaffChat('replies', 2, 10_000));
    const { api, staffGroup } = hotline;
    const reporters = Array.from({ length: 10 }, (_, i) => api.addUser({ firstName: `B${i}`, languageCode: 'ru' }));
    await Promise.all(reporters.map((r) => fileReport(api, r)));
    const told = await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text?.startsWith('⏳')), { timeoutMs: 60_000 });
    expect(told.text).toMatch(/^⏳ Чат сотрудников сейчас переполнен: \d+ сообщений/);
    expect(api.messagesIn(staffGroup.id).filter((m) => m.text?.startsWith('⏳'))).toHaveLength(1);
  });

  it('is told in the chat that is full: a team’s chat of its own', { timeout: 120_000 }, async () => {
    const hotline = (h = await busyStaffChat('replies', 2, 10_000, [{ name: 'kazakh', languages: ['kk'] }]));
    const { api, staffGroup } = hotline;
    const kazakh = hotline.teams.kazakh!;
    const reporters = Array.from({ length: 10 }, (_, i) => api.addUser({ firstName: `K${i}`, languageCode: 'kk' }));
    await Promise.all(reporters.map((r) => fileReport(api, r)));
    const told = await api.waitFor(() => api.messagesIn(kazakh.id).find((m) => m.text?.startsWith('⏳')), { timeoutMs: 60_000 });
    expect(told.text).toMatch(/^⏳ Чат сотрудников сейчас переполнен: \d+ сообщений/);
    expect(api.messagesIn(staffGroup.id).some((m) => m.text?.startsWith('⏳'))).toBe(false); // the staff chat has no line
  });
});
