// One WhatsApp line's session life on real Redis with a fake WhatsApp: the
// one-process-per-number lock, takeover after a crash, scheduled and memory restarts
// that keep the login, and the memory log.
import { afterEach, describe, expect, it } from 'vitest';
import { WhatsAppLine, type LineReport, type LineTiming } from '../../src/bot/whatsapp/line.js';
import { lineLockName } from '../../src/bot/whatsapp/line-lease.js';
import type { LineInbox } from '../../src/bot/whatsapp/reporter.js';
import { tryLease } from '../../src/store/lock.js';
import { createFakeMedia, FakeWhatsApp, until } from '../support/fake-whatsapp.js';
import { captureLog } from '../support/log-sink.js';
import { redisForFile } from '../support/redis.js';

const db = redisForFile();

const running: WhatsAppLine[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((l) => l.stop()));
  await db.client.flushall();
});

const fast: Partial<LineTiming> = { backoffBaseMs: 30, backoffMaxMs: 200, loginRetryMs: 50, watchdogMs: 0, memoryMs: 0, restartMs: 0, startTimeoutMs: 2_000 };

function startLine(fake: FakeWhatsApp, opts: { name?: string; timing?: Partial<LineTiming>; lockMs?: number; reports?: LineReport[] } = {}) {
  const captured = captureLog('debug');
  const handled: string[] = [];
  const inbox: LineInbox = {
    async message(_client, message) {
      handled.push(message.body);
    },
    async edit() {},
    async call() {},
  };
  const line = new WhatsAppLine({
    line: opts.name ?? 'line1',
    redis: db.client,
    createClient: fake.createClient,
    createMedia: createFakeMedia,
    inbox,
    log: captured.log,
    lockMs: opts.lockMs ?? 600,
    timing: { ...fast, ...opts.timing },
    report: (r) => opts.reports?.push(r),
  });
  running.push(line);
  line.start();
  return { line, captured, handled };
}

