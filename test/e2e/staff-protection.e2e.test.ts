// What staff see cannot easily leave the chat: every message the bot sends, to the staff
// chat and to reporters, is protected (no forwarding or saving) unless PROTECT_CONTENT is
// false; evidence pictures are blurred until tapped; files carry a neutral name; and a
// staff chat without "Restrict saving content" is pointed out at start.
import { afterEach, describe, expect, it } from 'vitest';
import { startHotline, type Hotline } from '../support/hotline.js';
import { fileReport } from '../support/intake-driver.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('protected content', () => {
  it('every post to the staff chat and every message to the reporter is protected; photos are spoilered; files have neutral names', async () => {
    h = await startHotline({ threading: 'topics', protectedContent: false });
    const hl = h;
    const warning = await hl.api.waitFor(
      () => hl.api.messagesIn(hl.staffGroup.id).find((m) => m.text?.startsWith('⚠️ Участники этого чата могут пересылать')),
      {
        timeoutMs: 10_000,
        label: 'the start-up warning',
      },
    );
    expect(warning.text).toContain('«Запретить копирование»');
    const user = hl.api.addUser({ firstName: 'Protected', languageCode: 'en' });
    await fileReport(hl.api, user, { lang: 'en', account: ['protect-canary'] });
    hl.api.sendPrivateMessage(user, { photo: [{ width: 90, height: 90, file_size: 2_000 }], caption: 'photo-canary' });
    hl.api.sendPrivateMessage(user, { document: { file_name: 'Aigerim_complaint.docx', file_size: 3_000 }, caption: 'doc-canary' });
    await hl.api.waitFor(
      () => ['protect-canary', 'photo-canary', 'doc-canary'].every((c) => hl.api.messagesIn(hl.staffGroup.id).some((m) => `${m.text}${m.caption}`.includes(c))),
      {
        timeoutMs: 10_000,
        label: 'the posts',
      },
    );
    const post = hl.api.messagesIn(hl.staffGroup.id).find((m) => m.text?.includes('protect-canary'))!;
    hl.api.sendGroup(hl.staffGroup, hl.counsellor, 'protected answer', { threadId: post.message_thread_id! });
    await hl.api.waitFor(() => hl.api.messagesIn(user.id).some((m) => m.text?.includes('protected answer')), { timeoutMs: 10_000 });

    const staffPosts = hl.api.messagesIn(hl.staffGroup.id);
    expect(staffPosts.length).toBeGreaterThan(3);
    for (const m of staffPosts) expect(m.has_protected_content, m.text ?? m.caption).toBe(true);
    for (const m of hl.api.messagesIn(user.id)) expect(m.has_protected_content, m.text).toBe(true);
    const photo = staffPosts.find((m) => m.photo)!;
    expect(photo.has_media_spoiler).toBe(true);
    const doc = staffPosts.find((m) => m.document)!;
    expect(doc.document!.file_name).toMatch(/^evidence-\d+\.docx$/);
    expect(`${doc.caption}`).not.toContain('Aigerim');
    // nothing protected can be forwarded
    expect(hl.api.callsTo('forwardMessage')).toEqual([]);
  });

  it('PROTECT_CONTENT=false sends unprotected; a protected staff chat gets no warning', async () => {
    h = await startHotline({ threading: 'topics', env: { PROTECT_CONTENT: 'false' } });
    const hl = h;
    const user = hl.api.addUser({ firstName: 'Open', languageCode: 'en' });
    await fileReport(hl.api, user, { lang: 'en' });
    expect(hl.api.callsTo('sendMessage').every((c) => c.params.protect_content === undefined)).toBe(true);
    expect(hl.api.messagesIn(hl.staffGroup.id).some((m) => m.text?.startsWith('⚠️ Участники этого чата'))).toBe(false);
  });
});
