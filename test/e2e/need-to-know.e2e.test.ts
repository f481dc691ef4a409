// Need-to-know mode (STAFF_VISIBILITY=assigned), end to end: the shared staff chat gets a
// card per case and never a word of the report; the content goes to the private chat of
// the counsellor holding the case, who answers there.
import { afterEach, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/i18n.js';
import { almaty, mentions, staffChat, TestClock } from '../support/duty.js';
import { fileReport, tap } from '../support/intake-driver.js';
import { startHotline, type Hotline } from '../support/hotline.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const T = { timeoutMs: 15_000 };
const CANARY = 'canary-7f3a лаборант говорит обо мне при всех';

/** `person` presses Start in their private chat with the bot, so cases can come to them. */
async function ready(hotline: Hotline, person: { id: number }): Promise<void> {
  hotline.api.sendPrivate(person, '/start');
  await hotline.api.waitFor(() => hotline.api.messagesIn(person.id).find((m) => m.text === t('ru', 'staff-private-ready')), T);
}
const holdsIn = (hotline: Hotline, person: { id: number }) => hotline.api.messagesIn(person.id).some((m) => m.text?.includes(CANARY));
const sharedChatLeaks = (hotline: Hotline) =>
  hotline.api.allMessagesIn(hotline.staffGroup.id).filter((m) => (m.text ?? m.caption ?? '').includes('canary-7f3a'));

describe('need-to-know mode', () => {
  it('posts a card in the shared chat and the report only in the holder’s private chat, where they answer', async () => {
    const hotline = (h = await startHotline({ threading: 'topics', env: { STAFF_VISIBILITY: 'assigned' } }));
    const { api, counsellor: dana, staffGroup } = hotline;
    await ready(hotline, dana);

    const reporter = api.addUser({ firstName: 'Madina', languageCode: 'ru' });
    const c = await fileReport(api, reporter, { account: [CANARY] });
    const copy = await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text?.includes(CANARY)), T);
    expect(copy.text).toContain(c.code);
    // Protected in the private chat as in the staff chat: no forwarding, no saving.
    expect(copy.has_protected_content).toBe(true);
    const card = await api.waitFor(() => api.allMessagesIn(staffGroup.id).find((m) => m.text?.includes(c.code) && m.text.includes('🗂')), T);
    expect(card.text).toContain('Dana');
    expect(card.text).toMatch(/подтвердить до \d\d:\d\d/); // her SLA, until she acknowledges

    // Dana answers by replying to the case's message in her private chat.
    api.sendPrivate(dana, 'Мы вас слышим. Можно встретиться в понедельник?', { replyTo: copy.message_id });
    await api.waitFor(() => api.messagesIn(reporter.id).find((m) => m.text?.includes('Можно встретиться в понедельник')), T);

    // The card follows the case: Dana's answer acknowledged it, and /status moves it on.
    api.sendPrivate(dana, '/status investigation', { replyTo: copy.message_id });
    await api.waitFor(() => api.allMessagesIn(staffGroup.id).find((m) => m.message_id === card.message_id && m.text?.includes('расследование')), T);
    expect(api.allMessagesIn(staffGroup.id).find((m) => m.message_id === card.message_id)?.text).not.toContain('подтвердить до');
    // One card per case, however many notices came at once.
    expect(api.allMessagesIn(staffGroup.id).filter((m) => m.text?.startsWith('🗂'))).toHaveLength(1);

    // Writing in the shared chat in reply to the card relays nothing.
    api.sendGroup(staffGroup, dana, 'ответ не туда', { replyTo: card.message_id });
    await api.waitFor(() => api.allMessagesIn(staffGroup.id).find((m) => m.text === t('ru', 'staff-answer-privately')), T);

    // Not one message of the shared chat carries the report's words.
    expect(api.allMessagesIn(staffGroup.id).filter((m) => (m.text ?? m.caption ?? '').includes('canary-7f3a'))).toEqual([]);
    expect(api.messagesIn(reporter.id).map((m) => m.text ?? '')).not.toContain('ответ не туда');
  });

  it('moves the copy with the case: a transfer gives the new holder the whole case and deletes the old copy; a recusal deletes at once', async () => {
    const hotline = (h = await startHotline({ threading: 'topics', env: { STAFF_VISIBILITY: 'assigned' } }));
    const { api, counsellor: dana, admin: aliya } = hotline;
    for (const person of [dana, aliya]) await ready(hotline, person);
    const holds = (person: { id: number }) => api.messagesIn(person.id).some((m) => m.text?.includes(CANARY));
    const reporter = api.addUser({ firstName: 'Madina', languageCode: 'ru' });
    await fileReport(api, reporter, { account: [CANARY] });
    const copy = await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text?.includes(CANARY)), T);
    api.sendPrivate(dana, 'Спасибо, что написали. Вы в безопасности сейчас?', { replyTo: copy.message_id });
    await api.waitFor(() => api.messagesIn(reporter.id).find((m) => m.text?.includes('Вы в безопасности сейчас?')), T);

    api.sendPrivate(dana, '/transfer @aliya_admin она ведёт такие дела', { replyTo: copy.message_id });
    await api.waitFor(() => holds(aliya) && !holds(dana), T);
    // The new holder reads the case as it went: the report, then Dana's answer to it.
    const answer = await api.waitFor(() => api.messagesIn(aliya.id).find((m) => m.text?.includes('Вы в безопасности сейчас?')), T);
    expect(answer.text).toContain(t('ru', 'staff-history-answer'));
    expect(answer.message_id).toBeGreaterThan(api.messagesIn(aliya.id).find((m) => m.text?.includes(CANARY))!.message_id);

    // Commands work from the card in the staff chat too: Aliya recuses there.
    const card = api.allMessagesIn(hotline.staffGroup.id).find((m) => m.text?.startsWith('🗂'))!;
    api.sendGroup(hotline.staffGroup, aliya, '/recuse знаю этого человека', { replyTo: card.message_id });
    // Routed again, to Dana, the only other one on duty; Aliya keeps nothing of it.
    await api.waitFor(() => !holds(aliya) && holds(dana), T);
  });

  it('passes over a counsellor with no private chat with the bot, says so in the staff chat, and routes to them once they press Start', async () => {
    const hotline = (h = await startHotline({ threading: 'topics', env: { STAFF_VISIBILITY: 'assigned' } }));
    const { api, counsellor: dana, staffGroup } = hotline;
    const reporter = api.addUser({ firstName: 'Madina', languageCode: 'ru' });
    await fileReport(api, reporter, { account: [CANARY] });
    const told = await api.waitFor(
      () =>
        api.allMessagesIn(staffGroup.id).find((m) => m.text?.startsWith('🔒') && m.entities?.some((e) => e.type === 'text_mention' && e.user.id === dana.id)),
      T,
    );
    expect(told.text).not.toContain('canary');

    api.sendPrivate(dana, '/start');
    await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text?.includes(CANARY)), T);
    expect(api.allMessagesIn(staffGroup.id).filter((m) => (m.text ?? '').includes('canary-7f3a'))).toEqual([]);
  });

  it('deletes the holder’s private copy when the reporter erases the case with /forget', async () => {
    const hotline = (h = await startHotline({ threading: 'topics', env: { STAFF_VISIBILITY: 'assigned' } }));
    const { api, counsellor: dana } = hotline;
    await ready(hotline, dana);
    const reporter = api.addUser({ firstName: 'Madina', languageCode: 'ru' });
    await fileReport(api, reporter, { account: [CANARY] });
    await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text?.includes(CANARY)), T);

    api.sendPrivate(reporter, '/forget');
    await tap(api, reporter, 'confirm-forget', 'yes');
    await api.waitFor(() => !api.messagesIn(dana.id).some((m) => m.text?.includes(CANARY)), T);
  });

  it('offers a case nobody holds on its card, with a take button: the content goes to whoever takes it', async () => {
    // Tuesday noon; Dana's only shift is on Mondays, so nobody is on duty.
    const clock = new TestClock(almaty('2025-05-13T12:00'));
    const hotline = (h = await startHotline({ threading: 'topics', clock, env: { STAFF_VISIBILITY: 'assigned' } }));
    const { api, counsellor: dana, admin, staffGroup } = hotline;
    await ready(hotline, dana);
    await staffChat(hotline).ask(admin, '/shift add @dana_counsellor mon 09:00-10:00');

    const reporter = api.addUser({ firstName: 'Madina', languageCode: 'ru' });
    const { code } = await fileReport(api, reporter, { account: [CANARY] });
    const card = await api.waitFor(
      () =>
        api
          .allMessagesIn(staffGroup.id)
          .find(
            (m) => m.text?.startsWith('🗂') && m.reply_markup?.inline_keyboard.flat().some((b) => 'callback_data' in b && b.callback_data === `take:${code}`),
          ),
      T,
    );
    expect(api.messagesIn(dana.id).some((m) => m.text?.includes(CANARY))).toBe(false);

    api.pressButton(dana, card, `take:${code}`);
    await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text?.includes(CANARY)), T);
    // The card now names her, and offers the case to nobody else.
    await api.waitFor(
      () =>
        api.allMessagesIn(staffGroup.id).find((m) => m.message_id === card.message_id && m.text?.includes('Dana') && !m.reply_markup?.inline_keyboard.length),
      T,
    );
    expect(api.allMessagesIn(staffGroup.id).filter((m) => (m.text ?? '').includes('canary-7f3a'))).toEqual([]);
  });

  it('lets a supervisor open a case to read it: audited, its holder told, nothing answered from it, and deleted with the case', async () => {
    const hotline = (h = await startHotline({ threading: 'topics', env: { STAFF_VISIBILITY: 'assigned' } }));
    const { api, counsellor: dana, admin } = hotline;
    const chat = staffChat(hotline);
    await ready(hotline, dana);
    const reporter = api.addUser({ firstName: 'Madina', languageCode: 'ru' });
    const { code } = await fileReport(api, reporter, { account: [CANARY] });
    const dasCopy = await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text?.includes(CANARY)), T);
    api.sendPrivate(dana, 'Мы рядом, пишите', { replyTo: dasCopy.message_id });
    await api.waitFor(() => api.messagesIn(reporter.id).find((m) => m.text?.includes('Мы рядом, пишите')), T);

    const sabina = api.addUser({ firstName: 'Sabina', username: 'sabina_s', languageCode: 'ru' });
    api.addMember(hotline.staffGroup, sabina);
    chat.say(sabina, 'Здравствуйте');
    expect((await chat.ask(admin, '/staff add @sabina_s ru supervisor')).text).toContain('супервизор');
    // Only a supervisor may, and only into a private chat the bot can write to.
    expect((await chat.ask(dana, `/open ${code}`)).text).toBe(t('ru', 'cmd-not-supervisor'));
    expect((await chat.ask(admin, `/open ${code}`)).text).toBe(t('ru', 'cmd-not-supervisor'));
    expect((await chat.ask(sabina, `/open ${code}`)).text).toBe(t('ru', 'staff-card-start-first'));
    await ready(hotline, sabina);
    expect((await chat.ask(sabina, `/open ${code.toLowerCase()}`)).text).toBe(t('ru', 'cmd-open-sent', { code }));

    // The case as it is: the report and the answer, under a line saying it is a reading copy.
    const copy = await api.waitFor(() => api.messagesIn(sabina.id).find((m) => m.text?.includes(CANARY)), T);
    await api.waitFor(() => api.messagesIn(sabina.id).find((m) => m.text?.includes('Мы рядом, пишите')), T);
    expect(api.messagesIn(sabina.id).some((m) => m.text === t('ru', 'staff-opened-copy', { code }))).toBe(true);
    // Dana is told who read her case, in her private chat, headed by its code.
    const told = await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text?.includes('👁') && mentions(m, sabina)), T);
    expect(told.text).toContain(code);
    const audit = await chat.ask(admin, '/audit');
    expect(audit.text).toMatch(new RegExp(`Sabina · case\\.open → Dana · ${code}`));

    // Reading is not answering: nothing reaches the reporter, and the case stays Dana's.
    api.sendPrivate(sabina, 'я тоже это читаю', { replyTo: copy.message_id });
    await api.waitFor(() => api.messagesIn(sabina.id).find((m) => m.text === t('ru', 'staff-private-not-holder')), T);
    expect(api.messagesIn(reporter.id).some((m) => m.text?.includes('я тоже это читаю'))).toBe(false);
    expect(holdsIn(hotline, dana)).toBe(true);
    expect(sharedChatLeaks(hotline)).toEqual([]);

    // Erasing the case deletes every copy of it, the reading copy too.
    api.sendPrivate(reporter, '/forget');
    await tap(api, reporter, 'confirm-forget', 'yes');
    await api.waitFor(() => !holdsIn(hotline, sabina) && !holdsIn(hotline, dana), T);
    expect(api.messagesIn(sabina.id).some((m) => m.text?.includes('Мы рядом, пишите'))).toBe(false);
  });

  it('deletes every case in the private chat of someone taken off the roster, closed ones too', async () => {
    const hotline = (h = await startHotline({ threading: 'topics', env: { STAFF_VISIBILITY: 'assigned' } }));
    const { api, counsellor: dana, admin } = hotline;
    await ready(hotline, dana);
    const first = api.addUser({ firstName: 'Madina', languageCode: 'ru' });
    await fileReport(api, first, { account: [CANARY] });
    const copy = await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text?.includes(CANARY)), T);
    api.sendPrivate(dana, 'Здравствуйте, мы получили ваше сообщение', { replyTo: copy.message_id });
    api.sendPrivate(dana, '/status closed', { replyTo: copy.message_id });
    await api.waitFor(() => api.messagesIn(first.id).find((m) => /закрыт/i.test(m.text ?? '')), T);
    const second = api.addUser({ firstName: 'Aruzhan', languageCode: 'ru' });
    await fileReport(api, second, { account: ['canary-7f3a второе обращение'] });
    await api.waitFor(() => api.messagesIn(dana.id).filter((m) => m.text?.includes('canary-7f3a')).length >= 2, T);

    await staffChat(hotline).ask(admin, '/staff remove @dana_counsellor');
    await api.waitFor(() => !api.messagesIn(dana.id).some((m) => m.text?.includes('canary-7f3a') || m.text?.includes('мы получили')), T);
    expect(sharedChatLeaks(hotline)).toEqual([]);
  });

  it('lists the cases without their content: /cases in the staff chat, and in the private chat one’s own, with buttons to choose the case to write in', async () => {
    const hotline = (h = await startHotline({ threading: 'topics', env: { STAFF_VISIBILITY: 'assigned' } }));
    const { api, counsellor: dana } = hotline;
    const chat = staffChat(hotline);
    await ready(hotline, dana);
    const madina = api.addUser({ firstName: 'Madina', languageCode: 'ru' });
    const aruzhan = api.addUser({ firstName: 'Aruzhan', languageCode: 'ru' });
    const first = await fileReport(api, madina, { account: [CANARY] });
    const second = await fileReport(api, aruzhan, { account: ['canary-7f3a второе обращение'] });
    await api.waitFor(() => api.messagesIn(dana.id).filter((m) => m.text?.includes('canary-7f3a')).length >= 2, T);

    const list = await chat.ask(dana, '/cases');
    expect(list.text).toContain(`Открытые обращения (2)`);
    for (const code of [first.code, second.code]) expect(list.text).toMatch(new RegExp(`${code} · новое · Dana · `));
    expect(list.text).not.toContain('canary');
    expect((await chat.ask(dana, '/cases unassigned')).text).toBe(t('ru', 'cases-none', { filter: 'unassigned' }));

    // With two cases, a message that replies to nothing cannot be placed...
    api.sendPrivate(dana, 'кому это?');
    await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text === t('ru', 'staff-private-which-case')), T);
    // ...until she chooses one from her list.
    api.sendPrivate(dana, '/cases');
    // One message: the list, the hint under it, and a button per case.
    const buttons = await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text?.endsWith(t('ru', 'cases-switch-hint')) && m.reply_markup), T);
    expect(buttons.text).toContain('Ваши открытые обращения (2):');
    const codes = buttons.reply_markup!.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : ''));
    expect(codes.sort()).toEqual([`case:${first.code}`, `case:${second.code}`].sort());
    api.pressButton(dana, buttons, `case:${second.code}`);
    await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text === t('ru', 'staff-private-switched', { code: second.code })), T);
    api.sendPrivate(dana, 'Это для второго обращения');
    await api.waitFor(() => api.messagesIn(aruzhan.id).find((m) => m.text?.includes('Это для второго обращения')), T);
    expect(api.messagesIn(madina.id).some((m) => m.text?.includes('Это для второго обращения'))).toBe(false);
    expect(sharedChatLeaks(hotline)).toEqual([]);
  });
});
