// Retention on a real Redis (AOF on, as in production) with a moved clock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { decrypt, generateKeyRing, open, sodiumReady, type KeyRing } from '../../src/crypto/index.js';
import type { CaseCode } from '../../src/shared/ids.js';
import { runRetention } from '../../src/retention/run.js';
import { shredCase } from '../../src/retention/shred.js';
import { readAllFacts } from '../../src/store/case-stats.js';
import { CaseStore } from '../../src/store/cases.js';
import { CaseLog } from '../../src/cases/case-log.js';
import type { RedisServer } from '../../src/sandbox/redis-server.js';
import { makeCase, readFirstMessage, type MadeCase } from '../support/cases.js';
import { dumpRedis, useRedis } from '../support/redis.js';

const DAY = 24 * 3600 * 1000;
const TZ = 'Asia/Almaty';
const T0 = Date.UTC(2026, 0, 10, 9); // 10 January 2026, 14:00 in Almaty
const NOW = T0 + 400 * DAY;

let server: RedisServer;
let redis: Redis;
let store: CaseStore;
let ring: KeyRing;

beforeAll(async () => {
  await sodiumReady();
  ({ server, client: redis } = await useRedis({ appendonly: true }));
  store = new CaseStore(redis);
  ring = generateKeyRing();
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

interface World {
  old: MadeCase; // closed 390 days before NOW: goes
  withdrawn: MadeCase; // withdrawn 380 days before NOW: goes
  recent: MadeCase; // closed 100 days before NOW: stays
  open: MadeCase; // never closed: stays
  unstamped: MadeCase; // closed by something that did not record closedAt: its clock starts
}

async function world(): Promise<World> {
  const w: World = {
    old: await makeCase(redis, ring, { createdAt: T0, lang: 'kk', answer: 'We hear you' }),
    withdrawn: await makeCase(redis, ring, { createdAt: T0 + 5 * DAY, channel: 'whatsapp' }),
    recent: await makeCase(redis, ring, { createdAt: T0 + 200 * DAY }),
    open: await makeCase(redis, ring, { createdAt: T0 + 250 * DAY }),
    unstamped: await makeCase(redis, ring, { createdAt: T0 + 300 * DAY }),
  };
  await redis.hset(`tl:case:${w.old.id}`, { category: 'harassment.sexual', urgent: '1' });
  await store.setStatus(w.old.id, 'measures-taken', NOW - 395 * DAY);
  await store.setStatus(w.old.id, 'closed', NOW - 390 * DAY);
  await store.setStatus(w.withdrawn.id, 'withdrawn', NOW - 380 * DAY);
  await store.setStatus(w.recent.id, 'closed', NOW - 100 * DAY);
  await redis.hset(`tl:case:${w.unstamped.id}`, 'status', 'closed');
  // Staff-chat mappings and a pending mark, as the relay leaves them.
  await store.setStaffThread(w.old.id, 'main', 42, 'topics');
  await store.linkStaffMessage('main', 4201, w.old.id);
  await store.setStaffThread(w.recent.id, 'main', 43, 'topics');
  await redis.sadd('tl:pending:out', w.old.id);
  // Structures other parts of Trustline keep (a counsellor's open cases, a file store,
  // a lock): retention finds them by the case id, whoever wrote them.
  await redis.sadd('tl:duty:open:h1', w.old.id, w.recent.id);
  await redis.hset(`tl:case:${w.old.id}:files`, 'f1', 'encrypted bytes');
  await redis.set(`tl:lock:reporter:${w.old.id}`, 'token', 'PX', 60_000);
  // Conversation state of intakes: no expiry, a too-long one, a short one.
  await redis.set('tl:conv:forgotten', 'x');
  await redis.set('tl:conv:long', 'x', 'PX', 30 * DAY);
  await redis.set('tl:conv:short', 'x', 'PX', 3600_000);
  return w;
}

const options = (dryRun: boolean) => ({ redis, now: NOW, closedDays: 365, intakeDays: 7, timeZone: TZ, dryRun });
const codes = (run: { shredded: { code: CaseCode }[] }) => run.shredded.map((s) => s.code).sort();

beforeEach(async () => {
  await redis.flushall();
});

describe('retention', () => {
  it('dry run lists exactly the cases past their period and changes nothing', async () => {
    const w = await world();
    const before = await snapshot(redis);
    const ttls = await Promise.all(['tl:conv:forgotten', 'tl:conv:long'].map((k) => redis.pttl(k)));
    const run = await runRetention(options(true));
    expect(codes(run)).toEqual([w.old.code, w.withdrawn.code].sort());
    expect(run).toMatchObject({ dryRun: true, kept: 1, clockStarted: 1, conversationsBounded: 2 });
    expect(run.shredded.find((s) => s.code === w.old.code)).toEqual({ code: w.old.code, status: 'closed', closedAt: NOW - 390 * DAY });
    expect(await snapshot(redis)).toEqual(before);
    expect(await redis.pttl('tl:conv:forgotten')).toBe(-1);
    expect(Math.abs((await redis.pttl('tl:conv:long')) - ttls[1]!)).toBeLessThan(5_000);
  });

  it('nothing is due a day before the period ends; the day it ends, it is', async () => {
    const w = await world();
    const at = (now: number) => runRetention({ ...options(true), now });
    expect(codes(await at(NOW - 390 * DAY + 364 * DAY))).toEqual([]);
    expect(codes(await at(NOW - 390 * DAY + 365 * DAY))).toEqual([w.old.code]);
  });

  it('a case on hold (/hold) is kept past its period until the hold is lifted', async () => {
    const w = await world();
    await redis.hset(`tl:case:${w.old.id}`, 'hold', String(NOW));
    const held = await runRetention(options(false));
    expect(codes(held)).not.toContain(w.old.code);
    expect(held.held).toBe(1);
    expect(await redis.exists(`tl:case:${w.old.id}`)).toBe(1);
    await redis.hdel(`tl:case:${w.old.id}`, 'hold');
    expect(codes(await runRetention(options(false)))).toContain(w.old.code);
  });

  it('real run: content, case key, code, reporter pointer and staff mappings go; the statistics stay', async () => {
    const w = await world();
    const factsBefore = await readAllFacts(redis, TZ);
    const run = await runRetention(options(false));
    expect(codes(run)).toEqual([w.old.code, w.withdrawn.code].sort());
    // Their ids stay listed, and nothing else of them: a restored backup erases them again.
    expect((await redis.smembers('tl:shredded')).sort()).toEqual([w.old.id, w.withdrawn.id].sort());

    for (const gone of [w.old, w.withdrawn]) {
      expect(await store.get(gone.id)).toBeUndefined();
      expect(await store.caseOfCode(gone.code)).toBeUndefined();
      expect(await store.caseOfReporter(gone.reporterKey)).toBeUndefined();
      expect(await redis.keys(`*${gone.id}*`)).toEqual([]);
    }
    expect(await store.caseOfTopic('main', 42)).toBeUndefined();
    expect(await store.caseOfStaffMessage('main', 4201)).toBeUndefined();
    expect(await store.caseOfTopic('main', 43)).toBe(w.recent.id); // other cases keep theirs
    expect(await redis.smembers('tl:pending:out')).toEqual([]);
    expect(await redis.smembers('tl:duty:open:h1')).toEqual([w.recent.id]);

    // The others are intact and readable.
    for (const kept of [w.recent, w.open, w.unstamped]) expect(await readFirstMessage(redis, ring, kept.id)).toBe(kept.text);
    expect(await redis.hget(`tl:case:${w.unstamped.id}`, 'closedAt')).toBe(String(NOW));

    // Statistics: the same facts as before, no case code, id, content or reporter in them.
    const factsAfter = await readAllFacts(redis, TZ);
    expect(factsAfter).toHaveLength(5);
    // (the unstamped case differs only in now having a closing time: its clock started)
    const unstamped = (f: { day: string }) => f.day !== '2026-11-06';
    expect(factsAfter.filter(unstamped).sort(byJson)).toEqual(factsBefore.filter(unstamped).sort(byJson));
    const stats = await redis.keys('tl:stats:*');
    expect(stats).toHaveLength(2);
    const left = JSON.stringify(await Promise.all(stats.map((k) => redis.hgetall(k))));
    for (const gone of [w.old, w.withdrawn]) {
      for (const secret of [gone.code, gone.id, gone.text, gone.reporterKey, gone.address]) expect(left).not.toContain(secret);
    }
    expect(JSON.parse(left)).toContainEqual({
      v: '1',
      day: '2026-01-10',
      channel: 'telegram',
      lang: 'kk',
      status: 'closed',
      outcome: 'measures-taken',
      category: 'harassment.sexual',
      urgent: '1',
      firstAnswerMs: expect.any(String),
      closeMs: String(NOW - 390 * DAY - T0),
    });

    // Intake state: bounded to 7 days; a shorter expiry is left as it was.
    for (const key of ['tl:conv:forgotten', 'tl:conv:long']) {
      expect(await redis.pttl(key)).toBeGreaterThan(7 * DAY - 60_000);
      expect(await redis.pttl(key)).toBeLessThanOrEqual(7 * DAY);
    }
    expect(await redis.pttl('tl:conv:short')).toBeLessThanOrEqual(3600_000);

    // A second run finds nothing more to do.
    expect(codes(await runRetention(options(false)))).toEqual([]);
  });

  it('a shredded case cannot be decrypted with any key: no key anywhere in Redis opens its content', async () => {
    const w = await world();
    const envelope = (await store.getMessage(w.old.id, 'in', 1))!.envelope;
    const sealedKey = (await store.get(w.old.id))!.sealedKey;
    const caseKey = open(ring.staffSecrets, sealedKey);
    expect(decrypt(caseKey, envelope, `trustline/v1/${w.old.id}/in/1`).toString()).toContain(w.old.text);

    await runRetention(options(false));

    // Every value left in Redis that the staff keys can open is some other case's key;
    // none of them opens the shredded case's message, and the message itself is gone.
    const dump = await dumpRedis(redis);
    expect(dump).not.toContain(envelope.toString('latin1'));
    expect(dump).not.toContain(sealedKey.toString('latin1'));
    const openable: Buffer[] = [];
    for (const key of await redis.keys('tl:case:*')) {
      if ((await redis.type(key)) !== 'hash') continue;
      for (const value of Object.values(await redis.hgetallBuffer(key))) {
        try {
          openable.push(open(ring.staffSecrets, value));
        } catch {
          // not sealed to the staff key
        }
      }
    }
    expect(openable).toHaveLength(3); // the three cases kept
    for (const key of openable) {
      expect(() => decrypt(key, envelope, `trustline/v1/${w.old.id}/in/1`)).toThrow(/authentication failed/);
    }
  });

  it('the deletion reaches the disk: after the AOF rewrite no file holds the shredded ciphertext', async () => {
    const w = await world();
    const envelope = (await store.getMessage(w.old.id, 'in', 1))!.envelope;
    const sealedKey = (await store.get(w.old.id))!.sealedKey;
    const onDisk = async () => {
      const dir = join(server.dir, 'appendonlydir');
      return Buffer.concat(await Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f)))));
    };
    await waitForAof(redis);
    expect((await onDisk()).includes(envelope)).toBe(true); // written as the case was made

    await runRetention(options(false));
    await waitForAof(redis);
    const files = await onDisk();
    expect(files.includes(envelope)).toBe(false);
    expect(files.includes(sealedKey)).toBe(false);
  });

  it('a case reopened after it was chosen is not shredded', async () => {
    const w = await world();
    const closedAt = (await redis.hget(`tl:case:${w.old.id}`, 'closedAt'))!;
    await store.setStatus(w.old.id, 'investigation', NOW);
    const shredded = await shredCase(redis, { id: w.old.id, code: w.old.code, closedAt, references: [] }, { v: '1' }, 'someid');
    expect(shredded).toBe(false);
    expect(await readFirstMessage(redis, ring, w.old.id)).toBe(w.old.text);
    expect(await redis.exists('tl:stats:someid')).toBe(0);
  });
});

