// Need-to-know mode (STAFF_VISIBILITY=assigned): a case's content is posted only in the
// private chat of the counsellor who holds it, and of a supervisor who opened it. Here:
// who holds the copy, the ids of every copy's messages (so a hand-over, an erasure or a
// removal from the roster deletes them) and which case a message of a private chat
// belongs to. Staff handles and message ids only, never a chat id.
//
// A case's copies are one sorted set of `<handle>:<message id>`, scored by when each was
// sent (Telegram deletes nothing older than 48 hours; erasure neutralises those).
import type { CaseId, CounsellorId } from '../shared/index.js';
import { redisKeys } from './redis-keys.js';
import type { Redis } from './redis.js';

/** The case hash's field naming the holder of the private copy. */
const HOLDER = 'ph';

/** One message of a case's private copies: whose chat it is in, and its id there. */
const copyMember = (person: string, messageId: number | string) => `${person}:${messageId}`;

export function parseCopyMember(member: string): { person: string; id: number } | undefined {
  const m = /^(.+):(\d+)$/.exec(member);
  return m ? { person: m[1]!, id: Number(m[2]) } : undefined;
}

export class PrivateCopies {
  /** Handles this process has seen open their chat: a chat once open stays open, so every later message skips the write. */
  private readonly knownReady = new Set<CounsellorId>();

  constructor(private readonly redis: Redis) {}

  /**
   * The copy passes from `from` (the case record's `copyHolder`) to `to` (or to nobody):
   * it starts over from the case's first message (the staff cursor goes back to 0, so the
   * next flush posts the whole case to them), and the previous holder's message ids are
   * returned for deletion. Called under the case's staff lease, so nothing posts meanwhile.
   */
  async handOver(caseId: CaseId, from: CounsellorId | undefined, to: CounsellorId | undefined): Promise<number[]> {
    const members = from ? await this.redis.zrange(redisKeys.casePrivateCopy(caseId), 0, -1) : [];
    const theirs = members.filter((m) => parseCopyMember(m)?.person === from);
    const ids = theirs.map((m) => parseCopyMember(m)!.id);
    const m = this.redis.multi().hset(redisKeys.case(caseId), 'd_in', '0').sadd(redisKeys.pending('in'), caseId);
    if (to) m.hset(redisKeys.case(caseId), HOLDER, to);
    else m.hdel(redisKeys.case(caseId), HOLDER);
    if (theirs.length) m.zrem(redisKeys.casePrivateCopy(caseId), ...theirs).hdel(redisKeys.privateMessages(from!), ...ids.map(String));
    await m.exec();
    return ids;
  }

  /** The ids of every case message in `person`'s private chat (their holder copies and opened cases). */
  async allOf(person: CounsellorId): Promise<number[]> {
    return (await this.redis.hkeys(redisKeys.privateMessages(person))).map(Number);
  }

  /** Forgets every copy in `person`'s private chat (they left the roster), once those messages are deleted there. */
  async forgetAll(person: CounsellorId): Promise<void> {
    const links = await this.redis.hgetall(redisKeys.privateMessages(person));
    const m = this.redis.multi().del(redisKeys.privateMessages(person), redisKeys.privateCurrent(person));
    for (const [id, caseId] of Object.entries(links)) m.zrem(redisKeys.casePrivateCopy(caseId as CaseId), copyMember(person, id));
    await m.exec();
  }

  /** The case `person` chose (a /cases button) to write in without replying to its messages. */
  async setCurrent(person: CounsellorId, caseId: CaseId): Promise<void> {
    await this.redis.set(redisKeys.privateCurrent(person), caseId);
  }

  async current(person: CounsellorId): Promise<CaseId | undefined> {
    return ((await this.redis.get(redisKeys.privateCurrent(person))) ?? undefined) as CaseId | undefined;
  }

  /** They wrote to the bot privately, so it may write to them: cases can be assigned to them. True the first time. */
  async markReady(id: CounsellorId): Promise<boolean> {
    if (this.knownReady.has(id)) return false;
    const first = (await this.redis.sadd(redisKeys.privateReady, id)) === 1;
    this.knownReady.add(id);
    return first;
  }

  /** Which of `ids` have a private chat with the bot. */
  async ready(ids: readonly CounsellorId[]): Promise<Set<CounsellorId>> {
    if (!ids.length) return new Set();
    const flags = await this.redis.smismember(redisKeys.privateReady, ...ids);
    return new Set(ids.filter((_, i) => flags[i] === 1));
  }

  /** A message the bot posted for this case in `person`'s private chat (its holder, or a supervisor who opened it). */
  async link(person: CounsellorId, caseId: CaseId, messageId: number): Promise<void> {
    await this.redis
      .multi()
      .hset(redisKeys.privateMessages(person), String(messageId), caseId)
      .zadd(redisKeys.casePrivateCopy(caseId), Date.now(), copyMember(person, messageId))
      .exec();
  }

  /** The case a message of `person`'s private chat belongs to, while they still have its copy. */
  async caseOf(holder: CounsellorId, messageId: number): Promise<CaseId | undefined> {
    return ((await this.redis.hget(redisKeys.privateMessages(holder), String(messageId))) ?? undefined) as CaseId | undefined;
  }
}
