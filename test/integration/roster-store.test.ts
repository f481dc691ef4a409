// The roster in a real Redis: staff are handles; ids, names, usernames, templates and
// audit notes are stored only encrypted.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyRing, reporterKeyOf, rosterKeyOf, sodiumReady, type KeyRing } from '../../src/crypto/index.js';
import { seedRoster } from '../../src/routing/roster-seed.js';
import { StaffDirectory } from '../../src/routing/staff-directory.js';
import { AuditLog } from '../../src/store/audit.js';
import { RosterStore } from '../../src/store/roster.js';
import { TemplateStore } from '../../src/store/templates.js';
import { dumpRedis, redisForFile } from '../support/redis.js';

const r = redisForFile();
let keys: KeyRing;
let store: RosterStore;
let directory: StaffDirectory;
let audit: AuditLog;

beforeAll(async () => {
  await sodiumReady();
});
beforeEach(async () => {
  await r.client.flushall();
  keys = generateKeyRing();
  store = new RosterStore(r.client);
  directory = new StaffDirectory(store, keys.pepper);
  audit = new AuditLog(r.client, rosterKeyOf(keys.pepper));
});

const dana = { channel: 'telegram' as const, address: '700000123', name: 'Dana Seitkali', username: 'dana_counsellor' };

describe('staff directory', () => {
  it('keeps a counsellor under a keyed handle with their identity encrypted', async () => {
    const { record, created } = await directory.enroll(dana, { role: 'counsellor', langs: ['ru', 'kk'], escalation: false }, 1);
    expect(created).toBe(true);
    expect(record.id).toBe(directory.handleOf('telegram', '700000123'));
    expect(record.id).not.toBe(reporterKeyOf(keys.pepper, 'telegram', '700000123')); // a reporter handle and a staff handle never match
    expect((await directory.lookup('telegram', '700000123'))?.langs).toEqual(['ru', 'kk']);
    expect(await directory.identityOf(record.id)).toEqual(dana);
    expect((await directory.byUsername('telegram', '@Dana_Counsellor')).record?.id).toBe(record.id);
    expect((await directory.byName('dan')).map((s) => s.id)).toEqual([record.id]);

    const dump = await dumpRedis(r.client);
    for (const secret of ['700000123', 'Dana', 'Seitkali', 'dana_counsellor']) expect(dump).not.toContain(secret);
    expect(dump).toContain(record.id);
  });

  it('remembers a non-member seen in the staff chat (encrypted) so /staff add @username finds them', async () => {
    const stranger = { channel: 'telegram' as const, address: '700000999', name: 'Erlan', username: 'erlan_it' };
    await directory.noticed(stranger, undefined);
    expect((await directory.byUsername('telegram', 'erlan_it')).identity).toEqual(stranger);
    expect(await r.client.ttl((await r.client.keys('tl:roster:seen:*'))[0]!)).toBeGreaterThan(29 * 24 * 3600);
    expect(await dumpRedis(r.client)).not.toContain('erlan');
  });

  it('follows a renamed staff member', async () => {
    const { record } = await directory.enroll(dana, { role: 'counsellor', langs: [], escalation: false }, 1);
    await directory.noticed({ ...dana, name: 'Dana S.', username: 'dana_s' }, record);
    expect((await directory.identityOf(record.id))?.name).toBe('Dana S.');
    expect((await directory.byUsername('telegram', 'dana_s')).record?.id).toBe(record.id);
    expect((await directory.byUsername('telegram', 'dana_counsellor')).record).toBeUndefined();
  });

  it('deactivates someone together with their shifts and overrides', async () => {
    const { record } = await directory.enroll(dana, { role: 'counsellor', langs: [], escalation: false }, 1);
    await store.putShift({ id: 'S1', counsellor: record.id, days: [0], start: 540, end: 1080 });
    await store.putOverrides([{ id: 'O1', counsellor: record.id, kind: 'cover', from: 1, to: 2, via: 'swap' }]);
    await store.deactivate(record);
    const snap = await store.snapshot();
    expect(snap.staff.find((s) => s.id === record.id)?.active).toBe(false);
    expect(snap.shifts).toEqual([]);
    expect(snap.overrides).toEqual([]);
    // still nameable in the audit log
    expect((await directory.identityOf(record.id))?.name).toBe('Dana Seitkali');
  });
});

describe('audit log and templates', () => {
  it('records who did what, with free-text reasons encrypted', async () => {
    const actor = directory.handleOf('telegram', '1');
    await audit.record({ at: 1000, actor, action: 'case.recuse', note: 'I know the person involved', detail: 'x' });
    await audit.record({ at: 2000, actor: 'system', action: 'case.assign', target: actor });
    const entries = await audit.recent(10);
    expect(entries.map((e) => e.action)).toEqual(['case.assign', 'case.recuse']);
    expect(entries[1]).toMatchObject({ at: 1000, actor, note: 'I know the person involved', detail: 'x' });
    expect(await dumpRedis(r.client)).not.toContain('person involved');
  });

  it('stores canned answers per language, encrypted', async () => {
    const templates = new TemplateStore(r.client, rosterKeyOf(keys.pepper));
    await templates.set('greeting', 'ru', 'Здравствуйте, мы вас слышим');
    await templates.set('greeting', 'kk', 'Сәлеметсіз бе, біз сізді естиміз');
    expect(await templates.get('greeting', 'kk')).toBe('Сәлеметсіз бе, біз сізді естиміз');
    expect([...(await templates.list())]).toEqual([['greeting', ['kk', 'ru']]]);
    expect(await dumpRedis(r.client)).not.toContain('слышим');
    expect(await templates.remove('greeting', 'ru')).toBe(1);
    expect(await templates.get('greeting', 'ru')).toBeUndefined();
  });
});

describe('bootstrap from the environment', () => {
  it('makes STAFF_ADMIN_IDS admins at every start and seeds STAFF_USER_IDS into an empty roster only', async () => {
    const first = await seedRoster({ roster: store, directory, audit }, { adminIds: [1], counsellorIds: [2, 3], now: 1 });
    expect(first).toMatchObject({ admins: 1, counsellors: 2 });
    const admin = (await directory.lookup('telegram', '1'))!;
    expect(admin).toMatchObject({ role: 'admin', active: true });

    // an admin removed by mistake is back after a restart; a removed counsellor stays removed
    await store.deactivate(admin);
    await store.deactivate((await directory.lookup('telegram', '2'))!);
    const again = await seedRoster({ roster: store, directory, audit }, { adminIds: [1], counsellorIds: [2, 3], now: 2 });
    expect(again).toMatchObject({ admins: 1, counsellors: 0 });
    expect((await directory.lookup('telegram', '1'))?.active).toBe(true);
    expect((await directory.lookup('telegram', '2'))?.active).toBe(false);
    expect((await audit.recent(10)).filter((e) => e.action === 'staff.seed')).toHaveLength(4);
  });
});
