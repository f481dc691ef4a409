// The roster, built and used from the staff chat, end to end: real redis-server, the
// local Bot API server, the real bot and workers, and a clock the test sets.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { staffCommands } from '../../src/routing/staff-commands.js';
import { AuditLog } from '../../src/store/audit.js';
import { rosterKeyOf } from '../../src/crypto/index.js';
import { almaty, mentions, report, staffChat, TestClock } from '../support/duty.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { dumpRedis } from '../support/redis.js';

let h: Hotline | undefined;
afterEach(async () => {
  if (process.env.DEBUG_LOG) for (const l of h?.captured.lines ?? []) if (/"level":(40|50|60)/.test(l)) console.error(l);
  await h?.stop();
  h = undefined;
});

/** Dana (seeded counsellor) and Arman (added), with shifts: Dana weekdays 09-18, Arman nights 18-09. */
async function staffedHotline(clock: TestClock) {
  const hotline = (h = await startHotline({ threading: 'topics', clock }));
  const chat = staffChat(hotline);
  const { admin, counsellor: dana } = hotline;
  const arman = hotline.api.addUser({ firstName: 'Arman', lastName: 'Bekov', username: 'arman_k', languageCode: 'ru' });
  hotline.api.addMember(hotline.staffGroup, arman);
  // Both write once, so the bot knows their @usernames (Arman is not staff yet and is told so).
  chat.say(dana, 'Привет всем');
  await chat.ask(arman, '/help').then((m) => expect(m.text).toMatch(/только сотрудникам Trustline/));
  const added = await chat.ask(admin, '/staff add @arman_k ru,en');
  expect(added.text).toMatch(/Arman Bekov добавлен\(а\): консультант · языки: ru, en/);
  expect((await chat.ask(admin, '/staff add @dana_counsellor ru,kk')).text).toMatch(/Dana обновлён\(а\): консультант · языки: ru, kk/);
  expect((await chat.ask(admin, '/shift add @dana_counsellor пн-пт 09:00-18:00')).text).toMatch(/Смена [0-9A-Z]{4}: Dana, .+ 09:00–18:00/);
  expect((await chat.ask(admin, '/shift add @arman_k daily 18:00-09:00')).text).toMatch(/Arman Bekov, .+ 18:00–09:00/);
  return { hotline, chat, admin, dana, arman };
}

