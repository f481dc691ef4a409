// The benchmark's scenarios. Each builds its own stage, so runs do not share state.
import { Redis } from 'ioredis';
import type { RateLimits } from '../src/sandbox/bot-api/index.js';
import { openCases } from './intake.js';
import { addReporters, measure, stage, type Rig, type RunResult, type Stage } from './measure.js';

export interface UnthrottledPlan {
  reporters: number;
  messagesPerReporter: number;
  /** 0 = burst */
  rate: number;
  drainTimeoutMs: number;
}

/** The same load through Trustline and through the bare relay. */
export async function unthrottled(
  rig: Rig,
  plan: UnthrottledPlan,
  env: Record<string, string>,
  relays: readonly ('bare' | 'trustline')[] = ['bare', 'trustline'],
): Promise<Partial<Record<'trustline' | 'bare', RunResult>>> {
  const results: Partial<Record<'trustline' | 'bare', RunResult>> = {};
  for (const relay of relays) {
    const s = await stage(rig, { relay, answer: true, env: relay === 'trustline' ? env : {} });
    try {
      await warmUp(s, relay);
      const users = addReporters(s.api, s.traffic, plan.reporters, WARM_UP_REPORTERS);
      // Trustline: every reporter first files a report (not measured), so the measured
      // messages are follow-ups in open cases, numbered from m1.
      if (relay === 'trustline') await openCases(s.api, s.traffic.staffSends, users);
      results[relay] = await measure(s, users, { relay, answer: true, ...plan, ...(relay === 'trustline' ? { firstMessage: 1 } : {}) });
    } finally {
      await s.close();
    }
  }
  return results;
}

const WARM_UP_REPORTERS = 40;

/**
 * Not measured: a fresh process spends its first second or so compiling (JIT), which
 * would be billed to whichever messages came first. Other reporters, so the measured
 * run still opens its own cases.
 */
async function warmUp(s: Stage, relay: 'bare' | 'trustline'): Promise<void> {
  const users = addReporters(s.api, s.traffic, WARM_UP_REPORTERS);
  if (relay === 'trustline') await openCases(s.api, s.traffic.staffSends, users);
  await s.traffic.offer({ reporters: users, messagesPerReporter: 5, rate: 100, firstMessage: relay === 'trustline' ? 1 : 0 });
  await s.traffic.drained(60_000);
}

/** Telegram's published limits, as the emulator enforces them. */
export const TELEGRAM_LIMITS = { globalPerSecond: 30, perChatPerSecond: 1, perGroupPerMinute: 20 } satisfies RateLimits;

export interface ThrottledResult {
  run: RunResult;
  seconds: number;
  /** staff-chat sends counted in each whole minute since the first one */
  perMinute: number[];
  /** mean of perMinute over the group limit */
  shareOfLimit: number;
  /** messages still waiting in Redis / the emulator when the run ended: queued, not lost */
  waitingInRedis: number;
  waitingAsUpdates: number;
  lost: number;
  longestDelayMs: number;
}

/**
 * A continuous overload of the staff chat under Telegram's limits, for a bounded time:
 * how close to the group limit delivery runs, whether the bot caused any 429, and how
 * long messages wait. Messages still queued at the end are counted, not waited for.
 */
export async function throttled(rig: Rig, opts: { seconds: number; reporters: number; rate: number }, env: Record<string, string>): Promise<ThrottledResult> {
  const s = await stage(rig, { relay: 'trustline', answer: true, rateLimits: TELEGRAM_LIMITS, env });
  try {
    const users = addReporters(s.api, s.traffic, opts.reporters);
    // Not measured: each reporter files a report first, so the load is follow-ups in open cases.
    // Under the group limit the cases' opening posts trickle out at 20/min: wait for them,
    // or they would be counted below as the run's messages still waiting in Redis.
    await openCases(s.api, s.traffic.staffSends, users);
    const openedBy = Date.now() + 300_000;
    while ((await waitingMessages(s.redis)) > 0 && Date.now() < openedBy) await new Promise((r) => setTimeout(r, 1000));
    const leftOver = await waitingMessages(s.redis);
    if (leftOver > 0) process.stderr.write(`throttled: ${leftOver} intake messages still unposted after 5 min; counted as waiting\n`);
    const messagesPerReporter = Math.ceil((opts.rate * opts.seconds) / opts.reporters);
    const run = await measure(s, users, {
      relay: 'trustline',
      answer: true,
      firstMessage: 1,
      reporters: opts.reporters,
      messagesPerReporter,
      rate: opts.rate,
      offerForMs: opts.seconds * 1000,
      drainTimeoutMs: 0,
    });
    const sends = run.staffSends;
    const first = sends[0] ?? Date.now();
    const minutes = Math.floor((Date.now() - first) / 60_000);
    const perMinute = Array.from({ length: minutes }, (_, i) => sends.filter((t) => t >= first + i * 60_000 && t < first + (i + 1) * 60_000).length);
    const waitingInRedis = await waitingMessages(s.redis);
    const waitingAsUpdates = s.api.pendingUpdates;
    return {
      run,
      seconds: opts.seconds,
      perMinute,
      shareOfLimit: perMinute.length ? perMinute.reduce((a, b) => a + b, 0) / perMinute.length / TELEGRAM_LIMITS.perGroupPerMinute : NaN,
      waitingInRedis,
      waitingAsUpdates,
      lost: run.offered.messages - run.posted - waitingInRedis - waitingAsUpdates,
      longestDelayMs: Math.max(run.latencyIn.max || 0, run.oldestWaitingMs),
    };
  } finally {
    await s.close();
  }
}

