// Re-sealing: everything sealed to an old key generation is opened and sealed again to
// the current key of the same role, so the old secret can be destroyed without
// making a single case unreadable.
import type { Redis } from 'ioredis';
import { CryptoError, open, seal, sealedKeyId, type KeyRing, type KeyRole } from '../crypto/index.js';
import type { CaseId } from '../shared/index.js';
import { scanCaseIds, scanKeys, redisKeys, queuePrefix } from '../store/index.js';

/** Where each role's sealed value lives in a case hash. */
export const sealedFields: Record<KeyRole, 'sealedKey' | 'returnAddress'> = { staff: 'sealedKey', relay: 'returnAddress' };

// Compare-and-set: a value changed since we read it (another re-seal, a shred) is left
// alone rather than overwritten with a copy made from the stale one.
const SWAP = `if redis.call('hget', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('hset', KEYS[1], ARGV[1], ARGV[3]) return 1 end return 0`;

export interface Reseal {
  /** cases whose value was sealed to `kid` and now is sealed to the current key */
  resealed: number;
  /** cases already sealed to another key (usually the current one) */
  untouched: number;
  /** cases sealed to `kid` that could not be opened: they keep the old value */
  failed: { id: CaseId; problem: string }[];
}

export async function resealCases(redis: Redis, ring: KeyRing, role: KeyRole, kid: string): Promise<Reseal> {
  const secrets = role === 'staff' ? ring.staffSecrets : ring.relaySecrets;
  const target = ring[role];
  if (target.kid === kid) throw new Error('refusing to re-seal to the key being retired');
  const field = sealedFields[role];
  const result: Reseal = { resealed: 0, untouched: 0, failed: [] };
  for await (const id of scanCaseIds(redis)) {
    const key = redisKeys.case(id);
    const old = await redis.hgetBuffer(key, field);
    if (old === null || sealedKeyId(old) !== kid) {
      result.untouched++;
      continue;
    }
    let plain: Buffer;
    try {
      plain = open(secrets, old);
    } catch (err) {
      result.failed.push({ id, problem: err instanceof CryptoError ? err.code : 'error' });
      continue;
    }
    const fresh = seal(target.publicKey, plain);
    plain.fill(0);
    const swapped = await redis.eval(SWAP, 1, key, field, old, fresh);
    if (swapped === 1) result.resealed++;
    else result.untouched++;
  }
  return result;
}

/**
 * Every place in Redis still holding a value sealed to `kid`, whatever wrote it: the
 * last check before a secret is destroyed, so a field added later by another part of
 * Trustline cannot be lost silently. BullMQ's own keys hold JSON job data, never
 * sealed bytes, and are skipped.
 */
export async function findSealedTo(redis: Redis, kid: string): Promise<string[]> {
  const found: string[] = [];
  const mine = (value: Buffer) => sealedKeyId(value) === kid;
  for await (const key of scanKeys(redis, 'tl:*')) {
    if (key.startsWith(`${queuePrefix}:`)) continue;
    const type = await redis.type(key);
    if (type === 'string') {
      const value = await redis.getBuffer(key);
      if (value && mine(value)) found.push(key);
    } else if (type === 'hash') {
      const h = await redis.hgetallBuffer(key);
      for (const [field, value] of Object.entries(h)) if (mine(value)) found.push(`${key} ${field}`);
    } else if (type === 'set') {
      if ((await redis.smembersBuffer(key)).some(mine)) found.push(key);
    } else if (type === 'list') {
      if ((await redis.lrangeBuffer(key, 0, -1)).some(mine)) found.push(key);
    }
  }
  return found;
}
