// Crypto-shredding one case: its case key (sealed), content, return address and every
// pointer at it (case code, reporter, staff topic and message mappings, pending marks,
// whatever other part of Trustline keeps) go in one atomic step, and its statistics are
// left behind under a new random id. Without the case key no ciphertext of the case
// can ever be opened again, whatever keys anyone holds; the ciphertexts go too.
import type { Redis } from 'ioredis';
import type { CaseCode, CaseId } from '../shared/index.js';
import { scanKeys, queuePrefix, redisKeys } from '../store/index.js';

/** Something in Redis that refers to a case, and how to remove the reference. */
export type Reference =
  /** a key named after the case (its hash, its messages, files, locks): deleted */
  | { key: string; op: 'del' }
  /** a string holding the case id (code or reporter pointer): deleted if it still does */
  | { key: string; op: 'del-if' }
  /** a hash field holding the case id (staff topic/message maps): removed if it still does */
  | { key: string; op: 'hdel-if'; field: string }
  /** a set with the case id as a member (pending marks, work lists): member removed */
  | { key: string; op: 'srem' };

// KEYS: 1 case hash, 2 stats hash, 3 the list of shredded ids (see src/backup), 4.. references
// ARGV: 1 case id, 2 closedAt the decision was made on, 3 number of stats pairs,
//       then stats field/value pairs, then per reference: op, field
// Nothing happens unless the case is still closed with the same closedAt and not on
// hold: a case reopened or held after it was listed is left alone.
const SHRED = `
local status = redis.call('hget', KEYS[1], 'status')
if (status ~= 'closed' and status ~= 'withdrawn') or redis.call('hget', KEYS[1], 'closedAt') ~= ARGV[2] then
  return 0
end
if redis.call('hexists', KEYS[1], 'hold') == 1 then return 0 end
local id = ARGV[1]
local nStats = tonumber(ARGV[3])
if nStats > 0 then redis.call('hset', KEYS[2], unpack(ARGV, 4, 3 + 2 * nStats)) end
local a = 4 + 2 * nStats
for k = 4, #KEYS do
  local op, field = ARGV[a], ARGV[a + 1]
  a = a + 2
  if op == 'del' then redis.call('del', KEYS[k])
  elseif op == 'del-if' then
    if redis.call('get', KEYS[k]) == id then redis.call('del', KEYS[k]) end
  elseif op == 'hdel-if' then
    if redis.call('hget', KEYS[k], field) == id then redis.call('hdel', KEYS[k], field) end
  elseif op == 'srem' then redis.call('srem', KEYS[k], id)
  end
end
redis.call('del', KEYS[1])
redis.call('sadd', KEYS[3], id)
return 1
`;

/**
 * Every reference to the given cases, found in one pass over the keyspace. BullMQ's
 * keys are left to BullMQ (their job ids name cases, they hold no content, and they
 * expire with the queues' retention); statistics records hold no ids.
 */
export async function findReferences(redis: Redis, ids: ReadonlySet<CaseId>): Promise<Map<CaseId, Reference[]>> {
  const refs = new Map<CaseId, Reference[]>([...ids].map((id) => [id, []]));
  if (ids.size === 0) return refs;
  const add = (id: string, ref: Reference) => refs.get(id as CaseId)?.push(ref);
  // Case ids are 22 base64url characters: matching them inside key names cannot misfire.
  const named = [...ids];
  for await (const key of scanKeys(redis, 'tl:*')) {
    if (key.startsWith(`${queuePrefix}:`) || key.startsWith(redisKeys.stats(''))) continue;
    const owner = named.find((id) => key.includes(id));
    if (owner !== undefined) {
      if (key !== redisKeys.case(owner)) add(owner, { key, op: 'del' });
      continue;
    }
    const type = await redis.type(key);
    if (type === 'string') {
      const value = await redis.get(key).catch(() => null);
      if (value !== null && ids.has(value as CaseId)) add(value, { key, op: 'del-if' });
    } else if (type === 'hash') {
      for (const [field, value] of Object.entries(await redis.hgetall(key))) {
        if (ids.has(value as CaseId)) add(value, { key, op: 'hdel-if', field });
      }
    } else if (type === 'set') {
      const members = await redis.smismember(key, ...named);
      members.forEach((isMember, i) => isMember === 1 && add(named[i]!, { key, op: 'srem' }));
    }
  }
  return refs;
}

export interface ShredTarget {
  id: CaseId;
  code: CaseCode;
  closedAt: string;
  references: Reference[];
}

/** Returns false when the case changed since it was chosen (reopened): nothing is deleted. */
export async function shredCase(redis: Redis, target: ShredTarget, stats: Record<string, string>, statsId: string): Promise<boolean> {
  const keys = [redisKeys.case(target.id), redisKeys.stats(statsId), redisKeys.shredded, ...target.references.map((r) => r.key)];
  const pairs = Object.entries(stats);
  const args = [
    target.id,
    target.closedAt,
    String(pairs.length),
    ...pairs.flat(),
    ...target.references.flatMap((r) => [r.op, r.op === 'hdel-if' ? r.field : '']),
  ];
  return (await redis.eval(SHRED, keys.length, ...keys, ...args)) === 1;
}
