// Crypto-shredding one case: its case key (sealed), content, return address, code,
// reporter pointer and staff-chat mappings go in one atomic step, and its statistics
// are left behind under a new random id. Without the case key no ciphertext of the
// case can ever be opened again, whatever keys anyone holds; the ciphertexts go too.
import type { Redis } from 'ioredis';
import type { CaseCode, CaseId } from '../ids.js';
import { redisKeys } from '../store/keys.js';

// KEYS: 1 case hash, 2 messages, 3 stats hash, 4 topics, 5 staff messages,
//       6 pending in, 7 pending out, 8 code pointer, 9.. reporter pointers
// ARGV: 1 case id, 2 closedAt the decision was made on, 3 number of topic fields,
//       4 number of staff-message fields, then those fields, then stats field/value pairs
// The case is shredded only if it is still closed with the same closedAt: a case
// reopened since it was listed is left alone. Pointers are removed only while they
// still point at this case.
const SHRED = `
local status = redis.call('hget', KEYS[1], 'status')
if (status ~= 'closed' and status ~= 'withdrawn') or redis.call('hget', KEYS[1], 'closedAt') ~= ARGV[2] then
  return 0
end
local id = ARGV[1]
local nTopics, nMessages = tonumber(ARGV[3]), tonumber(ARGV[4])
local i = 5
for _ = 1, nTopics do
  if redis.call('hget', KEYS[4], ARGV[i]) == id then redis.call('hdel', KEYS[4], ARGV[i]) end
  i = i + 1
end
for _ = 1, nMessages do
  if redis.call('hget', KEYS[5], ARGV[i]) == id then redis.call('hdel', KEYS[5], ARGV[i]) end
  i = i + 1
end
if #ARGV >= i then redis.call('hset', KEYS[3], unpack(ARGV, i)) end
for k = 8, #KEYS do
  if redis.call('get', KEYS[k]) == id then redis.call('del', KEYS[k]) end
end
redis.call('srem', KEYS[6], id)
redis.call('srem', KEYS[7], id)
redis.call('del', KEYS[1], KEYS[2])
return 1
`;

export interface ShredTarget {
  id: CaseId;
  code: CaseCode;
  closedAt: string;
  /** reporter pointer keys that point at this case */
  reporterKeys: string[];
  /** staff forum topic ids and staff message ids mapped to this case */
  topics: string[];
  staffMessages: string[];
}

/** Returns false when the case changed since it was chosen (reopened): nothing is deleted. */
export async function shredCase(redis: Redis, target: ShredTarget, stats: Record<string, string>, statsId: string): Promise<boolean> {
  const keys = [
    redisKeys.case(target.id),
    redisKeys.caseMessages(target.id),
    redisKeys.stats(statsId),
    redisKeys.topics,
    redisKeys.staffMessages,
    redisKeys.pending('in'),
    redisKeys.pending('out'),
    redisKeys.code(target.code),
    ...target.reporterKeys,
  ];
  const args = [
    target.id,
    target.closedAt,
    String(target.topics.length),
    String(target.staffMessages.length),
    ...target.topics,
    ...target.staffMessages,
    ...Object.entries(stats).flat(),
  ];
  return (await redis.eval(SHRED, keys.length, ...keys, ...args)) === 1;
}
