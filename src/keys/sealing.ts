// Which keys the running hotline seals new values to. A process loads its keys once
// at start, so after `keys rotate` it keeps sealing new cases to the old pair until it
// is restarted; retiring that pair before then would lose those cases. Each process
// records its current key ids at start, and retirement checks them.
import type { Redis } from 'ioredis';
import type { KeyRing, KeyRole } from '../crypto/index.js';
import { redisKeys } from '../store/index.js';

export async function recordSealingKeys(redis: Redis, ring: KeyRing): Promise<void> {
  await redis.hset(redisKeys.sealingKeys, { staff: ring.staff.kid, relay: ring.relay.kid });
}

export async function sealingKeys(redis: Redis): Promise<Partial<Record<KeyRole, string>>> {
  const h = await redis.hgetall(redisKeys.sealingKeys);
  return { ...(h.staff ? { staff: h.staff } : {}), ...(h.relay ? { relay: h.relay } : {}) };
}
