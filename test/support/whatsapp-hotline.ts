// A whole hotline with WhatsApp lines run by the fake client (same events and shapes as
// whatsapp-web.js), each line's session in a temporary folder, ready once every line is.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeMedia, until, type FakeWhatsApp } from './fake-whatsapp.js';
import { startHotline, type Hotline } from './hotline.js';

/** Line timings short enough for tests: backoffs, the login retry and the watchdog in milliseconds. */
export const FAST_LINE_TIMING = {
  backoffBaseMs: 50,
  backoffMaxMs: 400,
  loginRetryMs: 100,
  watchdogMs: 150,
  startTimeoutMs: 5_000,
  memoryMs: 0,
  restartMs: 0,
  answerRetryMs: 200,
};

export async function startWhatsAppHotline(
  fake: FakeWhatsApp,
  o: { lines?: string[]; env?: Record<string, string> } = {},
): Promise<{ h: Hotline; cleanup: () => Promise<void> }> {
  const lines = o.lines ?? ['line1'];
  const dataDir = await mkdtemp(join(tmpdir(), 'trustline-wa-'));
  const h = await startHotline({
    threading: 'topics',
    env: { WHATSAPP_NUMBERS: lines.join(','), WHATSAPP_DATA_DIR: dataDir, WHATSAPP_LOCK_MS: '2000', ...o.env },
    platform: { whatsapp: { createClient: fake.createClient, createMedia: createFakeMedia, timing: FAST_LINE_TIMING } },
  });
  await until(() => lines.every((line) => fake.line(line).client?.ready), { label: 'the WhatsApp lines ready' });
  return { h, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
}
