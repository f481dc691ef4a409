// Cases in Redis. Content is never written here in clear: callers hand in sealed or
// encrypted bytes. Readable metadata is only what monitoring needs (channel,
// language, status, timestamps).
import type { Redis } from 'ioredis';
import type { CaseCode, CaseId, ChannelName, Lang, ReporterKey } from '../ids.js';
import { redisKeys, type Direction } from './keys.js';

/** The policy's procedure: initial consideration -> investigation -> measures -> closed. */
export const caseStatuses = [
  'new',
  'acknowledged',
  'under-consideration',
  'investigation',
  'measures-taken',
  'closed',
  'withdrawn',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export interface CaseRecord {
  id: CaseId;
  code: CaseCode;
  channel: ChannelName;
  lang: Lang;
  status: CaseStatus;
  createdAt: number;
  /** case key sealed to the staff public key */
  sealedKey: Buffer;
  /** platform address sealed to the relay public key */
  returnAddress: Buffer;
  /** staff forum topic id, or the root message id in reply mode */
  staffThread?: number;
  /** number of messages written, per direction */
  count: Record<Direction, number>;
  /** highest seq posted to staff (in) / delivered to the reporter (out) */
  done: Record<Direction, number>;
}

export interface NewCase {
  id: CaseId;
  code: CaseCode;
  reporterKey: ReporterKey;
  channel: ChannelName;
  lang: Lang;
  sealedKey: Buffer;
  returnAddress: Buffer;
  createdAt: number;
}

/** Telegram redelivers for at most a day; a week leaves room for long outages. */
const UPDATE_MEMORY_SECONDS = 7 * 24 * 3600;

const field = { in: 'n_in', out: 'n_out' } as const;
const cursor = { in: 'd_in', out: 'd_out' } as const;
const messageField = (dir: Direction, seq: number) => `${dir === 'in' ? 'i' : 'o'}${seq}`;

export class CaseStore {
  constructor(private readonly redis: Redis) {}

  async caseOfReporter(rk: ReporterKey): Promise<CaseId | undefined> {
    return ((await this.redis.get(redisKeys.reporter(rk))) ?? undefined) as CaseId | undefined;
  }

  async caseOfCode(code: CaseCode): Promise<CaseId | undefined> {
    return ((await this.redis.get(redisKeys.code(code))) ?? undefined) as CaseId | undefined;
  }

  /** Returns false when the code is taken (the caller draws another). */
  async reserveCode(code: CaseCode, id: CaseId): Promise<boolean> {
    return (await this.redis.set(redisKeys.code(code), id, 'NX')) === 'OK';
  }

  /**
   * Writes the case, then points the reporter at it. If another message of the same
   * reporter created a case in the meantime, that one wins and ours is removed.
   */
  async create(c: NewCase): Promise<CaseId> {
    await this.redis.hset(redisKeys.case(c.id), {
      code: c.code,
      channel: c.channel,
      lang: c.lang,
      status: 'new',
      createdAt: String(c.createdAt),
      sealedKey: c.sealedKey,
      returnAddress: c.returnAddress,
      [field.in]: '0',
      [field.out]: '0',
      [cursor.in]: '0',
      [cursor.out]: '0',
    });
    const won = await this.redis.set(redisKeys.reporter(c.reporterKey), c.id, 'NX');
    if (won === 'OK') return c.id;
    await this.redis.del(redisKeys.case(c.id), redisKeys.code(c.code));
    return (await this.caseOfReporter(c.reporterKey))!;
  }

  async get(id: CaseId): Promise<CaseRecord | undefined> {
    const h = await this.redis.hgetallBuffer(redisKeys.case(id));
    if (!h.code) return undefined;
    const s = (k: string) => h[k]?.toString() ?? '';
    const n = (k: string) => Number(s(k) || 0);
    return {
      id,
      code: s('code') as CaseCode,
      channel: s('channel') as ChannelName,
      lang: s('lang') as Lang,
      status: s('status') as CaseStatus,
      createdAt: n('createdAt'),
      sealedKey: h.sealedKey!,
      returnAddress: h.returnAddress!,
      ...(h.staffThread ? { staffThread: n('staffThread') } : {}),
      count: { in: n(field.in), out: n(field.out) },
      done: { in: n(cursor.in), out: n(cursor.out) },
    };
  }

  /** Reserves the next sequence number of a direction. */
  async nextSeq(id: CaseId, dir: Direction): Promise<number> {
    return this.redis.hincrby(redisKeys.case(id), field[dir], 1);
  }

  /** Stores an encrypted message and marks the case as having work pending. */
  async putMessage(
    id: CaseId,
    dir: Direction,
    seq: number,
    envelope: Buffer,
    links: { staffMessageId?: number; updateId?: string } = {},
  ): Promise<void> {
    const m = this.redis.multi().hset(redisKeys.caseMessages(id), messageField(dir, seq), envelope);
    if (links.staffMessageId !== undefined) {
      m.hset(redisKeys.caseMessages(id), `${messageField(dir, seq)}s`, links.staffMessageId);
    }
    // Marking the platform update as handled in the same transaction as the write
    // means a redelivered update is either fully new or fully a duplicate.
    if (links.updateId !== undefined) m.set(redisKeys.update(links.updateId), '1', 'EX', UPDATE_MEMORY_SECONDS);
    await m.sadd(redisKeys.pending(dir), id).exec();
  }

  async seenUpdate(updateId: string): Promise<boolean> {
    return (await this.redis.exists(redisKeys.update(updateId))) === 1;
  }

  async markUpdate(updateId: string): Promise<void> {
    await this.redis.set(redisKeys.update(updateId), '1', 'EX', UPDATE_MEMORY_SECONDS);
  }

  async getMessage(id: CaseId, dir: Direction, seq: number): Promise<{ envelope: Buffer; staffMessageId?: number } | undefined> {
    const [envelope, staff] = await this.redis.hmgetBuffer(
      redisKeys.caseMessages(id),
      messageField(dir, seq),
      `${messageField(dir, seq)}s`,
    );
    if (!envelope) return undefined;
    return { envelope, ...(staff ? { staffMessageId: Number(staff.toString()) } : {}) };
  }

  /** Several consecutive messages in one round trip; a missing one (seq reserved, not yet written) is undefined. */
  async getMessages(id: CaseId, dir: Direction, seqs: number[]): Promise<({ envelope: Buffer } | undefined)[]> {
    if (seqs.length === 0) return [];
    const found = await this.redis.hmgetBuffer(redisKeys.caseMessages(id), ...seqs.map((seq) => messageField(dir, seq)));
    return found.map((envelope) => (envelope ? { envelope } : undefined));
  }

  /** Number of messages written in a direction (it grows while a flush waits). */
  async count(id: CaseId, dir: Direction): Promise<number> {
    return Number((await this.redis.hget(redisKeys.case(id), field[dir])) ?? 0);
  }

  /** Moves the cursor after a message left Trustline; clears the pending mark when caught up. */
  async markDone(id: CaseId, dir: Direction, seq: number): Promise<void> {
    await this.redis.hset(redisKeys.case(id), cursor[dir], seq);
  }

  async clearPendingIfCaughtUp(id: CaseId, dir: Direction): Promise<boolean> {
    const [count, done] = await this.redis.hmget(redisKeys.case(id), field[dir], cursor[dir]);
    if (Number(done) < Number(count)) return false;
    await this.redis.srem(redisKeys.pending(dir), id);
    return true;
  }

  async pendingCases(dir: Direction): Promise<CaseId[]> {
    return (await this.redis.smembers(redisKeys.pending(dir))) as CaseId[];
  }

  async setStatus(id: CaseId, status: CaseStatus): Promise<void> {
    await this.redis.hset(redisKeys.case(id), 'status', status);
  }

  async setStaffThread(id: CaseId, thread: number, mode: 'topics' | 'replies'): Promise<void> {
    const m = this.redis.multi().hset(redisKeys.case(id), 'staffThread', thread);
    m.hset(mode === 'topics' ? redisKeys.topics : redisKeys.staffMessages, String(thread), id);
    await m.exec();
  }

  async linkStaffMessage(messageId: number, id: CaseId): Promise<void> {
    await this.redis.hset(redisKeys.staffMessages, String(messageId), id);
  }

  async caseOfTopic(threadId: number): Promise<CaseId | undefined> {
    return ((await this.redis.hget(redisKeys.topics, String(threadId))) ?? undefined) as CaseId | undefined;
  }

  async caseOfStaffMessage(messageId: number): Promise<CaseId | undefined> {
    return ((await this.redis.hget(redisKeys.staffMessages, String(messageId))) ?? undefined) as CaseId | undefined;
  }
}
