// `trustline keys check`: do the configured keys open the cases in Redis? Every case's
// sealed values are tallied by key id (cheap: no crypto), and a random sample is
// opened all the way: the case key, the first message under it, the return address.
// Nothing opened is printed or kept; only counts and case codes of failures.
import type { Redis } from 'ioredis';
import { CryptoError, open, sealedKeyId, type KeyRing, type KeyRole } from '../crypto/index.js';
import type { CaseCode, CaseId } from '../shared/index.js';
import { CaseLog } from '../cases/index.js';
import { scanCaseIds, CaseStore } from '../store/index.js';
import { sealedFields } from './reseal.js';

export interface KeyCheck {
  /** live (not shredded) cases in Redis */
  cases: number;
  /** cases per key id, per role; `held` says whether the key ring has that secret */
  byKey: Record<KeyRole, { kid: string; cases: number; held: boolean }[]>;
  sampled: number;
  opened: number;
  failures: { code: CaseCode; what: 'case key' | 'message' | 'return address'; problem: string }[];
}

export async function checkKeys({
  redis,
  ring,
  sample = 20,
  random = Math.random,
}: {
  redis: Redis;
  ring: KeyRing;
  sample?: number;
  random?: () => number;
}): Promise<KeyCheck> {
  const tally: Record<KeyRole, Map<string, number>> = { staff: new Map(), relay: new Map() };
  const chosen: CaseId[] = [];
  let cases = 0;
  for await (const id of scanCaseIds(redis)) {
    const [sealedKey, returnAddress] = await redis.hmgetBuffer(`tl:case:${id}`, sealedFields.staff, sealedFields.relay);
    if (!sealedKey) continue; // shredded or half-written: nothing to open
    cases++;
    for (const [role, value] of [
      ['staff', sealedKey],
      ['relay', returnAddress],
    ] as const) {
      const kid = value ? (sealedKeyId(value) ?? 'malformed') : 'missing';
      tally[role].set(kid, (tally[role].get(kid) ?? 0) + 1);
    }
    // Reservoir sampling: every case equally likely, in one pass, in bounded memory.
    if (chosen.length < sample) chosen.push(id);
    else {
      const j = Math.floor(random() * cases);
      if (j < sample) chosen[j] = id;
    }
  }

  const store = new CaseStore(redis);
  const caseLog = new CaseLog(store, ring);
  const failures: KeyCheck['failures'] = [];
  let opened = 0;
  for (const id of chosen) {
    const record = await store.get(id);
    if (!record) continue;
    const problemOf = (err: unknown) => (err instanceof CryptoError ? err.code : err instanceof Error ? err.name : 'error');
    let ok = true;
    try {
      const key = caseLog.caseKey(record);
      try {
        // Opening the first message proves the case key is the right one; the text is dropped.
        if (record.count.in > 0) await caseLog.read(record, key, 'in', 1);
      } catch (err) {
        ok = false;
        failures.push({ code: record.code, what: 'message', problem: problemOf(err) });
      } finally {
        key.fill(0);
      }
    } catch (err) {
      ok = false;
      failures.push({ code: record.code, what: 'case key', problem: problemOf(err) });
    }
    try {
      open(ring.relaySecrets, record.returnAddress).fill(0);
    } catch (err) {
      ok = false;
      failures.push({ code: record.code, what: 'return address', problem: problemOf(err) });
    }
    if (ok) opened++;
  }

  const list = (role: KeyRole) =>
    [...tally[role]].map(([kid, n]) => ({
      kid,
      cases: n,
      held: (role === 'staff' ? ring.staffSecrets : ring.relaySecrets).has(kid),
    }));
  return { cases, byKey: { staff: list('staff'), relay: list('relay') }, sampled: chosen.length, opened, failures };
}
