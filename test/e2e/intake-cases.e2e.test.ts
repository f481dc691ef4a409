// The intake's promises around a case: urgent help at once, evidence limits, the
// receipt and /resume with attempt limiting, /status, /withdraw, /forget (crypto-
// shredding), and reminding then expiring an abandoned conversation.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseLog } from '../../src/cases/case-log.js';
import { CaseStore } from '../../src/store/cases.js';
import type { CaseId } from '../../src/shared/ids.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { botSays, fileReport, tap, write } from '../support/intake-driver.js';
import { dumpRedis } from '../support/redis.js';

let h: Hotline | undefined;
let redis: Redis | undefined;
afterEach(async () => {
  redis?.disconnect();
  await h?.stop();
  h = undefined;
  redis = undefined;
});

async function hotline(env: Record<string, string> = {}): Promise<{ h: Hotline; redis: Redis }> {
  h = await startHotline({ threading: 'topics', env });
  redis = new Redis(h.redis.url);
  return { h, redis };
}
const staffTexts = (h: Hotline) => h.api.messagesIn(h.staffGroup.id).map((m) => m.text ?? m.caption ?? '');

describe('urgent', () => {
  it('"I am in danger" gives emergency numbers at once and puts the case before staff before the questions end', async () => {
    const { h, redis } = await hotline();
    const user = h.api.addUser({ firstName: 'U', languageCode: 'en' });
    h.api.sendPrivate(user, '/start');
    await tap(h.api, user, 'language', 'en');
    await tap(h.api, user, 'consent', 'continue');
    await tap(h.api, user, 'way', 'report');
    const since = h.api.messagesIn(user.id).length;
    await tap(h.api, user, 'danger', 'yes');
    const alert = await botSays(h.api, user, 'If you are in danger right now', since);
    for (const line of ['112: unified emergency service', '102: police', '103: ambulance', '111: contact centre', '150: helpline'])
      expect(alert.text).toContain(line);
    const opened = await botSays(h.api, user, 'Your case code is', since);
    const code = /([0-9A-Z]{3}-[0-9A-Z]{3})/.exec(opened.text!)![1]!;
    // staff have it now, flagged, before any other answer
    const early = await h.api.waitFor(() => staffTexts(h).find((t) => t.startsWith('🚨')), { timeoutMs: 10_000 });
    expect(early).toContain(code);
    expect(early).toContain('пока не законченное');
    const caseId = (await redis.get(`tl:code:${code}`))!;
    expect(await redis.hget(`tl:case:${caseId}`, 'urgent')).toBe('1');
    const urgentLogged = h.captured.records().some((r) => r.event === 'case.urgent');
    expect(urgentLogged).toBe(true);

    // the questions go on; the full report joins the same case
    await tap(h.api, user, 'category', 'violence');
    await tap(h.api, user, 'about-staff', 'no');
    await tap(h.api, user, 'affected', 'me');
    await tap(h.api, user, 'when', 'today');
    await tap(h.api, user, 'where', 'dormitory');
    await tap(h.api, user, 'ongoing', 'yes');
    await botSays(h.api, user, 'describe what happened');
    // with the case open, what they write goes to staff at once (urgent-intake.e2e covers this path)
    h.api.sendPrivate(user, 'He is outside my room now.');
    await h.api.waitFor(() => staffTexts(h).includes('He is outside my room now.'), { timeoutMs: 10_000 });
    await tap(h.api, user, 'account', 'done');
    await tap(h.api, user, 'evidence', 'done');
    await tap(h.api, user, 'contact', 'anonymous');
    await tap(h.api, user, 'review', 'send');
    const receipt = await botSays(h.api, user, 'Your report was sent');
    expect(receipt.text).toContain(code);
    const full = await h.api.waitFor(() => staffTexts(h).find((t) => t.startsWith('🚨 СРОЧНО · Обращение ·')), { timeoutMs: 10_000 });
    expect(full).toContain('Гендерное насилие');
    expect(h.api.topics(h.staffGroup.id)).toHaveLength(1);
    expect(await redis.hget(`tl:case:${caseId}`, 'category')).toBe('violence');
  });

  it('risk words in any message, in any language, make the case urgent and bring the numbers', async () => {
    const { h, redis } = await hotline();
    // the very first message
    const first = h.api.addUser({ firstName: 'F', languageCode: 'ru' });
    h.api.sendPrivate(first, 'он сказал, что убьёт меня');
    await botSays(h.api, first, '112: единая служба спасения');
    await botSays(h.api, first, 'Выберите язык');
    const early = await h.api.waitFor(() => staffTexts(h).find((t) => t.startsWith('🚨')), { timeoutMs: 10_000 });
    expect(early).toContain('• он сказал, что убьёт меня');

    // after the report, in Kazakh
    const later = h.api.addUser({ firstName: 'L', languageCode: 'kk' });
    const { code } = await fileReport(h.api, later);
    const caseId = (await redis.get(`tl:code:${code}`))!;
    expect(await redis.hget(`tl:case:${caseId}`, 'urgent')).toBe('0');
    h.api.sendPrivate(later, 'Ол мені өлтіремін деді');
    await botSays(h.api, later, '112: бірыңғай құтқару қызметі');
    await h.api.waitFor(() => staffTexts(h).find((t) => t.startsWith('🚨 Теперь срочно')), { timeoutMs: 10_000 });
    await h.api.waitFor(() => staffTexts(h).includes('Ол мені өлтіремін деді'), { timeoutMs: 10_000 });
    expect(await redis.hget(`tl:case:${caseId}`, 'urgent')).toBe('1');
    // the numbers are repeated, but not on every message
    const told = h.api.messagesIn(later.id).length;
    const count = () =>
      h.api
        .messagesIn(later.id)
        .slice(told - 1)
        .filter((m) => m.text?.includes('112:')).length;
    h.api.sendPrivate(later, 'ол мені өлтіреді');
    await h.api.waitFor(() => staffTexts(h).includes('ол мені өлтіреді'), { timeoutMs: 10_000 });
    expect(count()).toBe(1);
    // the words that raised the alarm are in no log line and nowhere in Redis in clear
    const dump = await dumpRedis(redis);
    for (const secret of ['убьёт меня', 'өлтіремін', 'өлтіреді']) {
      expect(dump).not.toContain(secret);
      expect(h.captured.lines.join('\n')).not.toContain(secret);
    }
  });
});

