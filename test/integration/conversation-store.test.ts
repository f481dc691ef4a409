// Conversation state in a real Redis: encrypted, expiring, versioned, one update at a time.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { reporterKeyOf, sodiumReady } from '../../src/crypto/index.js';
import { newConversation, type Conversation } from '../../src/store/conversation.js';
import { ConversationStore } from '../../src/store/conversations.js';
import { redisKeys } from '../../src/store/redis-keys.js';
import { seenUpdate } from '../../src/store/update-marks.js';
import { AttemptCounter } from '../../src/store/attempts.js';
import { dumpRedis, redisForFile } from '../support/redis.js';

const file = redisForFile();
let redis: Redis;
const pepper = randomBytes(32);
const HOUR = 3_600_000;

beforeAll(async () => {
  await sodiumReady();
  redis = file.client;
});

const rk = () => reporterKeyOf(pepper, 'telegram', String(Math.floor(Math.random() * 1e9)));

function draft(): Conversation {
  const c = newConversation({ channel: 'telegram', lang: 'kk', step: 'account', returnAddress: Buffer.from('sealed-address'), now: 1 });
  c.answers.when = 'өткен бейсенбі күні';
  c.account.push('Декан маған қысым көрсетті');
  c.notes.push('анам білмеуі керек');
  return c;
}

describe('conversation store', () => {
  it('keeps state encrypted under the reporter key, with an expiry, and reads it back', async () => {
    const store = new ConversationStore(redis, pepper, HOUR);
    const key = rk();
    const c = draft();
    await store.save(key, c, { updateId: 'tg:1' });
    expect(await store.load(key)).toEqual(c);
    const dump = await dumpRedis(redis);
    for (const secret of ['өткен бейсенбі', 'Декан', 'анам', 'sealed-address', 'account']) expect(dump).not.toContain(secret);
    expect(await redis.pttl(redisKeys.conversation(key))).toBeGreaterThan(HOUR - 5_000);
    expect(await seenUpdate(redis, 'tg:1')).toBe(true); // marked handled in the same transaction
  });

  it('cannot be read without the pepper, nor moved to another reporter', async () => {
    const key = rk();
    const other = rk();
    await new ConversationStore(redis, pepper, HOUR).save(key, draft());
    expect(await new ConversationStore(redis, randomBytes(32), HOUR).load(key)).toBeUndefined();
    await redis.set(redisKeys.conversation(other), (await redis.getBuffer(redisKeys.conversation(key)))!);
    expect(await new ConversationStore(redis, pepper, HOUR).load(other)).toBeUndefined();
  });

  it('drops a state of another version instead of misreading it', async () => {
    const store = new ConversationStore(redis, pepper, HOUR);
    const key = rk();
    await store.save(key, { ...draft(), v: 2 } as unknown as Conversation);
    expect(await store.load(key)).toBeUndefined();
    await store.save(key, { ...draft(), account: 'not a list' } as unknown as Conversation);
    expect(await store.load(key)).toBeUndefined();
  });

  it('keeps draft evidence encrypted, expiring with the state, and deletes both together', async () => {
    const store = new ConversationStore(redis, pepper, HOUR);
    const key = rk();
    const c = draft();
    const photo = Buffer.from('PNG…screenshot of threats…');
    await store.save(key, c);
    await store.putEvidence(key, c.cid, 0, photo);
    expect((await store.getEvidence(key, c.cid, 0))!.equals(photo)).toBe(true);
    expect(await dumpRedis(redis)).not.toContain('screenshot of threats');
    expect(await redis.pttl(redisKeys.conversationFiles(key))).toBeGreaterThan(HOUR - 5_000);
    expect(await store.getEvidence(key, c.cid, 1)).toBeUndefined();
    // a blob moved to another slot does not open there
    const blob = (await redis.hgetBuffer(redisKeys.conversationFiles(key), `${c.cid}.0`))!;
    await redis.hset(redisKeys.conversationFiles(key), `${c.cid}.1`, blob);
    await expect(store.getEvidence(key, c.cid, 1)).rejects.toThrow(/authentication failed/);
    await store.delete(key);
    expect(await redis.exists(redisKeys.conversation(key), redisKeys.conversationFiles(key))).toBe(0);
  });

  it('lets one update of a reporter in at a time', async () => {
    const store = new ConversationStore(redis, pepper, HOUR);
    const key = rk();
    const order: string[] = [];
    const first = await store.lock(key, 5_000);
    const second = store.lock(key, 5_000).then(async (lease) => {
      order.push('second');
      await lease.release();
    });
    await new Promise((r) => setTimeout(r, 100));
    order.push('first');
    await first.release();
    await second;
    expect(order).toEqual(['first', 'second']);
    await expect(store.lock(key, 5_000).then((l) => store.lock(key, 5_000, 100).finally(() => l.release()))).rejects.toThrow(/still being handled/);
  });
});

describe('attempt counter', () => {
  it('counts failures in a window and forgets them after it', async () => {
    const attempts = new AttemptCounter(redis, 300);
    expect(await attempts.used('code:K7Q-4FD')).toBe(0);
    expect(await attempts.fail('code:K7Q-4FD')).toBe(1);
    expect(await attempts.fail('code:K7Q-4FD')).toBe(2);
    expect(await attempts.used('code:K7Q-4FD')).toBe(2);
    expect(await attempts.used('code:OTHER')).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    expect(await attempts.used('code:K7Q-4FD')).toBe(0);
  });
});
