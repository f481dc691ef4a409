// WhatsApp trust lines end to end: a fake WhatsApp (same events and shapes as
// whatsapp-web.js) -> the intake conversation, answered by typing the numbers of its
// text menus -> real Redis and BullMQ -> the staff chat on the local Bot API server ->
// a counsellor's answer -> out through the line the case came in on.
import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/i18n.js';
import { reporterKeyOf } from '../../src/crypto/index.js';
import { renderAsText } from '../../src/flows/reply.js';
import { loadRights } from '../../src/rights/index.js';
import { samples } from '../../src/sandbox/bot-api/index.js';
import { FakeWhatsApp, until } from '../support/fake-whatsapp.js';
import type { Hotline } from '../support/hotline.js';
import { fileReport } from '../support/intake-driver.js';
import { fixture, identifyingTags } from '../support/metadata.js';
import { dumpRedis } from '../support/redis.js';
import { tone } from '../support/sound.js';
import { startWhatsAppHotline } from '../support/whatsapp-hotline.js';
import { answerUpToEvidence, fileReportOnWhatsApp, finishFromEvidence, MENU, WhatsAppTyper, type ReportOptions } from '../support/whatsapp-intake.js';

const fake = new FakeWhatsApp();
const rights = loadRights({ emergencyNumbers: ['112'] });
/** Everything of reporters that must never reach Redis, logs or staff. */
const identities: string[] = [];
const contents: string[] = [];
let h: Hotline;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ h, cleanup } = await startWhatsAppHotline(fake, { lines: ['line1', 'line2'] }));
});

afterAll(async () => {
  await h.stop();
  await cleanup();
});

let people = 0;
let reports = 0;
/** A new reporter's WhatsApp id; the number is recorded for the privacy scan. */
function person(server: 'c.us' | 'lid' = 'c.us'): string {
  const number = `7701${String(5550000 + ++people)}`;
  identities.push(number);
  return `${number}@${server}`;
}
function say(line: string, jid: string, text: string) {
  contents.push(text);
  return fake.write(line, jid, text);
}
const staffTexts = () => h.api.messagesIn(h.staffGroup.id).map((m) => m.text ?? '');
const staffPost = (text: string) =>
  h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.includes(text)), { timeoutMs: 10_000, label: text });
const sentTo = (line: string, jid: string) => fake.sentTo(line, jid);
/**
 * A whole report typed on WhatsApp, `first` opening the conversation; what the reporter
 * wrote and their receipt phrase go on the privacy scan's list.
 */
async function report(line: string, jid: string, first: string, o: Partial<ReportOptions> & { written?: number } = {}) {
  const { written, ...rest } = o;
  const account = o.account ?? [`Это повторяется снова и снова, отчёт ${++reports}`];
  contents.push(first, ...account);
  // `written`: `first` was already written (while the line was down); take it up from its answer
  const opening = written === undefined ? { first } : { written };
  const filed = await fileReportOnWhatsApp(fake, line, jid, { lang: 'ru', ...rest, account, ...opening });
  contents.push(filed.passphrase);
  return filed;
}
function answer(thread: number, text: string) {
  contents.push(text);
  h.api.sendGroup(h.staffGroup, h.counsellor, text, { threadId: thread });
}

