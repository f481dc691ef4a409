// When Telegram handed an update over, in Telegram's order. A batch of updates is
// handled chat by chat side by side, so a report sent a moment after another may be
// handled first; new cases are posted to staff in this order instead (see
// CaseStore.lineUpOpening). Kept beside the update object, never in Redis.
import type { Update } from 'grammy/types';

const arrivals = new WeakMap<Update, number>();
let last = 0;

/** Stamps an update as it arrives (ms, strictly increasing within the process); a stamped one keeps its stamp. */
export function stampArrival(update: Update): number {
  const known = arrivals.get(update);
  if (known !== undefined) return known;
  last = Math.max(Date.now(), last + 0.001);
  arrivals.set(update, last);
  return last;
}
