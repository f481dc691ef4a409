// Conversation state in Redis: one encrypted, expiring value per reporter key, plus
// the encrypted evidence of a report not sent yet. The key is derived from the pepper
// (see crypto/conversation-key.ts), so Redis alone opens nothing. A state that fails
// to decrypt or is of another version is treated as absent: the reporter starts over.
import type { Redis } from 'ioredis';
import { conversationKey, CryptoError, decrypt, decryptText, encrypt } from '../crypto/index.js';
import { parseConversation, type Conversation } from './conversation.js';
import type { ReporterKey } from '../shared/index.js';
import { redisKeys } from './redis-keys.js';
import { tryLease, type Lease } from './lock.js';
import { markUpdateIn } from './update-marks.js';

const stateAd = (rk: ReporterKey) => `trustline/conversation/v1/${rk}`;
const fileAd = (rk: ReporterKey, cid: string, n: number) => `trustline/evidence/v1/${rk}/${cid}/${n}`;
const fileField = (cid: string, n: number) => `${cid}.${n}`;

export class ConversationStore {
  constructor(
    private readonly redis: Redis,
    private readonly pepper: Uint8Array,
    /** how long an untouched conversation is kept */
    private readonly ttlMs: number,
  ) {}

  private withKey<T>(rk: ReporterKey, use: (key: Uint8Array) => T): T {
    const key = conversationKey(this.pepper, rk);
    try {
      return use(key);
    } finally {
      key.fill(0);
    }
  }

  async load(rk: ReporterKey): Promise<Conversation | undefined> {
    const stored = await this.redis.getBuffer(redisKeys.conversation(rk));
    if (!stored) return undefined;
    try {
      return parseConversation(JSON.parse(this.withKey(rk, (key) => decryptText(key, stored, stateAd(rk)))));
    } catch (err) {
      if (err instanceof CryptoError || err instanceof SyntaxError) return undefined;
      throw err;
    }
  }

  /** Saves the state (and its evidence's lifetime); marks the platform update handled in the same transaction. */
  async save(rk: ReporterKey, c: Conversation, opts: { updateId?: string } = {}): Promise<void> {
    const envelope = this.withKey(rk, (key) => encrypt(key, JSON.stringify(c), stateAd(rk)));
    const m = this.redis.multi().set(redisKeys.conversation(rk), envelope, 'PX', this.ttlMs).pexpire(redisKeys.conversationFiles(rk), this.ttlMs);
    if (opts.updateId !== undefined) markUpdateIn(m, opts.updateId);
    await m.exec();
  }

  /** Drops the state and any evidence not sent. */
  async delete(rk: ReporterKey): Promise<void> {
    await this.redis.del(redisKeys.conversation(rk), redisKeys.conversationFiles(rk));
  }

  async putEvidence(rk: ReporterKey, cid: string, n: number, bytes: Uint8Array): Promise<void> {
    const envelope = this.withKey(rk, (key) => encrypt(key, bytes, fileAd(rk, cid, n)));
    await this.redis.multi().hset(redisKeys.conversationFiles(rk), fileField(cid, n), envelope).pexpire(redisKeys.conversationFiles(rk), this.ttlMs).exec();
  }

  async getEvidence(rk: ReporterKey, cid: string, n: number): Promise<Buffer | undefined> {
    const envelope = await this.redis.hgetBuffer(redisKeys.conversationFiles(rk), fileField(cid, n));
    if (!envelope) return undefined;
    return this.withKey(rk, (key) => decrypt(key, envelope, fileAd(rk, cid, n)));
  }

  /** True once per `seconds`: emergency numbers are repeated, but not on every message. */
  async claimEmergencyNotice(rk: ReporterKey, seconds = 600): Promise<boolean> {
    return (await this.redis.set(redisKeys.urgentTold(rk), '1', 'EX', seconds, 'NX')) === 'OK';
  }

  /** True once in `seconds`: the reporter is told what cleaning removes from their files, or that their voice is disguised. */
  async claimCleaningNotice(rk: ReporterKey, what: 'files' | 'voice', seconds = 30 * 86_400): Promise<boolean> {
    return (await this.redis.set(redisKeys.cleaningTold(rk, what), '1', 'EX', seconds, 'NX')) === 'OK';
  }

  /** The reporter's lease if it is free now (see lock). */
  tryLock(rk: ReporterKey, leaseMs: number): Promise<Lease | undefined> {
    return tryLease(this.redis, `conv:${rk}`, leaseMs);
  }

  /**
   * One update of a reporter at a time (webhook mode handles requests concurrently),
   * so a state is never overwritten by an older read. Waits up to `waitMs`.
   */
  async lock(rk: ReporterKey, leaseMs: number, waitMs = 10_000): Promise<Lease> {
    const deadline = Date.now() + waitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      const lease = await this.tryLock(rk, leaseMs);
      if (lease) return lease;
      if (Date.now() > deadline) throw new Error('another update of this reporter is still being handled');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
