#!/usr/bin/env node
// The `trustline` command. Output here is for a person at a terminal, so it uses the
// console; the running hotline logs through pino.
import { startTrustline } from '../app/index.js';
import { ConfigError, loadConfig } from '../config/index.js';
import { sodiumReady } from '../crypto/index.js';
import { KeyFileError, loadKeys } from '../keys/index.js';
import { createLogger } from '../shared/index.js';
import { RedisNotDurable } from '../store/index.js';
import { existingPassphrase } from './prompt.js';

const USAGE = `Usage: trustline <command>

  start               run the hotline (configuration from the environment)
  sandbox             run the whole hotline locally with no accounts, and chat with it
  keys init [--dir D] create the key files (refuses to overwrite existing ones)
  whatsapp login L    link a phone to WhatsApp trust line L (shows a QR code to scan)
  keys protect|rotate|retire KID|check   protect, rotate, retire and check keys (trustline keys help)
  retention run [--dry-run]   shred closed cases past their retention period (or list them)
  report --year 2026 [--format md|csv|html] [--out FILE]   the annual monitoring report
  roster export       print the duty roster as YAML (--out FILE, --format csv)
  roster import FILE  make the roster what FILE (YAML or CSV) says (--dry-run first)
  rights export DIR | check DIR   the pages reporters read with /rights: write Trustline's to edit, or check yours
  backup FILE [--verify]   an encrypted backup of Redis (or check one); restore FILE [--force]   put one back
  help                this text
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  await sodiumReady();
  switch (command) {
    case 'start':
      return start();
    case 'sandbox': {
      const { sandboxCommand } = await import('./sandbox.js');
      return sandboxCommand(rest);
    }
    case 'whatsapp': {
      const { runWhatsApp } = await import('./whatsapp.js');
      return runWhatsApp(rest);
    }
    // Loaded on demand: a command pays only for the modules it uses (the report's
    // charting library alone takes a while to load).
    case 'keys':
      return (await import('./keys.js')).keysCommand(rest);
    case 'retention':
      return (await import('./retention.js')).retentionCommand(rest);
    case 'report':
      return (await import('./report.js')).reportCommand(rest);
    case 'backup':
      return (await import('./backup.js')).backupCommand(rest);
    case 'restore':
      return (await import('./backup.js')).restoreCommand(rest);
    case 'rights':
      return (await import('./rights.js')).rightsCommand(rest);
    case 'roster': {
      const { rosterCommand } = await import('./roster.js');
      return rosterCommand(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

async function start(): Promise<number> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel });
  const passphrase = existingPassphrase(config);
  const keyRing = await loadKeys(config.keysDir, passphrase ? { passphrase } : {});
  const app = await startTrustline({ config, keys: keyRing, log });
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await app.stop();
  log.flush();
  return 0;
}

/** Errors a person can act on are shown as sentences, not stack traces. */
function explain(err: unknown): string {
  if (err instanceof ConfigError || err instanceof KeyFileError || err instanceof RedisNotDurable) return err.message;
  if (err instanceof Error && ['RosterFileError', 'RightsFileError', 'BackupError'].includes(err.name)) return err.message;
  if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT') return `File not found: ${(err as NodeJS.ErrnoException).path ?? ''}`;
  if (err instanceof Error && (err.name === 'RedisBinaryMissing' || err.name === 'SandboxError')) return err.message;
  // ioredis fail-fast connections report an unreachable server as an unwritable stream.
  // Errors of the keys, retention and report commands whose messages are written for people.
  const spoken = ['PromptAborted', 'RedisUnreachable', 'RetireRefused', 'PassphraseError', 'ReportError'];
  if (err instanceof Error && spoken.includes(err.name)) return err.message;
  if (err instanceof Error && /ECONNREFUSED|Stream isn't writeable/.test(err.message)) {
    return 'Cannot reach Redis at REDIS_URL. Is it running? (docker compose up redis, or unset REDIS_URL in the sandbox)';
  }
  return `Unexpected error: ${err instanceof Error ? err.name : 'unknown'}${err instanceof Error ? `: ${err.message}` : ''}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    exitSoon();
  },
  (err: unknown) => {
    process.stderr.write(`${explain(err)}\n`);
    process.exitCode = 1;
    exitSoon();
  },
);

/**
 * A finished command must give the shell back even if a library left a handle open
 * (a failed start leaves Redis clients reconnecting forever). The timer is unref'd, so
 * a clean exit does not wait for it.
 */
function exitSoon(): void {
  setTimeout(() => process.exit(), 1_000).unref();
}
