// What /healthz asks: the parts without which the hotline takes reports but cannot
// pass them on. A container orchestrator restarts the process when one fails for long.
import type { Worker } from 'bullmq';
import type { Redis } from '../store/index.js';
import { withinMs } from './deadline.js';
import type { HealthChecks } from './server.js';

export function hotlineChecks(redis: Redis, workers: () => readonly Worker[]): HealthChecks {
  return {
    redis: async () => (await withinMs(2_000, redis.ping())) === 'PONG',
    // A worker stops running only when closed, or when BullMQ gave up on it.
    workers: () => workers().every((w) => w.isRunning()),
  };
}
