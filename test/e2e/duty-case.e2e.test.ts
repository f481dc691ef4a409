// A counsellor's workflow on one case, end to end: take, transfer, recuse, the
// policy's statuses told to the reporter in their language, closing and reopening
// the topic, follow-ups as delayed jobs, canned answers.
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/store/audit.js';
import { rosterKeyOf } from '../../src/crypto/index.js';
import { Redis } from 'ioredis';
import { almaty, caseField, delayedJob, mentions, promote, report, staffChat, TestClock } from '../support/duty.js';
import { tap } from '../support/intake-driver.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { dumpRedis } from '../support/redis.js';

let h: Hotline | undefined;
afterEach(async () => {
  if (process.env.DEBUG_LOG) for (const l of h?.captured.lines ?? []) if (/"level":(40|50|60)/.test(l)) console.error(l);
  await h?.stop();
  h = undefined;
});

const T = { timeoutMs: 10_000 };

/** No shifts (every counsellor on duty): Dana (ru, kk) and Arman (ru, en); one Kazakh case, assigned to Dana. */
async function withCase() {
  const clock = new TestClock(almaty('2025-05-12T10:00'));
  const hotline = (h = await startHotline({ threading: 'topics', clock }));
  const chat = staffChat(hotline);
  const { admin, counsellor: dana } = hotline;
  const arman = hotline.api.addUser({ firstName: 'Arman', username: 'arman_k' });
  hotline.api.addMember(hotline.staffGroup, arman);
  chat.say(dana, 'Сәлем');
  chat.say(arman, 'Сәлем');
  await chat.ask(admin, '/staff add @dana_counsellor ru,kk');
  await chat.ask(admin, '/staff add @arman_k ru,en');
  const reporter = hotline.api.addUser({ firstName: 'Madina', languageCode: 'kk' });
  const c = await report(hotline, reporter, 'Топтағы чатта мен туралы өсек таратып жүр');
  const assigned = await chat.next((m) => m.message_thread_id === c.thread && m.text!.startsWith('👤'));
  expect(mentions(assigned, dana)).toBe(true);
  const toReporter = () => hotline.api.messagesIn(reporter.id).map((m) => m.text ?? '');
  return { hotline, chat, admin, dana, arman, reporter, c, clock, toReporter };
}

