// Bad input gets a clear answer in the reporter's language and loses nothing. These are
// messages after the report was sent (the relay); the questions have their own tests.
// They hold whether the case is read in the staff chat or in need-to-know mode, in the
// holder's private chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hotline } from '../support/hotline.js';
import { fileReport } from '../support/intake-driver.js';
import { staffSide, startInMode, type StaffSide } from '../support/staff-side.js';

const toUser = (h: Hotline, user: { id: number }) => h.api.messagesIn(user.id).map((m) => m.text ?? '');

for (const mode of ['replies', 'assigned'] as const)
  describe(`reporter input (${mode})`, () => {
    let h: Hotline;
    let staff: StaffSide;
    beforeAll(async () => {
      h = await startInMode(mode);
      staff = staffSide(h, mode);
    });
    afterAll(() => h.stop());
    const staffTexts = () => staff.texts();

    it('answers an empty (whitespace) message and opens no case', async () => {
      const user = h.api.addUser({ firstName: 'E', languageCode: 'en' });
      h.api.sendPrivate(user, '   \n  ');
      await h.api.waitFor(() => toUser(h, user).find((t) => t.includes('looks empty')), { timeoutMs: 10_000 });
      expect(toUser(h, user).some((t) => /case code/i.test(t))).toBe(false);
    });

    it('relays a 4096-character report whole, split for the staff chat', async () => {
      const user = h.api.addUser({ firstName: 'L', languageCode: 'ru' });
      await fileReport(h.api, user);
      const words = Array.from({ length: 700 }, (_, i) => `слово${i}`).join(' ');
      const report = words.slice(0, 4096);
      expect(report.length).toBe(4096);
      h.api.sendPrivate(user, report);
      await h.api.waitFor(() => staffTexts().find((t) => t.endsWith(report.slice(-8))), { timeoutMs: 10_000 });
      // reply mode adds the case code prefix: the text needs two messages, and none is over the limit
      const parts = staff.messages().filter((m) => m.text?.includes('слово'));
      for (const p of parts) expect(p.text!.length).toBeLessThanOrEqual(4096);
      const joined = parts.map((p) => staff.bodyOf(p)).join(' ');
      expect(joined.replace(/\s+/g, ' ')).toBe(report.replace(/\s+/g, ' '));
    });

    it('tells a reporter which media cannot be passed on, passes evidence and captions on and tells staff', async () => {
      const user = h.api.addUser({ firstName: 'M', languageCode: 'kk' });
      await fileReport(h.api, user);

      h.api.sendPrivateMessage(user, {
        sticker: { file_id: 'CAACAgIAAxkBAAIB', file_unique_id: 'AgADAg', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false },
      });
      await h.api.waitFor(() => toUser(h, user).find((t) => t.startsWith('Стикерлерді')), { timeoutMs: 10_000 });
      await h.api.waitFor(() => staffTexts().find((t) => t.includes('ℹ️') && t.includes('стикер')), { timeoutMs: 10_000 });

      const voice = h.api.sendPrivateMessage(user, { voice: { duration: 3, file_size: 2_000 } });
      const photo = h.api.sendPrivateMessage(user, { photo: [{ width: 90, height: 90, file_size: 3_000 }], caption: 'скриншот чата с угрозами' });
      await h.api.waitFor(() => toUser(h, user).filter((t) => t.includes('шифрланған күйде жіберілді')).length === 2, { timeoutMs: 10_000 });
      // staff get the files themselves, cleaned (a picture is re-rendered), as what they came as, with the caption
      const staffVoice = await staff.waitForPost((m) => m.voice !== undefined);
      const staffPhoto = await staff.waitForPost((m) => m.photo !== undefined);
      expect(h.api.fileContent(staffVoice.voice!.file_id)!.length).toBeGreaterThan(0);
      expect(voice.voice).toBeDefined();
      expect(h.api.fileContent(staffPhoto.photo!.at(-1)!.file_id)!.equals(h.api.fileContent(photo.photo!.at(-1)!.file_id)!)).toBe(false);
      expect(staffPhoto.caption).toContain('скриншот чата с угрозами');
    });

    it('passes an edited message on as a correction', async () => {
      const user = h.api.addUser({ firstName: 'Ed', languageCode: 'en' });
      await fileReport(h.api, user);
      const sent = h.api.sendPrivate(user, 'It happened on Monday');
      await h.api.waitFor(() => staffTexts().find((t) => t.includes('It happened on Monday')), { timeoutMs: 10_000 });
      h.api.editPrivate(user, sent.message_id, 'It happened on Tuesday');
      await h.api.waitFor(() => staffTexts().find((t) => t.includes('Correction') || t.includes('Исправление')), { timeoutMs: 10_000 });
      expect(staffTexts().some((t) => t.includes('It happened on Tuesday'))).toBe(true);
      await h.api.waitFor(() => toUser(h, user).find((t) => t.includes('correction was passed on')), { timeoutMs: 10_000 });
    });

    it('keeps one reporter’s messages in order', async () => {
      const user = h.api.addUser({ firstName: 'O', languageCode: 'ru' });
      await fileReport(h.api, user);
      const lines = Array.from({ length: 8 }, (_, i) => `часть ${i + 1} из 8`);
      for (const line of lines) h.api.sendPrivate(user, line);
      await h.api.waitFor(() => staffTexts().find((t) => t.includes('часть 8 из 8')), { timeoutMs: 10_000 });
      const order = staffTexts()
        .filter((t) => t.includes(' из 8'))
        .map((t) => /часть (\d+)/.exec(t)![1]);
      expect(order).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    });

    it('relays a redelivered update once', async () => {
      const user = h.api.addUser({ firstName: 'D', languageCode: 'ru' });
      await fileReport(h.api, user);
      const first = h.api.sendPrivate(user, 'первое сообщение');
      await h.api.waitFor(() => staffTexts().find((t) => t.includes('первое сообщение')), { timeoutMs: 10_000 });
      const update = h.api.calls
        .filter((c) => c.method === 'getUpdates')
        .flatMap((c) => (c.response as { result?: { update_id: number; message?: { message_id: number; chat: { id: number } } }[] } | undefined)?.result ?? [])
        .find((u) => u.message?.message_id === first.message_id && u.message.chat.id === user.id);
      expect(update).toBeDefined();
      h.api.redeliver(update!.update_id);
      h.api.sendPrivate(user, 'второе сообщение');
      await h.api.waitFor(() => staffTexts().find((t) => t.includes('второе сообщение')), { timeoutMs: 10_000 });
      expect(staffTexts().filter((t) => t.includes('первое сообщение'))).toHaveLength(1);
    });
  });

