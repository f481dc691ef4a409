// Erasing a case reaches the staff chat: after /forget or the retention shred, nothing
// of the case is left in the chat (asserted on what the Bot API server still holds, not
// on Trustline's bookkeeping), in both threading modes. Messages Telegram will not let
// the bot delete (older than 48 hours) are neutralised where they are the bot's, and
// whatever is left is told to the admins and written to the audit log.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { jobIds, queueNames, type StaffErasureJob } from '../../src/queue/jobs.js';
import { runRetention } from '../../src/retention/run.js';
import { queuePrefix } from '../../src/store/redis-keys.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { botSays, fileReport, tap, write } from '../support/intake-driver.js';
import { dumpRedis } from '../support/redis.js';

let h: Hotline | undefined;
let redis: Redis | undefined;
afterEach(async () => {
  redis?.disconnect();
  await h?.stop();
  h = redis = undefined;
});

type Mode = 'topics' | 'replies';

async function hotline(threading: Mode): Promise<Hotline> {
  h = await startHotline({ threading });
  redis = new Redis(h.redis.url, { maxRetriesPerRequest: null });
  return h;
}

const everything = (h: Hotline) =>
  h.api
    .allMessagesIn(h.staffGroup.id)
    .map((m) => `${m.text ?? ''}${m.caption ?? ''}`)
    .join('\n');
const CANARIES = ['erase-canary-report', 'erase-canary-follow-up', 'erase-canary-answer', 'erase-canary-note', 'erase-canary-photo'];

/** A case with a report, a follow-up, a photo, a counsellor's answer and note, and a command: all in the staff chat. */
async function busyCase(h: Hotline, mode: Mode) {
  const user = h.api.addUser({ firstName: 'Erase', languageCode: 'en' });
  const { code } = await fileReport(h.api, user, { lang: 'en', account: ['erase-canary-report: it happened in the lab'] });
  const post = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.includes('erase-canary-report')), { timeoutMs: 10_000 });
  const where = mode === 'topics' ? { threadId: post.message_thread_id! } : { replyTo: post.message_id };
  h.api.sendPrivate(user, 'erase-canary-follow-up');
  h.api.sendPrivateMessage(user, { photo: [{ width: 90, height: 90, file_size: 2_000 }], caption: 'erase-canary-photo' });
  await h.api.waitFor(() => everything(h).includes('erase-canary-follow-up') && everything(h).includes('erase-canary-photo'), { timeoutMs: 10_000 });
  h.api.sendGroup(h.staffGroup, h.counsellor, 'erase-canary-answer: we are here', where);
  await botSays(h.api, user, 'erase-canary-answer');
  h.api.sendGroup(h.staffGroup, h.counsellor, '// erase-canary-note', where);
  const status = h.api.sendGroup(h.staffGroup, h.counsellor, '/status', where);
  await h.api.waitFor(() => h.api.allMessagesIn(h.staffGroup.id).some((m) => m.reply_to_message?.message_id === status.message_id), { timeoutMs: 10_000 });
  for (const canary of CANARIES) expect(everything(h)).toContain(canary);
  return { user, code };
}

async function forget(h: Hotline, user: Parameters<typeof write>[1]) {
  await write(h.api, user, '/forget', 'for good');
  await tap(h.api, user, 'confirm-forget', 'yes');
}

for (const mode of ['topics', 'replies'] as const) {
  describe(`erasing a case (${mode})`, () => {
    it('/forget leaves nothing of the case in the staff chat, counsellors’ messages included', async () => {
      const h = await hotline(mode);
      const { user, code } = await busyCase(h, mode);
      await forget(h, user);
      const notice = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.startsWith(`🗑 Обращение ${code} стёрто`)), {
        timeoutMs: 10_000,
        label: 'the erasure notice',
      });
      expect(notice.text).not.toContain('⚠️');
      const left = everything(h);
      for (const canary of CANARIES) expect(left).not.toContain(canary);
      if (mode === 'topics') expect(h.api.topics(h.staffGroup.id)).toEqual([]);
      // what is left mentioning the case is the notice (and General-topic duty lines naming only the code)
      expect(h.api.allMessagesIn(h.staffGroup.id).filter((m) => m.message_thread_id !== undefined && m.message_thread_id !== 1)).toEqual([]);
      // the bookkeeping is gone from Redis too, and never held text
      const dump = await dumpRedis(redis!);
      for (const canary of CANARIES) expect(dump).not.toContain(canary);
      expect(dump).not.toMatch(/tl:case:[^:]+:s\b/);
    });

    it('the retention shred deletes the staff chat copy as well', async () => {
      const h = await hotline(mode);
      const { code } = await busyCase(h, mode);
      const caseId = (await redis!.get(`tl:code:${code}`))!;
      await redis!.hset(`tl:case:${caseId}`, 'status', 'closed', 'closedAt', String(Date.now() - 400 * 86_400_000));
      const queue = new Queue<StaffErasureJob>(queueNames.staffErase, { connection: redis!, prefix: queuePrefix });
      const run = await runRetention({
        redis: redis!,
        now: Date.now(),
        closedDays: 365,
        intakeDays: 7,
        timeZone: 'Asia/Almaty',
        dryRun: false,
        eraseStaffCopy: async (job) => void (await queue.add('erase', job, { jobId: jobIds.staffErase(job.code) })),
      });
      await queue.close();
      expect(run.shredded.map((c) => c.code)).toEqual([code]);
      expect(run.staffCopiesErased).toBe(1);
      await h.api.waitFor(() => CANARIES.every((c) => !everything(h).includes(c)), { timeoutMs: 10_000, label: 'the copy deleted' });
      // a shredded case is only reported to the chat when something could not be removed
      expect(everything(h)).not.toContain(`🗑 Обращение ${code}`);
    });
  });
}

