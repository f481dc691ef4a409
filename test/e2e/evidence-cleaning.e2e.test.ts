// Nothing a reporter sends identifies them by accident: a photo's GPS position and phone
// model, a PDF's author, a DOCX's creator and the file names they gave are gone from
// what reaches the staff chat (read back with exiftool), and from Redis and the log. A
// format that cannot be cleaned is posted only as a download, with a warning. Real
// mat2, real exiftool, the real bot against the local Bot API server.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/i18n.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { buttonsOf, CODE, fileReport, tap, upToWhen } from '../support/intake-driver.js';
import { fixture, identifyingTags } from '../support/metadata.js';
import { dumpRedis } from '../support/redis.js';
import { clip, listen, tone } from '../support/sound.js';
import { MASK_RATIO } from '../../src/evidence/index.js';

let h: Hotline;
beforeAll(async () => {
  h = await startHotline({ threading: 'topics' });
});
afterAll(() => h.stop());

const T = { timeoutMs: 15_000 };
const posted = (caption: string) => h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.caption?.includes(caption)), T);
const fileOf = (m: { photo?: { file_id: string }[]; document?: { file_id: string } }) => h.api.fileContent(m.photo?.at(-1)?.file_id ?? m.document!.file_id)!;

describe('evidence cleaning on Telegram', () => {
  it('cleans a photo sent during the questions, and a PDF and a DOCX sent to the open case; the reporter is told once', async () => {
    const user = h.api.addUser({ firstName: 'Aigerim', languageCode: 'en' });
    // During the questions: at the evidence step.
    await upToWhen(h.api, user, { lang: 'en', category: 'harassment', subcategory: 'verbal' });
    for (const [step, value] of [
      ['when', 'week'],
      ['where', 'campus'],
      ['ongoing', 'yes'],
    ] as const)
      await tap(h.api, user, step, value);
    await h.api.waitFor(
      () =>
        h.api.messagesIn(user.id).some((m) => m.reply_markup?.inline_keyboard.flat().some((b) => 'callback_data' in b && b.callback_data === 'account:done')),
      T,
    );
    h.api.sendPrivate(user, 'He comments on how I dress, in front of the group.');
    await tap(h.api, user, 'account', 'done');
    await h.api.waitFor(
      () =>
        h.api.messagesIn(user.id).some((m) => m.reply_markup?.inline_keyboard.flat().some((b) => 'callback_data' in b && b.callback_data === 'evidence:done')),
      T,
    );
    h.api.sendPrivateFile(user, 'photo', fixture('gps-exif.jpg'), { caption: 'photo-of-the-board' });
    await h.api.waitFor(() => h.api.messagesIn(user.id).some((m) => m.text === t('en', 'evidence-cleaned')), T);
    await tap(h.api, user, 'evidence', 'done');
    await tap(h.api, user, 'contact', 'anonymous');
    await tap(h.api, user, 'review', 'send');

    const photo = await posted('photo-of-the-board');
    expect(photo.photo).toBeDefined();
    expect(await identifyingTags(fileOf(photo), 'jpg')).toEqual({});

    // After the report: straight into the open case.
    h.api.sendPrivateFile(user, 'document', fixture('author.pdf'), {
      file_name: 'Aigerim_Nurlanovna_complaint.pdf',
      mime_type: 'application/pdf',
      caption: 'the-pdf',
    });
    h.api.sendPrivateFile(user, 'document', fixture('creator.docx'), {
      file_name: 'Aigerim statement.docx',
      mime_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      caption: 'the-docx',
    });
    const pdf = await posted('the-pdf');
    const docx = await posted('the-docx');
    expect(pdf.document!.file_name).toMatch(/^evidence-\d+\.pdf$/);
    expect(docx.document!.file_name).toMatch(/^evidence-\d+\.docx$/);
    expect(await identifyingTags(fileOf(pdf), 'pdf')).toEqual({});
    expect(await identifyingTags(fileOf(docx), 'docx')).toEqual({});
    for (const m of [photo, pdf, docx]) {
      expect(fileOf(m).includes('Aigerim')).toBe(false);
      expect(m.caption).not.toContain(t('ru', 'staff-file-not-cleaned'));
    }
    // Told once, not for every file.
    await h.api.waitFor(() => h.api.messagesIn(user.id).filter((m) => m.text === t('en', 'file-passed-on')).length === 2, T);
    expect(h.api.messagesIn(user.id).filter((m) => m.text === t('en', 'evidence-cleaned'))).toHaveLength(1);

    // Neither the bytes as sent nor the names are anywhere in Redis or the log.
    const redis = new Redis(h.redis.url);
    const dump = await dumpRedis(redis);
    redis.disconnect();
    const log = h.captured.lines.join('\n');
    for (const secret of ['Aigerim', 'Nurlanovna', 'complaint.pdf', 'statement.docx', fixture('gps-exif.jpg').subarray(0, 300).toString('latin1')]) {
      expect(dump, `Redis holds ${secret}`).not.toContain(secret);
      expect(log, `the log holds ${secret}`).not.toContain(secret);
    }
  });

  it('a file still downloading holds nobody else: other reporters are answered meanwhile, and the file is kept after', async () => {
    const slow = h.api.addUser({ firstName: 'S', languageCode: 'en' });
    const other = h.api.addUser({ firstName: 'O', languageCode: 'en' });
    await fileReport(h.api, slow, { lang: 'en' });
    const held = h.api.holdNext('download'); // a 20 MB file on a slow line
    h.api.sendPrivateFile(slow, 'document', fixture('author.pdf'), { file_name: 'statement.pdf', mime_type: 'application/pdf', caption: 'held-file' });
    await held.held;
    // Sent after the file, by someone else: answered while the download is still held.
    const before = h.api.messagesIn(other.id).length;
    h.api.sendPrivate(other, '/start');
    await h.api.waitFor(
      () =>
        h.api
          .messagesIn(other.id)
          .slice(before)
          .some((m) => buttonsOf(m).some((b) => b.startsWith('language:'))),
      T,
    );
    expect(h.api.messagesIn(h.staffGroup.id).some((m) => m.caption?.includes('held-file'))).toBe(false);
    held.release();
    await posted('held-file');
  });

  it('posts a file it cannot clean only as a download, with a warning, and tells the reporter', async () => {
    const user = h.api.addUser({ firstName: 'R', languageCode: 'ru' });
    await fileReport(h.api, user);
    // A photo that is not a picture at all: nothing can re-render it.
    h.api.sendPrivateFile(user, 'photo', Buffer.from('not an image, but the bytes of something else'), { caption: 'broken-photo' });
    const post = await posted('broken-photo');
    expect(post.photo).toBeUndefined();
    expect(post.document!.file_name).toMatch(/^evidence-\d+\.jpg$/);
    expect(post.caption).toContain(t('ru', 'staff-file-not-cleaned'));
    await h.api.waitFor(() => h.api.messagesIn(user.id).find((m) => m.text === t('ru', 'evidence-not-cleaned')), T);
  });

  it('disguises a voice note (VOICE_MASK=strong, the default): lower by the set ratio, as long, said so to staff and once to the reporter', async () => {
    const user = h.api.addUser({ firstName: 'V', languageCode: 'kk' });
    await fileReport(h.api, user);
    const sent = await tone(220, 3);
    h.api.sendPrivateFile(user, 'voice', sent, { mime_type: 'audio/ogg', duration: 3, caption: 'voice-one' });
    h.api.sendPrivateFile(user, 'voice', await tone(220, 1), { mime_type: 'audio/ogg', duration: 1, caption: 'voice-two' });
    const post = await posted('voice-one');
    await posted('voice-two');
    expect(post.voice).toBeDefined();
    expect(post.caption).toContain(t('ru', 'staff-file-masked'));
    const [before, after] = await Promise.all([listen(sent, 'ogg'), listen(h.api.fileContent(post.voice!.file_id)!, 'ogg')]);
    expect(Math.abs(after.hz - before.hz * MASK_RATIO.strong)).toBeLessThan(before.hz * 0.03);
    expect(Math.abs(after.seconds - before.seconds)).toBeLessThan(0.1);
    expect(h.api.messagesIn(user.id).filter((m) => m.text === t('kk', 'evidence-voice-masked'))).toHaveLength(1);
  });

  it('a round video: its sound disguised like a voice, its picture posted behind a spoiler', async () => {
    const user = h.api.addUser({ firstName: 'W', languageCode: 'ru' });
    await fileReport(h.api, user);
    const sent = await clip(220, 2);
    h.api.sendPrivateFile(user, 'video_note', sent, { duration: 2, length: 240 });
    const post = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.video !== undefined), T);
    expect(post.has_media_spoiler).toBe(true);
    expect(post.caption).toContain(t('ru', 'staff-file-masked'));
    const [before, after] = await Promise.all([listen(sent, 'mp4'), listen(h.api.fileContent(post.video!.file_id)!, 'mp4')]);
    expect(Math.abs(after.hz - before.hz * MASK_RATIO.strong)).toBeLessThan(before.hz * 0.03);
    expect(Math.abs(after.seconds - before.seconds)).toBeLessThan(0.15);
  });

  for (const lang of ['kk', 'ru', 'en'] as const) {
    it(`takes a whole report from someone who never types a word (${lang}): every question that takes words is answered by a voice note`, async () => {
      const user = h.api.addUser({ firstName: 'S', languageCode: lang });
      const voice = await tone(200, 2);
      /** Waits for the question with this option, then answers it by speaking. */
      const speakAt = async (step: string, option: string) => {
        const since = h.api.messagesIn(user.id).length;
        await h.api.waitFor(() => [...h.api.messagesIn(user.id)].reverse().find((m) => buttonsOf(m).includes(`${step}:${option}`)), T);
        h.api.sendPrivateFile(user, 'voice', voice, { mime_type: 'audio/ogg', duration: 2 });
        await h.api.waitFor(() => h.api.messagesIn(user.id).length > since, T);
      };
      await upToWhen(h.api, user, { lang });
      await speakAt('when', 'today');
      await speakAt('where', 'campus');
      await tap(h.api, user, 'ongoing', 'yes');
      await speakAt('account', 'done');
      await tap(h.api, user, 'account', 'done');
      await tap(h.api, user, 'evidence', 'done');
      await tap(h.api, user, 'contact', 'anonymous');
      await tap(h.api, user, 'review', 'send');
      const receipt = await h.api.waitFor(
        () => h.api.messagesIn(user.id).find((m) => CODE.test(m.text ?? '') && !buttonsOf(m).some((b) => b.startsWith('review:')) && /✅/.test(m.text ?? '')),
        T,
      );
      const code = CODE.exec(receipt.text!)![1]!;
      // The report names the three voice notes where the words would be, and all three follow, disguised.
      const report = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.includes(code) && m.text.includes('🎤')), T);
      for (const n of [1, 2, 3]) expect(report.text).toContain(t(lang, 'voice-answer', { count: n }));
      const voices = await h.api.waitFor(() => {
        const thread = report.message_thread_id;
        const found = h.api.messagesIn(h.staffGroup.id).filter((m) => m.message_thread_id === thread && m.voice);
        return found.length === 3 ? found : undefined;
      }, T);
      for (const v of voices) expect(v.caption).toContain(t('ru', 'staff-file-masked'));
    });
  }
});
