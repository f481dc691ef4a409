// `trustline roster import|export` against a real Redis, as an admin runs it.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../src/crypto/index.js';
import { loadKeys } from '../../src/keys/loading.js';
import { Roster } from '../../src/routing/roster.js';
import { StaffDirectory } from '../../src/routing/staff-directory.js';
import { instantOf } from '../../src/shared/zoned-time.js';
import { RosterStore } from '../../src/store/roster.js';
import { dumpRedis, redisForFile } from '../support/redis.js';
import { runTrustline } from '../support/cli.js';

const r = redisForFile();
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  await sodiumReady();
  dir = await mkdtemp(join(tmpdir(), 'trustline-roster-'));
  env = { REDIS_URL: r.server.url, TRUSTLINE_KEYS_DIR: join(dir, 'keys'), STAFF_ADMIN_IDS: '700000001', TZ: 'Asia/Almaty' };
  expect((await trustline(['keys', 'init'])).code).toBe(0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const trustline = (args: string[]) => runTrustline(args, env);

const ROSTER = `timeZone: Asia/Almaty
staff:
  - telegramId: 700000001
    name: Aliya Nurlanovna
    username: aliya_admin
    role: admin
    languages: [ru, kk]
  - telegramId: 700000002
    name: Dana Seitkali
    username: dana_counsellor
    languages: [ru, kk]
    shifts: [mon-fri 09:00-18:00]
  - telegramId: 700000003
    name: Arman Bekov
    languages: [ru, en]
    escalation: true
    shifts: ["daily 18:00-09:00"]
overrides:
  - telegramId: 700000002
    kind: away
    from: 2099-05-13 00:00
    to: 2099-05-15 00:00
`;

async function onDutyAt(local: [number, number, number, number]): Promise<string[]> {
  const keys = await loadKeys(env.TRUSTLINE_KEYS_DIR!);
  const store = new RosterStore(r.client);
  const directory = new StaffDirectory(store, keys.pepper);
  const roster = new Roster(await store.snapshot(), 'Asia/Almaty');
  const [y, m, d, h] = local;
  const names = await Promise.all(roster.onDuty(instantOf({ y, m, d }, h * 60, 'Asia/Almaty')).map((c) => directory.identityOf(c.id)));
  return names.map((n) => n!.name).sort();
}

describe('trustline roster', () => {
  it('imports a YAML roster (a dry run first), keeping names and ids out of Redis', async () => {
    const file = join(dir, 'roster.yaml');
    await writeFile(file, ROSTER);
    const dry = await trustline(['roster', 'import', file, '--dry-run']);
    expect(dry.stdout).toMatch(/Would import: 3 staff added, 0 updated, 0 removed; 2 weekly shifts; overrides 1\./);
    expect(await r.client.hlen('tl:roster:staff')).toBe(0);

    const done = await trustline(['roster', 'import', file]);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/Imported: 3 staff added/);
    expect(await onDutyAt([2025, 5, 12, 10])).toEqual(['Dana Seitkali']); // Monday 10:00
    expect(await onDutyAt([2025, 5, 13, 2])).toEqual(['Arman Bekov']); // Monday's night shift, after midnight
    expect(await onDutyAt([2099, 5, 13, 10])).toEqual([]); // Dana away
    const dump = await dumpRedis(r.client);
    for (const secret of ['700000002', 'Dana', 'Seitkali', 'dana_counsellor', 'Arman', 'Aliya']) expect(dump).not.toContain(secret);
    expect(dump).toMatch(/roster\.import/);
  });

  it('exports what it imported, as YAML or as a spreadsheet, into a private file', async () => {
    const out = join(dir, 'export.yaml');
    const exported = await trustline(['roster', 'export', '--out', out]);
    expect(exported.stderr).toMatch(/Exported 3 staff.+keep it private/);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const doc = parseYaml(await readFile(out, 'utf8')) as { staff: { name: string; shifts: string[]; escalation: boolean }[]; overrides: unknown[] };
    expect(doc.staff.map((s) => [s.name, s.shifts, s.escalation])).toEqual([
      ['Aliya Nurlanovna', [], false],
      ['Dana Seitkali', ['mon-fri 09:00-18:00'], false],
      ['Arman Bekov', ['daily 18:00-09:00'], true],
    ]);
    expect(doc.overrides).toEqual([{ telegramId: 700000002, kind: 'away', from: '2099-05-13 00:00', to: '2099-05-15 00:00' }]);

    const csv = await trustline(['roster', 'export', '--format', 'csv']);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('telegram_id,name,username,role,languages,escalation,active,mon,tue,wed,thu,fri,sat,sun');
    expect(lines[2]).toBe('700000002,Dana Seitkali,dana_counsellor,counsellor,"ru,kk",no,yes,09:00-18:00,09:00-18:00,09:00-18:00,09:00-18:00,09:00-18:00,,');
  });

  it('imports an edited spreadsheet: a removed row removes that person; overrides stay; the bootstrap admin stays', async () => {
    const csv = join(dir, 'roster.csv');
    await writeFile(
      csv,
      'telegram_id,name,role,languages,active,mon,tue,wed,thu,fri,sat,sun\n' +
        '700000001,Aliya Nurlanovna,counsellor,ru,no,,,,,,,\n' +
        '700000002,Dana Seitkali,counsellor,"ru,kk",yes,09:00-13:00 14:00-18:00,09:00-13:00 14:00-18:00,,,,10:00-16:00,\n',
    );
    const done = await trustline(['roster', 'import', csv]);
    expect(done.stdout).toMatch(/Imported: 0 staff added, 2 updated, 1 removed; 3 weekly shifts; overrides unchanged\./);
    expect(done.stdout).toMatch(/1 admin\(s\) from STAFF_ADMIN_IDS kept active/);
    expect(await onDutyAt([2025, 5, 12, 13])).toEqual([]); // lunch break: nobody (Aliya is kept as admin, without shifts)
    expect(await onDutyAt([2025, 5, 12, 14])).toEqual(['Dana Seitkali']);
    expect(await onDutyAt([2025, 5, 17, 12])).toEqual(['Dana Seitkali']); // Saturday
    expect(await onDutyAt([2025, 5, 13, 2])).toEqual([]); // Arman removed
    expect(await r.client.hlen('tl:roster:overrides')).toBe(1);
  });

  it('refuses a bad file, saying where each problem is, and changes nothing', async () => {
    const before = await dumpRedis(r.client);
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'staff:\n  - telegramId: 12\n    languages: [de]\n  - telegramId: abc\n    shifts: ["someday 9-5"]\n');
    const res = await trustline(['roster', 'import', bad]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/nothing was imported/);
    expect(res.stderr).toMatch(/staff 1, languages/);
    expect(res.stderr).toMatch(/staff 2, telegramId/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(await dumpRedis(r.client)).toBe(before);
    expect((await trustline(['roster', 'frobnicate'])).stderr).toMatch(/trustline roster import FILE/);
  });
});
