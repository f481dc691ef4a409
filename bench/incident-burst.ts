// The incident at scale: hundreds of new cases in five minutes, some of them urgent,
// while counsellors go on answering conversations already open. Telegram lets a bot
// post about 20 messages a minute in a group, so the whole burst takes a quarter of an
// hour of the staff chat's budget; to run in a few minutes it is replayed on a faster
// clock: the emulator's minute, Trustline's idea of it (TELEGRAM_MINUTE_MS) and the
// per-second limits are all scaled by `scale`, and every time is reported both as
// measured and in simulated time (measured × scale).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { Message, User } from 'grammy/types';
import type { RateLimits } from '../src/sandbox/bot-api/index.js';
import { kazakhTeam } from './incident.js';
import { openCase, openUrgentCase } from './intake.js';
import { stage, type Rig } from './measure.js';
import { latency, type Latency } from './traffic.js';

export interface BurstPlan {
  cases: number;
  urgent: number;
  /** open conversations whose reporters write (and are answered) during the burst */
  conversations: number;
  /** the burst's length in simulated time */
  simulatedMs: number;
  /** how much faster than real time the burst is replayed */
  scale: number;
}

export interface BurstResult {
  chats: number;
  scale: number;
  cases: number;
  urgent: number;
  conversations: number;
  /** simulated ms from an urgent reporter's "yes, I am in danger" to the case's first staff post */
  urgentFirstPostMs: Latency;
  /** … to the on-duty counsellor being told (the post's mention, or a private message) */
  urgentAlertMs: Latency;
  /** simulated ms from a counsellor's answer to the reporter having it */
  answerMs: Latency;
  /** simulated ms from a reporter's message in an open conversation to its staff post */
  replyMs: Latency;
  /** simulated ms from the first Send to the last case visible to staff */
  allVisibleMs: number;
  /** the least the group limit allows for the posts needed (greedy schedule of the same arrivals) */
  minimumMs: number;
  ratioToMinimum: number;
  /** bot posts naming a case of the burst, per case (none has evidence) */
  postsPerOpening: number;
  /** posts made ÷ the group limit, in each chat's whole minutes between its first and its last (the lowest chat) */
  utilisation: number;
  /** cases made visible after a case of the same class (urgent, ordinary) in the same staff chat sent later */
  overtaken: number;
  /** each overtaken case: how much earlier it was sent than the latest case that overtook it, and how much later posted (real ms) */
  overtaking: { sentBeforeMs: number; postedAfterMs: number; urgent: boolean }[];
  tooManyRequests: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  peakRssMiB: number;
  /** measured (not simulated) length of the burst's run, s */
  realSeconds: number;
  /** each staff chat's posts in each (scaled) minute from its first post of the burst: the limit is 20 */
  perMinute: number[][];
}

const GROUP_PER_MINUTE = 20;

/** The same burst against one staff chat, then two (Kazakh reports to their own team). */
export async function incidentBurst(rig: Rig, plan: BurstPlan, env: Record<string, string>): Promise<BurstResult[]> {
  const results: BurstResult[] = [];
  // BENCH_BURST_CHATS=2 runs one of the two (while tuning).
  for (const chats of [1, 2].filter((c) => !process.env.BENCH_BURST_CHATS || String(c) === process.env.BENCH_BURST_CHATS))
    results.push(await burstRun(rig, plan, env, chats));
  return results;
}

