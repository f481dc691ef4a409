// `trustline whatsapp login <line>`: links a phone number to a trust line by showing
// WhatsApp Web's pairing QR code in the terminal. The session (a browser profile) is
// kept in WHATSAPP_DATA_DIR; a running hotline picks it up on its next look.
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { lineLockName, sessionDirOf, webClientFactory, type WhatsAppClient, type WhatsAppClientFactory } from '../bot/whatsapp/index.js';
import { loadConfig, type WhatsAppConfig } from '../config/index.js';
import { createLogger } from '../shared/index.js';
import { tryLease, type Lease, connectRedis, type Redis } from '../store/index.js';

const USAGE = 'Usage: trustline whatsapp login <line> [--wait SECONDS] [--timeout SECONDS]\n';
const LINE_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

export interface LoginDeps {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  /** Tests pass a fake WhatsApp; by default whatsapp-web.js with the system Chromium. */
  createClient?: WhatsAppClientFactory;
  /** Time for the browser to write the new session to disk before it is closed. */
  settleMs?: number;
}

export async function runWhatsApp(args: string[], deps: LoginDeps = { out: process.stdout, err: process.stderr }): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { wait: { type: 'string', default: '180' }, timeout: { type: 'string', default: '300' } },
  });
  const [command, line] = positionals;
  if (command !== 'login' || !line) {
    deps.err.write(USAGE);
    return 2;
  }
  if (!LINE_NAME.test(line)) {
    deps.err.write(`"${line}" is not a line name: start with a letter and use a-z 0-9 _ - (e.g. line1), not a phone number.\n`);
    return 2;
  }
  const config = loadConfig(deps.env ?? process.env, []);
  if (config.whatsapp.lines.length > 0 && !config.whatsapp.lines.includes(line)) {
    deps.err.write(`Note: ${line} is not in WHATSAPP_NUMBERS (${config.whatsapp.lines.join(', ')}); the hotline will not run it until it is.\n`);
  }
  const redis = config.redis.url ? connectRedis(config.redis.url, 'blocking') : undefined;
  try {
    return await login(line, config.whatsapp, redis, deps, { waitMs: Number(values.wait) * 1000, timeoutMs: Number(values.timeout) * 1000 });
  } finally {
    redis?.disconnect();
  }
}

async function login(
  line: string,
  wa: WhatsAppConfig,
  redis: Redis | undefined,
  deps: LoginDeps,
  limits: { waitMs: number; timeoutMs: number },
): Promise<number> {
  const say = (text: string) => deps.out.write(`${text}\n`);
  // The line's lock: a running hotline must not open the same browser profile meanwhile.
  let lease: Lease | undefined;
  if (redis) {
    const deadline = Date.now() + limits.waitMs;
    lease = await tryLease(redis, lineLockName(line), wa.lockMs, { keepAlive: true });
    if (!lease) say(`${line} is in use by a running Trustline; waiting for it to let go (it does while the line is logged out)...`);
    while (!lease && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1_000));
      lease = await tryLease(redis, lineLockName(line), wa.lockMs, { keepAlive: true });
    }
    if (!lease) {
      deps.err.write(`${line} is still in use by a running Trustline. Stop it, or try again when the line shows as logged out.\n`);
      return 1;
    }
  }

  // Library diagnostics go nowhere: only what this command prints reaches the terminal.
  const createClient = deps.createClient ?? webClientFactory(wa, createLogger({ level: 'silent' }));
  let client: WhatsAppClient | undefined;
  try {
    client = await createClient(line);
    const outcome = await new Promise<string>((resolve) => {
      let shownQr = false;
      const timer = setTimeout(() => resolve(`no phone linked within ${Math.round(limits.timeoutMs / 1000)} s`), limits.timeoutMs);
      const done = (result: string) => {
        clearTimeout(timer);
        resolve(result);
      };
      client!.on('qr', (qr) => {
        shownQr = true;
        void QRCode.toString(qr, { type: 'terminal', small: true }).then((art) => {
          say(`\n${art}`);
          say(`Link ${line}: on the trust-line phone open WhatsApp → Settings → Linked devices → Link a device, and scan this code.`);
          say('(The code changes every 20 seconds or so; a new one is printed each time.)');
        });
      });
      client!.on('authenticated', () => say('Scanned. Loading the chats...'));
      client!.on('ready', () => done(shownQr ? 'linked' : 'already'));
      client!.on('auth_failure', () => done('WhatsApp refused the session'));
      client!.on('disconnected', (reason) => done(`disconnected (${reason})`));
      client!.initialize().catch((err: unknown) => done(`WhatsApp Web did not start: ${err instanceof Error ? err.message : 'unknown error'}`));
    });
    if (outcome === 'linked' || outcome === 'already') {
      await new Promise((r) => setTimeout(r, deps.settleMs ?? 3_000));
      say(
        outcome === 'linked'
          ? `✓ ${line} is linked. The session is kept in ${sessionDirOf(wa, line)} (a secret: it holds chat history).`
          : `✓ ${line} was already linked; nothing to do.`,
      );
      say('A running Trustline picks the line up within a few minutes; or restart it.');
      return 0;
    }
    deps.err.write(`✗ ${line} was not linked: ${outcome}.\n`);
    return 1;
  } catch (err) {
    deps.err.write(`✗ ${line} was not linked: ${err instanceof Error ? err.message : 'unknown error'}\n`);
    return 1;
  } finally {
    // Closing the browser keeps the LocalAuth session on disk.
    await client?.destroy().catch(() => undefined);
    await lease?.release().catch(() => undefined);
  }
}
