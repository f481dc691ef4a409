// A report about the hotline's own staff goes past them: to the oversight chat
// (OVERSIGHT_CHAT_ID), whose members are the roster's people with role `oversight`, and
// the staff chat sees no trace of it. Staff who see that a case concerns a colleague
// move it there (/escalate oversight, /recuse oversight), and it leaves their chat.
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from 'grammy/types';
import { t } from '../../src/i18n/i18n.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { fileReport, tap, upToWhen } from '../support/intake-driver.js';
import { mentions, staffChat } from '../support/duty.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const T = { timeoutMs: 10_000 };

/** The hotline with an oversight chat, and Olzhas on the roster as its member (as an admin would do it). */
async function withOversight(threading: 'topics' | 'replies') {
  const hotline = (h = await startHotline({ threading, oversight: true }));
  const { group, member: olzhas } = hotline.oversight!;
  const chat = staffChat(hotline);
  // Seen by the bot in the oversight chat, so the admin can name him.
  hotline.api.sendGroup(group, olzhas, 'Здравствуйте');
  chat.say(hotline.counsellor, 'Сәлем');
  await chat.ask(hotline.admin, '/staff add @dana_counsellor ru');
  const added = await chat.ask(hotline.admin, '/staff add @olzhas_oversight ru oversight');
  expect(added.text).toContain('группа надзора');
  const inOversight = () => hotline.api.messagesIn(group.id);
  return { hotline, chat, group, olzhas, inOversight };
}

/** Everything the staff chat shows (texts, captions, topic names) mentioning `needle`. */
function traces(hotline: Hotline, needle: string): string[] {
  const texts = hotline.api.messagesIn(hotline.staffGroup.id).map((m) => `${m.text ?? ''}${m.caption ?? ''}`);
  const topics = hotline.api.topics(hotline.staffGroup.id).map((x) => x.name);
  return [...texts, ...topics].filter((s) => s.includes(needle));
}

