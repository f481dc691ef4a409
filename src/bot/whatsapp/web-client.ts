// Production clients: whatsapp-web.js driving the system Chromium, one LocalAuth
// browser profile per line. whatsapp-web.js (and puppeteer) are imported here, on the
// first client, so a deployment without WhatsApp lines never loads them.
import { constants } from 'node:fs';
import { access, chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { WhatsAppConfig } from '../../config/index.js';
import type { Logger } from '../../shared/index.js';
import type { WaMediaFactory, WhatsAppClient, WhatsAppClientFactory } from './client.js';

/** What a server needs: no sandbox (containers), no GPU, /tmp not /dev/shm, nothing phoning home. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export class ChromiumMissing extends Error {
  override name = 'ChromiumMissing';
}

/**
 * The session folder is a full browser profile whose IndexedDB holds chat history and
 * phone numbers: owner-only, always, even if it was created looser before.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/** LocalAuth keeps line `name` in `<dataDir>/session-<name>`. */
export const sessionDirOf = (config: Pick<WhatsAppConfig, 'dataDir'>, line: string) => join(resolve(config.dataDir), `session-${line}`);

export function webClientFactory(config: WhatsAppConfig, log: Logger): WhatsAppClientFactory {
  return async (line) => {
    const dataDir = resolve(config.dataDir);
    await ensurePrivateDir(dataDir);
    await ensurePrivateDir(sessionDirOf(config, line));
    await access(config.chromiumPath, constants.X_OK).catch(() => {
      throw new ChromiumMissing(`no Chromium at CHROMIUM_PATH=${config.chromiumPath} (on Debian: apt-get install chromium)`);
    });
    const { Client, LocalAuth } = (await import('whatsapp-web.js')).default;
    // Assigning to the seam type is the compile-time proof that the fakes in the tests
    // have the real client's events and shapes.
    const client: WhatsAppClient = new Client({
      authStrategy: new LocalAuth({ clientId: line, dataPath: dataDir }),
      puppeteer: { executablePath: config.chromiumPath, headless: config.headless, args: [...chromiumArgs] },
      // The WhatsApp Web build is cached beside the sessions, not in the working directory.
      webVersionCache: { type: 'local', path: join(dataDir, 'web-cache') },
    });
    log.debug({ event: 'whatsapp.client.created', line }, 'WhatsApp Web client created');
    return client;
  };
}

/** A file to send, as whatsapp-web.js's MessageMedia (the library checks the class): loads the library, not Chromium. */
export const mediaOf: WaMediaFactory = async (mimetype, bytes, filename) => {
  const { MessageMedia } = (await import('whatsapp-web.js')).default;
  return new MessageMedia(mimetype, Buffer.from(bytes).toString('base64'), filename);
};