describe('evidence limits', () => {
  it('refuses a file over the size limit and more files than allowed, clearly, losing nothing else', async () => {
    const { h } = await hotline({ EVIDENCE_MAX_BYTES: '10KB', EVIDENCE_MAX_FILES: '1' });
    const user = h.api.addUser({ firstName: 'E', languageCode: 'en' });
    h.api.sendPrivate(user, '/start');
    for (const [step, value] of [
      ['language', 'en'],
      ['consent', 'continue'],
      ['way', 'report'],
      ['danger', 'no'],
      ['category', 'bullying'],
      ['about-staff', 'no'],
      ['affected', 'me'],
      ['when', 'week'],
      ['where', 'campus'],
      ['ongoing', 'yes'],
    ] as const) {
      await tap(h.api, user, step, value);
    }
    await botSays(h.api, user, 'describe what happened');
    h.api.sendPrivate(user, 'They post my photos.');
    await tap(h.api, user, 'account', 'done');
    await botSays(h.api, user, 'up to 1 files, each up to 10 KB');
    h.api.sendPrivateMessage(user, { document: { file_name: 'video.mp4', file_size: 50_000 }, caption: 'the big one' });
    const refused = await botSays(h.api, user, 'too big');
    expect(refused.text).toContain('(49 KB); the limit is 10 KB');
    // a file Telegram itself will not hand over (over 20 MB) gets the same clear answer
    h.api.sendPrivateMessage(user, { video: { file_size: 25 * 1024 * 1024 } });
    await h.api.waitFor(() => h.api.messagesIn(user.id).filter((m) => m.text?.includes('too big')).length === 2, { timeoutMs: 10_000 });
    h.api.sendPrivateMessage(user, { photo: [{ width: 90, height: 90, file_size: 4_000 }] });
    await botSays(h.api, user, '(1 of 1)');
    h.api.sendPrivateMessage(user, { voice: { file_size: 1_000 } });
    await botSays(h.api, user, 'can hold 1 files');
    await tap(h.api, user, 'evidence', 'done');
    await tap(h.api, user, 'contact', 'anonymous');
    const review = await botSays(h.api, user, 'Please check your report');
    expect(review.text).toContain('Evidence: 1 file');
    expect(review.text).toContain('• the big one'); // the caption of the refused file is kept
    await tap(h.api, user, 'review', 'send');
    await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).some((m) => m.photo), { timeoutMs: 10_000 });
    expect(h.api.messagesIn(h.staffGroup.id).filter((m) => m.photo || m.document || m.voice || m.video)).toHaveLength(1);
  });
});