describe('WhatsApp trust lines', () => {
  it('reporter -> staff under a pseudonym -> counsellor answer -> back out of the same line', async () => {
    const jid = person();
    const { code, conversation } = await report('line1', jid, 'Мой руководитель угрожает мне плохими оценками');
    // Russian: WhatsApp tells no language. The first message is kept, then every question
    // comes as a numbered menu in one text, the language question first.
    expect(conversation[0]).toBe(t('ru', 'noted'));
    expect(conversation[1]!.split('\n')[0]).toBe('Выберите язык:');
    const questions = conversation.slice(1, -1);
    expect(questions.length).toBeGreaterThanOrEqual(12);
    for (const q of questions) expect(q, q).toMatch(MENU);
    expect(questions.find((q) => q.startsWith('Что произошло'))).toMatch(/^3\. Травля среди студентов$/m);
    expect(conversation.at(-1)).toContain('Код обращения');
    // the conversation's reminder timer went with it
    const client = await redisClient();
    expect(await client.keys('tl:q:intake-timer-whatsapp:intake.*')).toEqual([]);
    client.disconnect();

    const posted = await staffPost('угрожает мне плохими оценками');
    expect(staffTexts().find((t) => t.includes(code) && t.includes('WhatsApp'))).toBeDefined();
    expect(posted.message_thread_id).toBeDefined();

    answer(posted.message_thread_id!, 'Мы с вами. Вы в безопасности сейчас?');
    const delivered = await until(() => sentTo('line1', jid).find((t) => t.includes('Мы с вами')), { label: 'answer on line1' });
    expect(delivered.split('\n')[0]).toBe(t('ru', 'counsellor-says'));
    expect(sentTo('line2', jid)).toEqual([]);

    // A counsellor's PDF goes out of the same line, cleaned of its author, under a neutral name.
    h.api.sendGroupFile(
      h.staffGroup,
      h.counsellor,
      'document',
      fixture('author.pdf'),
      { file_name: 'Дана_памятка.pdf', mime_type: 'application/pdf', caption: 'Памятка' },
      { threadId: posted.message_thread_id! },
    );
    const file = await until(() => fake.line('line1').sent.find((m) => m.chatId === jid && m.media), { label: 'the file on line1' });
    expect(file.media).toMatchObject({ mimetype: 'application/pdf', filename: 'document.pdf' });
    expect(file.text).toBe(`${t('ru', 'counsellor-says')}\nПамятка`);
    expect(await identifyingTags(Buffer.from(file.media!.data, 'base64'), 'pdf')).toEqual({});

    // a later message joins the case with a quiet reaction, and the chat is marked read
    const later = say('line1', jid, 'Да, я дома');
    await staffPost('Да, я дома');
    await until(() => fake.line('line1').reactions.some((r) => r.messageId === later.id._serialized), { label: 'reaction' });
    expect(fake.line('line1').conversation(jid).unread).toBe(0);
  });

  it('runs two numbers at once; each case answers from the number it came through', async () => {
    const a = person();
    const b = person('lid');
    // both conversations at once, one on each number
    const [, { code: codeB, conversation }] = await Promise.all([
      report('line1', a, 'Пишу на первую линию'),
      report('line2', b, 'Writing to the second line about my supervisor', { lang: 'en', account: ['My supervisor keeps shouting at me.'] }),
    ]);
    expect(conversation[1]!.split('\n')[0]).toBe('Choose your language:'); // English text, English questions
    expect(conversation.at(-1)).toContain('Case code');
    expect(sentTo('line1', b)).toEqual([]);
    expect(sentTo('line2', a)).toEqual([]);

    const postedB = await staffPost('second line about my supervisor');
    answer(postedB.message_thread_id!, 'Thank you for telling us. We will help.');
    await until(() => sentTo('line2', b).some((t) => t.includes('We will help')), { label: 'answer on line2' });
    expect(fake.line('line1').sent.some((m) => m.text.includes('We will help'))).toBe(false);
    expect(staffTexts().some((t) => t.includes(codeB))).toBe(true);
  });

  it('ignores groups, status broadcasts, channels and its own messages', async () => {
    const client = await redisClient();
    const cases = async () => (await client.keys('tl:case:*')).filter((k) => !k.endsWith(':m') && !k.endsWith(':f')).length;
    const conversations = async () => (await client.keys('tl:conv:*')).filter((k) => !k.endsWith(':files')).length;
    const casesBefore = await cases();
    const conversationsBefore = await conversations();
    say('line1', '120363025246125486@g.us', 'в группе: кто-то обсуждает');
    say('line1', 'status@broadcast', 'статус: новая фотография');
    say('line1', '120363170051281234@newsletter', 'канал: новости университета');
    const own = fake.write('line1', person(), 'сообщение от самой линии');
    Object.assign(own, { fromMe: true, id: { ...own.id, fromMe: true } });
    fake.line('line1').client!.emit('message', own);

    // a real message afterwards proves the line kept working and the others were dropped, not delayed
    const jid = person();
    await report('line1', jid, 'контрольное сообщение');
    await staffPost('контрольное сообщение');
    expect(staffTexts().some((t) => /в группе|статус:|канал:|самой линии/.test(t))).toBe(false);
    expect((await cases()) - casesBefore).toBe(1); // only the control report opened a case
    // and no questions were started for the others (the one left is the control reporter's, about quiet hours)
    expect(await conversations()).toBe(conversationsBefore + 1);
    const repliedTo = new Set(fake.line('line1').sent.map((m) => m.chatId));
    for (const chat of ['120363025246125486@g.us', 'status@broadcast', '120363170051281234@newsletter']) expect(repliedTo.has(chat)).toBe(false);
    client.disconnect();
  });

  it('takes photos, voice notes and files as encrypted evidence, cleaned of what they say about the reporter, before and after the report', async () => {
    const jid = person();
    const r = new WhatsAppTyper(fake, 'line1', jid);
    const greeting = 'Сәлеметсіз бе, маған көмек керек';
    const account = ['Топтағы бір студент мені күнде мазақ етеді.'];
    contents.push(greeting, ...account);
    fake.write('line1', jid, greeting);
    const [noted, language] = await r.question(0, 'the language question');
    expect(noted).toBe(t('kk', 'noted'));
    expect(language!.split('\n')[0]).toBe('Тілді таңдаңыз:'); // Kazakh letters -> Kazakh
    await answerUpToEvidence(r, { lang: 'kk', account });
    // A photo with the phone's GPS position, model and owner in it, named after her.
    const jpeg = fixture('gps-exif.jpg');
    const media = { mimetype: 'image/jpeg', data: jpeg.toString('base64'), filename: 'Aigerim_screenshot.jpg' };
    contents.push(jpeg.subarray(0, 200).toString('latin1'), 'Aigerim_screenshot'); // neither the bytes as sent nor the name is kept
    contents.push('чаттағы қорқытулардың скриншоты');
    const since = r.texts().length;
    fake.write('line1', jid, 'чаттағы қорқытулардың скриншоты', { type: 'image', media });
    const [told, taken] = await r.question(since, 'the evidence question again');
    // Told once what cleaning removes, and what a screenshot still shows.
    expect(told).toBe(t('kk', 'evidence-cleaned'));
    expect(taken).toMatch(/^Файл қабылданды және шифрланды \(1 \/ 10\)/);
    expect(taken).toMatch(/^1\. Жалғастыру$/m);
    const { code, passphrase } = await finishFromEvidence(r);
    contents.push(passphrase);
    expect(r.texts().at(-1)).toContain('Өтініш коды');
    const filed = await staffPost(code + '\n'); // the report's post starts "📋 … · CODE"
    expect(filed.text).toContain('Доказательства: 1');
    // the photo itself reaches the case topic, decrypted only there
    const photos = () => h.api.callsTo('sendPhoto').filter((c) => String(c.params.chat_id) === String(h.staffGroup.id)); // multipart: ids arrive as text
    await h.api.waitFor(() => photos().length >= 1, { timeoutMs: 10_000, label: 'the photo in the staff chat' });
    expect(photos()[0]!.params.caption).toContain('чаттағы қорқытулардың скриншоты');
    const posted = h.api.messagesIn(h.staffGroup.id).find((m) => m.photo)!;
    expect(await identifyingTags(h.api.fileContent(posted.photo!.at(-1)!.file_id)!, 'jpg')).toEqual({});

    // after the report: each piece of media is passed on too, the reporter told so
    const after = r.texts().length;
    fake.write('line1', jid, '', { type: 'ptt', media: { mimetype: 'audio/ogg; codecs=opus', data: samples.ogg().toString('base64') } });
    // A PDF with its author and a DOCX with its creator, named after her: what staff get says neither.
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    contents.push('Aigerim_akt', 'Aigerim statement');
    fake.write('line1', jid, '', {
      type: 'document',
      media: { mimetype: 'application/pdf', data: fixture('author.pdf').toString('base64'), filename: 'Aigerim_akt.pdf' },
    });
    fake.write('line1', jid, '', {
      type: 'document',
      media: { mimetype: docx, data: fixture('creator.docx').toString('base64'), filename: 'Aigerim statement.docx' },
    });
    // a sticker is still not evidence: said so, and staff told what it was
    fake.write('line1', jid, '', { type: 'sticker', media: { mimetype: 'image/webp', data: 'UklGRg==' } });
    const answers = () => r.texts().slice(after);
    await until(
      () => answers().filter((a) => a === t('kk', 'file-passed-on')).length >= 3 && answers().includes(t('kk', 'evidence-unsupported', { kind: 'sticker' })),
      {
        label: 'the three files passed on, the sticker refused',
      },
    );
    expect(answers().filter((a) => a === t('kk', 'file-passed-on'))).toHaveLength(3);
    const documents = await h.api.waitFor(
      () => {
        const found = h.api.messagesIn(h.staffGroup.id).filter((m) => m.message_thread_id === filed.message_thread_id && m.document);
        return found.length === 2 ? found : undefined;
      },
      { timeoutMs: 15_000, label: 'the PDF and the DOCX in the case topic' },
    );
    for (const d of documents) {
      const ext = d.document!.file_name!.split('.').pop()!;
      expect(d.document!.file_name).toMatch(/^evidence-\d+\.(pdf|docx)$/);
      expect(await identifyingTags(h.api.fileContent(d.document!.file_id)!, ext)).toEqual({});
    }
    // The voice note reached staff disguised; the reporter is told so, once.
    expect(answers().filter((a) => a === t('kk', 'evidence-voice-masked'))).toHaveLength(1);
    await h.api.waitFor(() => h.api.callsTo('sendVoice').length >= 1 && h.api.callsTo('sendDocument').length >= 1, {
      timeoutMs: 10_000,
      label: 'the voice note and the file in the staff chat',
    });
  });

  it('takes a whole report by voice: voice notes answer the questions that take words, and reach staff disguised', async () => {
    const jid = person();
    const r = new WhatsAppTyper(fake, 'line1', jid);
    const voice = { mimetype: 'audio/ogg; codecs=opus', data: (await tone(200, 2)).toString('base64') };
    const speak = async () => {
      const since = r.texts().length;
      fake.write('line1', jid, '', { type: 'ptt', media: voice });
      return r.question(since, 'the next question after a voice note');
    };
    fake.write('line1', jid, 'Сәлем');
    await r.question(0, 'the language question');
    for (const n of ['1', '1', '1', '2', '3', '2', '1']) await r.answer(n); // kk, continue, report, not in danger, bullying, not about staff, me
    await speak(); // when
    await speak(); // where
    await r.answer('1'); // ongoing
    const afterAccount = await speak(); // the account
    expect(afterAccount.at(-1)).toMatch(/^1\. /m);
    await r.answer('1'); // done
    const { code } = await finishFromEvidence(r);
    const filed = await staffPost(code + '\n');
    for (const count of [1, 2, 3]) expect(filed.text).toContain(t('kk', 'voice-answer', { count }));
    await h.api.waitFor(
      () =>
        h.api
          .callsTo('sendVoice')
          .filter(
            (c) => String(c.params.message_thread_id) === String(filed.message_thread_id) && String(c.params.caption).includes(t('ru', 'staff-file-masked')),
          ).length === 3,
      {
        timeoutMs: 15_000,
        label: 'three disguised voice notes in the staff chat',
      },
    );
  });

  it('passes an edited message on as a correction', async () => {
    const jid = person();
    await report('line2', jid, 'Hello, I want to report my lab supervisor', { lang: 'en', account: ['He humiliates me in front of the group.'] });
    const sent = say('line2', jid, 'It happened on Monday in building C');
    await staffPost('It happened on Monday in building C');
    contents.push('It happened on Tuesday in building C');
    fake.edit('line2', sent, 'It happened on Tuesday in building C');
    await staffPost('It happened on Tuesday in building C');
    expect(staffTexts().find((t) => t.includes('Tuesday'))).toMatch(/Исправление|Correction/);
  });

  it('opens a second case with /new and lets the reporter choose by number which case their messages go to', async () => {
    const jid = person();
    const a = await report('line1', jid, 'Хочу сообщить о травле в общежитии', { account: ['Соседи по комнате травят меня'] });
    const r = new WhatsAppTyper(fake, 'line1', jid);
    const started = await r.answer('/new');
    expect(started.at(-1)).toContain(t('ru', 'new-case-started', { code: a.code }));
    // From the danger question on: not in danger, bullying, not about staff, me, this week, on campus, ongoing.
    for (const n of ['2', '3', '2', '1', '2', '1', '1']) await r.answer(n);
    contents.push('Преподаватель снижает оценки');
    await r.answer('Преподаватель снижает оценки');
    await r.answer('1'); // done
    const b = await finishFromEvidence(r);
    contents.push(b.passphrase);
    expect(b.code).not.toBe(a.code);
    const threadOf = async (code: string) => (await staffPost(code)).message_thread_id!;
    const [threadA, threadB] = [await threadOf(a.code), await threadOf(b.code)];
    expect(threadB).not.toBe(threadA);

    say('line1', jid, 'Про оценки ещё');
    expect((await staffPost('Про оценки ещё')).message_thread_id).toBe(threadB);
    // /status: both cases, a numbered choice, oldest first.
    const listed = await r.answer('/status');
    expect(listed.at(-1)).toContain(t('ru', 'ask-case'));
    expect(listed.at(-1)).toMatch(new RegExp(`^1\\. ${t('ru', 'opt-case', { code: a.code })}$`, 'm'));
    const since = r.texts().length;
    fake.write('line1', jid, '1'); // not on the privacy list: a number is everywhere
    await until(
      () =>
        r
          .texts()
          .slice(since)
          .find((x) => x === t('ru', 'writing-to', { code: a.code })),
      { label: 'the choice taken' },
    );
    say('line1', jid, 'Снова про общежитие');
    expect((await staffPost('Снова про общежитие')).message_thread_id).toBe(threadA);
    // An answer on the other case is headed with its code, and the reply follows it.
    answer(threadB, 'Мы поговорим с деканатом');
    const delivered = await until(() => sentTo('line1', jid).find((x) => x.includes('Мы поговорим с деканатом')), { label: 'the answer on case B' });
    expect(delivered.split('\n')[0]).toBe(t('ru', 'counsellor-says-case', { code: b.code }));
    expect(delivered).toContain(t('ru', 'writing-to', { code: b.code }));
    say('line1', jid, 'Спасибо за ответ');
    expect((await staffPost('Спасибо за ответ')).message_thread_id).toBe(threadB);
  });

  it('shows /rights as numbered pages, keeps nothing of the reader, and goes on to the report from the page', async () => {
    const jid = person();
    const r = new WhatsAppTyper(fake, 'line2', jid);
    const index = rights.page('ru');
    const first = await r.answer('права'); // WhatsApp has no command menu: the word works too
    expect(first.at(-1)).toBe(
      renderAsText(
        {
          text: index.text,
          menu: {
            step: 'rights-ru',
            options: [...index.links.map((l) => ({ value: l.id, label: l.title })), { value: 'continue', label: t('ru', 'rights-continue') }],
          },
        },
        'ru',
      ),
    );
    const n = index.links.findIndex((l) => l.id === 'anonymity') + 1;
    const next = await r.answer(String(n));
    expect(next.at(-1)!.startsWith(rights.page('ru', 'anonymity').text)).toBe(true);
    const client = await redisClient();
    try {
      const rk = reporterKeyOf(h.keys.pepper, 'whatsapp', `line2:${jid}`);
      expect(await dumpRedis(client)).not.toContain(rk);
    } finally {
      client.disconnect();
    }
    // The last option goes back to the report: for a first visit, its first question.
    const back = await r.answer(String(rights.page('ru', 'anonymity').links.length + 1));
    expect(back.at(-1)!.split('\n')[0]).toBe('Выберите язык:');
  });

  it('asks a counsellor first: a consultation by typing numbers, answered on the line, then turned into a report with /report', async () => {
    const jid = person();
    const r = new WhatsAppTyper(fake, 'line1', jid);
    say('line1', jid, 'Сәлеметсіз бе');
    await r.question(0, 'the language question');
    await r.answer('1'); // Қазақша
    const way = await r.answer('1'); // continue
    expect(way.at(-1)!.split('\n')[0]).toBe(t('kk', 'ask-way'));
    await r.answer('2'); // ask a counsellor first
    contents.push('Оқытушы мені бәрінің алдында мазақ етеді, бұл қорлау ма?');
    const receipt = await r.send('Оқытушы мені бәрінің алдында мазақ етеді, бұл қорлау ма?');
    contents.push(receipt.passphrase);
    const posted = await staffPost(`💬 Консультация ${receipt.code}`);
    await staffPost('бұл қорлау ма');
    answer(posted.message_thread_id!, 'Иә, бұл қорлау болуы мүмкін. Толығырақ айтасыз ба?');
    await until(() => sentTo('line1', jid).find((x) => x.includes('Толығырақ айтасыз ба')), { label: 'the answer on WhatsApp' });
    const started = await r.answer('/report');
    expect(started.at(-1)).toContain(t('kk', 'to-report-started', { code: receipt.code }));
    for (const n of ['2', '3', '2', '1', '2', '1', '1', '1', '1', '1']) await r.answer(n); // not in danger, bullying, not about staff, me, this week, campus, ongoing, account done, no evidence, anonymous
    const since = r.texts().length;
    fake.write('line1', jid, '1'); // send
    await until(
      () =>
        r
          .texts()
          .slice(since)
          .find((x) => x === t('kk', 'receipt-converted', { code: receipt.code })),
      { label: 'the report sent' },
    );
    await staffPost(t('ru', 'staff-event', { event: 'became-report' }));
  });

  it('declines calls with a text asking to write, in the caller’s language, once per caller', async () => {
    const stranger = person();
    const first = fake.call('line1', stranger);
    await until(() => sentTo('line1', stranger).length > 0, { label: 'call text' });
    expect(first.rejected).toBe(true);
    expect(sentTo('line1', stranger)[0]).toMatch(/не принимает звонки/);

    const again = fake.call('line1', stranger, { isVideo: true });
    await until(() => again.rejected, { label: 'second call rejected' });
    await new Promise((r) => setTimeout(r, 100));
    expect(sentTo('line1', stranger)).toHaveLength(1); // a caller who keeps ringing hears it once

    const kazakh = person();
    await report('line1', kazakh, 'Сәлем, мен жазғым келеді', { lang: 'kk', account: ['Мені жатақханада қорқытады.'] });
    fake.call('line1', kazakh);
    await until(() => sentTo('line1', kazakh).some((t) => t.includes('қоңырау қабылдамайды')), { label: 'Kazakh call text' });

    const group = fake.call('line1', '120363025246125486@g.us', { isGroup: true });
    await until(() => group.rejected, { label: 'group call rejected' });
    expect(fake.line('line1').sent.some((m) => m.chatId.endsWith('@g.us'))).toBe(false);
  });

  it('reconnects with backoff and reads back what arrived while down, without loss or duplicates', async () => {
    const jid = person();
    await report('line1', jid, 'Здравствуйте, хочу сообщить о преподавателе');
    say('line1', jid, 'до обрыва: сообщение 1');
    await staffPost('до обрыва: сообщение 1');
    const clientsBefore = fake.line('line1').clients.length;

    fake.line('line1').failStarts = 2; // Chromium cannot load WhatsApp Web twice in a row
    fake.drop('line1', 'CONFLICT');
    for (let i = 2; i <= 4; i++) say('line1', jid, `во время обрыва: сообщение ${i}`);
    // WhatsApp still shows the first message unread too (its read receipt was lost in the drop)
    fake.line('line1').conversation(jid).unread += 1;

    await until(() => fake.line('line1').client?.ready && fake.line('line1').clients.length >= clientsBefore + 3, { label: 'line1 back' });
    await staffPost('во время обрыва: сообщение 4');
    const order = staffTexts().flatMap((t) => /обрыва: сообщение (\d)/.exec(t)?.[1] ?? []);
    expect(order).toEqual(['1', '2', '3', '4']); // in order, each once
    // three failures in a row are reported to staff, and so is the recovery
    await h.api.waitFor(() => staffTexts().some((t) => t.includes('line1') && t.includes('снова подключена')), { timeoutMs: 10_000 });
    expect(staffTexts().some((t) => t.includes('line1') && t.includes('не может подключиться'))).toBe(true);

    // and a counsellor answer given now goes out once
    const posted = await staffPost('во время обрыва: сообщение 2');
    answer(posted.message_thread_id!, 'Сообщения 2-4 получены');
    await until(() => sentTo('line1', jid).some((t) => t.includes('Сообщения 2-4 получены')), { label: 'answer after reconnect' });
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo('line1', jid).filter((t) => t.includes('Сообщения 2-4 получены'))).toHaveLength(1);
  });

  it('notices a browser that died silently and recovers what was written meanwhile', async () => {
    const jid = person();
    fake.crash('line2');
    fake.write('line2', jid, 'written while Chromium was dead');
    // answered once the watchdog has restarted the browser and read the chat back
    await report('line2', jid, 'written while Chromium was dead', { lang: 'en', written: 0 });
    await staffPost('written while Chromium was dead');
  });

  it('reports a logged-out line to staff, keeps the other channels running, and resumes after a new login', async () => {
    const jid = person();
    const earlier = person();
    await report('line1', earlier, 'пишу до того, как линию отключили');
    const thread = (await staffPost('пишу до того, как линию отключили')).message_thread_id!;
    fake.logout('line1');
    await h.api.waitFor(() => staffTexts().some((t) => t.includes('line1') && t.includes('trustline whatsapp login line1')), { timeoutMs: 10_000 });
    expect(h.captured.records().some((r) => r.event === 'whatsapp.line.needs-login' && r.line === 'line1')).toBe(true);

    // Telegram and the other number keep working
    const tgUser = h.api.addUser({ firstName: 'Aruzhan', languageCode: 'ru' });
    contents.push('пишу через телеграм, пока WhatsApp лежит');
    const viaTelegram = await fileReport(h.api, tgUser, { account: ['пишу через телеграм, пока WhatsApp лежит'] });
    contents.push(viaTelegram.passphrase);
    await staffPost('пишу через телеграм, пока WhatsApp лежит');
    const other = person();
    await report('line2', other, 'вторая линия работает');

    // a counsellor answers while the line is down: the answer waits, longer than all its
    // delivery attempts would last (JOB_ATTEMPTS=3), and is not dead-lettered
    answer(thread, 'Ответ, пока линия отключена');
    await new Promise((r) => setTimeout(r, 3_500));

    // written while unlinked; synced to the new session as unread, and the questions start then
    fake.write('line1', jid, 'пока линия была отключена');
    const reportsBefore = staffTexts().filter((t) => t.includes('trustline whatsapp login line1')).length;
    fake.line('line1').linked = true; // an admin ran `trustline whatsapp login line1`
    await report('line1', jid, 'пока линия была отключена', { written: 0 });
    await staffPost('пока линия была отключена');
    await h.api.waitFor(() => staffTexts().filter((t) => t.includes('line1') && t.includes('снова подключена')).length >= 2, { timeoutMs: 10_000 });
    // reported once, not once per retry
    expect(staffTexts().filter((t) => t.includes('trustline whatsapp login line1')).length).toBe(reportsBefore);
    await until(() => sentTo('line1', earlier).some((t) => t.includes('Ответ, пока линия отключена')), { label: 'waiting answer delivered' });
    expect(sentTo('line1', earlier).filter((t) => t.includes('Ответ, пока линия отключена'))).toHaveLength(1);
    expect(staffTexts().some((t) => t.includes('не удалось доставить'))).toBe(false);
  });

  it('holds what a reporter writes while Redis is down and passes it on, in order, once Redis is back', async () => {
    const jid = person();
    await report('line2', jid, 'Хочу сообщить о давлении на работе');
    const before = sentTo('line2', jid).length;
    await h.redis.kill();
    for (const n of [1, 2, 3]) say('line2', jid, `удержано ${n}`);
    await new Promise((r) => setTimeout(r, 2_000));
    await h.redis.restart();
    await until(() => staffTexts().filter((x) => x.startsWith('удержано')).length >= 3 || undefined, { label: 'the held messages', timeoutMs: 30_000 });
    expect(staffTexts().filter((x) => x.startsWith('удержано'))).toEqual(['удержано 1', 'удержано 2', 'удержано 3']);
    expect(
      sentTo('line2', jid)
        .slice(before)
        .filter((x) => x.includes('try again') || x.includes('попробуйте')),
    ).toEqual([]);
  }, 60_000);

  it('runs on the fake alone: whatsapp-web.js (and Chromium) never loaded, only its types used', () => {
    expect(Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes('/node_modules/whatsapp-web.js/'))).toBe(false);
  });

  it('keeps every WhatsApp id and every text out of Redis and the log', async () => {
    const client = await redisClient();
    const dump = await dumpRedis(client);
    client.disconnect();
    const logs = h.captured.lines.join('\n');
    expect(identities.length).toBeGreaterThan(8);
    for (const secret of [...identities, ...contents.filter(Boolean)]) {
      expect(dump, `Redis holds ${secret}`).not.toContain(secret);
      expect(logs, `log holds ${secret}`).not.toContain(secret);
    }
    // nor the lines' own numbers, nor any JID at all
    for (const line of fake.lines.values()) {
      const own = line.ownJid.split('@')[0]!;
      expect(dump).not.toContain(own);
      expect(logs).not.toContain(own);
    }
    expect(dump).not.toMatch(/@(c\.us|lid|g\.us)/);
    expect(logs).not.toMatch(/@(c\.us|lid|g\.us)/);
    // staff saw case codes, never a number
    const staff = staffTexts().join('\n');
    for (const id of identities) expect(staff).not.toContain(id);
    expect(dump.length).toBeGreaterThan(1000);
    expect(h.captured.records().some((r) => r.event === 'reporter.message')).toBe(true);
  });
});

async function redisClient(): Promise<Redis> {
  return new Redis(h.redis.url);
}
