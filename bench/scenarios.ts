// The benchmark's scenarios. Each builds its own stage, so runs do not share state.
import { Redis } from 'ioredis';
import type { RateLimits } from '../src/sandbox/bot-api/index.js';
import { loadKeys } from '../src/keys/loading.js';
import { openCases } from './intake.js';
import { writeOpenCases } from './open-cases.js';
import { addReporters, measure, stage, usedMemory, type Rig, type RunResult, type Stage } from './measure.js';

export interface UnthrottledPlan {
  reporters: number;
  messagesPerReporter: number;
  /** 0 = burst */
  rate: number;
  drainTimeoutMs: number;
}

/**
 * The same load through Trustline and through the bare relay: one process per relay
 * takes every plan in turn (a burst, then each paced rate), so Trustline's reporters go
 * through the intake once (not measured) and every measured message is a follow-up in
 * an open case or a counsellor's answer. Figures are per run (usage is reset in between).
 */
export async function unthrottled(
  rig: Rig,
  plans: UnthrottledPlan[],
  reporterCount: number,
  env: Record<string, string>,
  relays: readonly ('bare' | 'trustline')[] = ['bare', 'trustline'],
): Promise<Partial<Record<'trustline' | 'bare', RunResult>>[]> {
  const results: Partial<Record<'trustline' | 'bare', RunResult>>[] = plans.map(() => ({}));
  for (const relay of relays) {
    const s = await stage(rig, { relay, answer: true, env: relay === 'trustline' ? env : {} });
    try {
      await warmUp(s, relay);
      const users = addReporters(s.api, s.traffic, reporterCount, WARM_UP_REPORTERS);
      if (relay === 'trustline') await openCases(s.api, s.traffic.staffSends, users);
      // Markers r<i>m<n> stay unique across the runs: each run numbers on from the last.
      let next = relay === 'trustline' ? 1 : 0;
      for (const [i, plan] of plans.entries()) {
        results[i]![relay] = await measure(s, users, { relay, answer: true, ...plan, firstMessage: next });
        next += plan.messagesPerReporter;
      }
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
  /** used_memory growth per case while the open cases were written */
  redisBytesPerCase: number;
  /** bytes per case by kind: record and lookups (case hash, reporter, code, staff topic map, load sets), encrypted messages, redelivery marks */
  breakdown: { metadata: number; content: number; updateMarks: number };
  openSeconds: number;
}

const PROBES = 20;

/**
 * With K cases open (20 through the intake, the rest written straight into the store,
 * see open-cases.ts), the same probe: 20 reporters, 200 follow-ups at 100/s, answered.
 * What an extra open case costs: latency, CPU, Redis memory.
 */
export async function growth(rig: Rig, levels: number[], env: Record<string, string>): Promise<GrowthResult[]> {
  const keys = await loadKeys(rig.keysDir);
  const out: GrowthResult[] = [];
  for (const k of levels) {
    const s = await stage(rig, { relay: 'trustline', answer: false, env });
    try {
      const probeUsers = addReporters(s.api, s.traffic, Math.min(PROBES, k));
      await openCases(s.api, s.traffic.staffSends, probeUsers);
      const background = k - probeUsers.length;
      const memBefore = await usedMemory(s.redis);
      const t0 = Date.now();
      await writeOpenCases(s.redis, keys, background);
      const openSeconds = (Date.now() - t0) / 1000;
      const memAfter = await usedMemory(s.redis);
      const breakdown = await caseBytes(s.redis, k);

      s.traffic.answer = true;
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
      out.push({ openCases: k, probe, redisBytesPerCase: background > 0 ? (memAfter - memBefore) / background : NaN, breakdown, openSeconds });
    } finally {
      await s.close();
    }
  }
  return out;
}

async function keyBytes(redis: Redis, pattern: string): Promise<number> {
  const keys = await redis.keys(pattern);
  let total = 0;
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = redis.pipeline();
    for (const key of keys.slice(i, i + 1000)) batch.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    for (const [, bytes] of (await batch.exec()) ?? []) total += Number(bytes ?? 0);
  }
  return total;
}

/** Per open case: the case itself (record, reporter and code lookups, topic map, load sets), its encrypted messages, the redelivery marks of its updates. */
async function caseBytes(redis: Redis, cases: number): Promise<GrowthResult['breakdown']> {
  const metadata =
    (await keyBytes(redis, 'tl:case:*')) -
    (await keyBytes(redis, 'tl:case:*:m')) +
    (await keyBytes(redis, 'tl:reporter:*')) +
    (await keyBytes(redis, 'tl:code:*')) +
    (await keyBytes(redis, 'tl:staff:*')) +
    (await keyBytes(redis, 'tl:duty:open:*'));
  const content = await keyBytes(redis, 'tl:case:*:m');
  const updateMarks = await keyBytes(redis, 'tl:update:*');
  return { metadata: metadata / cases, content: content / cases, updateMarks: updateMarks / cases };
}
