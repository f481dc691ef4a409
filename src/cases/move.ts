// Moving a case to another staff chat: a report about the hotline's own staff goes to
// the oversight chat, whether the reporter said so during the intake after the case was
// already open (the urgent path) or a counsellor saw it later (/escalate oversight). The
// case leaves the old chat as an erased case does (topic or messages deleted), nobody
// there holds it any more, and it is routed and posted again, whole, in the new chat.
import { randomBytes } from 'node:crypto';
import { type CaseId, type DeskName, MAIN_DESK, NotYet, OVERSIGHT_DESK } from '../shared/index.js';
import type { Pipeline } from '../queue/index.js';
import {
  type CaseStore,
  type DutyStore,
  type StaffCopy,
  type Redis,
  type Lease,
  claimOrHandOver,
  redisKeys,
  rosterKeys,
  scanCaseIds,
  tryLease,
} from '../store/index.js';

export interface CaseMoveDeps {
  redis: Redis;
  store: CaseStore;
  duty: DutyStore;
  pipeline: Pipeline;
  leaseMs: number;
}

/** How long a move waits for a post or a routing step under way to finish. */
const WAIT_MS = 10_000;

/**
 * Returns false when the case is already in `desk` (or gone). Takes the case's routing
 * lease and its staff-post lease, so no assignment or post lands in the old chat after
 * its copy was read for deletion. `leaveCopy`: the old chat is gone from the
 * configuration, so nothing can be deleted there.
 */
export async function moveCase(deps: CaseMoveDeps, caseId: CaseId, desk: DeskName, at: number, leaveCopy = false): Promise<boolean> {
  const duty = await waitFor(() => tryLease(deps.redis, `duty:${caseId}`, deps.leaseMs));
  try {
    const owner = `move.${randomBytes(6).toString('base64url')}`;
    const staff = await waitFor(() => claimOrHandOver(deps.redis, `staff:${caseId}`, owner, deps.leaseMs));
    let moved: { code: string; count: number; copy: StaffCopy } | undefined;
    try {
      const record = await deps.store.get(caseId);
      if (!record || record.desk === desk) return false; // (the finally blocks let go of both leases)
      const copy = await deps.store.staffCopy(caseId);
      const d = await deps.duty.get(caseId);
      await deps.duty.unassign(caseId, d.assignee);
      await deps.redis.srem(rosterKeys.waiting, caseId);
      await deps.store.moveToDesk(caseId, desk, copy);
      moved = { code: record.code, count: record.count.in, copy };
    } finally {
      await staff.release();
    }
    const { code, count, copy } = moved;
    if (!leaveCopy && (copy.thread !== undefined || copy.messages.length || copy.privately?.length)) {
      await deps.pipeline.eraseStaffCopy({ code, reason: 'moved', ...copy });
    }
    // Fresh job ids: jobs of the same case and seq may have run (or failed) in the old chat.
    await deps.pipeline.postToStaff({ id: caseId, desk }, count, `m${at}`);
    await deps.pipeline.routeCase(caseId, `m${at}`);
    return true;
  } finally {
    await duty.release();
  }
}

async function waitFor<T extends Lease>(take: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const lease = await take();
    if (lease) return lease;
    if (Date.now() >= until) throw new NotYet('the case is being posted or routed');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A team's chat taken out of STAFF_CHATS leaves its cases nowhere: at start-up they move to
 * the main chat (posted there whole). The staff chats configured last time are kept in
 * Redis, so cases are only looked through when one has gone. The oversight chat's cases
 * never move to the staff chat: without OVERSIGHT_CHAT_ID they wait, and are counted.
 */
export async function rehomeCases(deps: CaseMoveDeps, configured: readonly DeskName[], at: number): Promise<{ moved: number; stranded: number }> {
  const before = await deps.redis.smembers(redisKeys.desks);
  const gone = before.filter((d) => !configured.includes(d));
  let moved = 0;
  let stranded = 0;
  if (gone.length) {
    for await (const id of scanCaseIds(deps.redis)) {
      const desk = await deps.redis.hget(redisKeys.case(id), 'desk');
      if (!desk || !gone.includes(desk)) continue;
      if (desk === OVERSIGHT_DESK) stranded++;
      else if (await moveCase(deps, id, MAIN_DESK, at, true)) moved++;
    }
  }
  if (stranded === 0) {
    await deps.redis
      .multi()
      .del(redisKeys.desks)
      .sadd(redisKeys.desks, ...configured)
      .exec();
  }
  return { moved, stranded };
}
