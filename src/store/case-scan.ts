// Walks every case in Redis. There is no case index to keep in step with writes:
// SCAN over the case hashes is cheap at a hotline's scale (thousands of cases) and
// sees every case however it was created.
import type { Redis } from 'ioredis';
import type { CaseId } from '../shared/index.js';

const caseKey = /^tl:case:([A-Za-z0-9_-]+)$/;

/** Every case id, each once (SCAN may repeat a key; duplicates are dropped). */
export async function* scanCaseIds(redis: Redis, pattern = 'tl:case:*'): AsyncGenerator<CaseId> {
  const seen = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500, 'TYPE', 'hash');
    cursor = next;
    for (const key of keys) {
      const id = caseKey.exec(key)?.[1];
      if (id === undefined || seen.has(id)) continue;
      seen.add(id);
      yield id as CaseId;
    }
  } while (cursor !== '0');
}

/** Every key matching `pattern` (any type), each once. */
export async function* scanKeys(redis: Redis, pattern: string): AsyncGenerator<string> {
  const seen = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      yield key;
    }
  } while (cursor !== '0');
}
