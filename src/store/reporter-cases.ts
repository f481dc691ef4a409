// What a reporter can do to their own case, in Redis: flag it urgent, name its
// category, keep the receipt passphrase hash, move it to another account (/resume),
// let go of it (/withdraw) or erase it (/forget). Plain fields are the monitoring
// metadata the design allows; everything else stays sealed or is deleted.
import type { Redis } from 'ioredis';
import type { CaseId, Lang, ReporterKey } from '../shared/index.js';
import { redisKeys, rosterKeys } from './redis-keys.js';

/** What is left of an erased case: enough to tell the staff chat, nothing to read. */
export class ReporterCaseStore {
  constructor(private readonly redis: Redis) {}

  async setUrgent(id: CaseId): Promise<boolean> {
    const before = await this.redis.hget(redisKeys.case(id), 'urgent');
    await this.redis.hset(redisKeys.case(id), 'urgent', '1');
    return before !== '1';
  }

  async setCategory(id: CaseId, category: string): Promise<void> {
    await this.redis.hset(redisKeys.case(id), 'category', category);
  }

  async setLang(id: CaseId, lang: Lang): Promise<void> {
    await this.redis.hset(redisKeys.case(id), 'lang', lang);
  }

  async setPassphrase(id: CaseId, hash: Buffer): Promise<void> {
    await this.redis.hset(redisKeys.case(id), 'passHash', hash);
  }

  async passphraseOf(id: CaseId): Promise<Buffer | undefined> {
    return (await this.redis.hgetBuffer(redisKeys.case(id), 'passHash')) ?? undefined;
  }

  /**
   * /resume: the case now belongs to the new account. The old account is let go, so a
   * lost or taken phone no longer reaches the case, and answers go to the new address.
   */
  async moveTo(id: CaseId, rk: ReporterKey, returnAddress: Buffer): Promise<void> {
    const previous = (await this.redis.hget(redisKeys.case(id), 'reporter')) as ReporterKey | null;
    const m = previous && previous !== rk ? await this.letGo(previous, id) : this.redis.multi();
    // /resume takes a case to an account without one (it refuses otherwise): its pointer is all it needs.
    m.set(redisKeys.reporter(rk), id);
    m.hset(redisKeys.case(id), { reporter: rk, returnAddress });
    await m.exec();
  }

  /**
   * /withdraw: closed (closedAt starts the retention clock; HSETNX keeps an earlier
   * one); a new message from this account starts a new report.
   */
  async withdraw(id: CaseId, rk: ReporterKey, at: number): Promise<void> {
    await (await this.offDuty(id, rk)).hset(redisKeys.case(id), 'status', 'withdrawn').hsetnx(redisKeys.case(id), 'closedAt', String(at)).exec();
  }

  /**
   * /forget: crypto-shredding. The sealed case key goes, and with it every message
   * (deleted too, so not even ciphertext stays), the return address, the passphrase
   * hash and the link to the reporter. Plain monitoring metadata stays.
   */
  /** `rk` undefined: the reporter link is already gone (or the case never had one). */
  async erase(id: CaseId, rk: ReporterKey | undefined, at: number): Promise<void> {
    await (
      await this.offDuty(id, rk)
    )
      .hdel(redisKeys.case(id), 'sealedKey', 'returnAddress', 'passHash', 'reporter', 'several', 'labels', 'waitingSince')
      .hset(redisKeys.case(id), { status: 'withdrawn', erasedAt: String(at) })
      .hsetnx(redisKeys.case(id), 'closedAt', String(at))
      .del(redisKeys.caseMessages(id), redisKeys.caseFiles(id), redisKeys.caseStaffCopy(id), redisKeys.casePrivateCopy(id))
      .srem(redisKeys.pending('in'), id)
      .srem(redisKeys.pending('out'), id)
      .sadd(redisKeys.shredded, id)
      .exec();
  }

  /**
   * A transaction that starts by taking the case off its counsellor's load and out of
   * the cases waiting for a shift: a case the reporter ended is nobody's work any more.
   * With `rk`, the case is no longer the reporter's either.
   */
  private async offDuty(id: CaseId, rk?: ReporterKey) {
    const holder = await this.redis.hget(redisKeys.case(id), 'assignee');
    const m = rk ? await this.letGo(rk, id) : this.redis.multi();
    m.srem(rosterKeys.waiting, id);
    return holder ? m.srem(rosterKeys.open(holder), id) : m;
  }

  /**
   * A transaction that starts by taking the case from the reporter's cases. If it was the
   * one their messages go to, the next message finds their other case (or starts a new
   * report; see flows/intake.ts). Every caller holds the reporter's lease or acts for
   * staff on a case its reporter no longer writes to, so the look and the write need no
   * script.
   */
  private async letGo(rk: ReporterKey, id: CaseId) {
    const current = await this.redis.get(redisKeys.reporter(rk));
    const m = this.redis.multi().srem(redisKeys.reporterCases(rk), id);
    return current === id ? m.del(redisKeys.reporter(rk)) : m;
  }
}
