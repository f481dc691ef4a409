// Routing end to end: who gets a case, what happens off hours, and the SLA chain of
// delayed BullMQ jobs in a real Redis (promoted by the test instead of waited for).
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { newCaseCode, newCaseId, newCaseKey, reporterKeyOf, seal } from '../../src/crypto/index.js';
import { sealReturnAddress } from '../../src/cases/return-address.js';
import type { CaseId, Lang } from '../../src/shared/ids.js';
import { jobIds, queueNames } from '../../src/queue/jobs.js';
import { CaseLog } from '../../src/cases/case-log.js';
import { CaseStore } from '../../src/store/cases.js';
import { queuePrefix, redisKeys } from '../../src/store/redis-keys.js';
import { Queue } from 'bullmq';
import { almaty, caseField, delayedJob, mentions, promote, report, staffChat, TestClock, withQueue } from '../support/duty.js';
import { startHotline, type Hotline } from '../support/hotline.js';

let h: Hotline | undefined;
afterEach(async () => {
  if (process.env.DEBUG_LOG) for (const l of h?.captured.lines ?? []) if (/"level":(40|50|60)/.test(l)) console.error(l);
  await h?.stop();
  h = undefined;
});

const MIN = 60_000;

/** Dana (ru, kk) and Aida (kk) on weekdays 09-18, Arman (ru, en) every night 18-09. */
async function rota(clock: TestClock, env: Record<string, string> = {}) {
  const hotline = (h = await startHotline({ threading: 'topics', clock, env }));
  const chat = staffChat(hotline);
  const { admin, counsellor: dana } = hotline;
  const arman = hotline.api.addUser({ firstName: 'Arman', username: 'arman_k' });
  const aida = hotline.api.addUser({ firstName: 'Aida', username: 'aida_kz' });
  for (const u of [arman, aida]) hotline.api.addMember(hotline.staffGroup, u);
  for (const u of [dana, arman, aida]) chat.say(u, 'Сәлем');
  await chat.ask(admin, '/staff add @dana_counsellor ru,kk');
  await chat.ask(admin, '/staff add @arman_k ru,en');
  await chat.ask(admin, '/staff add @aida_kz kk');
  await chat.ask(admin, '/shift add @dana_counsellor mon-fri 09:00-18:00');
  await chat.ask(admin, '/shift add @aida_kz mon-fri 09:00-18:00');
  await chat.ask(admin, '/shift add @arman_k daily 18:00-09:00');
  return { hotline, chat, admin, dana, arman, aida };
}

const notice = (h: Hotline, thread: number, prefix: string, after = 0) =>
  h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.message_thread_id === thread && m.message_id > after && m.text!.startsWith(prefix)), {
    timeoutMs: 10_000,
  });

/** Waits for a condition in Redis (no fixed sleeps: checks every 25 ms, gives up after 10 s). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in 10 s');
}

async function waitCompleted(h: Hotline, queue: string, jobId: string): Promise<void> {
  await withQueue(h, queue, async (q) => {
    for (let i = 0; i < 400; i++) {
      // A done job is removed (its id stays known by a deduplication mark); a failed one is kept.
      const job = await q.getJob(jobId);
      if (!job || (await job.getState()) === 'completed') return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${jobId} did not complete`);
  });
}

/** A case as intake will open it, with the `urgent` flag the intake questionnaire sets. */
async function openUrgentCase(h: Hotline, user: { id: number }, lang: Lang, text: string): Promise<{ caseId: CaseId; code: string }> {
  const redis = new Redis(h.redis.url, { maxRetriesPerRequest: null });
  const store = new CaseStore(redis);
  const id = newCaseId();
  let code = newCaseCode();
  while (!(await store.reserveCode(code, id))) code = newCaseCode();
  await store.create({
    id,
    code,
    lang,
    channel: 'telegram',
    reporterKey: reporterKeyOf(h.keys.pepper, 'telegram', String(user.id)),
    sealedKey: seal(h.keys.staff.publicKey, newCaseKey()),
    returnAddress: sealReturnAddress(h.keys, { channel: 'telegram', address: String(user.id) }),
    createdAt: Date.now(),
  });
  await redis.hset(redisKeys.case(id), 'urgent', '1');
  await new CaseLog(store, h.keys).append((await store.get(id))!, 'in', { kind: 'text', text, at: Date.now() });
  const route = new Queue(queueNames.route, { connection: redis, prefix: queuePrefix });
  await route.add('route', { caseId: id }, { jobId: jobIds.route(id) });
  await route.close();
  redis.disconnect();
  return { caseId: id, code };
}

