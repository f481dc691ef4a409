// The case desk, end to end: labels on a case, /cases by filter and by page, each case
// a link to its place in the staff chat, and /history, all against the real bot, Redis
// and the local Bot API server.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from 'grammy/types';
import { attribute, t } from '../../src/i18n/i18n.js';
import { formatDue } from '../../src/i18n/format.js';
import { DutyStore } from '../../src/store/duty.js';
import { redisKeys, rosterKeys } from '../../src/store/redis-keys.js';
import { makeCase } from '../support/cases.js';
import { almaty, caseField, delayedJob, mentions, promote, report, staffChat, TestClock } from '../support/duty.js';
import { fileReport, write } from '../support/intake-driver.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { dumpRedis } from '../support/redis.js';
import { fixture, identifyingTags } from '../support/metadata.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const T = { timeoutMs: 15_000 };
const CANARY = 'canary-5d1e доцент угрожает оценкой';

/** The URL a text_link of `m` points to at the text `shown`. */
const linkAt = (m: Message, shown: string) => {
  const at = (m.text ?? '').indexOf(shown);
  const e = m.entities?.find((x) => x.type === 'text_link' && x.offset === at && x.length === shown.length);
  return e?.type === 'text_link' ? e.url : undefined;
};
/** Telegram's link to a message (or topic) of a supergroup: t.me/c/<id without -100>/<n>. */
const linkTo = (chatId: number, n: number) => `https://t.me/c/${-chatId - 1_000_000_000_000}/${n}`;
const usage = (lang: 'ru', command: string) => attribute(lang, 'staff-usage', command);
const buttonsOf = (m: Message | undefined) => m?.reply_markup?.inline_keyboard.flat().flatMap((b) => ('callback_data' in b ? [b.callback_data] : [])) ?? [];

