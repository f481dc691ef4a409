// Time is a dependency: duty resolution, SLAs and follow-ups read it from a Clock so
// tests can stand at any moment (a Monday 08:59 in Almaty, a DST night in Berlin).
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
