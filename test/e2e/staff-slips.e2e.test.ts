// Nothing a counsellor writes is silently dropped: an answer or a command from an
// administrator with "Remain anonymous" on (or sent on behalf of a channel) is refused
// with a notice in the case, the anonymous administrators are counted at start-up and in
// /healthz, and an edited answer corrects the reporter's copy (edited in place on
// Telegram, a "Correction" message where that fails and on WhatsApp).
import type { Message } from 'grammy/types';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/i18n.js';
import { FakeWhatsApp, until } from '../support/fake-whatsapp.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { botSays, fileReport } from '../support/intake-driver.js';
import { fileReportOnWhatsApp } from '../support/whatsapp-intake.js';
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

type Mode = 'topics' | 'replies';

async function hotline(threading: Mode, env: Record<string, string> = {}): Promise<Hotline> {
  h = await startHotline({ threading, env });
  redis = new Redis(h.redis.url);
  return h;
}

const staffMessages = (h: Hotline) => h.api.messagesIn(h.staffGroup.id);

/** The case's first post in the staff chat, and where to write to land in the case. */
async function caseThread(h: Hotline, code: string, mode: Mode): Promise<{ threadId: number } | { replyTo: number }> {
  const post = await h.api.waitFor(() => staffMessages(h).find((m) => m.text?.includes(code)), { timeoutMs: 10_000, label: 'the case post' });
  return mode === 'topics' ? { threadId: post.message_thread_id! } : { replyTo: post.message_id };
}

const inCase = (m: Message, where: { threadId: number } | { replyTo: number }) =>
  'threadId' in where ? m.message_thread_id === where.threadId : m.reply_to_message !== undefined;

for (const mode of ['topics', 'replies'] as const) {
  describe(`an anonymous administrator (${mode})`, () => {
    it('is told in the case that nothing was sent or done, and is counted at start-up and in /healthz', async () => {
      const h = await hotline(mode, { HEALTH_PORT: '0' });
      const reporter = h.api.addUser({ firstName: 'Reporter', languageCode: 'ru' });
      const { code } = await fileReport(h.api, reporter);
      const where = await caseThread(h, code, mode);

      // Dana, a counsellor on the roster, is a group administrator with "Remain anonymous" on
      h.api.addMember(h.staffGroup, h.counsellor, 'administrator');
      h.api.setAnonymous(h.staffGroup, h.counsellor, true, 'Психолог');
      const before = h.api.messagesIn(reporter.id).length;
      const answer = h.api.sendGroup(h.staffGroup, h.counsellor, 'anon-canary: we will call you', where);
      expect(answer.from?.id).toBe(1087968824);
      expect(answer.sender_chat?.id).toBe(h.staffGroup.id);
      expect(answer.author_signature).toBe('Психолог');
      const notice = await h.api.waitFor(
        () => staffMessages(h).find((m) => m.text?.startsWith('⚠️ Ничего не отправлено') && m.reply_to_message?.message_id === answer.message_id),
        {
          timeoutMs: 10_000,
          label: 'the notice to the anonymous answer',
        },
      );
      expect(inCase(notice, where)).toBe(true);
      expect(notice.text).toContain('«Анонимность»');
      // and /take the same way: refused, nothing taken
      const take = h.api.sendGroup(h.staffGroup, h.counsellor, '/take', where);
      await h.api.waitFor(
        () => staffMessages(h).some((m) => m.text?.startsWith('⚠️ Ничего не отправлено') && m.reply_to_message?.message_id === take.message_id),
        {
          timeoutMs: 10_000,
          label: 'the notice to the anonymous /take',
        },
      );
      const caseId = (await redis!.get(`tl:code:${code}`))!;
      expect(await redis!.hget(`tl:case:${caseId}`, 'ackAt')).toBeNull(); // a /take acknowledges: it did not run
      // a message on behalf of a channel is refused the same way
      const channel = h.api.sendGroupAsChannel(h.staffGroup, h.counsellor, { id: -1009999999999, title: 'Psych service' }, 'channel-canary', where);
      const channelNotice = await h.api.waitFor(() => staffMessages(h).find((m) => m.reply_to_message?.message_id === channel.message_id), {
        timeoutMs: 10_000,
        label: 'the channel notice',
      });
      expect(channelNotice.text).toContain('от имени канала');
      // nothing reached the reporter
      expect(
        h.api
          .messagesIn(reporter.id)
          .slice(before)
          .filter((m) => m.from?.is_bot),
      ).toEqual([]);
      const logged = h.captured.records().filter((r) => r.event === 'staff.unnamed');
      expect(logged.map((r) => r.kind)).toEqual(['anonymous-admin', 'anonymous-admin', 'channel']);
      expect(h.captured.lines.join('\n')).not.toContain('Психолог');

      // /healthz counts them; a restart warns in the staff chat, without a name
      const health = (await (await fetch(`${h.app.health!.url}/healthz`)).json()) as { info?: Record<string, number> };
      expect(health.info).toEqual({ staffAnonymousAdmins: 1, evidenceToolsMissing: 0 });
      await h.restart();
      const warning = await h.api.waitFor(() => staffMessages(h).find((m) => m.text?.startsWith('⚠️ У 1 администратора')), {
        timeoutMs: 10_000,
        label: 'the start-up warning',
      });
      expect(warning.text).not.toContain('Dana');
      expect(h.captured.records().find((r) => r.event === 'staff.anonymous-admins' && r.count === 1)).toBeDefined();

      // switched off, the same counsellor's answer goes through
      h.api.setAnonymous(h.staffGroup, h.counsellor, false);
      h.api.sendGroup(h.staffGroup, h.counsellor, 'named-canary: we will call you', where);
      await botSays(h.api, reporter, 'named-canary', before);
      expect(h.api.messagesIn(reporter.id).some((m) => m.text?.includes('anon-canary'))).toBe(false);
    });
  });
}

