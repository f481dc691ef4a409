// How fast a line retries, restarts and checks itself. Production uses the defaults
// (restart and memory settings come from the config); tests shrink them to milliseconds.

export interface LineTiming {
  /** First reconnect delay; doubles per failure up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a start may take before it counts as failed (page load, sync). */
  startTimeoutMs: number;
  /** After a logout, how soon to look again for a new login (doubling up to backoffMaxMs). */
  loginRetryMs: number;
  /** How often a ready session is asked for its state; a dead browser fails this. */
  watchdogMs: number;
  /** Scheduled restart period; 0 = never. */
  restartMs: number;
  /** Delay of this line's first scheduled restart, so lines do not restart together. */
  restartOffsetMs: number;
  /** Memory log period; 0 = never. */
  memoryMs: number;
  /** Restart early when Chromium's memory passes this; 0 = never. */
  restartAboveBytes: number;
  /** How often a counsellor answer waiting for a down line looks again. */
  answerRetryMs: number;
}

export const defaultTiming: LineTiming = {
  backoffBaseMs: 2_000,
  backoffMaxMs: 5 * 60_000,
  startTimeoutMs: 3 * 60_000,
  loginRetryMs: 60_000,
  watchdogMs: 60_000,
  restartMs: 24 * 3600_000,
  restartOffsetMs: 0,
  memoryMs: 5 * 60_000,
  restartAboveBytes: 0,
  answerRetryMs: 15_000,
};
