#!/usr/bin/env node
// The `trustline` command. Output here is for a person at a terminal, so it uses the
// console; the running hotline logs through pino.
import { parseArgs } from 'node:util';
import { startTrustline } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { initKeys, KeyFileError, loadKeys, sodiumReady } from '../crypto/index.js';
import { createLogger } from '../log.js';
import { RedisNotDurable } from '../store/redis.js';

const USAGE = `Usage: trustline <command>

  start               run the hotline (configuration from the environment)
  sandbox             run the whole hotline locally with no accounts, and chat with it
  keys init [--dir D] create the key files (refuses to overwrite existing ones)
  roster export       print the duty roster as YAML (--out FILE, --format csv)
  roster import FILE  make the roster what FILE (YAML or CSV) says (--dry-run first)
  help                this text
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  await sodiumReady();
  switch (command) {
    case 'start':
      return start();
    case 'sandbox': {
      const { runSandbox } = await import('./sandbox.js');
      return runSandbox(rest);
    }
    case 'keys':
      return keys(rest);
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

async function keys(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { dir: { type: 'string' } } });
  if (positionals[0] !== 'init') {
    process.stderr.write('Usage: trustline keys init [--dir DIR]\n');
    return 2;
  }
  const dir = values.dir ?? loadConfig(process.env, []).keysDir;
  const made = await initKeys(dir);
  process.stdout.write(
    `Created keys in ${made.dir} (staff key ${made.staffKid}, relay key ${made.relayKid}).\n` +
      'Back up the *.key files somewhere safe and offline: losing staff.key makes every case unreadable.\n',
  );
  return 0;
}

async function start(): Promise<number> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel });
  const keyRing = await loadKeys(config.keysDir);
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
  if (err instanceof Error && err.name === 'RosterFileError') return err.message;
  if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT') return `File not found: ${(err as NodeJS.ErrnoException).path ?? ''}`;
  if (err instanceof Error && err.name === 'RedisBinaryMissing') return err.message;
  if (err instanceof Error && /ECONNREFUSED/.test(err.message)) {
    return 'Cannot reach Redis at REDIS_URL. Is it running? (docker compose up redis, or unset REDIS_URL in the sandbox)';
  }
  return `Unexpected error: ${err instanceof Error ? err.name : 'unknown'}${err instanceof Error ? `: ${err.message}` : ''}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${explain(err)}\n`);
    process.exitCode = 1;
  },
);
