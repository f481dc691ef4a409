// Scale-out: one `trustline start` taking Telegram updates (TRUSTLINE_ROLES=telegram)
// and two working the queues (TRUSTLINE_ROLES=workers), as separate processes against
// one Redis and one Bot API server. Every reporter message reaches the staff chat and
// every answer reaches its reporter exactly once, in each case's order, and both worker
// processes share the work.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { queueNames } from '../../src/queue/jobs.js';
import { queuePrefix, redisKeys } from '../../src/store/redis-keys.js';
import { until } from '../support/fake-whatsapp.js';
import { fileReport } from '../support/intake-driver.js';
import { answerEveryPost, marksIn } from '../support/marked-traffic.js';
import { useProcessHotline } from '../support/trustline-process.js';

const hotline = useProcessHotline();
const connections: { close(): Promise<unknown> }[] = [];
afterAll(async () => {
  for (const c of connections.reverse()) await c.close();
});

/** Log events of one process, counted by name (the log holds no content, so this is all there is to see). */
const events = (logs: string, name: string) => logs.split('\n').filter((l) => l.includes(`"event":"${name}"`)).length;

describe('scale-out: one process taking updates, two worker processes, one Redis', () => {
  it('delivers every message and answer exactly once, in order, with both workers doing work', async () => {
    const { api } = hotline;
    const counsellor = api.addUser({ firstName: 'Dana' });
    const staff = api.addGroup({ title: 'Staff', forum: true, members: [counsellor] });
    api.setProtectedContent(staff, true); // set up as the README asks
    const env = hotline.env(staff, counsellor, { TELEGRAM_RATE_LIMITS: 'off' });
    const redis = new Redis(hotline.redis.url, { maxRetriesPerRequest: null });
    connections.push({ close: async () => redis.disconnect() });
    const queue = (name: string) => {
      const q = new Queue(name, { connection: redis, prefix: queuePrefix });
      connections.push(q);
      return q;
    };
    const queues = [queueNames.route, queueNames.staff, queueNames.reporter].map(queue);
    const started = async (child: ChildProcess, label: string) =>
      until(() => hotline.outputOf(child).includes('"event":"started"'), { timeoutMs: 30_000, label: `${label} started` });

    const updates = hotline.start({ ...env, TRUSTLINE_ROLES: 'telegram' });
    await started(updates, 'the telegram process');

    // Alone, the process taking updates holds the conversations and queues the cases,
    // but works no queue: the route jobs wait for a worker.
    const reporters = Array.from({ length: 6 }, (_, i) => api.addUser({ firstName: `R${i}`, languageCode: 'en' }));
    const codes: string[] = [];
    for (const r of reporters) codes.push((await fileReport(api, r)).code);
    expect(await queues[0]!.getJobCounts('waiting', 'active')).toEqual({ waiting: reporters.length, active: 0 });
    expect(api.messagesIn(staff)).toEqual([]);

    const workers = [hotline.start({ ...env, TRUSTLINE_ROLES: 'workers' }), hotline.start({ ...env, TRUSTLINE_ROLES: 'workers' })];
    await Promise.all(workers.map((w, i) => started(w, `worker ${i + 1}`)));
    const reportPosts = () => api.messagesIn(staff).filter((m) => codes.some((code) => m.text?.includes(code) && m.text.includes('dormitory')));
    await api.waitFor(() => reportPosts().length >= reporters.length, { timeoutMs: 30_000, label: 'every report in the staff chat' });

    // The counsellor answers every post that carries a reporter's message, in its topic.
    const counsellorAnswers = answerEveryPost(api, staff, counsellor);
    const MESSAGES = 4;
    for (let n = 1; n <= MESSAGES; n++) reporters.forEach((r, i) => api.sendPrivate(r, `r${i}m${n} confidential-detail`));

    const total = reporters.length * MESSAGES;
    await api.waitFor(
      () =>
        marksIn(
          api.messagesIn(staff).filter((m) => m.from?.is_bot),
          'r',
        ).length >= total,
      {
        timeoutMs: 60_000,
        label: 'every reporter message in the staff chat',
      },
    );
    const delivered = () => reporters.reduce((n, r) => n + marksIn(api.messagesIn(r), 'a').length, 0);
    await api.waitFor(() => counsellorAnswers.answers() > 0 && delivered() >= counsellorAnswers.answers(), {
      timeoutMs: 60_000,
      label: 'every answer delivered',
    });
    // Nothing left that could still send: no case pending, no flush or route job anywhere.
    await until(
      async () => {
        const pending = (await redis.scard(redisKeys.pending('in'))) + (await redis.scard(redisKeys.pending('out')));
        const jobs = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
        return pending === 0 && jobs.every((c) => Object.values(c).every((n) => n === 0));
      },
      { timeoutMs: 30_000, label: 'the queues to drain' },
    );

    const posted = marksIn(
      api.messagesIn(staff).filter((m) => m.from?.is_bot),
      'r',
    );
    expect(posted).toHaveLength(total);
    reporters.forEach((r, i) => {
      expect(posted.filter((m) => m.startsWith(`${i}:`))).toEqual([1, 2, 3, 4].map((n) => `${i}:${n}`));
      const got = marksIn(api.messagesIn(r), 'a');
      expect(new Set(got).size).toBe(got.length);
      expect(got.every((m) => m.startsWith(`${i}:`))).toBe(true);
      const order = got.map((m) => Number(m.split(':')[1]));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    });
    expect(delivered()).toBe(counsellorAnswers.answers());
    expect(reportPosts()).toHaveLength(reporters.length);

    // Who did what. Only the telegram process took updates, and it sent nothing from a
    // queue; each worker process posted to staff or delivered answers. (Redis hands a
    // woken queue to the worker connection that has waited longest, so with dozens of
    // jobs both processes get some.)
    const work = (child: ChildProcess) => events(hotline.outputOf(child), 'staff.posted') + events(hotline.outputOf(child), 'reporter.delivered');
    expect(work(updates)).toBe(0);
    for (const w of workers) expect(work(w)).toBeGreaterThan(0);
    expect(events(hotline.outputOf(updates), 'staff.answer')).toBe(counsellorAnswers.answers());
    for (const w of workers) expect(events(hotline.outputOf(w), 'staff.answer')).toBe(0);
    // Three processes, one getUpdates loop: Telegram would answer a second poller with 409.
    expect(api.callsTo('getUpdates').every((c) => c.response?.ok !== false)).toBe(true);
    expect(api.callsTo('setWebhook')).toHaveLength(0);

    const logs = hotline.output.join('');
    expect(logs).not.toContain('confidential-detail');
    for (const r of reporters) expect(logs).not.toContain(String(r.id));
  }, 180_000);
});