describe('building the roster in the staff chat', () => {
  it('adds staff by @mention and by reply, sets shifts, and routing follows them', async () => {
    const clock = new TestClock(almaty('2025-05-12T10:00')); // Monday
    const { hotline, chat, admin, dana, arman } = await staffedHotline(clock);

    // a member without a username is added by replying to her message
    const aida = hotline.api.addUser({ firstName: 'Aida', languageCode: 'kk' });
    hotline.api.addMember(hotline.staffGroup, aida);
    const hello = chat.say(aida, 'Сәлем');
    const addAida = hotline.api.sendGroup(hotline.staffGroup, admin, '/staff add kk', { replyTo: hello.message_id });
    const aidaAdded = await chat.next((m) => m.reply_to_message?.message_id === addAida.message_id);
    expect(aidaAdded.text).toMatch(/Aida добавлен\(а\): консультант · языки: kk/);

    const staffList = await chat.ask(admin, '/staff list');
    expect(staffList.text).toMatch(/Сотрудники \(4\)/);
    for (const name of ['Aliya', 'Dana', 'Arman Bekov', 'Aida']) expect(staffList.text).toContain(name);

    const onCall = await chat.ask(dana, '/oncall');
    expect(onCall.text).toMatch(/Сейчас дежурят:\n• Dana до .+ 18:00\nСледующие: Arman Bekov с .+ 18:00/);
    const week = await chat.ask(arman, '/roster');
    expect(week.text).toMatch(/Неделя с .+ \(Asia\/Almaty\)/);
    expect(week.text!.split('\n')).toHaveLength(8);
    expect(week.text).toMatch(/\nпн, 12 мая: Dana 09:00–18:00, Arman Bekov 18:00–09:00\n/); // the night shift runs into Tuesday
    expect(week.text).toMatch(/\nсб, 17 мая: Arman Bekov 18:00–09:00\n/);

    // a Kazakh report on Monday morning goes to Dana, who is on duty and speaks Kazakh
    const reporter = hotline.api.addUser({ firstName: 'Ainur', languageCode: 'kk' });
    const first = await report(hotline, reporter, 'Маған оқытушы қысым көрсетеді');
    const assigned = await chat.next((m) => m.message_thread_id === first.thread && m.text!.startsWith('👤'));
    expect(mentions(assigned, dana)).toBe(true);
    expect(assigned.text).toMatch(/Назначено: Dana\. .+ 15 мин/);

    // in the evening the same kind of report goes to Arman
    clock.set(almaty('2025-05-12T19:30'));
    const late = hotline.api.addUser({ firstName: 'Late', languageCode: 'en' });
    const second = await report(hotline, late, 'Someone keeps sending me messages');
    const nightAssigned = await chat.next((m) => m.message_thread_id === second.thread && m.text!.startsWith('👤'));
    expect(mentions(nightAssigned, arman)).toBe(true);
  });

  it('time away and swaps change who is on duty', async () => {
    const clock = new TestClock(almaty('2025-05-12T10:00'));
    const { chat, dana, arman, admin } = await staffedHotline(clock);

    expect((await chat.ask(dana, '/away 2025-05-13')).text).toMatch(/Dana отсутствует с .+ 00:00 до .+ 00:00/);
    clock.set(almaty('2025-05-13T10:00'));
    expect((await chat.ask(dana, '/oncall')).text).toMatch(/Сейчас никто не дежурит\.\nСледующие: Arman Bekov с .+ 18:00/);
    expect((await chat.ask(dana, '/away off')).text).toMatch(/Dana снова на месте \(удалено периодов отсутствия: 1\)/);
    expect((await chat.ask(dana, '/oncall')).text).toMatch(/• Dana до/);

    // Dana gives Wednesday's shift to Arman; a counsellor cannot swap two other people
    expect((await chat.ask(dana, '/swap @arman_k 2025-05-14')).text).toMatch(/Arman Bekov заменяет Dana: .+ 09:00–.+ 18:00/);
    expect((await chat.ask(dana, '/swap @arman_k @dana_counsellor 2025-05-15')).text).toMatch(/Это могут делать только администраторы/);
    clock.set(almaty('2025-05-14T12:00'));
    expect((await chat.ask(arman, '/oncall')).text).toMatch(/Сейчас дежурят:\n• Arman Bekov до .+ 09:00/); // covers, then his own night

    // the audit log shows it all, by name, to admins only
    expect((await chat.ask(dana, '/audit')).text).toMatch(/только администраторы/);
    const audit = await chat.ask(admin, '/audit 50');
    for (const action of ['staff.add', 'staff.update', 'shift.add', 'away', 'away.cancel', 'swap']) expect(audit.text).toContain(` · ${action}`);
    expect(audit.text).toMatch(/Aliya · staff\.add → Arman Bekov/);
    expect(audit.text).toMatch(/Dana · swap → Dana ⇄ Arman Bekov · .+ 09:00 - .+ 18:00/);
  });

  it('answers every command from a non-member with a refusal and changes nothing', async () => {
    const clock = new TestClock(almaty('2025-05-12T10:00'));
    const { hotline, chat } = await staffedHotline(clock);
    const stranger = hotline.api.addUser({ firstName: 'Nosy', username: 'nosy_one' });
    hotline.api.addMember(hotline.staffGroup, stranger);
    const redis = new Redis(hotline.redis.url);
    const rosterNow = async () =>
      JSON.stringify([await redis.hgetall('tl:roster:staff'), await redis.hgetall('tl:roster:shifts'), await redis.hgetall('tl:roster:overrides')]);
    const before = await rosterNow();
    const reporter = hotline.api.addUser({ firstName: 'R', languageCode: 'ru' });
    const c = await report(hotline, reporter, 'нужна помощь');
    await chat.next((m) => m.message_thread_id === c.thread && m.text!.startsWith('👤'));
    const auditBefore = (await new AuditLog(redis, rosterKeyOf(hotline.keys.pepper)).recent(100)).length;

    // Arguments that would change something if the command ran; every other command is typed bare.
    const examples: Partial<Record<keyof typeof staffCommands, string>> = {
      away: '/away 3d',
      swap: '/swap @arman_k 2025-05-14',
      transfer: '/transfer @arman_k',
      recuse: '/recuse because',
      status: '/status closed',
      followup: '/followup 1d',
      t: '/t greeting',
      templates: '/templates set x ru y',
      shift: '/shift add @nosy_one daily 00:00-24:00',
      staff: '/staff add @nosy_one admin',
      report: '/report 2026',
      hold: '/hold for the tribunal',
      erase: '/erase K7Q-4FD',
    };
    for (const text of Object.keys(staffCommands).map((name) => examples[name as keyof typeof staffCommands] ?? `/${name}`)) {
      const answer = await chat.ask(stranger, text, c.thread);
      expect(answer.text, text).toBe('ℹ️ Команды здесь доступны только сотрудникам Trustline. Ничего не сделано.');
    }
    expect(await caseStatus(redis, c.caseId)).toBe('new');
    expect((await new AuditLog(redis, rosterKeyOf(hotline.keys.pepper)).recent(100)).length).toBe(auditBefore);
    expect(
      hotline.api
        .messagesIn(reporter.id)
        .map((m) => m.text)
        .join('\n'),
    ).not.toMatch(/Новости|closed/);
    // the roster itself is untouched: same staff, same shifts, same overrides
    expect(await rosterNow()).toBe(before);
    // Commands are marked handled like every other update, under this bot's id.
    const marks = await redis.keys('tl:update:tg:*');
    expect(marks.length).toBeGreaterThan(0);
    const botId = hotline.api.token.split(':')[0]!;
    expect(marks.filter((k) => !k.startsWith(`tl:update:tg:${botId}:`))).toEqual([]);
    redis.disconnect();
  });

  it('refuses admin commands to counsellors, and case commands outside a case', async () => {
    const clock = new TestClock(almaty('2025-05-12T10:00'));
    const { chat, dana } = await staffedHotline(clock);
    for (const text of [
      '/staff add @arman_k admin',
      '/staff remove @arman_k',
      '/staff list',
      '/shift add @dana_counsellor daily 00:00-24:00',
      '/shift remove ABCD',
      '/audit',
      '/templates set hi ru Привет',
      '/templates remove hi',
      '/away @arman_k 1d',
      '/report 2026',
    ]) {
      expect((await chat.ask(dana, text)).text, text).toBe('ℹ️ Это могут делать только администраторы. Ничего не изменено.');
    }
    for (const text of ['/take', '/transfer @arman_k', '/recuse reason', '/status closed', '/followup 14d', '/t hi']) {
      expect((await chat.ask(dana, text)).text, text).toMatch(/работает в теме обращения/);
    }
    expect((await chat.ask(dana, '/shift list')).text).toMatch(/Еженедельные смены/);
    expect((await chat.ask(dana, '/frobnicate')).text).toMatch(/Неизвестная команда \/frobnicate/);
  });

  it('a removed counsellor loses access at once and their cases go to someone on duty', async () => {
    const clock = new TestClock(almaty('2025-05-12T10:00'));
    const { hotline, chat, admin, dana, arman } = await staffedHotline(clock);
    expect((await chat.ask(admin, '/shift add @arman_k mon 09:00-18:00')).text).toMatch(/Arman Bekov/);
    const reporter = hotline.api.addUser({ firstName: 'R', languageCode: 'kk' });
    const c = await report(hotline, reporter, 'көмектесіңізші');
    const assigned = await chat.next((m) => m.message_thread_id === c.thread && m.text!.startsWith('👤'));
    expect(mentions(assigned, dana)).toBe(true); // she speaks Kazakh

    expect((await chat.ask(dana, '/staff remove @dana_counsellor')).text).toMatch(/только администраторы/);
    const removed = await chat.ask(admin, '/staff remove @dana_counsellor');
    expect(removed.text).toMatch(/Dana больше не сотрудник.+ передано другим: 1/);
    const rerouted = await chat.next((m) => m.message_thread_id === c.thread && m.text!.startsWith('👤'), removed.message_id);
    expect(mentions(rerouted, arman)).toBe(true);
    // and she is taken out of the staff chat (staff-chat-guard.e2e covers this in full)
    await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).some((m) => m.text?.startsWith('🚪 Dana')), { timeoutMs: 10_000 });
    expect(hotline.api.memberStatus(hotline.staffGroup, dana)).toBe('left');

    // Were she still there (Telegram refused, or an admin let her back in by hand), nothing she writes counts.
    hotline.api.addMember(hotline.staffGroup, dana);
    chat.say(dana, 'Я всё равно отвечу', c.thread);
    expect((await chat.ask(dana, '/take', c.thread)).text).toMatch(/только сотрудникам Trustline/);
    chat.say(arman, 'Здравствуйте, я с вами', c.thread);
    await hotline.api.waitFor(() => hotline.api.messagesIn(reporter.id).find((m) => m.text?.includes('я с вами')), { timeoutMs: 10_000 });
    expect(hotline.api.messagesIn(reporter.id).some((m) => m.text?.includes('всё равно'))).toBe(false);
    expect((await chat.ask(admin, '/oncall')).text).not.toContain('Dana');
    // STAFF_ADMIN_IDS admins cannot be removed from the chat
    expect((await chat.ask(admin, '/staff remove @aliya_admin')).text).toMatch(/администратор из STAFF_ADMIN_IDS/);
  });

  it('keeps staff identities and message text out of Redis and the log', async () => {
    const clock = new TestClock(almaty('2025-05-12T10:00'));
    const { hotline, chat, admin, dana, arman } = await staffedHotline(clock);
    const reporter = hotline.api.addUser({ firstName: 'Gulnar', username: 'gulnar_b', languageCode: 'ru' });
    const c = await report(hotline, reporter, 'Преподаватель требует встреч наедине');
    await chat.next((m) => m.message_thread_id === c.thread && m.text!.startsWith('👤'));
    await chat.ask(admin, '/templates set greeting ru Мы получили ваше сообщение и поможем');
    expect((await chat.ask(dana, '/t greeting', c.thread)).text).toMatch(/отправлен шаблон «greeting»/);
    await hotline.api.waitFor(() => hotline.api.messagesIn(reporter.id).find((m) => m.text?.endsWith('Мы получили ваше сообщение и поможем')), {
      timeoutMs: 10_000,
    });
    expect(mentions(await chat.ask(dana, '/transfer @arman_k языковой вопрос', c.thread), arman)).toBe(true);
    expect((await chat.ask(arman, '/recuse знаю преподавателя лично', c.thread)).text).toMatch(/самоотвод/);
    expect((await chat.ask(admin, '/status investigation', c.thread)).text).toMatch(/расследование/);
    await hotline.api.waitFor(() => hotline.api.messagesIn(reporter.id).find((m) => m.text?.includes('внутреннее расследование')), { timeoutMs: 10_000 });

    const redis = new Redis(hotline.redis.url);
    const dump = await dumpRedis(redis);
    redis.disconnect();
    const logs = hotline.captured.lines.join('\n');
    const secrets = [
      String(dana.id),
      String(arman.id),
      String(admin.id),
      String(reporter.id),
      'Dana',
      'Arman',
      'Bekov',
      'Aliya',
      'Gulnar',
      'dana_counsellor',
      'arman_k',
      'aliya_admin',
      'gulnar_b',
      'Преподаватель требует',
      'Мы получили ваше',
      'языковой вопрос',
      'знаю преподавателя',
    ];
    for (const secret of secrets) {
      expect(dump, `Redis holds ${secret}`).not.toContain(secret);
      expect(logs, `log holds ${secret}`).not.toContain(secret);
    }
    for (const name of ['escalate', 'staff-notice']) expect(dump).toContain(`tl:q:${name}`); // the scan covered job data
    expect(dump).toContain('tl:audit');
    expect(logs).toContain('"event":"case.assigned"');
    expect(logs).toContain('"event":"staff.command"');
  });
});

async function caseStatus(redis: Redis, caseId: string): Promise<string | null> {
  return redis.hget(`tl:case:${caseId}`, 'status');
}
