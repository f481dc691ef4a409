// The order staff posts go in when the staff chat's budget is short: an urgent case's
// first, then conversations under way, then new cases, each oldest first; a post that
// finds no slot keeps its place at the head of the line instead of going to the back.
import { describe, expect, it } from 'vitest';
import type { CaseId } from '../../src/shared/ids.js';
import { RateLimited } from '../../src/shared/failures.js';
import { Pipeline, type StaffPostKind } from '../../src/queue/pipeline.js';
import { queueNames, type FlushJob } from '../../src/queue/jobs.js';
import { captureLog } from '../support/log-sink.js';
import { redisForFile } from '../support/redis.js';

const file = redisForFile();

describe('staff posts in line', () => {
  it('go urgent first, then conversations, then new cases, oldest first, and a post refused a slot stays at the head', async () => {
    const redis = file.client;
    const { log } = captureLog('warn');
    const pipeline = new Pipeline({ connection: redis, workerConnection: redis.duplicate(), attempts: 3, lockMs: 2_000, log });
    // Queued while nothing works the queue: the order of arrival is not the order of posting.
    const arrivals: [string, StaffPostKind][] = [
      ['new-1', 'new'],
      ['talk-1', 'conversation'],
      ['new-2', 'new'],
      ['urgent-1', 'urgent'],
      ['talk-2', 'conversation'],
      ['new-3', 'new'],
      ['urgent-2', 'urgent'],
    ];
    for (const [id, kind] of arrivals) await pipeline.postToStaff({ id: id as CaseId, desk: 'main' }, 1, undefined, kind);
    // What /health and the saturation notice read: the line by class.
    const line = await pipeline.staffLine();
    expect(line.waiting).toEqual({ urgent: 2, conversation: 2, new: 3 });
    expect(line.headWaitedMs).toBeGreaterThanOrEqual(0);
    const posted: string[] = [];
    let refusals = 2; // the head of the line is refused a slot twice, then gets one
    let worker: { close(): Promise<void> } | undefined;
    const done = new Promise<void>((resolve) => {
      worker = pipeline.work<FlushJob>(
        queueNames.staff,
        async (job) => {
          if (refusals > 0) {
            refusals--;
            throw new RateLimited(100);
          }
          posted.push(job.data.caseId);
          if (posted.length === arrivals.length) resolve();
        },
        { concurrency: 1, log, onDead: () => Promise.resolve(), oneDestination: true },
      );
    });
    await done;
    expect(posted).toEqual(['urgent-1', 'urgent-2', 'talk-1', 'talk-2', 'new-1', 'new-2', 'new-3']);
    await worker!.close();
    await pipeline.close();
  });

  it('wait in one line per staff chat: each chat’s posts in a queue of its own, counted apart and together', async () => {
    const redis = file.client;
    await redis.flushall();
    const { log } = captureLog('warn');
    const pipeline = new Pipeline({ connection: redis, workerConnection: redis.duplicate(), attempts: 3, lockMs: 2_000, log, desks: ['main', 'kazakh'] });
    await pipeline.postToStaff({ id: 'm-1' as CaseId, desk: 'main' }, 1, undefined, 'new', true);
    await pipeline.postToStaff({ id: 'k-1' as CaseId, desk: 'kazakh' }, 1, undefined, 'new', true);
    await pipeline.postToStaff({ id: 'k-2' as CaseId, desk: 'kazakh' }, 1, undefined, 'urgent');
    expect([...pipeline.staffQueues.keys()]).toEqual(['main', 'kazakh']);
    expect(pipeline.staffQueue('kazakh').name).toBe('staff-post-kazakh');
    expect((await pipeline.staffLine('main')).waiting).toEqual({ urgent: 0, conversation: 0, new: 1 });
    expect((await pipeline.staffLine('kazakh')).waiting).toEqual({ urgent: 1, conversation: 0, new: 1 });
    expect((await pipeline.staffLine()).total).toBe(3);
    expect(await pipeline.staffBacklog()).toBe(3);
    // A new case's job names its line, and gathers a moment (delayed) before it joins it.
    const [job] = await pipeline.staffQueue('kazakh').getJobs(['prioritized'], 0, 0, true);
    expect(job!.data).toMatchObject({ caseId: 'k-2' });
    const [opening] = await pipeline.staffQueue('kazakh').getJobs(['delayed']);
    expect(opening!.data).toEqual({ caseId: 'k-1', seq: 1, line: 'kazakh' });
    await pipeline.close();
  });
});
