// Catching one direction of a case up, under the case's lease: how both edges work,
// the staff chat (in) and the reporter (out). A second job of the same case does not
// wait for the lease: it leaves the holder a mark and finishes, and the holder looks
// again before letting go.
import type { CaseId } from '../shared/index.js';
import { type CaseRecord, type CaseStore, type Direction, type Lease, type Redis, claimOrHandOver } from '../store/index.js';

export interface CaseFlushDeps {
  redis: Redis;
  store: CaseStore;
  leaseMs: number;
}

const leaseName = (dir: Direction, caseId: CaseId) => `${dir === 'in' ? 'staff' : 'reporter'}:${caseId}`;

/**
 * Runs `send` while the case has messages in `dir` past its cursor. `jobId` names the
 * lease's owner, so a retry of this job takes back a lease it left behind.
 */
export async function flushCase(
  deps: CaseFlushDeps,
  dir: Direction,
  caseId: CaseId,
  jobId: string,
  send: (record: CaseRecord, lease: Lease) => Promise<void>,
  /** Whether there is work besides messages past the cursor (need-to-know mode: a copy to move). */
  due?: (record: CaseRecord) => boolean,
): Promise<void> {
  // The claim and the first read go out in one round trip, in that order: once the
  // lease is ours, the read sees the cursor as its last holder left it.
  const [claimed, read] = await Promise.allSettled([claimOrHandOver(deps.redis, leaseName(dir, caseId), jobId, deps.leaseMs), deps.store.get(caseId)]);
  if (claimed.status === 'rejected') throw claimed.reason;
  const lease = claimed.value;
  if (!lease) return; // the holder takes this job's messages along
  try {
    // A lease taken must be let go, even if the read beside it failed.
    if (read.status === 'rejected') throw read.reason;
    for (let record = read.value; ; record = await deps.store.get(caseId)) {
      if (record) {
        // Nothing waiting (an earlier run took this job's message along): nothing sent.
        // (markDone takes the case off the pending set once it is caught up.)
        if (record.done[dir] < record.count[dir] || due?.(record)) await send(record, lease);
        else await deps.store.clearPendingIfCaughtUp(caseId, dir);
      }
      if (await lease.releaseIfIdle()) return;
    }
  } catch (err) {
    await lease.release();
    throw err;
  }
}