describe('the receipt and /resume', () => {
  it('moves a case to another account with the code and phrase; guessing is limited per account, never locking the case', async () => {
    const { h, redis } = await hotline({ RESUME_MAX_ATTEMPTS: '3' });
    const owner = h.api.addUser({ firstName: 'Owner', languageCode: 'ru' });
    const { code, passphrase } = await fileReport(h.api, owner, { account: ['первое обращение'] });

    // someone guessing
    const guesser = h.api.addUser({ firstName: 'Guess', languageCode: 'en' });
    expect((await write(h.api, guesser, `/resume ${code} apple river cloud lamp`, 'not right')).text).toContain('Attempts left this hour: 2');
    expect((await write(h.api, guesser, `/resume ${code} apple river cloud lake`, 'not right')).text).toContain('Attempts left this hour: 1');
    await write(h.api, guesser, `/resume ${code} apple river cloud lime`, 'Too many attempts');
    await write(h.api, guesser, `/resume ${code} ${passphrase}`, 'Too many attempts'); // this account is out of tries, even with the right phrase
    // the case itself is not locked: its reporter, from another account, gets in
    const late = h.api.addUser({ firstName: 'Late', languageCode: 'en' });
    expect((await write(h.api, late, `/resume ${code} ${passphrase}`, 'Welcome back')).text).toContain(code);

    // another case, resumed properly, by the two-step way
    const before = h.api.addUser({ firstName: 'Before', languageCode: 'ru' });
    const second = await fileReport(h.api, before, { account: ['второе обращение'] });
    const posted = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.includes('второе обращение')), { timeoutMs: 10_000 });
    const after = h.api.addUser({ firstName: 'After', languageCode: 'ru' });
    await write(h.api, after, '/resume', 'отправьте код обращения и секретную фразу');
    const welcome = await write(h.api, after, `${second.code.toLowerCase().replace('-', ' ')} ${second.passphrase.toUpperCase()}`, 'С возвращением');
    expect(welcome.text).toContain(second.code);
    await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).some((m) => m.text?.startsWith('🔁')), { timeoutMs: 10_000 });

    // answers now reach the new account only; the old one starts afresh
    h.api.sendGroup(h.staffGroup, h.counsellor, 'Мы получили, спасибо', { threadId: posted.message_thread_id! });
    await botSays(h.api, after, 'Мы получили, спасибо');
    expect(h.api.messagesIn(before.id).some((m) => m.text?.includes('Мы получили'))).toBe(false);
    await write(h.api, before, 'алло?', 'Выберите язык');
    h.api.sendPrivate(after, 'я снова здесь');
    await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).some((m) => m.text === 'я снова здесь'), { timeoutMs: 10_000 });

    const dump = await dumpRedis(redis);
    for (const secret of [passphrase, second.passphrase]) {
      expect(dump).not.toContain(secret);
      expect(h.captured.lines.join('\n')).not.toContain(secret);
    }
    expect(h.captured.records().filter((r) => r.event === 'resume.failed')).toHaveLength(3);
  });

  it('100 wrong tries from other accounts do not stop the real reporter', async () => {
    const { h } = await hotline();
    const owner = h.api.addUser({ firstName: 'Owner', languageCode: 'en' });
    const { code, passphrase } = await fileReport(h.api, owner, { lang: 'en' });
    const guessers = Array.from({ length: 100 }, (_, i) => h.api.addUser({ firstName: `G${i}`, languageCode: 'en' }));
    for (const [i, g] of guessers.entries()) h.api.sendPrivate(g, `/resume ${code} wrong words number ${'abcdefghij'[i % 10]}`);
    // each is answered: wrong, or (past the service-wide rate) asked to try again shortly
    await h.api.waitFor(() => guessers.every((g) => h.api.messagesIn(g.id).some((m) => /not right|try again in a minute/.test(m.text ?? ''))), {
      timeoutMs: 60_000,
      label: 'every guess answered',
    });
    expect(h.captured.records().filter((r) => r.event === 'resume.failed').length).toBeGreaterThan(0);
    // the reporter, on a new phone, gets in (after a minute's pause at most, if the rate was spent)
    const phone = h.api.addUser({ firstName: 'NewPhone', languageCode: 'en' });
    let welcome: string | undefined;
    for (let tries = 0; !welcome && tries < 10; tries++) {
      const since = h.api.messagesIn(phone.id).length;
      h.api.sendPrivate(phone, `/resume ${code} ${passphrase}`);
      const answer = (await botSays(h.api, phone, /Welcome back|try again in a minute/, since)).text ?? '';
      if (answer.startsWith('Welcome back')) welcome = answer;
      else await new Promise((r) => setTimeout(r, 1_100)); // the next second has fresh derivations
    }
    expect(welcome).toContain(code);
  }, 90_000);
});

