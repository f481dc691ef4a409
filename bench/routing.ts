// Routing as open cases pile up: the real router (roster, load per counsellor, round
// robin, SLA timer, staff notice) run in-process against Redis already holding K open,
// assigned cases, from 100 to 100,000. Opening that many through the intake would take
// hours, so they are written straight into the store (one shared sealed key: the router
// never opens it). What a route costs should not depend on K.
import { ReporterCaseStore } from '../src/store/reporter-cases.js';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { generateKeyRing, newCaseCode, newCaseId, newCaseKey, reporterKeyOf, seal } from '../src/crypto/index.js';
import type { CaseId, CounsellorId } from '../src/shared/ids.js';
import { createLogger } from '../src/shared/log.js';
import { Pipeline } from '../src/queue/pipeline.js';
import { CaseLog } from '../src/cases/case-log.js';
import { createDutyDesk } from '../src/routing/duty-desk.js';
import { CaseStore, type NewCase } from '../src/store/cases.js';
import { DutyStore } from '../src/store/duty.js';
import { RosterStore } from '../src/store/roster.js';
import { redisCalls, usedMemory } from './measure.js';

export interface RoutingResult {
  openCases: number;
  routed: number;
  /** wall time of one route (roster, load, choice, assignment, notice and SLA jobs), µs */
  p50Micros: number;
  p99Micros: number;
  redisCommandsPerRoute: number;
  /** Redis memory per open case at this size: record, lookups, load sets (no messages, no jobs) */
  redisBytesPerCase: number;
  seedSeconds: number;
}

const COUNSELLORS = 10;
const PROBES = 200;

export async function routingGrowth(redisUrl: string, levels: number[]): Promise<RoutingResult[]> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, enableAutoPipelining: true });
  const keys = generateKeyRing();
  const log = createLogger({ level: 'silent' });
  const out: RoutingResult[] = [];
  try {
    for (const k of levels) {
      await redis.flushall();
      const store = new CaseStore(redis);
      const pipeline = new Pipeline({ connection: redis, workerConnection: redis, attempts: 3, lockMs: 10_000, log });
      const duty = await createDutyDesk({
        redis,
        store,
        reporterCases: new ReporterCaseStore(redis),
        caseLog: new CaseLog(store, keys),
        pipeline,
        keys,
        clock: { now: () => Date.now() },
        log,
        timeZone: 'Asia/Almaty',
        staffLang: 'ru',
        sla: { ackMs: 15 * 60_000, urgentAckMs: 5 * 60_000 },
        attempts: 3,
        leaseMs: 10_000,
        // No shifts: every counsellor on the roster is on duty, so every route picks one.
        seed: { adminIds: [1], counsellorIds: Array.from({ length: COUNSELLORS }, (_, i) => 1000 + i) },
      });
      try {
        const counsellors = (await new RosterStore(redis).snapshot()).staff.filter((c) => c.role === 'counsellor').map((c) => c.id);
        const memBefore = await usedMemory(redis);
        const t0 = performance.now();
        await seedOpenCases(redis, store, keys, k, counsellors);
        const seedSeconds = (performance.now() - t0) / 1000;
        const redisBytesPerCase = (await usedMemory(redis)) - memBefore;

        const fresh = await Promise.all(Array.from({ length: PROBES + 20 }, () => newCase(store, keys)));
        for (const id of fresh.slice(0, 20)) await duty.router.route(id); // warm-up
        const calls = await redisCalls(redis);
        const times: number[] = [];
        for (const id of fresh.slice(20)) {
          const start = performance.now();
          await duty.router.route(id);
          times.push((performance.now() - start) * 1000);
        }
        const after = await redisCalls(redis);
        let commands = 0;
        for (const [cmd, n] of after) if (cmd !== 'info') commands += n - (calls.get(cmd) ?? 0);
        times.sort((a, b) => a - b);
        out.push({
          openCases: k,
          routed: times.length,
          p50Micros: times[Math.floor(times.length * 0.5)]!,
          p99Micros: times[Math.ceil(times.length * 0.99) - 1]!,
          redisCommandsPerRoute: commands / times.length,
          redisBytesPerCase: redisBytesPerCase / k,
          seedSeconds,
        });
      } finally {
        await duty.queues.close();
        await pipeline.close();
      }
    }
  } finally {
    redis.disconnect();
  }
  return out;
}

/** One case as the intake writes it; `sealed` shared so that seeding 100,000 is quick. */
function caseOf(keys: ReturnType<typeof generateKeyRing>, sealed: { key: Buffer; address: Buffer }, i: number): NewCase {
  return {
    id: newCaseId(),
    code: newCaseCode(),
    reporterKey: reporterKeyOf(keys.pepper, 'telegram', String(500_000_000 + i)),
    channel: 'telegram',
    lang: (['kk', 'ru', 'en'] as const)[i % 3]!,
    sealedKey: sealed.key,
    returnAddress: sealed.address,
    createdAt: Date.now(),
    category: 'bullying',
  };
}

let shared: { key: Buffer; address: Buffer } | undefined;
function sealedOnce(keys: ReturnType<typeof generateKeyRing>) {
  shared ??= { key: seal(keys.staff.publicKey, newCaseKey()), address: seal(keys.relay.publicKey, 'telegram:500000000') };
  return shared;
}

let serial = 0;
async function newCase(store: CaseStore, keys: ReturnType<typeof generateKeyRing>): Promise<CaseId> {
  const c = caseOf(keys, sealedOnce(keys), 900_000_000 + serial++);
  await store.reserveCode(c.code, c.id);
  return store.create(c);
}

/** K open cases, assigned round robin, in batches (auto-pipelined). */
async function seedOpenCases(redis: Redis, store: CaseStore, keys: ReturnType<typeof generateKeyRing>, k: number, counsellors: CounsellorId[]) {
  const dutyStore = new DutyStore(redis);
  const sealed = sealedOnce(keys);
  for (let from = 0; from < k; from += 1000) {
    await Promise.all(
      Array.from({ length: Math.min(1000, k - from) }, async (_, j) => {
        const c = caseOf(keys, sealed, from + j);
        await store.reserveCode(c.code, c.id);
        await store.create(c);
        await dutyStore.assign(c.id, counsellors[(from + j) % counsellors.length]!, undefined, [], Date.now());
      }),
    );
  }
}
