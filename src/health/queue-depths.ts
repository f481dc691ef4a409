// Jobs per queue and state, read from Redis at scrape time. Queue names are fixed
// words, so they are safe labels; job ids (which name cases) are never read.
import { Queue, type ConnectionOptions } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { dutyQueueNames, queueNames, staffLineOf, staffQueueName, sumLines, type StaffLine } from '../queue/index.js';
import type { DeskName } from '../shared/index.js';
import { queuePrefix } from '../store/index.js';
import { withinMs } from './deadline.js';

/**
 * What an operator needs: work piling up (waiting, prioritized: staff posts waiting their
 * turn by class, delayed), in hand (active), dead (failed).
 */
export const queueStates = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;
export const watchedQueues = [...Object.values(queueNames), ...Object.values(dutyQueueNames)];

/** `desks`: the staff chats besides the main one, whose posts have queues of their own. */
export function queueDepthGauge(registry: Registry, connection: ConnectionOptions, timeoutMs: number, desks: readonly DeskName[] = []) {
  // Handles of our own (sharing the connection): whichever roles this process runs,
  // every queue's depth is there to read. Made on the first scrape.
  let queues: Queue[] | undefined;
  const staffQueues = new Set<string>([queueNames.staff, ...desks.map(staffQueueName)]);
  const handles = () =>
    (queues ??= [...new Set([...watchedQueues, ...staffQueues])].map((name) => {
      const q = new Queue(name, { connection, prefix: queuePrefix });
      q.on('error', () => undefined); // the scrape reports Redis as down; nothing to print
      return q;
    }));
  const gauge = new Gauge({
    name: 'trustline_queue_jobs',
    help: 'Jobs in each BullMQ queue, by state (read from Redis at scrape time).',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      const all = handles();
      try {
        const counts = await withinMs(timeoutMs, Promise.all(all.map((q) => q.getJobCounts(...queueStates))));
        gauge.reset();
        counts.forEach((c, i) => {
          for (const state of queueStates) gauge.set({ queue: all[i]!.name, state }, c[state] ?? 0);
        });
      } catch {
        gauge.reset(); // no figure rather than a stale one; trustline_redis_up says why
      }
    },
  });
  // The staff posts in line (issue 23: an incident's backlog, visible), read once for both gauges of a scrape.
  let lastLine: { at: number; line: Promise<StaffLine> } | undefined;
  const staffLine = () => {
    if (!lastLine || Date.now() - lastLine.at > 1_000) {
      const line = withinMs(
        timeoutMs,
        Promise.all(
          handles()
            .filter((q) => staffQueues.has(q.name))
            .map((q) => staffLineOf(q)),
        ).then(sumLines),
      );
      lastLine = { at: Date.now(), line };
      line.catch(() => (lastLine = undefined)); // read again on the next scrape
    }
    return lastLine.line;
  };
  const line = new Gauge({
    name: 'trustline_staff_posts_waiting',
    help: 'Staff posts waiting for the staff chat’s budget, by class (urgent, conversation, new).',
    labelNames: ['class'] as const,
    registers: [registry],
    async collect() {
      try {
        for (const [kind, n] of Object.entries((await staffLine()).waiting)) line.set({ class: kind }, n);
      } catch {
        line.reset();
      }
    },
  });
  const headWait = new Gauge({
    name: 'trustline_staff_post_head_wait_seconds',
    help: 'How long the staff post next in line has waited (0 when none waits).',
    registers: [registry],
    async collect() {
      try {
        headWait.set((await staffLine()).headWaitedMs / 1000);
      } catch {
        headWait.set(NaN);
      }
    },
  });
  return {
    async close(): Promise<void> {
      await Promise.all((queues ?? []).map((q) => q.close()));
    },
  };
}
