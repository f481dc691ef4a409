// Redis failover with Sentinel, end to end: a primary, a replica and three Sentinels on
// loopback; the real bot and the local Bot API server; a stream of a reporter's messages
// and a counsellor's answers; the primary killed (SIGKILL) mid-stream. Trustline follows
// the failover without a restart, loses nothing it acknowledged, relays nothing twice, and
// the test prints how long it was without service (a figure, not asserted as a time).
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startHotline, type Hotline } from '../support/hotline.js';
import { fileReport } from '../support/intake-driver.js';
import { SENTINEL_NAME, startSentinelSet, type SentinelSet } from '../support/sentinel.js';

let h: Hotline | undefined;
let set: SentinelSet | undefined;
afterEach(async () => {
  await h?.stop();
  await set?.stop();
  h = undefined;
  set = undefined;
});

const texts = (api: Hotline['api'], chat: number) => api.messagesIn(chat).map((m) => m.text ?? '');

describe('Redis failover with Sentinel', () => {
  it('keeps running through a failover: every message and answer once, in order, without a restart', async () => {
    set = await startSentinelSet();
    h = await startHotline({ threading: 'topics', env: { REDIS_SENTINELS: set.sentinels, REDIS_SENTINEL_NAME: SENTINEL_NAME } });
    const { api, staffGroup, counsellor } = h;
    const user = api.addUser({ firstName: 'S', languageCode: 'en' });
    await fileReport(api, user);
    const topic = await api.waitFor(() => api.topics(staffGroup.id)[0]?.message_thread_id, { timeoutMs: 15_000 });

    const sent: string[] = [];
    const answers: string[] = [];
    let killedAt = 0;
    let back: Promise<number> = Promise.resolve(0);
    for (let i = 1; i <= 40; i++) {
      const text = `s${String(i).padStart(2, '0')} failover`;
      sent.push(text);
      api.sendPrivate(user, text);
      if (i % 10 === 5) {
        const answer = `answer ${i} failover`;
        answers.push(answer);
        api.sendGroup(staffGroup, counsellor, answer, { threadId: topic });
      }
      if (i === 12) {
        set.killPrimary();
        killedAt = Date.now();
        // Without service: from the kill until the first message after it reaches the staff chat.
        back = api
          .waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text === sent[12]), { timeoutMs: 120_000, label: 'the first message after the kill' })
          .then(() => Date.now());
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const posted = () => texts(api, staffGroup.id).filter((t) => / failover$/.test(t) && t.startsWith('s'));
    await api.waitFor(() => posted().length >= sent.length || undefined, { timeoutMs: 120_000, label: 'every message in the staff chat' });
    const delivered = () => texts(api, user.id).filter((t) => / failover$/.test(t));
    await api.waitFor(() => delivered().length >= answers.length || undefined, { timeoutMs: 60_000, label: 'every answer' });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(posted()).toEqual(sent);
    expect(delivered().map((t) => t.split('\n').at(-1))).toEqual(answers);
    expect(await set.primaryNow()).toBe(set.replicaPort);

    process.stdout.write(`sentinel failover: without service for ${((await back) - killedAt) / 1000} s\n`);
    // It was the Sentinels' Redis that Trustline used, now the promoted replica.
    const promoted = new Redis({ port: set.replicaPort });
    const own = new Redis(h.redis.url);
    try {
      expect((await promoted.keys('tl:case:*')).length).toBeGreaterThan(0);
      expect(await own.keys('tl:case:*')).toEqual([]);
    } finally {
      promoted.disconnect();
      own.disconnect();
    }
  }, 240_000);
});
