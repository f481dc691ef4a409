// A flush job that runs again (a retry after a crash between sending and completing,
// or a duplicate job) posts nothing twice: the per-case cursor moved with each send.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { queueNames } from '../../src/queue/jobs.js';
import { queuePrefix, redisKeys } from '../../src/store/redis-keys.js';
import type { CaseCode } from '../../src/shared/ids.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { fileReport } from '../support/intake-driver.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('exactly once after a successful send', () => {
  it('re-running the staff and reporter flushes of a case sends nothing again', async () => {
    h = await startHotline({ threading: 'topics' });
    const hotline = h;
    const user = hotline.api.addUser({ firstName: 'X', languageCode: 'en' });
    await fileReport(hotline.api, user, { account: ['only once please'] });
    const posted = await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text?.endsWith('only once please')), {
      timeoutMs: 10_000,
    });
    hotline.api.sendGroup(hotline.staffGroup, hotline.counsellor, 'answer once', { threadId: posted.message_thread_id! });
    await hotline.api.waitFor(() => hotline.api.messagesIn(user.id).find((m) => m.text?.endsWith('answer once')), { timeoutMs: 10_000 });

    const redis = new Redis(hotline.redis.url, { maxRetriesPerRequest: null });
    const code = /([0-9A-Z]{3}-[0-9A-Z]{3})/.exec(hotline.api.topics(hotline.staffGroup.id)[0]!.name)![1] as CaseCode;
    const caseId = await redis.get(redisKeys.code(code));
    const staffQueue = new Queue(queueNames.staff, { connection: redis, prefix: queuePrefix });
    const reporterQueue = new Queue(queueNames.reporter, { connection: redis, prefix: queuePrefix });
    const again = [
      await staffQueue.add('post', { caseId, seq: 1 }, { jobId: `again.staff.${caseId}` }),
      await reporterQueue.add('deliver', { caseId, seq: 1 }, { jobId: `again.reporter.${caseId}` }),
    ];
    for (let i = 0; i < 100; i++) {
      const states = await Promise.all(again.map((j) => j.getState()));
      if (states.every((s) => s === 'completed')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await Promise.all(again.map((j) => j.getState()))).toEqual(['completed', 'completed']);
    expect(hotline.api.messagesIn(hotline.staffGroup.id).filter((m) => m.text?.endsWith('only once please'))).toHaveLength(1);
    expect(hotline.api.messagesIn(user.id).filter((m) => m.text?.endsWith('answer once'))).toHaveLength(1);
    await staffQueue.close();
    await reporterQueue.close();
    redis.disconnect();
  });
});
