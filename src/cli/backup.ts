// `trustline backup FILE`, `trustline backup --verify FILE`, `trustline restore FILE`:
// everything Trustline keeps in Redis, in one file sealed with the key files (see
// src/backup). Beside each backup goes FILE.shredded: the ids of the cases erased or
// shredded so far, so that restoring an older backup can erase them again.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { loadKeys } from '../keys/index.js';
import { assertDurable } from '../store/index.js';
import { readBackup, restoreBackup, shreddedIds, type BackupSummary, writeBackup } from '../backup/index.js';
import { existingPassphrase } from './prompt.js';
import { withRedis } from './redis.js';

export const BACKUP_USAGE = `Usage:
  trustline backup FILE              write everything Trustline keeps in Redis to FILE, encrypted with the key files
  trustline backup --verify FILE     open FILE with the key files and check it, restoring nothing
  trustline restore FILE [--force] [--shreds IDS]
                                     restore FILE into an empty Redis (--force: into one that is not);
                                     cases erased since are erased again (IDS: a newer backup's FILE.shredded)
`;

const describe = (s: BackupSummary) =>
  `${s.keys} keys: ${s.cases} cases, ${s.conversations} conversations, ${(s.bytes / 1_048_576).toFixed(1)} MB, taken ${new Date(s.at).toISOString()}`;

async function keyRing() {
  const config = loadConfig(process.env, []);
  const passphrase = existingPassphrase(config);
  return { config, keys: await loadKeys(config.keysDir, passphrase ? { passphrase } : {}) };
}

export async function backupCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { verify: { type: 'boolean' } } });
  const file = positionals[0];
  if (!file) {
    process.stderr.write(BACKUP_USAGE);
    return 2;
  }
  const { config, keys } = await keyRing();
  if (values.verify) {
    const summary = await readBackup(keys.pepper, file, () => undefined);
    process.stdout.write(`${file} is a whole backup these keys open: ${describe(summary)}.\n`);
    return 0;
  }
  return withRedis(config, async (redis) => {
    let shown = 0;
    const summary = await writeBackup(redis, keys.pepper, file, (n) => {
      // A progress line for large data sets, on the terminal only.
      if (n - shown >= 10_000) process.stderr.write(`… ${(shown = n)} keys\n`);
    });
    await writeFile(`${file}.shredded`, (await shreddedIds(redis)).map((id) => `${id}\n`).join(''), { mode: 0o600 });
    process.stdout.write(`Wrote ${file}: ${describe(summary)}.\nThe ids of erased cases are in ${file}.shredded, for restoring older backups.\n`);
    return 0;
  });
}

export async function restoreCommand(args: string[], now: () => number = Date.now): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean' }, shreds: { type: 'string' } } });
  const file = positionals[0];
  if (!file) {
    process.stderr.write(BACKUP_USAGE);
    return 2;
  }
  const { config, keys } = await keyRing();
  const shreds = values.shreds ? (await readFile(values.shreds, 'utf8')).split('\n').filter(Boolean) : [];
  return withRedis(config, async (redis) => {
    const { summary, reapplied } = await restoreBackup(redis, keys.pepper, file, { force: values.force === true, shreds, now: now() });
    // The same check as start-up: this Redis must not lose what it now holds.
    await assertDurable(redis, { volatile: config.redis.allowVolatile, everysec: config.redis.allowEverysec });
    process.stdout.write(`Restored ${describe(summary)}.${reapplied ? ` ${reapplied} cases erased since the backup were erased again.` : ''}\n`);
    return 0;
  });
}