describe('staff chat and other chats', () => {
  let h: Hotline;
  beforeAll(async () => {
    h = await startInMode('replies');
  });
  afterAll(() => h.stop());
  const staffTexts = () => h.api.messagesIn(h.staffGroup.id).map((m) => m.text ?? '');

  it('ignores people not on the staff list and tells the chat once', async () => {
    const user = h.api.addUser({ firstName: 'R', languageCode: 'ru' });
    await fileReport(h.api, user);
    h.api.sendPrivate(user, 'нужна помощь');
    const posted = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.includes('нужна помощь')), { timeoutMs: 10_000 });
    const stranger = h.api.addUser({ firstName: 'Intruder', username: 'nosy_one' });
    h.api.addMember(h.staffGroup, stranger);
    h.api.sendGroup(h.staffGroup, stranger, 'скажи мне, кто это', { replyTo: posted.message_id });
    h.api.sendGroup(h.staffGroup, stranger, 'ну скажи', { replyTo: posted.message_id });
    await h.api.waitFor(() => staffTexts().find((t) => t.includes('not on the staff list') || t.includes('нет в списке сотрудников')), { timeoutMs: 10_000 });
    // give the second message time to be handled, then check nothing reached the reporter
    h.api.sendGroup(h.staffGroup, h.counsellor, 'Мы здесь, пишите', { replyTo: posted.message_id });
    await h.api.waitFor(() => toUser(h, user).find((t) => t.includes('Мы здесь')), { timeoutMs: 10_000 });
    expect(toUser(h, user).some((t) => t.includes('скажи'))).toBe(false);
    expect(staffTexts().filter((t) => t.includes('нет в списке сотрудников'))).toHaveLength(1);
  });

  it('leaves a group it was added to that is not the staff chat, relaying nothing', async () => {
    const owner = h.api.addUser({ firstName: 'G' });
    const group = h.api.addGroup({ title: 'Random group', members: [owner], botStatus: 'left' });
    h.api.addBotToGroup(group, owner);
    await h.api.waitFor(() => h.api.leftChats.includes(group.id), { timeoutMs: 10_000 });
    expect(h.api.messagesIn(group.id)).toHaveLength(0);
  });
});