async function burstRun(rig: Rig, plan: BurstPlan, env: Record<string, string>, chats: number): Promise<BurstResult> {
  const F = plan.scale;
  const minuteMs = Math.round(60_000 / F);
  const rateLimits: RateLimits = { globalPerSecond: 30 * F, perChatPerSecond: F, perGroupPerMinute: GROUP_PER_MINUTE, minuteMs };
  const dir = await mkdtemp(join(os.tmpdir(), 'trustline-bench-burst-'));
  const team = kazakhTeam(dir);
  const s = await stage(rig, {
    relay: 'trustline',
    answer: true,
    rateLimits,
    env: {
      ...env,
      TELEGRAM_MINUTE_MS: String(minuteMs),
      TELEGRAM_CHAT_PER_SECOND: String(F),
      TELEGRAM_GLOBAL_PER_SECOND: String(30 * F),
    },
    ...(chats === 2 ? { chats: team.chats } : {}),
  });
  try {
    const { api, traffic, counsellor } = s;
    const staffChats = new Set([s.staff.id, ...(team.id !== undefined ? [team.id] : [])]);
    // Every bot message in a staff chat or to the counsellor, with when: a case is visible at the first post naming its code.
    const posts: { at: number; chat: number; codes: string[] }[] = [];
    const firstPost = new Map<string, number>();
    const alerted = new Map<string, number>();
    const codesIn = (m: Message) => (m.text ?? m.caption ?? '').match(/[0-9A-Z]{3}-[0-9A-Z]{3}/g) ?? [];
    const stop = api.onBotMessage((m) => {
      const at = Date.now();
      const codes = codesIn(m);
      const mentions = (m.entities ?? []).some((e) => e.type === 'text_mention' && e.user.id === counsellor.id);
      if (m.chat.id === counsellor.id || (staffChats.has(m.chat.id) && mentions)) for (const c of codes) if (!alerted.has(c)) alerted.set(c, at);
      if (!staffChats.has(m.chat.id)) return;
      posts.push({ at, chat: m.chat.id, codes });
      for (const c of codes) if (!firstPost.has(c)) firstPost.set(c, at);
    });

    // Before the burst, not measured: the bot knows the counsellor's name (to mention her), the
    // conversations are open, and the staff chats' minute is clear again.
    api.sendGroup(s.staff, counsellor, 'Привет');
    // Half of them in Kazakh, like the reports: with two chats, the Kazakh team answers those.
    const talking = Array.from({ length: plan.conversations }, (_, i) => api.addUser({ firstName: `C${i}`, languageCode: i % 2 ? 'kk' : 'ru' }));
    traffic.addReporters(talking);
    if (team.id !== undefined) {
      // She works in both chats (an admin puts her on the Kazakh team too), and answers there.
      traffic.addStaffChat({ id: team.id });
      api.addMember({ id: team.id }, counsellor);
      const ask = api.sendGroup(s.staff, counsellor, '/staff add @dana_bench ru main kazakh');
      await api.waitFor(() => api.messagesIn(s.staff.id).some((m) => m.from?.is_bot && m.reply_to_message?.message_id === ask.message_id), {
        timeoutMs: 30_000,
      });
    }
    const warm = await inBatches(talking, 10, (u) => openCase(api, u, 300_000));
    await until(() => warm.every((w) => firstPost.has(w.code)), 300_000);
    await new Promise((r) => setTimeout(r, minuteMs + 500));

    const usageBefore = await s.child.usage({ reset: true });
    const tooManyBefore = api.stats.tooManyRequests;
    const postsBefore = posts.length;
    const started = Date.now();
    const gap = plan.simulatedMs / F / plan.cases;
    // Spread through the burst, in both languages.
    const urgentAt = new Set(Array.from({ length: plan.urgent }, (_, k) => Math.floor(((k + 0.5) * plan.cases) / plan.urgent) + (k % 2)));
    const users: User[] = Array.from({ length: plan.cases }, (_, i) => api.addUser({ firstName: `B${i}`, languageCode: i % 2 ? 'kk' : 'ru' }));
    const conversation = traffic.offer({
      reporters: talking,
      messagesPerReporter: 1,
      firstMessage: 1,
      rate: plan.conversations / (plan.simulatedMs / F / 1000),
    });
    const filed = await Promise.all(
      users.map(async (user, i) => {
        await new Promise((r) => setTimeout(r, i * gap));
        const urgent = urgentAt.has(i);
        const f = await (urgent ? openUrgentCase(api, user, 600_000) : openCase(api, user, 600_000));
        return { ...f, urgent, kazakh: i % 2 === 1 };
      }),
    );
    await conversation;
    const expected = Math.ceil((plan.cases + plan.conversations) / GROUP_PER_MINUTE) * minuteMs * 2 + 120_000;
    await until(() => filed.every((f) => firstPost.has(f.code)) && traffic.settled(), expected);
    stop();
    const usage = await s.child.usage();

    const sim = (l: Latency): Latency => ({ count: l.count, p50: l.p50 * F, p95: l.p95 * F, p99: l.p99 * F, max: l.max * F });
    const by = (which: typeof filed) => ({ sent: new Map(which.map((f) => [f.code, f.sentAt])), seen: firstPost });
    const urgent = filed.filter((f) => f.urgent);
    const u = by(urgent);
    const first = Math.min(...filed.map((f) => f.sentAt));
    const burstPosts = posts.slice(postsBefore);
    const codes = new Set(filed.map((f) => f.code));

    // The least time the group limit allows: each chat's needed posts (one per case, one per
    // conversation message) at their arrival, greedily, never more than 20 in any minute.
    const chatOf = (f: (typeof filed)[number]) => (team.id !== undefined && f.kazakh ? team.id : s.staff.id);
    const arrivals = new Map<number, number[]>();
    for (const f of filed) arrivals.set(chatOf(f), [...(arrivals.get(chatOf(f)) ?? []), f.sentAt]);
    const talkerChat = new Map(talking.map((u, i) => [`r${i}m1`, team.id !== undefined && u.language_code === 'kk' ? team.id : s.staff.id]));
    for (const [marker, at] of traffic.sentAt) {
      const chat = talkerChat.get(marker) ?? s.staff.id;
      arrivals.set(chat, [...(arrivals.get(chat) ?? []), at]);
    }
    const minimumEnd = Math.max(...[...arrivals.values()].map((a) => greedyEnd(a, GROUP_PER_MINUTE, minuteMs)));

    const perMinute = [...staffChats].map((chat) => {
      const times = burstPosts.filter((p) => p.chat === chat).map((p) => p.at);
      const counts: number[] = [];
      for (const at of times) counts[Math.floor((at - times[0]!) / minuteMs)] = (counts[Math.floor((at - times[0]!) / minuteMs)] ?? 0) + 1;
      return Array.from(counts, (n) => n ?? 0);
    });
    // While a backlog exists: the whole minutes between a chat's first (still filling as
    // reports arrive) and its last (the line running out).
    const utilisations = perMinute.flatMap((counts) =>
      counts.length > 2 ? [counts.slice(1, -1).reduce((a, b) => a + b, 0) / ((counts.length - 2) * GROUP_PER_MINUTE)] : [],
    );
    // In one line: the same class in the same staff chat (each chat has its own 20 a minute).
    const overtaking: { sentBeforeMs: number; postedAfterMs: number; urgent: boolean }[] = [];
    for (const a of filed) {
      const later = filed.filter(
        (b) =>
          b.urgent === a.urgent && chatOf(b) === chatOf(a) && b.sentAt > a.sentAt && (firstPost.get(b.code) ?? Infinity) < (firstPost.get(a.code) ?? Infinity),
      );
      if (later.length === 0) continue;
      const b = later.reduce((x, y) => (y.sentAt - a.sentAt > x.sentAt - a.sentAt ? y : x));
      overtaking.push({ sentBeforeMs: b.sentAt - a.sentAt, postedAfterMs: firstPost.get(a.code)! - firstPost.get(b.code)!, urgent: a.urgent });
    }
    const lastVisible = Math.max(...filed.map((f) => firstPost.get(f.code) ?? NaN));
    const notPosted = [...traffic.sentAt.keys()].filter((m) => !traffic.postedAt.has(m)).length;
    const notAnswered = [...traffic.answerSentAt.keys()].filter((m) => !traffic.answeredAt.has(m)).length;
    return {
      chats,
      scale: F,
      cases: plan.cases,
      urgent: plan.urgent,
      conversations: plan.conversations,
      urgentFirstPostMs: sim(latency(u.sent, u.seen)),
      urgentAlertMs: sim(latency(u.sent, alerted)),
      answerMs: sim(latency(traffic.answerSentAt, traffic.answeredAt)),
      replyMs: sim(latency(traffic.sentAt, traffic.postedAt)),
      allVisibleMs: (lastVisible - first) * F,
      minimumMs: (minimumEnd - first) * F,
      ratioToMinimum: (lastVisible - first) / (minimumEnd - first),
      postsPerOpening: burstPosts.filter((p) => p.codes.some((c) => codes.has(c))).length / plan.cases,
      utilisation: utilisations.length ? Math.min(...utilisations) : NaN,
      overtaken: overtaking.length,
      overtaking,
      tooManyRequests: api.stats.tooManyRequests - tooManyBefore,
      lost: filed.filter((f) => !firstPost.has(f.code)).length + notPosted + notAnswered,
      duplicated: traffic.duplicates + traffic.answerDuplicates,
      outOfOrder: traffic.outOfOrder,
      peakRssMiB: Math.max(usage.peakRssBytes, usageBefore.peakRssBytes) / 2 ** 20,
      realSeconds: (Date.now() - started) / 1000,
      perMinute,
    };
  } finally {
    await s.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** When the last of these posts could go, each at its arrival or as soon as the window has room. */
export function greedyEnd(arrivals: number[], perWindow: number, windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  const at: number[] = [];
  for (const [i, arrival] of sorted.entries()) at.push(i < perWindow ? arrival : Math.max(arrival, at[i - perWindow]! + windowMs));
  return at[at.length - 1] ?? NaN;
}

async function inBatches<T, R>(items: T[], concurrency: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await each(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

const s = (ms: number) => `${Math.round(ms / 1000)} s`;

export function burstTable(results: BurstResult[]): string {
  const lines = results.flatMap((r) => [
    `  ${r.chats} staff chat${r.chats > 1 ? 's' : ''} (replayed ${r.scale}× faster, ${Math.round(r.realSeconds)} s real; times simulated):`,
    `    urgent: first post p50 ${s(r.urgentFirstPostMs.p50)}, max ${s(r.urgentFirstPostMs.max)}; on-duty told p50 ${s(r.urgentAlertMs.p50)}, max ${s(r.urgentAlertMs.max)}`,
    `    answers to reporters p50 ${s(r.answerMs.p50)}, max ${s(r.answerMs.max)}; reporters' replies posted p50 ${s(r.replyMs.p50)}, max ${s(r.replyMs.max)}`,
    `    every case visible after ${s(r.allVisibleMs)} (the group limit's least: ${s(r.minimumMs)}, ratio ${r.ratioToMinimum.toFixed(2)}); ` +
      `${r.postsPerOpening.toFixed(2)} posts a case; utilisation ${(r.utilisation * 100).toFixed(1)}%`,
    `    ${r.overtaken} overtaken; ${r.tooManyRequests} × 429; ${r.lost} lost; ${r.duplicated} duplicated; ${r.outOfOrder} out of order; peak RSS ${Math.round(r.peakRssMiB)} MiB`,
  ]);
  const [one, two] = results;
  const share = one && two ? [`  two chats: every case visible in ${Math.round((two.allVisibleMs / one.allVisibleMs) * 100)}% of one chat's time`] : [];
  const first = results[0];
  return [
    '',
    `Incident burst: ${first?.cases} new cases in 5 minutes (${first?.urgent} urgent) while ${first?.conversations} conversations go on, under Telegram's limits`,
    ...lines,
    ...share,
  ].join('\n');
}