describe('a report about the hotline’s own staff', () => {
  it('goes to the oversight chat only, is answered from there, and leaves no trace in the staff chat', async () => {
    const { hotline, chat, group, olzhas, inOversight } = await withOversight('topics');
    const reporter = hotline.api.addUser({ firstName: 'A', languageCode: 'en' });
    const account = 'The counsellor on duty told my group what I had said to him.';
    const { code } = await fileReport(hotline.api, reporter, { aboutStaff: 'yes', account: [account] });
    // Told before sending where it goes; not the "no separate team" warning.
    const said = hotline.api.messagesIn(reporter.id).map((m) => m.text ?? '');
    expect(said).toContain(t('en', 'about-staff-oversight'));
    expect(said.some((s) => s.startsWith(t('en', 'about-staff-no-oversight', { contacts: 'none' }).slice(0, 30)))).toBe(false);

    const topic = await hotline.api.waitFor(() => hotline.api.topics(group.id).find((x) => x.name.includes(code)), T);
    const report = await hotline.api.waitFor(() => inOversight().find((m) => m.message_thread_id === topic.message_thread_id && m.text?.includes(account)), T);
    expect(report.text).toContain('О сотрудниках самой службы: Да');
    const assigned = await hotline.api.waitFor(() => inOversight().find((m) => m.message_thread_id === topic.message_thread_id && m.text?.startsWith('👤')), T);
    expect(mentions(assigned, olzhas)).toBe(true);

    // Olzhas answers in the topic; the reporter gets it through the same thread.
    hotline.api.sendGroup(group, olzhas, 'Thank you for telling us. We will look into this outside the counselling team.', {
      threadId: topic.message_thread_id,
    });
    await hotline.api.waitFor(() => hotline.api.messagesIn(reporter.id).find((m) => m.text?.includes('outside the counselling team')), T);

    // The staff chat: no post, topic, notice, list line or duty line of it.
    expect(traces(hotline, code)).toEqual([]);
    expect(traces(hotline, account)).toEqual([]);
    expect((await chat.ask(hotline.counsellor, '/cases')).text).not.toContain(code);
    expect((await chat.ask(hotline.admin, '/cases unassigned')).text).not.toContain(code);
    const onCall = await chat.ask(hotline.counsellor, '/oncall');
    expect(mentions(onCall, olzhas) || onCall.text!.includes('Olzhas')).toBe(false);
    // In the oversight chat it is listed; a staff-chat counsellor is a stranger there.
    // Nor do the admins' counts: the staff chat has no open case.
    const health = await chat.ask(hotline.admin, '/health');
    expect(health.text).toContain(t('ru', 'health-line', { chat: 'main', open: 0, unassigned: 0, urgent: 0 }).slice(2));
    expect(health.text).toContain(t('ru', 'health-oversight', { configured: 'yes' }));
    // Nor does the admins' audit log: its assignment and Olzhas's answer are oversight's.
    const audit = await chat.ask(hotline.admin, '/audit 50');
    expect(audit.text).toContain('staff.add');
    expect(audit.text).not.toContain(code);
    const listed = hotline.api.sendGroup(group, olzhas, '/cases');
    const list = await hotline.api.waitFor(() => inOversight().find((m) => m.reply_to_message?.message_id === listed.message_id), T);
    expect(list.text).toContain(code);
    const again = hotline.api.sendGroup(group, olzhas, '/escalate oversight again', { threadId: topic.message_thread_id });
    const already = await hotline.api.waitFor(() => inOversight().find((m) => m.reply_to_message?.message_id === again.message_id), T);
    expect(already.text).toBe(t('ru', 'cmd-oversight-already'));
  });

  it('a counsellor moves a case that concerns a colleague: it leaves the staff chat whole and goes on in the oversight chat', async () => {
    const { hotline, chat, group, olzhas, inOversight } = await withOversight('replies');
    const reporter = hotline.api.addUser({ firstName: 'B', languageCode: 'ru' });
    const account = 'Это касается одного из консультантов горячей линии.';
    const { code } = await fileReport(hotline.api, reporter, { account: [account] });
    const post = await chat.next((m) => !!m.text?.includes(account));
    const moved = await chat.ask(hotline.counsellor, '/escalate oversight в обращении назван консультант', undefined).catch(() => undefined);
    // A command outside the case is refused; in the case (a reply to its post) it moves it.
    expect(moved?.text).toBe(t('ru', 'cmd-needs-case'));
    const command = hotline.api.sendGroup(hotline.staffGroup, hotline.counsellor, '/escalate oversight в обращении назван консультант', {
      replyTo: post.message_id,
    });
    const answer = await hotline.api.waitFor(
      () =>
        hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.from?.is_bot && m.text?.startsWith(t('ru', 'cmd-moved-oversight', { code }).slice(0, 12))),
      T,
    );
    expect(answer.text).toBe(t('ru', 'cmd-moved-oversight', { code }));
    // Its messages are deleted from the staff chat (the deletion notice names only the code).
    await hotline.api.waitFor(() => traces(hotline, account).length === 0 || undefined, T);
    expect(hotline.api.messagesIn(hotline.staffGroup.id).some((m) => m.message_id === post.message_id)).toBe(false);
    expect(hotline.api.messagesIn(hotline.staffGroup.id).some((m) => m.message_id === command.message_id)).toBe(false);
    // The reporter is told who reads it now.
    await hotline.api.waitFor(() => hotline.api.messagesIn(reporter.id).find((m) => m.text === t('ru', 'reporter-moved-oversight', { code })), T);

    // The whole case is posted in the oversight chat and assigned to its member.
    const report = await hotline.api.waitFor(() => inOversight().find((m) => m.text?.includes(account)), T);
    await hotline.api.waitFor(() => inOversight().find((m) => m.text?.startsWith('👤') && mentions(m, olzhas)), T);
    // The reporter writes on; it reaches only the oversight chat.
    hotline.api.sendPrivate(reporter, 'Спасибо, что передали.');
    await hotline.api.waitFor(() => inOversight().find((m) => m.text?.includes('Спасибо, что передали.')), T);
    // Olzhas answers by replying to the case.
    hotline.api.sendGroup(group, olzhas, 'Мы займёмся этим вне команды консультантов.', { replyTo: report.message_id });
    await hotline.api.waitFor(() => hotline.api.messagesIn(reporter.id).find((m) => m.text?.includes('вне команды консультантов')), T);
    expect(traces(hotline, 'Спасибо, что передали.')).toEqual([]);
    expect((await chat.ask(hotline.counsellor, '/cases')).text).not.toContain(code);
  });

  it('an urgent case opened before the question moves when the reporter says it is about staff', async () => {
    const { hotline, group, inOversight } = await withOversight('topics');
    const reporter = hotline.api.addUser({ firstName: 'C', languageCode: 'ru' });
    await upToWhen(hotline.api, reporter, { danger: 'yes', aboutStaff: 'yes' });
    // Opened at "in danger": posted in the staff chat, then moved when the answer came.
    const code = await hotline.api.waitFor(
      () =>
        hotline.api
          .topics(group.id)
          .find((x) => x.name.includes('-'))
          ?.name.match(/[0-9A-Z]{3}-[0-9A-Z]{3}/)?.[0],
      T,
    );
    // All that is left in the staff chat is the line saying it moved; its topic is gone.
    await hotline.api.waitFor(() => (traces(hotline, code).length === 1 ? true : undefined), T);
    expect(traces(hotline, code)[0]).toMatch(/^🗑.*передано группе надзора/);
    expect(hotline.captured.records().some((r) => r.event === 'staff.case-deleted' && r.reason === 'moved')).toBe(true);
    await hotline.api.waitFor(() => inOversight().find((m: Message) => m.text?.includes('О сотрудниках самой службы: Да')), T);
    await tap(hotline.api, reporter, 'when', 'week');
  });

  it('staff are told plainly when no oversight chat is set up, and nothing moves', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    expect(hotline.captured.records().some((r) => r.event === 'oversight.missing')).toBe(true);
    const chat = staffChat(hotline);
    const reporter = hotline.api.addUser({ firstName: 'D', languageCode: 'ru' });
    const account = 'Консультант рассказал другим о моём обращении.';
    await fileReport(hotline.api, reporter, { account: [account] });
    const post = await chat.next((m) => !!m.text?.includes(account));
    const reply = await chat.ask(hotline.counsellor, '/escalate oversight касается консультанта', post.message_thread_id);
    expect(reply.text).toBe(t('ru', 'cmd-oversight-missing'));
    expect(traces(hotline, account).length).toBeGreaterThan(0);
  });
});