describe('an admin erases a case at its reporter’s request', () => {
  it('/erase CODE, typed in the case, erases it like /forget: key, content, staff chat copy', async () => {
    const h = await hotline('topics');
    const { user, code } = await busyCase(h, 'topics');
    const post = h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.includes('erase-canary-report'))!;
    const wrong = h.api.sendGroup(h.staffGroup, h.admin, '/erase', { threadId: post.message_thread_id! });
    const usage = await h.api.waitFor(() => h.api.allMessagesIn(h.staffGroup.id).find((m) => m.reply_to_message?.message_id === wrong.message_id), {
      timeoutMs: 10_000,
    });
    expect(usage.text).toContain(`/erase ${code}`);
    const byCounsellor = h.api.sendGroup(h.staffGroup, h.counsellor, `/erase ${code}`, { threadId: post.message_thread_id! });
    const refused = await h.api.waitFor(() => h.api.allMessagesIn(h.staffGroup.id).find((m) => m.reply_to_message?.message_id === byCounsellor.message_id), {
      timeoutMs: 10_000,
    });
    expect(refused.text).toMatch(/только администраторы/);
    h.api.sendGroup(h.staffGroup, h.admin, `/erase ${code}`, { threadId: post.message_thread_id! });
    await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).some((m) => m.text?.startsWith(`🗑 Обращение ${code} стёрто администратором`)), {
      timeoutMs: 10_000,
      label: 'the erasure notice',
    });
    for (const canary of CANARIES) expect(everything(h)).not.toContain(canary);
    // crypto-shredded: what is left of the case is its metadata, no key, no content, no reporter
    const caseId = (await redis!.get(`tl:code:${code}`))!;
    expect(await redis!.hmget(`tl:case:${caseId}`, 'sealedKey', 'returnAddress', 'reporter', 'status')).toEqual([null, null, null, 'withdrawn']);
    expect(await redis!.exists(`tl:case:${caseId}:m`)).toBe(0);
    expect(await redis!.keys('tl:reporter:*')).toEqual([]);
    // the reporter writing again starts afresh
    await write(h.api, user, 'hello again', 'Choose your language');
  });
});

describe('messages Telegram will not let the bot delete', () => {
  it('older than 48 hours: the bot’s own are neutralised, the rest counted and told to the admins', async () => {
    const h = await hotline('replies');
    const { user, code } = await busyCase(h, 'replies');
    h.api.backdate(h.staffGroup, 49 * 3600);
    // Trustline records when each message was posted: move those records back the same way
    const caseId = (await redis!.get(`tl:code:${code}`))!;
    const recorded = await redis!.zrange(`tl:case:${caseId}:s`, 0, -1, 'WITHSCORES');
    for (let i = 0; i < recorded.length; i += 2) await redis!.zadd(`tl:case:${caseId}:s`, Number(recorded[i + 1]) - 49 * 3600_000, recorded[i]!);
    await forget(h, user);
    const notice = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.startsWith(`🗑 Обращение ${code} стёрто`)), {
      timeoutMs: 10_000,
      label: 'the erasure notice',
    });
    expect(notice.text).toMatch(/⚠️ \d+ удалить не удалось/);
    const left = everything(h);
    // the bot's texts now say "Deleted"; the counsellor's old answer and note, and the photo, are what an admin must remove
    for (const canary of ['erase-canary-report', 'erase-canary-follow-up']) expect(left).not.toContain(canary);
    expect(left).toContain('🗑 Удалено: это обращение стёрто.');
    expect(left).toContain('erase-canary-answer');
    const counted = Number(/⚠️ (\d+)/.exec(notice.text!)![1]);
    expect(counted).toBe(4); // the answer, the note, the /status command and the photo
    // and /audit says so
    const asked = h.api.sendGroup(h.staffGroup, h.admin, '/audit');
    const audit = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.reply_to_message?.message_id === asked.message_id), {
      timeoutMs: 10_000,
    });
    expect(audit.text).toContain('case.erase');
  });
});