describe('a counsellor’s case commands', () => {
  it('take, transfer and recuse, each audited; a recused counsellor cannot answer', async () => {
    const { hotline, chat, admin, dana, arman, reporter, c, toReporter } = await withCase();

    expect((await chat.ask(arman, '/take', c.thread)).text).toMatch(/Arman принял\(а\) обращение у Dana/);
    await hotline.api.waitFor(() => toReporter().find((t) => t.includes('кеңесші өтінішіңізді қабылдады')), T);
    expect(await caseField(hotline, c.caseId, 'status')).toBe('acknowledged');

    const transferred = await chat.ask(arman, '/transfer @dana_counsellor язык: она говорит по-казахски', c.thread);
    expect(transferred.text).toMatch(/Arman передал\(а\) обращение: Dana\. .+ 15 мин/);
    expect(mentions(transferred, dana)).toBe(true);
    expect((await chat.ask(arman, '/transfer @dana_counsellor', c.thread)).text).toMatch(/Обращение уже у Dana/);

    expect((await chat.ask(dana, '/recuse', c.thread)).text).toMatch(/Укажите причину/);
    expect((await chat.ask(dana, '/recuse знаю обидчика лично', c.thread)).text).toMatch(/Dana взял\(а\) самоотвод/);
    const rerouted = await chat.next((m) => m.message_thread_id === c.thread && m.text!.startsWith('👤'), transferred.message_id);
    expect(mentions(rerouted, arman)).toBe(true);
    expect((await chat.ask(dana, '/take', c.thread)).text).toMatch(/Вы взяли самоотвод/);
    expect((await chat.ask(arman, '/transfer @dana_counsellor', c.thread)).text).toMatch(/Dana взял\(а\) самоотвод/);

    const refused = await chat.ask(dana, 'Я всё-таки отвечу', c.thread);
    expect(refused.text).toMatch(/сообщение заявителю не отправлено/);
    expect(toReporter().some((t) => t.includes('всё-таки'))).toBe(false);

    const audit = await chat.ask(admin, '/audit');
    expect(audit.text).toMatch(/Arman · case\.take · [0-9A-Z]{3}-[0-9A-Z]{3}/);
    expect(audit.text).toMatch(/Arman · case\.transfer → Dana · .+ · “язык: она говорит по-казахски”/);
    expect(audit.text).toMatch(/Dana · case\.recuse · .+ · “знаю обидчика лично”/);
    // The reasons are sealed under the case key, not the roster key: they die with the case.
    const redis = new Redis(hotline.redis.url);
    const entries = await new AuditLog(redis, rosterKeyOf(hotline.keys.pepper)).recent(50);
    const recused = entries.find((e) => e.action === 'case.recuse')!;
    expect(recused.note).toBeUndefined();
    expect(recused.caseNote?.sealed).toBeDefined();
    expect(await dumpRedis(redis)).not.toContain('знаю обидчика');
    hotline.api.sendPrivate(reporter, '/forget');
    await tap(hotline.api, reporter, 'confirm-forget', 'yes');
    await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).some((m) => m.text?.startsWith('🗑 Обращение')), T);
    const after = await chat.ask(admin, '/audit');
    expect(after.text).toMatch(/Dana · case\.recuse · .+ · \(причина стёрта вместе с обращением\)/);
    expect(after.text).toMatch(/case\.transfer → Dana · .+ · \(причина стёрта вместе с обращением\)/);
    expect(after.text).not.toContain('знаю обидчика');
    redis.disconnect();
  });

  it('an admin puts a case on hold for a formal procedure, audited with its reason; counsellors cannot', async () => {
    const { hotline, chat, admin, dana, c } = await withCase();
    expect((await chat.ask(dana, '/hold tribunal', c.thread)).text).toMatch(/только администраторы/);
    expect((await chat.ask(admin, '/hold', c.thread)).text).toMatch(/\/hold ПРИЧИНА/);
    expect((await chat.ask(admin, '/hold дисциплинарная комиссия 12 мая', c.thread)).text).toMatch(/⏸ Обращение [0-9A-Z-]+ на удержании/);
    const redis = new Redis(hotline.redis.url);
    expect(await redis.hget(`tl:case:${c.caseId}`, 'hold')).not.toBeNull();
    expect(await dumpRedis(redis)).not.toContain('дисциплинарная');
    const audit = await chat.ask(admin, '/audit');
    expect(audit.text).toMatch(/Aliya · case\.hold · [0-9A-Z-]+ · “дисциплинарная комиссия 12 мая”/);
    expect((await chat.ask(admin, '/hold off', c.thread)).text).toMatch(/снято с удержания/);
    expect(await redis.hget(`tl:case:${c.caseId}`, 'hold')).toBeNull();
    expect((await chat.ask(admin, '/audit')).text).toMatch(/case\.hold-off/);
    redis.disconnect();
  });

  it('status changes reach the reporter in plain Kazakh; closing closes the topic and a new message reopens it', async () => {
    const { hotline, chat, dana, reporter, c, toReporter } = await withCase();

    expect((await chat.ask(dana, '/status bogus', c.thread)).text).toMatch(/\/status СТАТУС, один из: acknowledged, under-consideration/);
    expect((await chat.ask(dana, '/status invest', c.thread)).text).toMatch(/Обращение [0-9A-Z-]+: расследование\. Заявителю сообщено/);
    await hotline.api.waitFor(() => toReporter().find((t) => t.includes('ішкі тексеру басталды')), T);
    expect((await chat.ask(dana, '/status under-consideration', c.thread)).text).toMatch(/Нельзя перейти из «расследование» в «на рассмотрении»/);
    expect((await chat.ask(dana, '/status measures', c.thread)).text).toMatch(/приняты меры/);
    await hotline.api.waitFor(() => toReporter().find((t) => t.includes('шаралар қабылданды')), T);

    expect((await chat.ask(dana, '/status closed', c.thread)).text).toMatch(/закрыто/);
    await hotline.api.waitFor(() => hotline.api.topics(hotline.staffGroup.id).find((t) => t.message_thread_id === c.thread && t.is_closed), T);
    await hotline.api.waitFor(() => toReporter().find((t) => t.includes('өтініш жабылды')), T);
    expect(await caseField(hotline, c.caseId, 'status')).toBe('closed');
    expect((await chat.ask(dana, '/take', c.thread)).text).toMatch(/Обращение: закрыто/);

    // retaliation after the case was closed: the reporter writes again
    hotline.api.sendPrivate(reporter, 'Енді олар мені топтан шығарып тастады');
    const reopened = await chat.next((m) => m.message_thread_id === c.thread && m.text!.startsWith('🔄'));
    expect(mentions(reopened, dana)).toBe(true);
    await hotline.api.waitFor(
      () => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.message_thread_id === c.thread && m.text === 'Енді олар мені топтан шығарып тастады'),
      T,
    );
    expect(hotline.api.topics(hotline.staffGroup.id).find((t) => t.message_thread_id === c.thread)?.is_closed).toBe(false);
    expect(await caseField(hotline, c.caseId, 'status')).toBe('under-consideration');
    expect(hotline.api.topics(hotline.staffGroup.id)).toHaveLength(1);
  });

  it('schedules a follow-up as a delayed job; the reporter’s answer comes back to the same topic', async () => {
    const { hotline, chat, dana, reporter, c, toReporter } = await withCase();
    expect((await chat.ask(dana, '/followup 14d', c.thread)).text).toMatch(/запланировано на пн, 26 мая 10:00/);
    expect((await chat.ask(dana, '/followup', c.thread)).text).toMatch(/Запланированные сообщения: пн, 26 мая 10:00/);
    const job = await delayedJob(hotline, 'follow-up', (j) => j.data.caseId === c.caseId);
    expect(job.opts.delay).toBe(14 * 24 * 3600_000);

    await promote(hotline, 'follow-up', (j) => j.id === job.id);
    const checkIn = await hotline.api.waitFor(() => toReporter().find((t) => t.startsWith('Сәлеметсіз бе. Кеңесші')), T);
    expect(checkIn).toContain(c.code);
    await chat.next((m) => m.message_thread_id === c.thread && m.text!.startsWith('📬'));
    hotline.api.sendPrivate(reporter, 'Бәрі жақсы, рақмет');
    await chat.next((m) => m.message_thread_id === c.thread && m.text === 'Бәрі жақсы, рақмет');

    await chat.ask(dana, '/followup 3d', c.thread);
    expect((await chat.ask(dana, '/followup cancel', c.thread)).text).toMatch(/Отменено сообщений: 1/);
    expect((await chat.ask(dana, '/followup 2y', c.thread)).text).toMatch(/Как использовать: \/followup 14d/);
  });

  it('sends a canned answer in the reporter’s language; only admins maintain them', async () => {
    const { hotline, chat, admin, dana, c, toReporter } = await withCase();
    expect((await chat.ask(dana, '/t greeting', c.thread)).text).toMatch(/Шаблона «greeting» на языке kk нет \(есть на: -\)/);
    expect((await chat.ask(admin, '/templates set greeting kk Сәлеметсіз бе! Біз сізді естиміз.\nҚауіпсізсіз бе?')).text).toMatch(
      /Шаблон «greeting» \(kk\) сохранён/,
    );
    await chat.ask(admin, '/templates set greeting ru Здравствуйте! Мы вас слышим.');
    expect((await chat.ask(dana, '/templates')).text).toMatch(/• greeting \(kk, ru\)/);

    expect((await chat.ask(dana, '/t greeting', c.thread)).text).toMatch(
      /отправлен шаблон «greeting» \(kk\):\nСәлеметсіз бе! Біз сізді естиміз\.\nҚауіпсізсіз бе\?/,
    );
    const got = await hotline.api.waitFor(() => toReporter().find((t) => t.includes('Біз сізді естиміз')), T);
    expect(got).toBe('Кеңесші:\nСәлеметсіз бе! Біз сізді естиміз.\nҚауіпсізсіз бе?');
    expect(await caseField(hotline, c.caseId, 'status')).toBe('acknowledged'); // an answer acknowledges

    expect((await chat.ask(admin, '/templates remove greeting ru')).text).toMatch(/удалено 1/);
    expect((await chat.ask(admin, '/templates set bad')).text).toMatch(/Как использовать: \/templates/);
  });

  it('sends names as plain text when Telegram refuses a mention', async () => {
    const { hotline, chat, dana, arman, c } = await withCase();
    hotline.api.failNext('sendMessage', { error_code: 400, description: "Bad Request: can't parse entities: user not found" });
    const reply = await chat.ask(dana, '/transfer @arman_k', c.thread);
    expect(reply.text).toMatch(/Dana передал\(а\) обращение: Arman/);
    expect(mentions(reply, arman)).toBe(false);
    expect(hotline.captured.records().some((l) => l.event === 'staff.mention-refused')).toBe(true);
  });
});
