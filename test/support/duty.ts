// Helpers for duty-roster tests: a clock the test moves, local times in Almaty, the
// staff chat as people use it, and the delayed BullMQ jobs behind SLAs and shifts.
import { Queue, type Job } from 'bullmq';

/** The duty queues' jobs all name their case. */
type CaseJob = Job<{ caseId: string }>;
import { Redis } from 'ioredis';
import type { Message, User } from 'grammy/types';
import type { Clock } from '../../src/shared/clock.js';
import { instantOf } from '../../src/shared/zoned-time.js';
import { queuePrefix, redisKeys } from '../../src/store/redis-keys.js';
import type { CaseCode, CaseId } from '../../src/shared/ids.js';
import type { Hotline } from './hotline.js';
import { fileReport } from './intake-driver.js';

export class TestClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
}

/** An instant given as Almaty wall time, e.g. '2025-05-12T10:00' (a Monday). */
export function almaty(iso: string): number {
  const [date, time] = iso.split('T') as [string, string];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return instantOf({ y, m, d }, hh * 60 + mm, 'Asia/Almaty');
}

export const CODE = /([0-9A-Z]{3}-[0-9A-Z]{3})/;
const T = { timeoutMs: 10_000 };

export function staffChat(h: Hotline) {
  const texts = () => h.api.messagesIn(h.staffGroup.id);
  return {
    /** Someone writes in the staff chat (in a topic when threadId is given). */
    say(user: { id: number }, text: string, threadId?: number): Message {
      return h.api.sendGroup(h.staffGroup, user, text, threadId !== undefined ? { threadId } : {});
    },
    /** The bot's first message in the staff chat, after `after`, that matches. */
    async next(pred: (m: Message) => boolean, after = 0): Promise<Message> {
      return h.api.waitFor(() => texts().find((m) => m.message_id > after && pred(m)), T);
    },
    /** Says something and waits for the bot's answer to it (in the same thread). */
    async ask(user: { id: number }, text: string, threadId?: number): Promise<Message> {
      const sent = this.say(user, text, threadId);
      return h.api.waitFor(
        () =>
          texts().find(
            (m) =>
              m.message_id > sent.message_id &&
              (threadId === undefined || m.message_thread_id === threadId) &&
              m.reply_to_message?.message_id === sent.message_id,
          ),
        T,
      );
    },
    texts: () => texts().map((m) => m.text ?? ''),
  };
}

/**
 * A reporter goes through the intake with quick answers and `text` as their account;
 * resolves with their case code and the case's topic.
 */
export async function report(h: Hotline, user: User, text: string): Promise<{ code: CaseCode; caseId: CaseId; thread: number }> {
  const code = (await fileReport(h.api, user, { account: [text] })).code as CaseCode;
  const topic = await h.api.waitFor(() => h.api.topics(h.staffGroup.id).find((t) => t.name.includes(code)), T);
  const redis = new Redis(h.redis.url);
  const caseId = (await redis.get(redisKeys.code(code))) as CaseId;
  redis.disconnect();
  return { code, caseId, thread: topic.message_thread_id };
}

/** A bot message mentioning `user` (a text_mention entity: they get notified). */
export const mentions = (m: Message, user: { id: number }) => (m.entities ?? []).some((e) => e.type === 'text_mention' && e.user.id === user.id);

export async function withQueue<T>(h: Hotline, name: string, fn: (q: Queue<CaseJob['data']>) => Promise<T>): Promise<T> {
  const connection = new Redis(h.redis.url, { maxRetriesPerRequest: null });
  const q = new Queue<CaseJob['data']>(name, { connection, prefix: queuePrefix });
  try {
    return await fn(q);
  } finally {
    await q.close();
    connection.disconnect();
  }
}

/** The delayed job of a queue that matches, once it is there. */
export async function delayedJob(h: Hotline, name: string, pred: (j: CaseJob) => boolean): Promise<CaseJob> {
  return withQueue(h, name, async (q) => {
    for (let i = 0; i < 200; i++) {
      const job = (await q.getDelayed()).find(pred);
      if (job) return job;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no delayed ${name} job matched`);
  });
}

/** Lets a delayed job run now (time travel for BullMQ; the app's clock is moved separately). */
export async function promote(h: Hotline, name: string, pred: (j: CaseJob) => boolean): Promise<CaseJob> {
  const job = await delayedJob(h, name, pred);
  await withQueue(h, name, async (q) => (await q.getJob(job.id!))!.promote());
  return job;
}

export async function caseField(h: Hotline, caseId: CaseId, field: string): Promise<string | null> {
  const redis = new Redis(h.redis.url);
  try {
    return await redis.hget(redisKeys.case(caseId), field);
  } finally {
    redis.disconnect();
  }
}
