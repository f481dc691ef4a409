// Opt-in measurement (not in the default run): how fast a line reads back a backlog of
// unread chats after downtime, through the real intake, Redis, BullMQ and the staff
// chat emulator. The client is the fake, so WhatsApp Web's own getChats/fetchMessages
// time is not included; on real Telegram the staff group's 20 messages/minute is the limit.
//   WHATSAPP_BENCH=1 CHATS=100 PER=5 npx vitest run test/whatsapp-reconcile.bench.test.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeWhatsApp, until } from '../support/fake-whatsapp.js';
import { startHotline } from '../support/hotline.js';

describe.skipIf(!process.env.WHATSAPP_BENCH)('unread backlog (WHATSAPP_BENCH=1)', () => {
  it('reads back every unread message once', { timeout: 300_000 }, async () => {
    const chats = Number(process.env.CHATS ?? 100);
    const per = Number(process.env.PER ?? 5);
    const fake = new FakeWhatsApp();
    const dir = await mkdtemp(join(tmpdir(), 'trustline-wa-bench-'));
    const h = await startHotline({
      threading: 'topics',
      env: { WHATSAPP_NUMBERS: 'line1', WHATSAPP_DATA_DIR: dir, WHATSAPP_LOCK_MS: '2000', LOG_LEVEL: 'info' },
      platform: { whatsapp: { createClient: fake.createClient, timing: { backoffBaseMs: 50, memoryMs: 0, restartMs: 0, watchdogMs: 0 } } },
    });
    try {
      await until(() => fake.line('line1').client?.ready);
      fake.line('line1').failStarts = 1;
      fake.drop('line1');
      for (let c = 0; c < chats; c++) for (let m = 0; m < per; m++) fake.write('line1', `7701${String(1_000_000 + c)}@c.us`, `chat ${c} message ${m}`);
      const t0 = Date.now();
      const done = await until(() => h.captured.records().find((r) => r.event === 'whatsapp.line.reconciled' && (r.messages as number) > 0), {
        timeoutMs: 120_000,
      });
      const t1 = Date.now();
      await until(() => h.captured.records().filter((r) => r.event === 'staff.posted').length >= chats * per, { timeoutMs: 240_000 });
      const t2 = Date.now();
      process.stdout.write(
        `${chats} chats x ${per} unread: read back and queued ${t1 - t0} ms after the drop; all posted to the staff chat emulator after ${t2 - t0} ms\n`,
      );
      expect(done).toMatchObject({ chats, messages: chats * per });
      expect(h.captured.records().filter((r) => r.event === 'staff.posted')).toHaveLength(chats * per);
    } finally {
      await h.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
