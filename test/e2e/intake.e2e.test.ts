// The intake conversation end to end: the real grammY bot, the local Bot API server,
// real Redis and workers. A reporter answers by typing (Kazakh) or tapping (Russian);
// staff get one structured report; nothing of it rests in Redis or the log in clear.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/i18n.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { botSays, buttonsOf, CODE, currentStep, fileReportByTyping, tap, write } from '../support/intake-driver.js';
import { dumpRedis } from '../support/redis.js';

let h: Hotline;
let redis: Redis;
beforeAll(async () => {
  h = await startHotline({ threading: 'topics' });
  redis = new Redis(h.redis.url);
});
afterAll(async () => {
  redis.disconnect();
  await h.stop();
});

const staffTexts = () => h.api.messagesIn(h.staffGroup.id).map((m) => m.text ?? m.caption ?? '');
const lastText = (user: { id: number }) => h.api.messagesIn(user.id).at(-1)?.text ?? '';

async function privacyScan(secrets: string[]): Promise<void> {
  const dump = await dumpRedis(redis);
  const logs = h.captured.lines.join('\n');
  for (const secret of secrets) {
    expect(dump, `Redis holds ${secret}`).not.toContain(secret);
    expect(logs, `the log holds ${secret}`).not.toContain(secret);
  }
}

