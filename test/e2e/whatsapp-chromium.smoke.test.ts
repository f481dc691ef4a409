// Opt-in smoke check of the real thing: whatsapp-web.js launching the system Chromium
// headless with Trustline's flags. It reaches WhatsApp Web's QR code where there is a
// network, and fails with a clear error where there is none. Not in the default run
// (it needs Chromium and takes ~15 s):
//   WHATSAPP_SMOKE=1 CHROMIUM_PATH=/usr/bin/chromium npx vitest run test/whatsapp-chromium.smoke.test.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processTreeMemory } from '../../src/bot/whatsapp/memory.js';
import { webClientFactory } from '../../src/bot/whatsapp/web-client.js';
import { loadConfig } from '../../src/config/config.js';
import { captureLog } from '../support/log-sink.js';

describe.skipIf(!process.env.WHATSAPP_SMOKE)('real Chromium (WHATSAPP_SMOKE=1)', () => {
  it('launches the system Chromium headless and reaches the QR code, or fails clearly without network', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trustline-wa-smoke-'));
    const config = loadConfig(
      { WHATSAPP_NUMBERS: 'smoke', WHATSAPP_DATA_DIR: dir, ...(process.env.CHROMIUM_PATH ? { CHROMIUM_PATH: process.env.CHROMIUM_PATH } : {}) },
      [],
    );
    const client = await webClientFactory(config.whatsapp, captureLog().log)('smoke');
    let pid: number | undefined;
    try {
      const outcome = await new Promise<{ qr: true } | { error: string }>((resolve) => {
        client.on('qr', () => resolve({ qr: true }));
        client.initialize().catch((err: Error) => resolve({ error: err.message }));
        const poll = setInterval(() => {
          pid ??= client.pupBrowser?.process()?.pid;
          if (pid) clearInterval(poll);
        }, 100);
        setTimeout(() => clearInterval(poll), 90_000);
      });
      expect(pid, 'Chromium was launched').toBeDefined();
      const memory = await processTreeMemory(pid!);
      process.stdout.write(
        `Chromium: ${memory?.processes} processes, RSS ${((memory?.rssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB, ` +
          `PSS ${((memory?.pssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB; outcome: ${JSON.stringify(outcome)}\n`,
      );
      if ('error' in outcome) expect(outcome.error).toMatch(/net::ERR_|Timeout|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/);
    } finally {
      await client.destroy();
      await rm(dir, { recursive: true, force: true });
    }
    expect(await processTreeMemory(pid!)).toBeUndefined(); // the browser is gone
  });
});
