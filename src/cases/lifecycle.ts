// The policy's procedure as a state machine: initial confidential consideration ->
// internal investigation -> measures -> closed. Staff move a case forward; a closed
// case may be reopened (a mistake, or the reporter writes again); only the reporter
// withdraws, and a case never goes back to "new".
import { caseStatuses, type CaseStatus } from '../store/index.js';

const rank: Record<CaseStatus, number> = Object.fromEntries(caseStatuses.map((s, i) => [s, i])) as Record<CaseStatus, number>;

/** Statuses staff may set with /status. */
export const staffStatuses = caseStatuses.filter((s) => s !== 'new' && s !== 'withdrawn');

/** Statuses in which a case is off counsellors' plates (no load, no SLA). */
export const isFinished = (s: CaseStatus) => s === 'closed' || s === 'withdrawn';

export type Transition = { ok: true } | { ok: false; reason: 'same' | 'backwards' | 'reporter-only' | 'withdrawn' };

export function canMove(from: CaseStatus, to: CaseStatus): Transition {
  if (to === from) return { ok: false, reason: 'same' };
  if (to === 'withdrawn') return { ok: false, reason: 'reporter-only' };
  if (from === 'withdrawn') return { ok: false, reason: 'withdrawn' };
  if (to === 'new') return { ok: false, reason: 'backwards' };
  if (from === 'closed') return { ok: true }; // reopening
  return rank[to] > rank[from] ? { ok: true } : { ok: false, reason: 'backwards' };
}

/**
 * What a counsellor typed after /status: the status id, or an unambiguous start of one
 * ("invest", "measures", "consideration").
 */
export function parseStatus(word: string): CaseStatus | undefined {
  const w = word
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  if (!w) return undefined;
  const exact = staffStatuses.find((s) => s === w);
  if (exact) return exact;
  const matches = staffStatuses.filter((s) => s.startsWith(w) || s.split('-').some((part) => part.startsWith(w) && w.length >= 4));
  return matches.length === 1 ? matches[0] : undefined;
}
