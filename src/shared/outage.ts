// A storage outage as one process lives it: a message that cannot be stored is held and
// retried for REDIS_OUTAGE_HOLD, then its sender is told to send it again.
/**
 * When a storage outage began, and whether a message that cannot be stored is still
 * held (retried) or its sender must now be told (REDIS_OUTAGE_HOLD). One per process.
 */
export class StorageOutage {
  private since: number | undefined;
  constructor(
    private readonly holdMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A message could not be stored: true while it is held, false once the outage outlasted the hold. */
  hold(): boolean {
    this.since ??= this.now();
    return this.now() - this.since < this.holdMs;
  }

  /** Storage answered again. */
  over(): void {
    this.since = undefined;
  }
}

/** How long a held message waits before it is tried again: 250 ms, doubling up to 4 s. */
export const heldRetryMs = (attempt: number): number => Math.min(250 * 2 ** attempt, 4_000);