describe('the intake conversation', () => {
  it('in Kazakh, answered by typing numbers and words: one structured report reaches staff', async () => {
    const user = h.api.addUser({ firstName: 'Aruzhan', username: 'aruzhan_s', languageCode: 'kk' });
    const hello = await write(h.api, user, 'Сәлеметсіз бе', 'Тілді таңдаңыз');
    expect(hello.text!.split('\n')[0]).toBe('Тілді таңдаңыз:'); // the phone's language first
    expect(h.api.messagesIn(user.id)[0]!.text).toContain('сақтап қойдым'); // the greeting was kept, not dropped

    expect((await write(h.api, user, '1', 'Trustline')).text).toContain('112: бірыңғай құтқару қызметі');
    await write(h.api, user, 'жалғастыру', 'Не істегіңіз келеді');
    await write(h.api, user, 'хабарлау', 'қауіп төніп тұр ма');
    await write(h.api, user, 'жоқ', 'Не болды');
    await write(h.api, user, '2', 'Қудалаудың қандай түрі');
    await write(h.api, user, 'онлайн', 'өзінде жұмыс істейтін');
    await write(h.api, user, 'жоқ', 'Кім зардап шекті');
    await write(h.api, user, 'мен', 'қашан болды');
    await write(h.api, user, 'өткен айдың соңында', 'қай жерде болды'); // own words
    await write(h.api, user, '3', 'жалғасып жатыр ма');
    await write(h.api, user, 'иә', 'өз сөзіңізбен');
    await write(h.api, user, 'Топтағы бір студент чатта менің суреттерімді таратып жүр.', 'Қабылданды (1)');
    await write(h.api, user, 'Ол мұны бірнеше рет қайталады.', 'Қабылданды (2)');
    await write(h.api, user, 'дайын', 'Дәлелдеріңіз болса');
    await write(h.api, user, 'жалғастыру', 'Анонимді қалғыңыз');
    const review = await write(h.api, user, '1', 'Өтінішіңізді тексеріңіз');
    expect(review.text).toContain('Қудалау (Интернетте)');
    expect(review.text).toContain('өткен айдың соңында');
    const receipt = await write(h.api, user, 'жіберу', 'Өтінішіңіз жіберілді');
    const code = CODE.exec(receipt.text!)![1]!;
    const passphrase = /: ([a-z]+(?: [a-z]+){3})$/m.exec(receipt.text!)![1]!;
    // The receipt asks about quiet hours; "2": any time is fine.
    expect(receipt.text).toContain(t('kk', 'ask-quiet'));
    await write(h.api, user, '2', t('kk', 'quiet-off'));

    // staff read it in the staff language (Russian), under the case code only
    const report = await h.api.waitFor(() => staffTexts().find((t) => t.startsWith('📋')), { timeoutMs: 10_000 });
    expect(report).toContain(code);
    expect(report).toContain('Что произошло: Домогательства (В интернете)');
    expect(report).toContain('Кто пострадал: Я');
    expect(report).toContain('Когда: өткен айдың соңында');
    expect(report).toContain('Где: В интернете');
    expect(report).toContain('Контакт: анонимно');
    expect(report).toContain('Топтағы бір студент');
    expect(report).toContain('• Сәлеметсіз бе');
    expect(h.api.topics(h.staffGroup.id).map((t) => t.name)).toContain(`Обращение ${code}`);
    expect(staffTexts().join('\n')).not.toMatch(/Aruzhan|aruzhan_s/);

    // the draft is gone, and so is its reminder timer; the case remembers its category and language in plain
    expect(await redis.keys('tl:conv:*')).toEqual([]);
    expect(await redis.keys('tl:q:intake-timer:intake.*')).toEqual([]);
    const caseId = (await redis.get(`tl:code:${code}`))!;
    expect(await redis.hmget(`tl:case:${caseId}`, 'category', 'lang', 'urgent')).toEqual(['harassment.online', 'kk', '0']);

    await privacyScan(['Сәлеметсіз бе', 'өткен айдың соңында', 'Топтағы бір студент', 'бірнеше рет', passphrase, 'Aruzhan', 'aruzhan_s', String(user.id)]);
  });

  it('in Russian, with buttons, evidence, a shared contact and an edit before sending', async () => {
    const user = h.api.addUser({ firstName: 'Dina', languageCode: 'ru' });
    h.api.sendPrivate(user, '/start');
    await tap(h.api, user, 'language', 'ru');
    await tap(h.api, user, 'consent', 'continue');
    await tap(h.api, user, 'way', 'report');
    await tap(h.api, user, 'danger', 'no');
    await tap(h.api, user, 'category', 'harassment');
    await tap(h.api, user, 'harassment', 'sexual');
    await tap(h.api, user, 'about-staff', 'no');
    await tap(h.api, user, 'affected', 'witness');
    await tap(h.api, user, 'when', 'today');
    await tap(h.api, user, 'where', 'dormitory');
    await tap(h.api, user, 'ongoing', 'no');
    await botSays(h.api, user, 'опишите своими словами');
    h.api.sendPrivate(user, 'Преподаватель предлагал оценку в обмен на встречу.');
    await tap(h.api, user, 'account', 'done');
    await botSays(h.api, user, 'Если есть доказательства');
    const photo = h.api.sendPrivateMessage(user, { photo: [{ width: 800, height: 600, file_size: 30_000 }], caption: 'его сообщение' });
    const pdf = h.api.sendPrivateMessage(user, { document: { file_name: 'chat.pdf', mime_type: 'application/pdf', file_size: 12_000 } });
    await botSays(h.api, user, '(2 из 10)');
    await tap(h.api, user, 'evidence', 'done');
    await tap(h.api, user, 'contact', 'share');
    await botSays(h.api, user, 'Напишите имя и контакт');
    h.api.sendPrivate(user, 'Дина, +7 701 555 12 34');
    const review = await botSays(h.api, user, 'Проверьте');
    expect(review.text).toContain('Контакт: Дина, +7 701 555 12 34');
    expect(review.text).toContain('Доказательства: 2 файла');
    expect(review.text).not.toContain('• его сообщение'); // a kept file's caption travels with the file, not as a note
    // change the category from the review: the new sub-category is asked, then back to the review
    const before = h.api.messagesIn(user.id).length;
    await tap(h.api, user, 'review', 'edit');
    await tap(h.api, user, 'edit', 'category');
    await tap(h.api, user, 'category', 'discrimination');
    await tap(h.api, user, 'discrimination', 'academic');
    const again = await botSays(h.api, user, 'Проверьте', before);
    expect(again.text).toContain('Дискриминация (Учёба: оценки, стипендии, обмены)');
    expect(again.text).toContain('Кто пострадал: Я видел(а)');
    // the chosen answer is marked on the question and its buttons are gone
    expect(h.api.messagesIn(user.id).find((m) => m.text?.startsWith('Кто пострадал?'))!.text).toMatch(/✓ Я видел\(а\)/);
    await tap(h.api, user, 'review', 'send');
    await botSays(h.api, user, 'Ваше обращение отправлено');

    const report = await h.api.waitFor(() => staffTexts().find((t) => t.includes('Дина, +7 701 555 12 34')), { timeoutMs: 10_000 });
    expect(report).toContain('Что произошло: Дискриминация');
    expect(report).toContain('Доказательства: 2 файла');
    // the evidence itself, decrypted, in the case topic, byte for byte
    const staffPhoto = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.photo && m.caption?.includes('его сообщение')), {
      timeoutMs: 10_000,
    });
    const staffPdf = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.document?.file_name?.match(/^evidence-\d+\.pdf$/)), {
      timeoutMs: 10_000,
    });
    // What staff get is the cleaned file (mat2 re-renders pictures and PDFs), never the bytes as sent.
    expect(h.api.fileContent(staffPhoto.photo!.at(-1)!.file_id)!.equals(h.api.fileContent(photo.photo!.at(-1)!.file_id)!)).toBe(false);
    expect(h.api.fileContent(staffPdf.document!.file_id)!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(h.api.fileContent(staffPdf.document!.file_id)!.equals(h.api.fileContent(pdf.document!.file_id)!)).toBe(false);
    expect(staffPhoto.message_thread_id).toBe(staffPdf.message_thread_id);

    const bytes = h.api.fileContent(pdf.document!.file_id)!;
    const dump = await dumpRedis(redis);
    expect(dump).not.toContain(bytes.subarray(100, 164).toString('latin1'));
    await privacyScan(['Дина', '701 555', 'Преподаватель предлагал', 'его сообщение', 'chat.pdf']);
  });

  it('answers /help and /cancel at every step and comes back to the same question; bad answers are kept', async () => {
    const user = h.api.addUser({ firstName: 'Help', languageCode: 'ru' });
    h.api.sendPrivate(user, '/start');
    await botSays(h.api, user, 'Выберите язык');
    const path: [string, string][] = [
      ['language', 'ru'],
      ['consent', 'continue'],
      ['way', 'report'],
      ['danger', 'no'],
      ['category', 'other'],
      ['about-staff', 'no'],
      ['affected', 'me'],
      ['when', 'month'],
      ['where', 'campus'],
      ['ongoing', 'yes'],
      ['account', 'done'],
      ['evidence', 'done'],
      ['contact', 'share'],
      ['contact-details', 'anonymous'],
    ];
    for (const [step, value] of path) {
      await h.api.waitFor(() => currentStep(h.api, user) === step, { timeoutMs: 10_000, label: `the ${step} question` });
      const help = await write(h.api, user, '/help', 'Как отвечать');
      expect(help.text).toContain('112');
      await h.api.waitFor(() => currentStep(h.api, user) === step && buttonsOf(h.api.messagesIn(user.id).at(-1)!).length > 0);
      await write(h.api, user, '/cancel', 'Прекратить и удалить');
      await tap(h.api, user, 'confirm-cancel', 'no');
      await h.api.waitFor(() => currentStep(h.api, user) === step && h.api.messagesIn(user.id).at(-1)!.reply_markup !== undefined, {
        timeoutMs: 10_000,
        label: `${step} asked again after "no"`,
      });
      if (step === 'category') {
        const since = h.api.messagesIn(user.id).length;
        h.api.sendPrivate(user, 'не знаю, что выбрать');
        await h.api.waitFor(() => h.api.messagesIn(user.id).length === since + 1);
        // told once, in one message that is also the question
        const [asked] = h.api.messagesIn(user.id).slice(since);
        expect(asked!.text).toContain('Я сохранил');
        expect(asked!.text).toContain('Что произошло');
        expect(buttonsOf(asked!)[0]).toMatch(/^category:/);
        // more text at the same question is kept too, and only acknowledged
        const again = h.api.sendPrivate(user, 'может быть, это травля');
        await h.api.waitFor(() => h.api.callsTo('setMessageReaction').some((c) => c.params.message_id === again.message_id), {
          timeoutMs: 10_000,
          label: 'a reaction to the second free text',
        });
      }
      if (step === 'account') await write(h.api, user, 'Мне всё время пишут гадости.', 'Получено (1)');
      await tap(h.api, user, step, value);
    }
    const review = await botSays(h.api, user, 'Проверьте');
    expect(review.text).toContain('• не знаю, что выбрать');
    expect(review.text).toContain('• может быть, это травля');
    // (checked here, long after: a second "kept" or a re-asked question would have arrived by now)
    expect(h.api.messagesIn(user.id).filter((m) => m.text?.includes('Я сохранил'))).toHaveLength(1);
    expect(h.api.messagesIn(user.id).filter((m) => m.text?.includes('выберите один из ответов'))).toHaveLength(0);
    await write(h.api, user, '/cancel', 'Прекратить и удалить');
    await tap(h.api, user, 'confirm-cancel', 'yes');
    await botSays(h.api, user, 'Ничего не отправлено, ваши ответы удалены');
    expect(staffTexts().join('\n')).not.toContain('гадости');
    const dump = await dumpRedis(redis);
    expect(dump).not.toContain('гадости');
  });

  it('changes the language in the middle and returns to the same question', async () => {
    const user = h.api.addUser({ firstName: 'Lang', languageCode: 'ru' });
    // a first message answers no question, even one that looks like an answer
    await write(h.api, user, 'English', 'Выберите язык');
    expect(h.api.messagesIn(user.id).some((m) => m.text?.startsWith('Trustline'))).toBe(false);
    await tap(h.api, user, 'language', 'ru');
    await tap(h.api, user, 'consent', 'continue');
    await tap(h.api, user, 'way', 'report');
    await tap(h.api, user, 'danger', 'no');
    await botSays(h.api, user, 'Что произошло');
    await write(h.api, user, '/language', 'Choose your language');
    await tap(h.api, user, 'language', 'en');
    const asked = await botSays(h.api, user, 'What happened?');
    expect(buttonsOf(asked)).toContain('category:discrimination');
    expect(asked.reply_markup!.inline_keyboard[0]![0]!.text).toBe('Discrimination');
  });

  it('survives a restart in the middle of the questions', async () => {
    const user = h.api.addUser({ firstName: 'Restart', languageCode: 'en' });
    h.api.sendPrivate(user, '/start');
    await tap(h.api, user, 'language', 'en');
    await tap(h.api, user, 'consent', 'continue');
    await tap(h.api, user, 'way', 'report');
    await tap(h.api, user, 'danger', 'no');
    await tap(h.api, user, 'category', 'mobbing');
    await tap(h.api, user, 'about-staff', 'no');
    await botSays(h.api, user, 'Who was affected?');
    await h.restart();
    await tap(h.api, user, 'affected', 'someone');
    await tap(h.api, user, 'when', 'earlier');
    await tap(h.api, user, 'where', 'offcampus');
    await tap(h.api, user, 'ongoing', 'yes');
    await botSays(h.api, user, 'describe what happened');
    h.api.sendPrivate(user, 'My manager keeps excluding a colleague.');
    await tap(h.api, user, 'account', 'done');
    await tap(h.api, user, 'evidence', 'done');
    await tap(h.api, user, 'contact', 'anonymous');
    await tap(h.api, user, 'review', 'send');
    await botSays(h.api, user, 'Your report was sent');
    const report = await h.api.waitFor(() => staffTexts().find((t) => t.includes('excluding a colleague')), { timeoutMs: 10_000 });
    expect(report).toContain('Моббинг');
    expect(report).toContain('Другой человек');
    expect(lastText(user)).toContain('Secret phrase');
  });

  it('works by typing option numbers alone, as on a channel without buttons', async () => {
    const user = h.api.addUser({ firstName: 'Typist', languageCode: 'en' });
    const { code } = await fileReportByTyping(
      {
        send: (text) => h.api.sendPrivate(user, text),
        texts: () => h.api.messagesIn(user.id).map((m) => m.text ?? ''),
        asking: () => (h.api.messagesIn(user.id).at(-1)?.reply_markup?.inline_keyboard.length ?? 0) > 0,
        waitFor: (fn, label) => h.api.waitFor(fn, { timeoutMs: 10_000, label }),
      },
      { lang: 'kk', account: ['Бір студент мені үнемі мазақ етеді.'] },
    );
    const report = await h.api.waitFor(() => staffTexts().find((t) => t.includes(code) && t.includes('мазақ')), { timeoutMs: 10_000 });
    expect(report).toContain('Травля среди студентов');
  });
});
