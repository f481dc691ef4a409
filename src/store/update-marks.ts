// "This platform update was handled": the marks that make a redelivered update a no-op.
// A key per update cost ~90 bytes of Redis each (a reporter's intake alone is a dozen
// updates); Telegram's update_ids count up per bot, so a hundred consecutive ones share
// a small hash instead (listpack-encoded, a few bytes a mark). The whole bucket expires
// a week after its last mark; other ids (WhatsApp's hashed message ids) keep a key each.
import type { ChainableCommander } from 'ioredis';
import type { Redis } from './redis.js';

/** Telegram redelivers for at most a day; a week leaves room for long outages. */
export const UPDATE_MEMORY_SECONDS = 7 * 24 * 3600;

const BUCKET = 100;

export interface UpdateMark {
  key: string;
  /** the mark's field in a bucket hash; absent: the key itself is the mark */
  field?: string;
}

/** e.g. tg:<bot id>:<update_id> (a counter, not an identity) or wa:<hash>. */
export function updateMark(deliveryId: string): UpdateMark {
  const counted = /^(tg(?::\d+)?):(\d+)$/.exec(deliveryId);
  if (!counted) return { key: `tl:update:${deliveryId}` };
  const n = Number(counted[2]);
  return { key: `tl:update:${counted[1]}:b${Math.floor(n / BUCKET)}`, field: String(n % BUCKET) };
}

export async function seenUpdate(redis: Redis, deliveryId: string): Promise<boolean> {
  const mark = updateMark(deliveryId);
  return (mark.field === undefined ? await redis.exists(mark.key) : await redis.hexists(mark.key, mark.field)) === 1;
}

/** Queues the mark on a MULTI, so it lands with whatever the update changed. */
export function markUpdateIn(m: ChainableCommander, deliveryId: string): ChainableCommander {
  const mark = updateMark(deliveryId);
  if (mark.field === undefined) return m.set(mark.key, '1', 'EX', UPDATE_MEMORY_SECONDS);
  return m.hset(mark.key, mark.field, '1').expire(mark.key, UPDATE_MEMORY_SECONDS);
}