describe('routing a new case', () => {
  it('spreads cases over the least loaded, then round robin', async () => {
    const clock = new TestClock(almaty('2025-05-12T10:00'));
    const { hotline, dana, aida } = await rota(clock);
    const got: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await report(hotline, hotline.api.addUser({ firstName: `K${i}`, languageCode: 'kk' }), `мәселе ${i}`);
      const m = await notice(hotline, c.thread, '👤');
      got.push(mentions(m, dana) ? 'dana' : mentions(m, aida) ? 'aida' : '?');
    }
    // both speak Kazakh and start with no cases: one each, then the one assigned longer ago
    expect(new Set(got.slice(0, 2))).toEqual(new Set(['dana', 'aida']));
    expect(got[2]).toBe(got[0]);
  });

  it('off hours: tells the reporter when the next shift starts and where urgent help is, then routes at shift start', async () => {
    const clock = new TestClock(almaty('2025-05-17T12:00')); // Saturday: nobody until 18:00
    const { hotline, arman } = await rota(clock, { EMERGENCY_NUMBERS: '112,102,103,111,150,1414' });
    const reporter = hotline.api.addUser({ firstName: 'Night', languageCode: 'kk' });
    const c = await report(hotline, reporter, 'Жатақханада біреу қорқытып жүр');

    const told = await hotline.api.waitFor(() => hotline.api.messagesIn(reporter.id).find((m) => m.text?.startsWith('Қазір кезекші кеңесші жоқ')), {
      timeoutMs: 10_000,
    });
    expect(told.text).toMatch(/17 мамыр, сенбі, 18:00 GMT\+5/);
    expect(told.text).toContain('112');
    expect(told.text).toContain('1414'); // EMERGENCY_NUMBERS, as in the intake's texts
    expect(told.text).toContain('150');
    const receipt = hotline.api.messagesIn(reporter.id).findIndex((m) => m.text?.includes(c.code));
    expect(receipt).toBeGreaterThanOrEqual(0);
    expect(receipt).toBeLessThan(hotline.api.messagesIn(reporter.id).findIndex((m) => m.message_id === told.message_id)); // the receipt came first
    const waiting = await notice(hotline, c.thread, '🌙');
    expect(waiting.text).toMatch(/следующей смены \(сб, 17 мая 18:00\)/);

    const deferred = await delayedJob(hotline, queueNames.route, (j) => j.data.caseId === c.caseId);
    expect(deferred.opts.delay).toBe(6 * 60 * MIN);

    clock.set(almaty('2025-05-17T18:00'));
    await promote(hotline, queueNames.route, (j) => j.id === deferred.id);
    const assigned = await notice(hotline, c.thread, '👤', waiting.message_id);
    expect(mentions(assigned, arman)).toBe(true);
    expect(hotline.api.messagesIn(reporter.id).filter((m) => m.text?.startsWith('Қазір кезекші'))).toHaveLength(1);
  });

  it('off hours with a roster change: a shift added now routes the waiting case at once', async () => {
    const clock = new TestClock(almaty('2025-05-17T12:00'));
    const { hotline, chat, admin, aida } = await rota(clock);
    const c = await report(hotline, hotline.api.addUser({ firstName: 'W', languageCode: 'kk' }), 'көмек керек');
    const waiting = await notice(hotline, c.thread, '🌙');
    await chat.ask(admin, '/shift add @aida_kz sat 10:00-16:00');
    const assigned = await notice(hotline, c.thread, '👤', waiting.message_id);
    expect(mentions(assigned, aida)).toBe(true);
  });
});