describe('one process per number', () => {
  it('a second process waits while the first runs the line, and takes over when it stops', async () => {
    const fake = new FakeWhatsApp();
    const first = startLine(fake);
    await until(() => first.line.status === 'ready', { label: 'first ready' });
    const second = startLine(fake);
    await new Promise((r) => setTimeout(r, 700)); // longer than the lease: renewal keeps it
    expect(second.line.status).toBe('waiting');
    expect(fake.line('line1').clients).toHaveLength(1); // no second browser on the same session
    expect(second.captured.records().some((r) => r.event === 'whatsapp.line.busy')).toBe(true);

    await first.line.stop();
    expect(fake.line('line1').clients[0]!.destroyed).toBe(true);
    await until(() => second.line.status === 'ready', { label: 'second took over' });
    expect(fake.line('line1').clients).toHaveLength(2);
  });

  it('takes over a line whose holder crashed once its lease lapses', async () => {
    const fake = new FakeWhatsApp();
    // a crashed process: it took the lock and will never renew or release it
    expect(await tryLease(db.client, lineLockName('line1'), 500)).toBeDefined();
    const started = Date.now();
    const survivor = startLine(fake, { lockMs: 500 });
    await new Promise((r) => setTimeout(r, 200));
    expect(survivor.line.status).toBe('waiting');
    await until(() => survivor.line.status === 'ready', { label: 'takeover' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('stops its browser at once when the lock is no longer its own', async () => {
    const fake = new FakeWhatsApp();
    const { line, captured } = startLine(fake, { lockMs: 600 });
    await until(() => line.status === 'ready');
    await db.client.set(`tl:lock:${lineLockName('line1')}`, 'someone-else', 'PX', 60_000);
    await until(() => fake.line('line1').clients[0]!.destroyed, { label: 'browser closed', timeoutMs: 2_000 });
    expect(line.status).toBe('waiting');
    expect(captured.records().some((r) => r.event === 'whatsapp.lock.lost')).toBe(true);
    await expect(line.send('77010000000@c.us', 'x')).rejects.toThrow(/not connected/);
  });

  it('releases the lock on stop', async () => {
    const fake = new FakeWhatsApp();
    const { line } = startLine(fake);
    await until(() => line.status === 'ready');
    await line.stop();
    expect(await db.client.exists(`tl:lock:${lineLockName('line1')}`)).toBe(0);
  });

  it('holds no lock when stopped while it was still taking it', async () => {
    const fake = new FakeWhatsApp();
    const { line } = startLine(fake);
    await line.stop(); // start() is still waiting for Redis
    await new Promise((r) => setTimeout(r, 100));
    expect(await db.client.exists(`tl:lock:${lineLockName('line1')}`)).toBe(0);
    expect(fake.line('line1').clients).toHaveLength(0);
  });
});

describe('session life', () => {
  it('restarts on schedule with a fresh browser and the same login, reading back what came meanwhile', async () => {
    const fake = new FakeWhatsApp();
    const { line, captured, handled } = startLine(fake, { timing: { restartMs: 300 } });
    await until(() => line.status === 'ready');
    fake.line('line1').failStarts = 1; // the restart's first start fails: the message waits unread
    await until(() => fake.line('line1').clients.length >= 2, { label: 'restart' });
    fake.write('line1', '77015550001@c.us', 'во время перезапуска');
    await until(() => handled.includes('во время перезапуска'), { label: 'read back after restart' });
    expect(fake.line('line1').clients[0]!.destroyed).toBe(true);
    const restarts = captured.records().filter((r) => r.event === 'whatsapp.line.restart');
    expect(restarts[0]).toMatchObject({ why: 'scheduled', line: 'line1' });
    expect(captured.records().some((r) => r.event === 'whatsapp.line.needs-login')).toBe(false); // no QR, no new login
  });

  it('logs the browser’s memory, and restarts a session that grows past the limit', async () => {
    const fake = new FakeWhatsApp();
    const { line, captured } = startLine(fake, { timing: { memoryMs: 50, restartAboveBytes: 1024 } });
    await until(() => line.status === 'ready');
    const sample = await until(() => captured.records().find((r) => r.event === 'whatsapp.memory'), { label: 'memory log' });
    // the fake's "browser" is this test process: its memory is real
    expect(sample.chromiumRssMiB).toBeGreaterThan(10);
    expect(sample.nodeRssMiB).toBeGreaterThan(10);
    expect(sample.chromiumProcesses).toBeGreaterThanOrEqual(1);
    await until(() => captured.records().some((r) => r.event === 'whatsapp.line.restart' && r.why === 'memory'), { label: 'memory restart' });
    await until(() => fake.line('line1').clients.length >= 2 && line.status === 'ready');
  });

  it('counts a start that never finishes as a failure and tries again', async () => {
    const fake = new FakeWhatsApp();
    const world = fake.line('line1');
    // the first client hangs: it neither becomes ready nor shows a QR code
    const hanging = fake.createClient;
    let calls = 0;
    const createClient = (name: string) => {
      const client = hanging(name) as ReturnType<typeof fake.createClient> & { initialize(): Promise<void> };
      if (calls++ === 0) client.initialize = () => new Promise(() => undefined);
      return client;
    };
    const captured = captureLog('debug');
    const line = new WhatsAppLine({
      line: 'line1',
      redis: db.client,
      createClient,
      createMedia: createFakeMedia,
      inbox: { message: async () => {}, edit: async () => {}, call: async () => {} },
      log: captured.log,
      lockMs: 600,
      timing: { ...fast, startTimeoutMs: 150 },
      report: () => {},
    });
    running.push(line);
    line.start();
    await until(() => line.status === 'ready', { label: 'second start' });
    expect(world.clients).toHaveLength(2);
    expect(captured.records().find((r) => r.event === 'whatsapp.line.failed')).toMatchObject({ what: 'start timed out' });
  });

  it('tells staff once when a line keeps failing, and once when it is back', async () => {
    const fake = new FakeWhatsApp();
    fake.line('line1').failStarts = 5;
    const reports: LineReport[] = [];
    const { line } = startLine(fake, { reports });
    await until(() => line.status === 'ready', { label: 'ready after 5 failures' });
    expect(reports.map((r) => r.type)).toEqual(['failing', 'restored']);
    // the fake fails like Chromium without network; staff learn the kind, not a stack trace
    expect(reports[0]).toMatchObject({ line: 'line1', reason: 'initialize: net::ERR_NAME_NOT_RESOLVED' });
  });
});