describe('after the report', () => {
  it('/status tells where the case is; /withdraw closes it and tells staff', async () => {
    const { h, redis } = await hotline();
    const user = h.api.addUser({ firstName: 'S', languageCode: 'en' });
    const { code } = await fileReport(h.api, user, { account: ['please look into it'] });
    expect((await write(h.api, user, '/status', code)).text).toContain('received, waiting for a counsellor');
    const posted = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.includes('please look into it')), { timeoutMs: 10_000 });
    h.api.sendGroup(h.staffGroup, h.counsellor, 'We are on it', { threadId: posted.message_thread_id! });
    await botSays(h.api, user, 'We are on it');
    expect((await write(h.api, user, '/status', code)).text).toContain('Answers from the counsellor so far: 1');
    expect((await write(h.api, user, '/cancel', code)).text).toContain('already been sent');

    await write(h.api, user, '/withdraw', `Withdraw case ${code}?`);
    await tap(h.api, user, 'confirm-withdraw', 'no');
    await botSays(h.api, user, `Your case is ${code}`);
    const caseId = (await redis.get(`tl:code:${code}`))!;
    await expect.poll(() => holdersOf(redis, caseId)).toHaveLength(1); // counts in its counsellor's load
    await write(h.api, user, '/withdraw', `Withdraw case ${code}?`);
    await tap(h.api, user, 'confirm-withdraw', 'yes');
    await botSays(h.api, user, 'is withdrawn and closed');
    await h.api.waitFor(() => staffTexts(h).some((t) => t.startsWith('↩️')), { timeoutMs: 10_000 });
    expect(await holdersOf(redis, caseId)).toEqual([]); // and no longer does
    expect(await redis.hget(`tl:case:${caseId}`, 'status')).toBe('withdrawn');
    expect(Number(await redis.hget(`tl:case:${caseId}`, 'closedAt'))).toBeGreaterThan(0); // the retention clock runs
    await write(h.api, user, 'one more thing', 'Choose your language'); // a new report starts
  });

  it('/forget erases the case for good after confirmation: no key, no content, staff told', async () => {
    const { h, redis } = await hotline();
    const user = h.api.addUser({ firstName: 'Forget', languageCode: 'kk' });
    const { code } = await fileReport(h.api, user, { account: ['менің атымды ешкім білмесін'] });
    await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.includes('менің атымды')), { timeoutMs: 10_000 });
    h.api.sendPrivate(user, 'тағы бір нәрсе');
    await h.api.waitFor(() => staffTexts(h).includes('тағы бір нәрсе'), { timeoutMs: 10_000 });
    const caseId = (await redis.get(`tl:code:${code}`))! as CaseId;
    const store = new CaseStore(redis);
    const record = (await store.get(caseId))!;
    const caseLog = new CaseLog(store, h.keys);
    expect((await caseLog.read(record, caseLog.caseKey(record), 'in', 2))?.entry).toMatchObject({ text: 'тағы бір нәрсе' });

    await expect.poll(() => holdersOf(redis, caseId)).toHaveLength(1);
    await write(h.api, user, '/forget', 'біржола өшіреміз бе');
    await tap(h.api, user, 'confirm-forget', 'yes');
    await botSays(h.api, user, 'өшірілді: оның кілті жойылды');
    expect(await holdersOf(redis, caseId)).toEqual([]);
    await h.api.waitFor(() => staffTexts(h).some((t) => t.startsWith('🗑') && t.includes(code)), { timeoutMs: 10_000 });
    // its topic left the staff chat with everything in it (staff-erasure.e2e covers this in full)
    expect(h.api.topics(h.staffGroup.id)).toEqual([]);
    expect(h.api.allMessagesIn(h.staffGroup.id).some((m) => (m.text ?? '').includes('менің атымды'))).toBe(false);

    // the sealed case key and every message are gone: the old ciphertext could not be opened even if it were kept
    const hash = await redis.hgetallBuffer(`tl:case:${caseId}`);
    expect(hash.sealedKey).toBeUndefined();
    expect(hash.returnAddress).toBeUndefined();
    expect(hash.passHash).toBeUndefined();
    expect(hash.status?.toString()).toBe('withdrawn');
    expect(await redis.exists(`tl:case:${caseId}:m`)).toBe(0);
    expect(await store.get(caseId)).toBeUndefined();
    expect(() => caseLog.caseKey({ sealedKey: hash.sealedKey as unknown as Buffer })).toThrow();
    // and the account starts afresh
    await write(h.api, user, 'сәлем', 'Тілді таңдаңыз');
  });
});