/** Reporter messages stored but not yet posted to staff, over all cases. */
async function waitingMessages(redis: Redis): Promise<number> {
  let waiting = 0;
  for (const key of await redis.keys('tl:case:*')) {
    if (key.endsWith(':m')) continue;
    const [n, d] = await redis.hmget(key, 'n_in', 'd_in');
    waiting += Number(n ?? 0) - Number(d ?? 0);
  }
  return waiting;
}

export interface GrowthResult {
  openCases: number;
  probe: RunResult;
  redisBytesPerCase: number;
  /** bytes per case; `queue` is mostly BullMQ's event streams, capped per queue, so it falls as cases grow */
  breakdown: { metadata: number; content: number; updateMarks: number; queue: number };
  openSeconds: number;
}

/**
 * Opens K cases, then sends the same probe traffic (20 reporters among them, answered)
 * and measures what an extra open case costs: latency, CPU, Redis memory.
 */
export async function growth(rig: Rig, levels: number[], env: Record<string, string>): Promise<GrowthResult[]> {
  const out: GrowthResult[] = [];
  for (const k of levels) {
    const s = await stage(rig, { relay: 'trustline', answer: false, env });
    try {
      const users = addReporters(s.api, s.traffic, k);
      const memBefore = await usedMemory(s.redis);
      const queueBefore = await keyBytes(s.redis, 'tl:q:*');
      const t0 = Date.now();
      // Each case is opened by its reporter's intake conversation (rejects if one stalls).
      await openCases(s.api, s.traffic.staffSends, users);
      const openSeconds = (Date.now() - t0) / 1000;
      await new Promise((r) => setTimeout(r, 300)); // let the last jobs complete
      const memAfter = await usedMemory(s.redis);
      const breakdown = await caseBytes(s.redis, k, (await keyBytes(s.redis, 'tl:q:*')) - queueBefore);

      s.traffic.answer = true;
      const probeUsers = users.slice(0, Math.min(20, k));
      // Warm-up (not measured): with only 10 cases opened, the JIT would still be cold.
      await s.traffic.offer({ reporters: probeUsers, messagesPerReporter: Math.ceil(100 / probeUsers.length), firstMessage: 1, rate: 100 });
      await s.traffic.drained(60_000);
      const probe = await measure(s, probeUsers, {
        relay: 'trustline',
        answer: true,
        reporters: probeUsers.length,
        messagesPerReporter: Math.ceil(200 / probeUsers.length),
        firstMessage: 1 + Math.ceil(100 / probeUsers.length),
        rate: 100,
        drainTimeoutMs: 60_000,
      });
      out.push({ openCases: k, probe, redisBytesPerCase: (memAfter - memBefore) / k, breakdown, openSeconds });
    } finally {
      await s.close();
    }
  }
  return out;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
}

async function keyBytes(redis: Redis, pattern: string): Promise<number> {
  let total = 0;
  for (const key of await redis.keys(pattern)) total += Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
  return total;
}

/**
 * Per open case: the case itself (record, reporter and code lookups, thread map), its
 * encrypted messages, the redelivery marks of its updates, and BullMQ's job records.
 */
async function caseBytes(redis: Redis, cases: number, queueBytes: number): Promise<GrowthResult['breakdown']> {
  const metadata =
    (await keyBytes(redis, 'tl:case:*')) -
    (await keyBytes(redis, 'tl:case:*:m')) +
    (await keyBytes(redis, 'tl:reporter:*')) +
    (await keyBytes(redis, 'tl:code:*')) +
    (await keyBytes(redis, 'tl:staff:*'));
  const content = await keyBytes(redis, 'tl:case:*:m');
  const updateMarks = await keyBytes(redis, 'tl:update:*');
  return { metadata: metadata / cases, content: content / cases, updateMarks: updateMarks / cases, queue: queueBytes / cases };
}
