// One benchmark run: a fresh Bot API emulator, a flushed Redis, the relay under test
// as a child process, simulated people, and the figures that came out.
import type { User } from 'grammy/types';
import { Redis } from 'ioredis';
import { startBotApiServer, type BotApiServer, type RateLimits } from '../src/sandbox/bot-api/index.js';
import { startChild, type BenchChild, type ChildKind } from './child.js';
import { latency, span, Traffic, type Latency } from './traffic.js';

export interface Rig {
  redisUrl: string;
  keysDir: string;
  /** transpiled relays (compileForBench) */
  built: string;
}

export interface RunOptions {
  relay: ChildKind;
  reporters: number;
  messagesPerReporter: number;
  /** offered messages/s; 0 = a burst */
  rate: number;
  answer: boolean;
  /** emulator flood control (Telegram's limits), off when undefined */
  rateLimits?: RateLimits;
  /** extra environment for the relay */
  env?: Record<string, string>;
  /** wait this long for the backlog to drain */
  drainTimeoutMs: number;
  /** offer for at most this long (throttled runs) */
  offerForMs?: number;
}

export interface RunResult {
  relay: ChildKind;
  offered: { messages: number; rate: number | 'burst' };
  posted: number;
  answersSent: number;
  answersDelivered: number;
  duplicates: number;
  outOfOrder: number;
  drained: boolean;
  /** messages/s reporter -> staff (first send to last post) */
  inPerSecond: number;
  /** answers/s staff -> reporter */
  outPerSecond: number;
  latencyIn: Latency;
  latencyOut: Latency;
  /** relay process CPU per relayed message (either direction), µs */
  cpuMicrosPerMessage: number;
  /** Redis CPU per relayed message, µs */
  redisCpuMicrosPerMessage: number;
  /** Redis commands per relayed message, all and by command */
  redisCommandsPerMessage: number;
  redisCommands: Record<string, number>;
  peakRssMiB: number;
  /** RSS when the run began (after start-up), V8 heap reserved at its peak, memory outside the heap at the end */
  idleRssMiB: number;
  peakHeapMiB: number;
  externalMiB: number;
  maxBacklog: number;
  /** from the last offered message to the last post, s */
  drainSeconds: number;
  tooManyRequests: number;
  staffSends: number[];
  /** oldest message still waiting at the end (throttled runs), ms */
  oldestWaitingMs: number;
}

export async function redisCpuMicros(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const f = (name: string) => Number(new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1] ?? 0);
  return (f('used_cpu_user') + f('used_cpu_sys')) * 1e6;
}

/** Bytes Redis holds (INFO memory used_memory). */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
}

/** Calls per Redis command since start-up (INFO commandstats). */
export async function redisCalls(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
}

export interface Stage {
  api: BotApiServer;
  staff: { id: number };
  counsellor: User;
  child: BenchChild;
  redis: Redis;
  traffic: Traffic;
  close(): Promise<void>;
}

/** Emulator + flushed Redis + relay child + people, ready for traffic. */
/** `chats`: more environment made from the emulator before Trustline starts (e.g. STAFF_CHATS naming groups created there). */
export async function stage(
  rig: Rig,
  opts: Pick<RunOptions, 'relay' | 'rateLimits' | 'env' | 'answer'> & { chats?: (api: BotApiServer) => Promise<Record<string, string>> },
): Promise<Stage> {
  const redis = new Redis(rig.redisUrl, { maxRetriesPerRequest: null });
  await redis.flushall();
  const api = await startBotApiServer(opts.rateLimits ? { rateLimits: opts.rateLimits } : {});
  const counsellor = api.addUser({ firstName: 'Dana', username: 'dana_bench', languageCode: 'ru' });
  const mode = opts.relay === 'trustline' ? 'topics' : 'replies';
  const staff = api.addGroup({ title: 'Trustline staff', forum: mode === 'topics', members: [counsellor] });
  const child = await startChild(opts.relay, rig.built, {
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    STAFF_USER_IDS: String(counsellor.id),
    STAFF_THREADING: mode,
    STAFF_LANG: 'ru',
    REDIS_URL: rig.redisUrl,
    TRUSTLINE_KEYS_DIR: rig.keysDir,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    // Trustline keeps to Telegram's limits exactly when the emulator enforces them.
    TELEGRAM_RATE_LIMITS: opts.rateLimits ? 'on' : 'off',
    // Load-generator reporters write dozens of messages a second each: far over the
    // per-reporter flood limit, which would measure the limit instead of the relay.
    REPORTER_BURST: '100000',
    REPORTER_PER_MINUTE: '100000',
    ...opts.env,
    ...(opts.chats ? await opts.chats(api) : {}),
  });
  const traffic = new Traffic(api, staff, counsellor, mode, opts.answer);
  return {
    api,
    staff,
    counsellor,
    child,
    redis,
    traffic,
    async close() {
      traffic.close();
      await child.stop().catch(() => child.kill());
      await api.close();
      redis.disconnect();
    },
  };
}