describe('the audit log', () => {
  it('keeps AUDIT_RETENTION_DAYS of entries: older ones are trimmed by the run, never by a dry run', async () => {
    const day = 24 * 3600_000;
    await redis.xadd('tl:audit', `${NOW - 500 * day}-0`, 'at', String(NOW - 500 * day), 'actor', 'system', 'action', 'case.assign');
    await redis.xadd('tl:audit', `${NOW - 10 * day}-0`, 'at', String(NOW - 10 * day), 'actor', 'system', 'action', 'case.assign');
    expect((await runRetention({ ...options(true), auditDays: 400 })).auditTrimmed).toBe(0);
    expect(await redis.xlen('tl:audit')).toBe(2);
    expect((await runRetention({ ...options(false), auditDays: 400 })).auditTrimmed).toBe(1);
    const left = await redis.xrange('tl:audit', '-', '+');
    expect(left.map(([id]) => id)).toEqual([`${NOW - 10 * day}-0`]);
  });
});

describe('case status timestamps', () => {
  it('closing records closedAt once, reopening clears it, measures are remembered', async () => {
    const c = await makeCase(redis, ring);
    const fields = () => redis.hmget(`tl:case:${c.id}`, 'status', 'closedAt', 'measuresAt');
    await store.setStatus(c.id, 'measures-taken', 1000);
    await store.setStatus(c.id, 'closed', 2000);
    await store.setStatus(c.id, 'closed', 3000); // a second /close does not restart the clock
    expect(await fields()).toEqual(['closed', '2000', '1000']);
    await store.setStatus(c.id, 'investigation', 4000);
    expect(await fields()).toEqual(['investigation', null, '1000']);
    await store.setStatus(c.id, 'withdrawn', 5000);
    expect(await fields()).toEqual(['withdrawn', '5000', '1000']);
  });

  it('the first counsellor answer is timestamped once', async () => {
    const c = await makeCase(redis, ring, { answer: 'first' });
    const first = await redis.hget(`tl:case:${c.id}`, 'firstAnswerAt');
    expect(Number(first)).toBeGreaterThan(0);
    await new CaseLog(store, ring).append((await store.get(c.id))!, 'out', { kind: 'text', text: 'second', at: Date.now() });
    expect(await redis.hget(`tl:case:${c.id}`, 'firstAnswerAt')).toBe(first);
    const unanswered = await makeCase(redis, ring);
    expect(await redis.hget(`tl:case:${unanswered.id}`, 'firstAnswerAt')).toBeNull();
  });
});

/** Every key with its sorted contents (hash field order is not stable across rehashing). */
async function snapshot(client: Redis): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const key of (await client.keys('*')).sort()) {
    const type = await client.type(key);
    if (type === 'hash')
      out[key] = Object.entries(await client.hgetallBuffer(key))
        .map(([f, v]) => `${f}=${v.toString('hex')}`)
        .sort();
    else if (type === 'set') out[key] = (await client.smembers(key)).sort();
    else if (type === 'string') out[key] = [(await client.getBuffer(key))!.toString('hex')];
    else out[key] = [type];
  }
  return out;
}

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** Waits until Redis has no AOF rewrite running or scheduled, and the AOF is flushed. */
async function waitForAof(client: Redis): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const info = await client.info('persistence');
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  await new Promise((r) => setTimeout(r, 1_100)); // appendfsync everysec
}