describe('the case desk', () => {
  it('labels a case, lists cases by label with a link to the topic, and shows its history without a word of it; the labels go with the case', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const { api, counsellor: dana, admin, staffGroup } = hotline;
    const chat = staffChat(hotline);
    const reporter = api.addUser({ firstName: 'Aigerim', languageCode: 'ru' });
    const c = await report(hotline, reporter, CANARY);

    expect((await chat.ask(dana, '/label referred', c.thread)).text).toBe(t('ru', 'cmd-labels', { code: c.code, labels: 'referred' }));
    expect((await chat.ask(dana, '/label add #Needs-Follow-Up', c.thread)).text).toBe(
      t('ru', 'cmd-labels', { code: c.code, labels: 'referred, needs-follow-up' }),
    );
    // Shown with the hotline's usual words; nonsense is refused with how it is used.
    expect((await chat.ask(dana, '/label', c.thread)).text).toContain('formal-complaint');
    for (const nonsense of ['/label add два слова', '/label a/b', '/label remove'])
      expect((await chat.ask(dana, nonsense, c.thread)).text).toBe(usage('ru', 'label'));
    // Outside a case there is nothing to label.
    expect((await chat.ask(dana, '/label referred')).text).toBe(t('ru', 'cmd-needs-case'));

    const listed = await chat.ask(dana, '/cases label referred');
    expect(listed.text).toContain('Обращения с меткой «referred» (1):');
    expect(listed.text).toMatch(new RegExp(`${c.code} · новое · Dana · .* · 🏷 referred, needs-follow-up`));
    expect(linkAt(listed, c.code)).toBe(linkTo(staffGroup.id, c.thread));
    expect((await chat.ask(dana, '/cases label formal-complaint')).text).toBe(t('ru', 'cases-none', { filter: 'label', label: 'formal-complaint' }));
    expect((await chat.ask(dana, '/cases urgent')).text).toBe(t('ru', 'cases-none', { filter: 'urgent', label: '' }));

    // Sealed under the case key: Redis holds neither label, nor the report.
    const redis = new Redis(hotline.redis.url);
    try {
      const dump = await dumpRedis(redis);
      for (const secret of ['referred', 'needs-follow-up', 'canary-5d1e']) expect(dump).not.toContain(secret);

      await chat.ask(dana, '/status investigation', c.thread);
      await chat.ask(dana, '/label remove referred', c.thread);
      const history = (await chat.ask(dana, '/history', c.thread)).text ?? '';
      expect(history).toContain(t('ru', 'history-title', { code: c.code }));
      const order = [
        'назначено: Dana',
        'метка добавлена: referred',
        'метка добавлена: needs-follow-up',
        'статус: новое → расследование',
        'метка убрана: referred',
      ];
      expect(order.map((line) => history.indexOf(line))).toEqual(order.map((line) => history.indexOf(line)).sort((a, b) => a - b));
      expect(order.every((line) => history.includes(line))).toBe(true);
      expect(history).not.toContain('canary');

      // Erased, the case takes its labels with it.
      api.sendGroup(staffGroup, admin, `/erase ${c.code}`, { threadId: c.thread });
      await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text === t('ru', 'cmd-erased', { code: c.code })), T);
      expect(await redis.hget(redisKeys.case(c.caseId), 'labels')).toBeNull();
    } finally {
      redis.disconnect();
    }
  });

  it('lists the reporters waiting for an answer, longest first, from their message until a counsellor answers; a line links to the case’s first post', async () => {
    const hotline = (h = await startHotline({ threading: 'replies' }));
    const { api, counsellor: dana, staffGroup } = hotline;
    const chat = staffChat(hotline);
    const first = api.addUser({ firstName: 'Aruzhan', languageCode: 'ru' });
    const second = api.addUser({ firstName: 'Saule', languageCode: 'kk' });
    const a = await fileReport(api, first, { account: ['бірінші'] });
    const b = await fileReport(api, second, { account: ['екінші'] });
    // In a plain group a case's first post is its root: its header.
    const postOf = (code: string) => api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text?.startsWith(`🆕`) && m.text.includes(code)), T);
    const [postA] = await Promise.all([postOf(a.code), postOf(b.code)]);

    const waiting = await chat.ask(dana, '/cases waiting');
    expect(waiting.text).toContain('Заявители, которые ждут ответа, дольше всех — первыми (2):');
    expect(waiting.text!.indexOf(a.code)).toBeLessThan(waiting.text!.indexOf(b.code));
    expect(waiting.text).toMatch(new RegExp(`${a.code} · .* · ждёт `));
    expect(linkAt(waiting, a.code)).toBe(linkTo(staffGroup.id, postA.message_id));

    // Dana answers the first: that reporter waits no more, until they write again.
    api.sendGroup(staffGroup, dana, 'Мы получили ваше обращение.', { replyTo: postA.message_id });
    await api.waitFor(() => api.messagesIn(first.id).find((m) => m.text?.includes('Мы получили ваше обращение')), T);
    const after = await chat.ask(dana, '/cases waiting');
    expect(after.text).toContain('(1):');
    expect(after.text).not.toContain(a.code);

    api.sendPrivate(first, 'И ещё одно');
    await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text?.includes('И ещё одно')), T);
    const again = await chat.ask(dana, '/cases waiting');
    expect(again.text).toContain('(2):');
    // Saule has waited longer now.
    expect(again.text!.indexOf(b.code)).toBeLessThan(again.text!.indexOf(a.code));
  });

  it('pages through 500 cases with buttons, each press run as whoever pressed it', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const { api, counsellor: dana, staffGroup } = hotline;
    const chat = staffChat(hotline);
    expect((await chat.ask(dana, '/cases')).text).toBe(t('ru', 'cases-none', { filter: 'open', label: '' }));

    const redis = new Redis(hotline.redis.url);
    try {
      const duty = new DutyStore(redis);
      const made = [];
      // Written as intake writes them, oldest first; nobody holds them (waiting for a shift).
      for (let i = 0; i < 500; i++) {
        const c = await makeCase(redis, hotline.keys, { createdAt: Date.now() - (500 - i) * 60_000 });
        await duty.markWaiting(c.id);
        made.push(c);
      }
      const page1 = await chat.ask(dana, '/cases unassigned');
      expect(page1.text).toContain('Обращения, которые никто не ведёт (500), страница 1/34:');
      expect(page1.text?.split('\n')).toHaveLength(16);
      expect(page1.text).toContain(made[0]!.code);
      expect(buttonsOf(page1)).toEqual(['pg:1:cases unassigned', 'pg:2:cases unassigned']);

      api.pressButton(dana, page1, 'pg:2:cases unassigned');
      const page2 = await api.waitFor(
        () => api.messagesIn(staffGroup.id).find((m) => m.message_id === page1.message_id && m.text?.includes('страница 2/34')),
        T,
      );
      expect(page2.text).toContain(made[15]!.code);
      expect(page2.text).not.toContain(made[0]!.code);
      expect(buttonsOf(page2)).toEqual(['pg:1:cases unassigned', 'pg:2:cases unassigned', 'pg:3:cases unassigned']);

      // Someone not on the staff list is told so, and the list stays as it is.
      const stranger = api.addUser({ firstName: 'Guest' });
      api.addMember(staffGroup, stranger);
      api.pressButton(stranger, page2, 'pg:3:cases unassigned');
      await api.waitFor(() => api.callsTo('answerCallbackQuery').find((c) => c.params.text === t('ru', 'cmd-not-staff')), T);
      expect(api.messagesIn(staffGroup.id).find((m) => m.message_id === page1.message_id)?.text).toContain('страница 2/34');

      // The last page has no ▶; the middle button reloads the page, which is no error.
      api.pressButton(dana, page2, 'pg:2:cases unassigned');
      await api.waitFor(() => api.callsTo('answerCallbackQuery').length >= 3, T);
      const last = (await chat.ask(dana, '/cases unassigned')).message_id;
      const sent = api.messagesIn(staffGroup.id).find((m) => m.message_id === last)!;
      api.pressButton(dana, sent, 'pg:2:cases unassigned');
      const second = await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.message_id === last && m.text?.includes('страница 2/34')), T);
      expect(buttonsOf(second)).toContain('pg:3:cases unassigned');
      // A case that left the line meanwhile leaves the list: each page is the list as it is now.
      await redis.srem(rosterKeys.waiting, made[0]!.id);
      api.pressButton(dana, second, 'pg:1:cases unassigned');
      const fresh = await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.message_id === last && m.text?.includes('(499), страница 1/34')), T);
      expect(fresh.text).not.toContain(made[0]!.code);
    } finally {
      redis.disconnect();
    }
  });

  it("gives each stage the policy's time limit on the working calendar, reminds the holder once, lists the late, and tells the reporter the date", async () => {
    // Friday 16 May 2025, 17:00 in Almaty: no shifts, so Dana (on the roster) gets it.
    const clock = new TestClock(almaty('2025-05-16T17:00'));
    const hotline = (h = await startHotline({ threading: 'topics', clock }));
    const { api, counsellor: dana, staffGroup } = hotline;
    const chat = staffChat(hotline);
    chat.say(dana, 'Привет');
    const reporter = api.addUser({ firstName: 'Dina', languageCode: 'ru' });
    const c = await report(hotline, reporter, CANARY);
    const deadline = async () => ({ stage: await caseField(hotline, c.caseId, 'stage'), dueAt: Number(await caseField(hotline, c.caseId, 'dueAt')) });

    // A first contact within one working day: the weekend does not count.
    await api.waitFor(() => api.messagesIn(staffGroup.id).some((m) => m.message_thread_id === c.thread && m.text?.startsWith('👤')), T);
    expect(await deadline()).toEqual({ stage: 'new', dueAt: almaty('2025-05-20T00:00') });
    // Her 15 minutes to acknowledge come first.
    expect((await chat.ask(dana, '/cases')).text).toContain('подтвердить до 17:15');

    expect((await chat.ask(dana, '/take', c.thread)).text).toBeDefined();
    expect(await deadline()).toEqual({ stage: 'acknowledged', dueAt: almaty('2025-05-31T00:00') });
    expect((await chat.ask(dana, '/cases')).text).toContain('следующий шаг до пт, 30 мая');
    api.sendPrivate(reporter, '/status');
    const status = await api.waitFor(() => api.messagesIn(reporter.id).find((m) => m.text?.startsWith(`Обращение ${c.code}`)), T);
    expect(status.text).toContain('Первичное конфиденциальное рассмотрение вашего обращения должно завершиться до 30 мая.');

    // The investigation: 30 days.
    await chat.ask(dana, '/status investigation', c.thread);
    const investigation = await deadline();
    expect(investigation).toEqual({ stage: 'investigation', dueAt: almaty('2025-06-16T00:00') });
    // The earlier stage's reminders say nothing now: the case has moved on.
    await promote(
      hotline,
      'deadline',
      (j) => (j.data as { dueAt?: number }).dueAt === almaty('2025-05-31T00:00') && (j.data as { when?: string }).when === 'soon',
    );
    const soon = await delayedJob(
      hotline,
      'deadline',
      (j) => (j.data as { dueAt?: number }).dueAt === investigation.dueAt && (j.data as { when?: string }).when === 'soon',
    );
    expect(soon.opts.delay).toBe(investigation.dueAt - 24 * 3600_000 - clock.now());

    // It passes: Dana is told, in the case, once; the case is in /cases overdue.
    clock.set(investigation.dueAt + 60_000);
    await promote(hotline, 'deadline', (j) => (j.data as { dueAt?: number }).dueAt === investigation.dueAt && (j.data as { when?: string }).when === 'passed');
    const passed = await chat.next((m) => m.message_thread_id === c.thread && m.text?.startsWith('⏰') === true);
    const june15 = formatDue(investigation.dueAt, 'ru', 'Asia/Almaty');
    expect(passed.text).toContain(`срок следующего шага по этому обращению (расследование) — ${june15} — прошёл.`);
    expect(mentions(passed, dana)).toBe(true);
    const overdue = await chat.ask(dana, '/cases overdue');
    expect(overdue.text).toContain('Обращения с пропущенным сроком (1):');
    expect(overdue.text).toContain(`⏰ срок прошёл: ${june15}`);
    await promote(hotline, 'deadline', (j) => (j.data as { dueAt?: number }).dueAt === investigation.dueAt && (j.data as { when?: string }).when === 'soon');
    await chat.ask(dana, '/history', c.thread);
    expect(api.messagesIn(staffGroup.id).filter((m) => m.text?.startsWith('⏰'))).toHaveLength(1);
    // The earlier "soon" (already stale when it ran) said nothing either.
    expect(api.messagesIn(staffGroup.id).filter((m) => m.text?.includes('нужно сделать до'))).toHaveLength(0);

    // Measures taken: no limit on that stage, so the case is late no more.
    await chat.ask(dana, '/status measures-taken', c.thread);
    expect(await caseField(hotline, c.caseId, 'dueAt')).toBeNull();
    expect((await chat.ask(dana, '/cases overdue')).text).toBe(t('ru', 'cases-none', { filter: 'overdue', label: '' }));
    const history = (await chat.ask(dana, '/history', c.thread)).text ?? '';
    expect(history).toContain('следующий шаг (новое) до пн, 19 мая');
    expect(history).toContain(`следующий шаг (расследование) до ${june15}`);
  });

  it('records what staff established with buttons (or in words), for the annual report, and nothing of it from someone not on staff', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const { api, counsellor: dana, staffGroup } = hotline;
    const chat = staffChat(hotline);
    const reporter = api.addUser({ firstName: 'Aliya', languageCode: 'ru' });
    const c = await report(hotline, reporter, CANARY);
    const now = (m: Message) => api.messagesIn(staffGroup.id).find((x) => x.message_id === m.message_id)!;
    const press = async (m: Message, run: string, until: (text: string) => boolean) => {
      api.pressButton(dana, now(m), `do:${c.code}:${run}`);
      return api.waitFor(() => (until(now(m).text ?? '') ? now(m) : undefined), T);
    };

    const card = await chat.ask(dana, '/record', c.thread);
    expect(card.text).toContain(`📋 ${c.code}: что установили сотрудники`);
    expect(card.text).toContain('Нарушение политики: не указано');
    expect(buttonsOf(card)).toEqual(['record category', 'record breach', 'record measures', 'record outcome'].map((r) => `do:${c.code}:${r}`));

    // A field's choices, then one of them: back to the whole record.
    const breach = await press(card, 'record breach', (text) => text === `📋 ${c.code} · Нарушение политики: не указано`);
    expect(buttonsOf(breach)).toContain(`do:${c.code}:record breach undetermined`);
    await press(card, 'record breach yes', (text) => text.includes('Нарушение политики: да'));
    // Measures: several, each pressed once; "none" stands alone.
    await press(card, 'record measures', (text) => text.includes('отметьте все подходящие'));
    await press(card, 'record measures mediation', (text) => text.includes('медиация'));
    const two = await press(card, 'record measures disciplinary', (text) => text.includes('медиация, дисциплинарная процедура'));
    expect(two.reply_markup?.inline_keyboard.flat().filter((b) => b.text.startsWith('✅'))).toHaveLength(2);
    // In words too, and a word not in the catalog changes nothing.
    expect((await chat.ask(dana, '/record outcome substantiated', c.thread)).text).toContain('Итог: подтвердилось');
    expect((await chat.ask(dana, '/record outcome maybe', c.thread)).text).toContain('Итог: подтвердилось');
    expect((await chat.ask(dana, '/record verdict yes', c.thread)).text).toBe(usage('ru', 'record'));
    expect((await chat.ask(dana, '/record category harassment.sexual', c.thread)).text).toContain('Категория: Домогательства (');

    // Someone not on the roster presses a button: told so, and nothing changes.
    const stranger = api.addUser({ firstName: 'Guest' });
    api.addMember(staffGroup, stranger);
    api.pressButton(stranger, now(card), `do:${c.code}:record measures none`);
    await api.waitFor(() => api.callsTo('answerCallbackQuery').find((x) => x.params.text === t('ru', 'cmd-not-staff')), T);

    expect(await caseField(hotline, c.caseId, 'breach')).toBe('yes');
    expect(await caseField(hotline, c.caseId, 'measures')).toBe('mediation,disciplinary');
    expect(await caseField(hotline, c.caseId, 'result')).toBe('substantiated');
    expect(await caseField(hotline, c.caseId, 'vcategory')).toBe('harassment.sexual');
    const history = (await chat.ask(dana, '/history', c.thread)).text ?? '';
    expect(history).toContain('записано: Нарушение политики — да');
    expect(history).toContain('записано: Меры — дисциплинарная процедура');
  });

  it('blocks an abusive reporter without unmasking them: nothing more reaches staff, no new case for a while, even after /resume elsewhere; /unblock lifts it', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const { api, counsellor: dana, admin, staffGroup } = hotline;
    const chat = staffChat(hotline);
    const first = api.addUser({ firstName: 'Troll', languageCode: 'ru' });
    const receipt = await fileReport(api, first, { account: [CANARY] });
    const topic = await api.waitFor(() => api.topics(staffGroup.id).find((x) => x.name.includes(receipt.code)), T);
    const inStaffChat = (text: string) => api.messagesIn(staffGroup.id).some((m) => m.text?.includes(text));

    expect((await chat.ask(dana, '/block спам', topic.message_thread_id)).text).toBe(t('ru', 'cmd-not-admin'));
    expect((await chat.ask(admin, '/block', topic.message_thread_id)).text).toBe(usage('ru', 'block'));
    const blocked = await chat.ask(admin, '/block оскорбления и угрозы консультанту', topic.message_thread_id);
    expect(blocked.text).toContain(`⛔ ${receipt.code}`);
    const told = await api.waitFor(
      () => api.messagesIn(first.id).find((m) => m.text?.startsWith(`Обращение ${receipt.code}: служба больше не будет отвечать`)),
      T,
    );
    expect(told.text).toContain('112');

    // What they write now reaches nobody; they hear why each time. Their rights still work.
    expect((await write(api, first, 'ещё одно сообщение-7c1', 'служба больше не будет отвечать')).text).toContain(receipt.code);
    expect((await write(api, first, '/status', `Обращение ${receipt.code}`)).text).toContain('Ответов консультанта пока');
    expect(inStaffChat('сообщение-7c1')).toBe(false);
    // Lifted: they reach staff again.
    expect((await chat.ask(admin, '/unblock', topic.message_thread_id)).text).toContain('✅');
    await api.waitFor(() => api.messagesIn(first.id).find((m) => m.text === t('ru', 'reporter-unblocked', { code: receipt.code })), T);
    api.sendPrivate(first, 'снова пишу-8d2');
    await api.waitFor(() => inStaffChat('снова пишу-8d2') || undefined, T);

    // Blocked again, they take the case to another account: the block goes with it.
    await chat.ask(admin, '/block снова угрозы', topic.message_thread_id);
    const second = api.addUser({ firstName: 'Troll2', languageCode: 'ru' });
    await write(api, second, `/resume ${receipt.code} ${receipt.passphrase}`, receipt.code);
    await write(api, second, 'с нового аккаунта-9e3', 'служба больше не будет отвечать');
    await write(api, second, '/withdraw', /отозвать|Отозвать|Withdraw|withdraw/);
    await api.waitFor(() => api.messagesIn(second.id).at(-1)?.reply_markup, T);
    const confirm = api.messagesIn(second.id).at(-1)!;
    const yes = confirm.reply_markup!.inline_keyboard.flat().find((b) => 'callback_data' in b && b.callback_data.endsWith(':yes'));
    api.pressButton(second, confirm, (yes as { callback_data: string }).callback_data);
    await api.waitFor(() => api.messagesIn(second.id).find((m) => m.text?.includes('отозвано')), T);
    // No new case from either account, told where else to turn; nothing reaches staff.
    expect((await write(api, second, 'новое обращение-0f4', 'не может принять новое обращение')).text).toContain('112');
    expect((await write(api, first, 'и отсюда-1a5', 'не может принять новое обращение')).text).toContain('112');
    expect(inStaffChat('с нового аккаунта-9e3') || inStaffChat('новое обращение-0f4') || inStaffChat('и отсюда-1a5')).toBe(false);

    const history = (await chat.ask(dana, '/history', topic.message_thread_id)).text ?? '';
    expect(history).toContain('заблокировал(а) заявителя');
    expect(history).toContain('снял(а) блокировку');
    // The reason is sealed under the case key, the reporters known only by keyed hashes.
    const redis = new Redis(hotline.redis.url);
    try {
      const dump = await dumpRedis(redis);
      for (const secret of ['угрозы', String(first.id), String(second.id), 'Troll']) expect(dump).not.toContain(secret);
    } finally {
      redis.disconnect();
    }
  });

  it('holds what staff write during the reporter’s quiet hours, tells staff when it goes, and lets it through when the reporter lifts them', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const { api, counsellor: dana, staffGroup } = hotline;
    const reporter = api.addUser({ firstName: 'Zhanar', languageCode: 'ru' });
    const receipt = await fileReport(api, reporter, { account: [CANARY] });
    const topic = await api.waitFor(() => api.topics(staffGroup.id).find((x) => x.name.includes(receipt.code)), T);
    // The receipt asks once, with buttons.
    const withReceipt = api.messagesIn(reporter.id).find((m) => m.text?.includes(receipt.passphrase))!;
    expect(withReceipt.text).toContain(t('ru', 'ask-quiet'));
    expect(withReceipt.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual([t('ru', 'opt-quiet-night'), t('ru', 'opt-quiet-any')]);

    // Hours around now, Almaty time: whatever staff write now must wait.
    const local = new Date(Date.now() + 5 * 3600_000);
    const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
    const hhmm = (m: number) => `${String(Math.floor(((m + 1440) % 1440) / 60)).padStart(2, '0')}:${String((m + 1440) % 60).padStart(2, '0')}`;
    expect((await write(api, reporter, '/quiet потом', 'Напишите часы')).text).toBe(t('ru', 'quiet-usage'));
    const [from, to] = [hhmm(minutes - 60), hhmm(minutes + 120)];
    expect((await write(api, reporter, `/quiet ${from}-${to}`, '🌙')).text).toBe(t('ru', 'quiet-set', { from, to }));

    api.sendGroup(staffGroup, dana, 'Ответ ночью-2b6', { threadId: topic.message_thread_id });
    const held = await api.waitFor(
      () => api.messagesIn(staffGroup.id).find((m) => m.message_thread_id === topic.message_thread_id && m.text?.startsWith('🌙')),
      T,
    );
    expect(held.text).toContain(`уйдёт в `);
    expect(held.text).toContain(to);
    expect(api.messagesIn(reporter.id).some((m) => m.text?.includes('Ответ ночью-2b6'))).toBe(false);

    // Lifted: what waited goes now.
    await write(api, reporter, '/quiet off', t('ru', 'quiet-off'));
    await api.waitFor(() => api.messagesIn(reporter.id).find((m) => m.text?.includes('Ответ ночью-2b6')), T);
    const redis = new Redis(hotline.redis.url);
    const caseId = (await redis.get(redisKeys.code(receipt.code as never))) as never;
    redis.disconnect();
    expect(await caseField(hotline, caseId, 'quiet')).toBeNull();
  });

  it('sends each staff chat a daily summary: counts, the longest wait, and the codes past a deadline; none with DAILY_SUMMARY=off', async () => {
    const clock = new TestClock(almaty('2025-05-16T17:00'));
    const hotline = (h = await startHotline({ threading: 'topics', clock }));
    const { api, staffGroup } = hotline;
    const c = await report(hotline, api.addUser({ firstName: 'Saltanat', languageCode: 'ru' }), CANARY);
    await api.waitFor(() => api.messagesIn(staffGroup.id).some((m) => m.message_thread_id === c.thread && m.text?.startsWith('👤')), T);
    // Tuesday morning: the first contact was due by the end of Monday.
    clock.set(almaty('2025-05-20T09:00'));
    await promote(hotline, 'daily-summary', () => true);
    const summary = await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text?.startsWith('☀️')), T);
    expect(summary.text).toContain('открыто 1 · никто не ведёт 0 · ждут ответа 1 (дольше всех');
    expect(summary.text).toContain(`⏰ Срок прошёл (1): ${c.code}.`);
    expect(summary.text).not.toContain('canary');
    await h.stop();

    h = await startHotline({ threading: 'topics', env: { DAILY_SUMMARY: 'off' } });
    await expect(delayedJob(h, 'daily-summary', () => true)).rejects.toThrow(/no delayed daily-summary job/);
  });

  it('sends the reporter a counsellor’s photo or document, cleaned of its metadata like evidence; one that cannot be cleaned is not sent, and the counsellor hears why', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const { api, counsellor: dana, staffGroup } = hotline;
    const reporter = api.addUser({ firstName: 'Aida', languageCode: 'ru' });
    const c = await report(hotline, reporter, CANARY);
    const inTopic = { threadId: c.thread };
    const fileOf = (m: Message) => api.fileContent(m.photo?.at(-1)?.file_id ?? m.document!.file_id)!;

    api.sendGroupFile(staffGroup, dana, 'photo', fixture('gps-exif.jpg'), { caption: 'Памятка-3c7' }, inTopic);
    const photo = await api.waitFor(() => api.messagesIn(reporter.id).find((m) => m.photo && m.caption?.includes('Памятка-3c7')), T);
    expect(photo.caption).toContain(t('ru', 'counsellor-says'));
    expect(await identifyingTags(fileOf(photo), 'jpg')).toEqual({});
    // A file is an answer: the reporter waits no more.
    expect((await staffChat(hotline).ask(dana, '/cases waiting')).text).toBe(t('ru', 'cases-none', { filter: 'waiting', label: '' }));

    api.sendGroupFile(staffGroup, dana, 'document', fixture('author.pdf'), { file_name: 'Дана_Сейткали_заявление.pdf', mime_type: 'application/pdf' }, inTopic);
    const pdf = await api.waitFor(() => api.messagesIn(reporter.id).find((m) => m.document), T);
    expect(pdf.document?.file_name).toBe('document.pdf');
    expect(await identifyingTags(fileOf(pdf), 'pdf')).toEqual({});

    // A format mat2 does not know could carry the counsellor's name: not sent.
    api.sendGroupFile(staffGroup, dana, 'document', Buffer.from('plain bytes'), { file_name: 'notes.xyz', mime_type: 'application/octet-stream' }, inTopic);
    const refused = await api.waitFor(
      () => api.messagesIn(staffGroup.id).find((m) => m.message_thread_id === c.thread && m.text?.startsWith('ℹ️ Файл не отправлен')),
      T,
    );
    expect(refused.text).toContain('метаданные');
    expect(api.messagesIn(reporter.id).filter((m) => m.document)).toHaveLength(1);
  });

  it('in need-to-know mode, sends the reporter a photo from the holder’s private chat, cleaned the same way', async () => {
    const hotline = (h = await startHotline({ threading: 'topics', env: { STAFF_VISIBILITY: 'assigned' } }));
    const { api, counsellor: dana } = hotline;
    api.sendPrivate(dana, '/start');
    await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text === t('ru', 'staff-private-ready')), T);
    const reporter = api.addUser({ firstName: 'Asel', languageCode: 'ru' });
    await fileReport(api, reporter, { account: [CANARY] });
    await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text?.includes('canary-5d1e')), T);
    // Her only case: what she sends without replying goes to it.
    api.sendPrivateFile(dana, 'photo', fixture('gps-exif.jpg'), { caption: 'Схема кампуса-4d8' });
    const photo = await api.waitFor(() => api.messagesIn(reporter.id).find((m) => m.photo && m.caption?.includes('Схема кампуса-4d8')), T);
    expect(await identifyingTags(api.fileContent(photo.photo!.at(-1)!.file_id)!, 'jpg')).toEqual({});

    // What staff record about the case is the holder's: in her private chat, not the shared one.
    const card = await api.waitFor(() => api.messagesIn(hotline.staffGroup.id).find((m) => m.text?.startsWith('🗂')), T);
    for (const command of ['/history', '/record', '/label referred']) {
      const asked = api.sendGroup(hotline.staffGroup, dana, command, { threadId: card.message_thread_id!, replyTo: card.message_id });
      const answer = await api.waitFor(() => api.messagesIn(hotline.staffGroup.id).find((m) => m.reply_to_message?.message_id === asked.message_id), T);
      expect(answer.text).toBe(t('ru', 'cmd-private-only'));
    }
    api.sendPrivate(dana, '/label referred');
    await api.waitFor(() => api.messagesIn(dana.id).find((m) => m.text?.startsWith('🏷') && m.text.includes('referred')), T);
  });
});
