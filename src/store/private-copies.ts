// Need-to-know mode (STAFF_VISIBILITY=assigned): a case's content is posted only in the
// private chat of the counsellor who holds it. Here: who holds the copy, the ids of its
// messages there (so a hand-over or an erasure deletes them) and which case a message of
// that private chat belongs to. Staff handles and message ids only, never a chat id.
import type { CaseId, CounsellorId } from '../shared/index.js';
import { redisKeys } from './redis-keys.js';
import type { Redis } from './redis.js';

/** The case hash's field naming the holder of the private copy. */
const HOLDER = 'ph';

export class PrivateCopies {
  /** Handles this process has seen open their chat: a chat once open stays open, so every later message skips the write. */
  private readonly knownReady = new Set<CounsellorId>();

  constructor(private readonly redis: Redis) {}

  private async holder(caseId: CaseId): Promise<CounsellorId | undefined> {
    return ((await this.redis.hget(redisKeys.case(caseId), HOLDER)) ?? undefined) as CounsellorId | undefined;
  }

  /**
   * The copy passes to `to` (or to nobody): it starts over from the case's first message (the staff
   * cursor goes back to 0, so the next flush posts the whole case to them), and the
   * previous holder's message ids are returned for deletion. Called under the case's
   * staff lease, so nothing posts meanwhile.
   */
  async handOver(caseId: CaseId, to: CounsellorId | undefined): Promise<{ from?: CounsellorId; messages: number[] }> {
    const [from, ids] = await Promise.all([this.holder(caseId), this.redis.zrange(redisKeys.casePrivateCopy(caseId), 0, -1)]);
    const m = this.redis.multi().hset(redisKeys.case(caseId), 'd_in', '0').sadd(redisKeys.pending('in'), caseId).del(redisKeys.casePrivateCopy(caseId));
    if (to) m.hset(redisKeys.case(caseId), HOLDER, to);
    else m.hdel(redisKeys.case(caseId), HOLDER);
    if (from && ids.length) m.hdel(redisKeys.privateMessages(from), ...ids);
    await m.exec();
    return { ...(from ? { from } : {}), messages: ids.map(Number) };
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

  /** A message the bot posted in the holder's private chat for this case. */
  async link(holder: CounsellorId, caseId: CaseId, messageId: number): Promise<void> {
    await this.redis
      .multi()
      .hset(redisKeys.privateMessages(holder), String(messageId), caseId)
      .zadd(redisKeys.casePrivateCopy(caseId), Date.now(), String(messageId))
      .exec();
  }

  /** The case a message of `holder`'s private chat belongs to, if it is still theirs. */
  async caseOf(holder: CounsellorId, messageId: number): Promise<CaseId | undefined> {
    return ((await this.redis.hget(redisKeys.privateMessages(holder), String(messageId))) ?? undefined) as CaseId | undefined;
  }
}
