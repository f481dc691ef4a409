// The production client: loaded only when a line is configured, session folders kept
// owner-only, and a clear error when Chromium is missing. (Launching Chromium is the
// opt-in smoke test: WHATSAPP_SMOKE=1.)
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChromiumMissing, webClientFactory } from '../../src/bot/whatsapp/web-client.js';
import { loadConfig } from '../../src/config/config.js';
import { startHotline } from '../support/hotline.js';
import { captureLog } from '../support/log-sink.js';

const loaded = (name: string) => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes(`/node_modules/${name}/`));

describe('the whatsapp-web.js client', () => {
  it('is not loaded by a deployment without WhatsApp lines, and is loaded for one', async () => {
    const h = await startHotline({ threading: 'replies' });
    const user = h.api.addUser({ firstName: 'T', languageCode: 'en' });
    h.api.sendPrivate(user, 'telegram only');
    await h.api.waitFor(() => h.api.messagesIn(user.id).length > 0, { timeoutMs: 10_000 });
    await h.stop();
    expect(loaded('whatsapp-web.js')).toBe(false);
    expect(loaded('puppeteer')).toBe(false);

    const dir = await mkdtemp(join(tmpdir(), 'trustline-wa-'));
    try {
      // any executable will do: the client is created, not started
      const config = loadConfig({ WHATSAPP_NUMBERS: 'line1', WHATSAPP_DATA_DIR: dir, CHROMIUM_PATH: process.execPath }, []);
      const client = await webClientFactory(config.whatsapp, captureLog().log)('line1');
      expect(typeof client.initialize).toBe('function');
      expect(loaded('whatsapp-web.js')).toBe(true); // the check above can see a load
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the data and session folders owner-only, even ones created looser before', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trustline-wa-'));
    try {
      const data = join(dir, 'whatsapp');
      await mkdir(join(data, 'session-line1'), { recursive: true, mode: 0o755 });
      const config = loadConfig({ WHATSAPP_NUMBERS: 'line1,line2', WHATSAPP_DATA_DIR: data, CHROMIUM_PATH: join(dir, 'no-chromium') }, []);
      const create = webClientFactory(config.whatsapp, captureLog().log);
      await expect(create('line1')).rejects.toThrow(ChromiumMissing);
      await expect(create('line2')).rejects.toThrow(/CHROMIUM_PATH=.*apt-get install chromium/);
      for (const d of [data, join(data, 'session-line1'), join(data, 'session-line2')]) {
        expect((await stat(d)).mode & 0o777, d).toBe(0o700);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