describe('an abandoned conversation', () => {
  it('is reminded once, with the question as a numbered menu, then expires; nothing reaches staff', async () => {
    const { h, redis } = await hotline({ INTAKE_REMIND_AFTER: '1s', INTAKE_EXPIRE_AFTER: '3s' });
    const user = h.api.addUser({ firstName: 'Away', languageCode: 'ru' });
    h.api.sendPrivate(user, '/start');
    await tap(h.api, user, 'language', 'ru');
    await tap(h.api, user, 'consent', 'continue');
    await tap(h.api, user, 'way', 'report');
    await botSays(h.api, user, 'Вы сейчас в опасности');
    const reminder = await botSays(h.api, user, 'не закончили', 0, 10_000);
    expect(reminder.text).toContain('Вы сейчас в опасности?\n\n1. Да, я в опасности\n2. Нет\nОтветьте номером.');
    const expired = await botSays(h.api, user, 'незаконченное обращение удалено', 0, 10_000);
    expect(expired).toBeDefined();
    expect(h.api.messagesIn(user.id).filter((m) => m.text?.includes('не закончили'))).toHaveLength(1);
    expect(await redis.keys('tl:conv:*')).toEqual([]);
    expect(h.api.messagesIn(h.staffGroup.id)).toHaveLength(0);
  });

  it('that was active is reminded later, and answering the reminder by number works', async () => {
    const { h } = await hotline({ INTAKE_REMIND_AFTER: '1500ms', INTAKE_EXPIRE_AFTER: '20s' });
    const user = h.api.addUser({ firstName: 'Slow', languageCode: 'en' });
    h.api.sendPrivate(user, '/start');
    await tap(h.api, user, 'language', 'en');
    await new Promise((r) => setTimeout(r, 1_000));
    await tap(h.api, user, 'consent', 'continue'); // active again: no reminder 1.5 s after the start
    await tap(h.api, user, 'way', 'report');
    await botSays(h.api, user, 'Are you in danger');
    const sentAt = Date.now();
    await botSays(h.api, user, 'have not finished', 0, 10_000);
    expect(Date.now() - sentAt).toBeGreaterThan(1_000);
    await write(h.api, user, '2', 'What happened?'); // "2. No" from the numbered menu
  });
});

/** The counsellors whose load (open cases) counts this case. */
async function holdersOf(redis: Redis, caseId: string): Promise<string[]> {
  const held: string[] = [];
  for (const key of await redis.keys('tl:duty:open:*')) if (await redis.sismember(key, caseId)) held.push(key);
  return held;
}
