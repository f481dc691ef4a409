// `trustline keys ...`: create, protect, rotate, retire and check the key files.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { type KeyRing } from '../crypto/index.js';
import { initKeys, loadKeys, protectKeys, rotateKeys, checkKeys, retireKey } from '../keys/index.js';
import { existingPassphrase, newPassphrase } from './prompt.js';
import { withRedis } from './redis.js';

export const KEYS_USAGE = `Usage:
  trustline keys init [--dir D] [--protect]  create the key files (--protect: with a passphrase)
  trustline keys protect [--dir D]           protect existing plain secret files with a passphrase
  trustline keys rotate [--dir D]            new staff and relay keys become current; old ones stay
  trustline keys retire KID [--dir D]        re-seal every case from key KID to the current key, then delete KID
  trustline keys check [--dir D] [--sample N]  verify the keys open a sample of the cases in Redis

The passphrase of protected files comes from TRUSTLINE_KEY_PASSPHRASE, or is asked for at a terminal.
`;

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export async function keysCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { dir: { type: 'string' }, protect: { type: 'boolean' }, sample: { type: 'string' } },
  });
  // Only the commands that read Redis need REDIS_URL; none needs the bot token.
  const config = loadConfig(process.env, []);
  const dir = values.dir ?? config.keysDir;
  const load = (): Promise<KeyRing> => {
    const passphrase = existingPassphrase(config);
    return loadKeys(dir, passphrase ? { passphrase } : {});
  };

  switch (positionals[0]) {
    case 'init': {
      const made = await initKeys(dir, values.protect ? { passphrase: await newPassphrase(config) } : {});
      out(
        `Created keys in ${made.dir} (staff key ${made.staffKid}, relay key ${made.relayKid})` +
          `${values.protect ? ', secret files protected with the passphrase' : ''}.\n` +
          'Back up the *.key files somewhere safe and offline: losing staff.key makes every case unreadable.',
      );
      return 0;
    }
    case 'protect': {
      const changed = await protectKeys(dir, await newPassphrase(config));
      out(
        changed.length
          ? `Protected ${changed.length} secret file(s): ${changed.join(', ')}.\n` +
              'From now on Trustline needs TRUSTLINE_KEY_PASSPHRASE (or a terminal) to start. ' +
              'Replace the plain copies in your backups with these files.'
          : 'Every secret file is already protected with this passphrase.',
      );
      return 0;
    }
    case 'rotate': {
      const passphrase = existingPassphrase(config);
      const r = await rotateKeys(dir, passphrase ? { passphrase } : {});
      out(
        `Rotated keys in ${dir}: staff ${r.staff.from} -> ${r.staff.to}, relay ${r.relay.from} -> ${r.relay.to}.\n` +
          'Old keys still open old cases. Next:\n' +
          '  1. back up the new files:\n' +
          r.files.map((f) => `       ${f}\n`).join('') +
          '  2. restart every Trustline process, so new cases are sealed to the new keys;\n' +
          `  3. then: trustline keys retire ${r.staff.from}   and   trustline keys retire ${r.relay.from}`,
      );
      return 0;
    }
    case 'retire': {
      const kid = positionals[1];
      if (kid === undefined || !/^[0-9a-f]{16}$/.test(kid)) {
        process.stderr.write(`keys retire needs a key id (16 hex characters).\n\n${KEYS_USAGE}`);
        return 2;
      }
      const ring = await load();
      const r = await withRedis(config, (redis) => retireKey({ redis, ring, dir, kid }));
      out(
        `Re-sealed ${r.resealed} case(s) from ${r.role} key ${kid} to ${ring[r.role].kid}; deleted ${r.removed.join(', ')}.\n` +
          'Delete the backups of those files too: until then, old Redis backups can still be opened with them.',
      );
      return 0;
    }
    case 'check': {
      const sample = values.sample === undefined ? 20 : Number(values.sample);
      if (!Number.isInteger(sample) || sample < 1) {
        process.stderr.write('--sample must be a positive whole number\n');
        return 2;
      }
      const ring = await load();
      const c = await withRedis(config, (redis) => checkKeys({ redis, ring, sample }));
      out(describeCheck(ring, c));
      return c.failures.length === 0 ? 0 : 1;
    }
    default:
      process.stderr.write(KEYS_USAGE);
      return 2;
  }
}

function describeCheck(ring: KeyRing, c: Awaited<ReturnType<typeof checkKeys>>): string {
  const lines = [
    `Keys: staff ${ring.staff.kid} (current) + ${ring.staffSecrets.size - 1} older; relay ${ring.relay.kid} (current) + ${ring.relaySecrets.size - 1} older.`,
  ];
  lines.push(`${c.cases} case(s) in Redis.`);
  for (const role of ['staff', 'relay'] as const) {
    for (const k of c.byKey[role]) {
      lines.push(`  ${role} key ${k.kid}: ${k.cases} case(s)${k.held ? '' : '  <- NOT in the configured keys'}`);
    }
  }
  lines.push(`Opened ${c.opened} of ${c.sampled} sampled case(s) completely.`);
  for (const f of c.failures) lines.push(`  FAILED ${f.code}: ${f.what} (${f.problem})`);
  return lines.join('\n');
}