describe('a counsellor edits an answer', () => {
  it('edits the reporter’s copy; where the edit fails, a correction follows; notes stay notes', async () => {
    const h = await hotline('topics');
    const reporter = h.api.addUser({ firstName: 'Edited', languageCode: 'en' });
    const { code } = await fileReport(h.api, reporter, { lang: 'en' });
    const where = await caseThread(h, code, 'topics');

    const answer = h.api.sendGroup(h.staffGroup, h.counsellor, 'Come to room 204 on Monday.', where);
    const delivered = await botSays(h.api, reporter, 'room 204');
    h.api.editGroup(h.staffGroup, h.counsellor, answer.message_id, 'Come to room 402 on Monday.');
    // the reporter's copy changes in place, and the counsellor sees a quiet ✍
    await h.api.waitFor(
      () =>
        h.api
          .messagesIn(reporter.id)
          .find((m) => m.message_id === delivered.message_id)
          ?.text?.includes('room 402'),
      {
        timeoutMs: 10_000,
        label: 'the reporter’s copy edited',
      },
    );
    expect(h.api.messagesIn(reporter.id).find((m) => m.message_id === delivered.message_id)!.text).toBe(
      `${t('en', 'counsellor-says')}\nCome to room 402 on Monday.`,
    );
    await h.api.waitFor(() => h.api.callsTo('setMessageReaction').some((c) => c.params.message_id === answer.message_id), {
      timeoutMs: 10_000,
      label: 'the ✍',
    });

    // Telegram refuses the edit: a correction message instead
    const second = h.api.sendGroup(h.staffGroup, h.counsellor, 'The deadline is Friday.', where);
    await botSays(h.api, reporter, 'deadline is Friday');
    const since = h.api.messagesIn(reporter.id).length;
    h.api.failNext('editMessageText', { error_code: 400, description: "Bad Request: message can't be edited" });
    h.api.editGroup(h.staffGroup, h.counsellor, second.message_id, 'The deadline is Thursday.');
    const correction = await botSays(h.api, reporter, 'deadline is Thursday', since);
    expect(correction.text).toBe(`${t('en', 'counsellor-correction')}\nThe deadline is Thursday.`);

    // a note edited stays a note; a note made an answer, or an answer made a note: a notice, nothing sent
    const note = h.api.sendGroup(h.staffGroup, h.counsellor, '// she sounds scared', where);
    h.api.editGroup(h.staffGroup, h.counsellor, note.message_id, '// she sounds very scared');
    h.api.editGroup(h.staffGroup, h.counsellor, note.message_id, 'note-made-answer-canary');
    await h.api.waitFor(() => staffMessages(h).some((m) => m.text === t('ru', 'staff-edit-unsent') && m.reply_to_message?.message_id === note.message_id), {
      timeoutMs: 10_000,
      label: 'the note→answer notice',
    });
    h.api.editGroup(h.staffGroup, h.counsellor, answer.message_id, '// never mind');
    await h.api.waitFor(() => staffMessages(h).some((m) => m.text === t('ru', 'staff-edit-to-note') && m.reply_to_message?.message_id === answer.message_id), {
      timeoutMs: 10_000,
      label: 'the answer→note notice',
    });
    // one more real answer comes after all of that: nothing else reached the reporter
    h.api.sendGroup(h.staffGroup, h.counsellor, 'last-answer-canary', where);
    await botSays(h.api, reporter, 'last-answer-canary', since);
    const texts = h.api.messagesIn(reporter.id).map((m) => m.text ?? '');
    for (const never of ['scared', 'note-made-answer-canary', 'never mind']) expect(texts.some((x) => x.includes(never))).toBe(false);
    expect(h.api.messagesIn(reporter.id).find((m) => m.message_id === delivered.message_id)!.text).toContain('room 402');
  });

  it('on WhatsApp, the correction follows as a message', async () => {
    const fake = new FakeWhatsApp();
    ({ h, cleanup } = await startWhatsAppHotline(fake));
    const hl = h;
    const jid = '77015550777@c.us';
    const { code } = await fileReportOnWhatsApp(fake, 'line1', jid, { lang: 'en', first: 'Hello' });
    const where = await caseThread(hl, code, 'topics');
    const answer = hl.api.sendGroup(hl.staffGroup, hl.counsellor, 'Room 204, Monday.', where);
    await until(() => fake.sentTo('line1', jid).find((x) => x.includes('Room 204')), { label: 'the answer on WhatsApp' });
    hl.api.editGroup(hl.staffGroup, hl.counsellor, answer.message_id, 'Room 402, Monday.');
    const correction = await until(() => fake.sentTo('line1', jid).find((x) => x.includes('Room 402')), { label: 'the correction on WhatsApp' });
    expect(correction).toBe(`${t('en', 'counsellor-correction')}\nRoom 402, Monday.`);
  });
});
