// Stopping never hangs on a queue worker that cannot close (BullMQ with a Redis client
// stuck reconnecting): after the bound it is closed by force and the stop goes on.
import { describe, expect, it } from 'vitest';
import { closeWorker } from '../../src/app/roles/workers.js';
import { captureLog } from '../support/log-sink.js';

describe('closing a queue worker', () => {
  it('waits for a worker that closes', async () => {
    const captured = captureLog('debug');
    let closed = false;
    await closeWorker({ name: 'staff-post', close: async () => void (closed = true) }, captured.log, 1_000);
    expect(closed).toBe(true);
    expect(captured.lines.join('\n')).not.toContain('worker.close-forced');
  });

  it('forces one that never finishes closing, says so, and returns', async () => {
    const captured = captureLog('debug');
    const calls: (boolean | undefined)[] = [];
    const stuck = { name: 'staff-post', close: (force?: boolean) => (calls.push(force), force ? Promise.resolve() : new Promise<void>(() => undefined)) };
    await closeWorker(stuck, captured.log, 50);
    expect(calls).toEqual([undefined, true]);
    expect(captured.records().find((r) => r.event === 'worker.close-forced')).toMatchObject({ queue: 'staff-post' });
  });
});