describe('the acknowledgement SLA', () => {
  it('passes an unacknowledged case to the next on-duty counsellor, then to admins; the timers survive a restart', async () => {
    const clock = new TestClock(almaty('2025-05-12T10:00'));
    const { hotline, dana, aida, admin } = await rota(clock);
    const c = await report(hotline, hotline.api.addUser({ firstName: 'S', languageCode: 'ru' }), 'мне страшно идти на пары');
    const first = await notice(hotline, c.thread, '👤');
    expect(mentions(first, dana)).toBe(true); // speaks Russian; Aida does not

    const timer = await delayedJob(hotline, 'escalate', (j) => j.data.caseId === c.caseId);
    expect(timer.opts.delay).toBe(15 * MIN);
    await hotline.restart(); // the delayed job lives in Redis, not in the process
    clock.set(almaty('2025-05-12T10:15'));
    await promote(hotline, 'escalate', (j) => j.id === timer.id);
    const second = await notice(hotline, c.thread, '⏰');
    expect(second.text).toMatch(/Не подтверждено за 15 мин\. Теперь назначено: Aida/);
    expect(mentions(second, aida)).toBe(true);
    expect(await caseField(hotline, c.caseId, 'assignee')).not.toBeNull();

    const timer2 = await delayedJob(hotline, 'escalate', (j) => j.data.caseId === c.caseId && j.id !== timer.id);
    await promote(hotline, 'escalate', (j) => j.id === timer2.id);
    const third = await notice(hotline, c.thread, '⏰', second.message_id);
    expect(third.text).toMatch(/больше никто не дежурит/);
    expect(mentions(third, admin)).toBe(true);
    await waitCompleted(hotline, 'escalate', timer2.id!);
    await withQueue(hotline, 'escalate', async (q) => expect((await q.getDelayed()).filter((j) => j.data.caseId === c.caseId)).toEqual([]));
  });

  it('stops when the case is taken or answered', async () => {
    const clock = new TestClock(almaty('2025-05-12T10:00'));
    const { hotline, chat, dana } = await rota(clock);
    const taken = await report(hotline, hotline.api.addUser({ firstName: 'T', languageCode: 'ru' }), 'первое');
    await notice(hotline, taken.thread, '👤');
    expect((await chat.ask(dana, '/take', taken.thread)).text).toMatch(/Dana взял\(а\) обращение/);
    const answered = await report(hotline, hotline.api.addUser({ firstName: 'U', languageCode: 'kk' }), 'екінші');
    const assigned = await notice(hotline, answered.thread, '👤');
    const holder = (assigned.entities!.find((e) => e.type === 'text_mention') as { user: { id: number } }).user;
    chat.say(holder, 'Сәлеметсіз бе, мен сізбен', answered.thread);
    await eventually(async () => (await caseField(hotline, answered.caseId, 'ackAt')) !== null);
    for (const c of [taken, answered]) {
      const timer = await promote(hotline, 'escalate', (j) => j.data.caseId === c.caseId);
      await waitCompleted(hotline, 'escalate', timer.id!);
      expect(hotline.api.messagesIn(hotline.staffGroup.id).filter((m) => m.message_thread_id === c.thread && m.text!.startsWith('⏰'))).toEqual([]);
      expect(await caseField(hotline, c.caseId, 'status')).toBe('acknowledged');
    }
  });

  it('urgent: mentions everyone on duty and the escalation contacts at once, and escalates after 5 minutes', async () => {
    const clock = new TestClock(almaty('2025-05-12T10:00'));
    const { hotline, dana, aida, admin } = await rota(clock);
    const reporter = hotline.api.addUser({ firstName: 'Urgent', languageCode: 'kk' });
    const c = await openUrgentCase(hotline, reporter, 'kk', 'ол қазір есік алдында тұр');
    const topic = await hotline.api.waitFor(() => hotline.api.topics(hotline.staffGroup.id).find((t) => t.name.includes(c.code)), { timeoutMs: 10_000 });
    const alarm = await notice(hotline, topic.message_thread_id, '🚨');
    for (const person of [dana, aida, admin]) expect(mentions(alarm, person), String(person.id)).toBe(true);
    const timer = await delayedJob(hotline, 'escalate', (j) => j.data.caseId === c.caseId);
    expect(timer.opts.delay).toBe(5 * MIN);
  });

  it('a case that turns urgent after it was assigned: everyone on duty hears it at once, and the urgent SLA starts', async () => {
    const clock = new TestClock(almaty('2025-05-12T10:00'));
    const { hotline, dana, aida } = await rota(clock);
    const reporter = hotline.api.addUser({ firstName: 'Later', languageCode: 'ru' });
    const c = await report(hotline, reporter, 'Преподаватель пишет мне по ночам');
    const assigned = await notice(hotline, c.thread, '👤');
    expect(mentions(assigned, dana)).toBe(true); // Russian: Dana, not Aida
    const ordinary = await delayedJob(hotline, 'escalate', (j) => j.data.caseId === c.caseId);
    expect(ordinary.opts.delay).toBe(15 * MIN);

    hotline.api.sendPrivate(reporter, 'Он сказал, что убьет меня');
    const alarm = await hotline.api.waitFor(
      () => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.message_thread_id === c.thread && m.text!.startsWith('🚨') && mentions(m, aida)),
      { timeoutMs: 10_000, label: 'the urgent notice' },
    );
    expect(alarm.text).toMatch(/Теперь срочно: все дежурные[\s\S]*ответьте в течение 5 мин/);
    expect(mentions(alarm, dana)).toBe(true);
    const urgent = await delayedJob(hotline, 'escalate', (j) => j.data.caseId === c.caseId && String(j.id).endsWith('.urgent'));
    expect(urgent.opts.delay).toBe(5 * MIN);

    // Five minutes without an answer: the case passes on, and the ordinary timer finds nothing left to do.
    clock.set(almaty('2025-05-12T10:05'));
    await promote(hotline, 'escalate', (j) => j.id === urgent.id);
    const passed = await notice(hotline, c.thread, '⏰', alarm.message_id);
    expect(mentions(passed, aida)).toBe(true);
  });

  it('urgent off hours: the escalation contacts are called at once', async () => {
    const clock = new TestClock(almaty('2025-05-17T12:00'));
    const { hotline, chat, admin, arman } = await rota(clock);
    await chat.ask(admin, '/staff add @arman_k ru,en escalation');
    const c = await openUrgentCase(hotline, hotline.api.addUser({ firstName: 'U2', languageCode: 'ru' }), 'ru', 'мне угрожают прямо сейчас');
    const topic = await hotline.api.waitFor(() => hotline.api.topics(hotline.staffGroup.id).find((t) => t.name.includes(c.code)), { timeoutMs: 10_000 });
    const waiting = await notice(hotline, topic.message_thread_id, '🌙');
    expect(waiting.text).toMatch(/🚨 Срочно: Arman/);
    expect(mentions(waiting, arman)).toBe(true);
  });
});
