// Cases by status and cases with messages still to pass on, read from Redis at scrape
// time. There is no index of cases by status (see store/case-scan.ts), so counting
// them is one SCAN over the case hashes: done at most once per `countEveryMs` and
// shared by the scrapes in between. The pending sets are cheap (SCARD) every time.
import { Gauge, type Registry } from 'prom-client';
import { scanCaseIds, redisKeys, caseStatuses, isClosedStatus, type Redis, type CaseStatus } from '../store/index.js';
import type { CaseId } from '../shared/index.js';
import { withinMs } from './deadline.js';

const BATCH = 500;

/** Cases per status: one SCAN, then HGET status in pipelined batches. */
export async function countCasesByStatus(redis: Redis): Promise<Map<CaseStatus, number>> {
  const counts = new Map<CaseStatus, number>(caseStatuses.map((s) => [s, 0]));
  const tally = async (ids: CaseId[]) => {
    const p = redis.pipeline();
    for (const id of ids) p.hget(redisKeys.case(id), 'status');
    for (const [, status] of (await p.exec()) ?? []) {
      if (counts.has(status as CaseStatus)) counts.set(status as CaseStatus, counts.get(status as CaseStatus)! + 1);
    }
  };
  let batch: CaseId[] = [];
  for await (const id of scanCaseIds(redis)) {
    batch.push(id);
    if (batch.length >= BATCH) {
      await tally(batch);
      batch = [];
    }
  }
  if (batch.length) await tally(batch);
  return counts;
}

export function caseGauges(registry: Registry, redis: Redis, opts: { countEveryMs: number; timeoutMs: number }) {
  let last: { at: number; counts: Promise<Map<CaseStatus, number>> } | undefined;
  const byStatus = () => {
    if (!last || Date.now() - last.at >= opts.countEveryMs) {
      const counts = countCasesByStatus(redis);
      last = { at: Date.now(), counts };
      counts.catch(() => (last = undefined)); // count again on the next scrape
    }
    return withinMs(opts.timeoutMs, last.counts);
  };

  const cases = new Gauge({
    name: 'trustline_cases',
    help: 'Cases in Redis by status (erased cases count as withdrawn; shredded ones are gone). Counted at most once a minute.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      try {
        const counts = await byStatus();
        for (const [status, n] of counts) cases.set({ status }, n);
      } catch {
        cases.reset();
      }
    },
  });
  const open = new Gauge({
    name: 'trustline_open_cases',
    help: 'Cases not closed or withdrawn. Counted at most once a minute.',
    registers: [registry],
    async collect() {
      try {
        const counts = await byStatus();
        open.set([...counts].filter(([status]) => !isClosedStatus(status)).reduce((sum, [, n]) => sum + n, 0));
      } catch {
        open.set(NaN); // unknown, not zero (an unlabelled gauge resets to 0)
      }
    },
  });
  const pending = new Gauge({
    name: 'trustline_cases_pending',
    help: 'Cases with messages stored but not yet posted to staff (to_staff) or delivered to the reporter (to_reporter).',
    labelNames: ['direction'] as const,
    registers: [registry],
    async collect() {
      try {
        const [toStaff, toReporter] = await withinMs(
          opts.timeoutMs,
          Promise.all([redis.scard(redisKeys.pending('in')), redis.scard(redisKeys.pending('out'))]),
        );
        pending.set({ direction: 'to_staff' }, toStaff);
        pending.set({ direction: 'to_reporter' }, toReporter);
      } catch {
        pending.reset();
      }
    },
  });
}