export function addReporters(api: BotApiServer, traffic: Traffic, count: number, from = 0): User[] {
  const users = Array.from({ length: count }, (_, i) => api.addUser({ firstName: `R${from + i}`, languageCode: 'ru' }));
  traffic.addReporters(users, from);
  return users;
}

/** Offers the load, waits for it to drain, and reads the figures. */
export async function measure(s: Stage, users: User[], opts: RunOptions & { firstMessage?: number }): Promise<RunResult> {
  const { traffic, api, child, redis } = s;
  const before = {
    usage: await child.usage({ reset: true }),
    redisCpu: await redisCpuMicros(redis),
    tooMany: api.stats.tooManyRequests,
    calls: await redisCalls(redis),
  };
  traffic.maxBacklog = 0;
  const outOfOrderBefore = traffic.outOfOrder;
  const sentBefore = traffic.sentAt.size;
  const staffSendsBefore = traffic.staffSends.length;
  const postedBefore = new Set(traffic.postedAt.keys());
  const answeredBefore = new Set(traffic.answeredAt.keys());
  const answerSentKeysBefore = [...traffic.answerSentAt.keys()];
  await traffic.offer({
    reporters: users,
    messagesPerReporter: opts.messagesPerReporter,
    rate: opts.rate,
    ...(opts.firstMessage !== undefined ? { firstMessage: opts.firstMessage } : {}),
    ...(opts.offerForMs !== undefined ? { offerForMs: opts.offerForMs } : {}),
  });
  const lastOffer = Date.now();
  const drained = await traffic.drained(opts.drainTimeoutMs);
  const after = { usage: await child.usage(), redisCpu: await redisCpuMicros(redis), tooMany: api.stats.tooManyRequests, calls: await redisCalls(redis) };
  const callsDelta = [...after.calls].map(([cmd, n]) => [cmd, n - (before.calls.get(cmd) ?? 0)] as const).filter(([, n]) => n > 0);

  const only = <V>(m: Map<string, V>, skip: Set<string>) => new Map([...m].filter(([k]) => !skip.has(k)));
  const sent = new Map([...traffic.sentAt].slice(sentBefore));
  const posted = only(traffic.postedAt, postedBefore);
  const answered = only(traffic.answeredAt, answeredBefore);
  const answerSentBefore = new Set(answerSentKeysBefore);
  const answerSent = new Map([...traffic.answerSentAt].filter(([k]) => !answerSentBefore.has(k)));
  const relayed = posted.size + answered.size;
  let oldestWaiting = 0;
  const now = Date.now();
  for (const [marker, at] of sent) if (!posted.has(marker)) oldestWaiting = Math.max(oldestWaiting, now - at);
  let lastPost = 0;
  for (const t of posted.values()) lastPost = Math.max(lastPost, t);
  return {
    relay: opts.relay,
    offered: { messages: sent.size, rate: opts.rate > 0 ? opts.rate : 'burst' },
    posted: posted.size,
    answersSent: answerSent.size,
    answersDelivered: answered.size,
    duplicates: traffic.duplicates + traffic.answerDuplicates,
    outOfOrder: traffic.outOfOrder - outOfOrderBefore,
    drained,
    inPerSecond: posted.size / span(sent, posted),
    outPerSecond: answered.size ? answered.size / span(answerSent, answered) : 0,
    latencyIn: latency(sent, posted),
    latencyOut: latency(answerSent, answered),
    cpuMicrosPerMessage: relayed ? (after.usage.cpuMicros - before.usage.cpuMicros) / relayed : NaN,
    redisCpuMicrosPerMessage: relayed ? (after.redisCpu - before.redisCpu) / relayed : NaN,
    redisCommandsPerMessage: relayed ? callsDelta.reduce((a, [, n]) => a + n, 0) / relayed : NaN,
    redisCommands: Object.fromEntries(callsDelta.sort((a, b) => b[1] - a[1]).map(([cmd, n]) => [cmd, relayed ? Math.round((n / relayed) * 100) / 100 : 0])),
    peakRssMiB: after.usage.peakRssBytes / 2 ** 20,
    idleRssMiB: before.usage.rssBytes / 2 ** 20,
    peakHeapMiB: after.usage.peakHeapTotalBytes / 2 ** 20,
    externalMiB: after.usage.externalBytes / 2 ** 20,
    maxBacklog: traffic.maxBacklog,
    drainSeconds: Math.max(0, (lastPost - lastOffer) / 1000),
    tooManyRequests: after.tooMany - before.tooMany,
    staffSends: traffic.staffSends.slice(staffSendsBefore),
    oldestWaitingMs: oldestWaiting,
  };
}
