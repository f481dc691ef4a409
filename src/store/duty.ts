// Who holds a case, in Redis: fields on the case hash (assignee handle, an assignment
// epoch, acknowledgement time) and per-counsellor sets of open cases for load.
// The epoch grows with every change of hands, so a delayed SLA job that was queued
// for an earlier assignment sees it is stale and does nothing.
import type { Redis } from 'ioredis';
import type { CaseId, CounsellorId } from '../shared/index.js';
import { redisKeys, rosterKeys } from './redis-keys.js';

export interface CaseDuty {
  assignee?: CounsellorId;
  epoch: number;
  ackAt?: number;
  /** counsellors this case has been offered to since the last acknowledgement */
  tried: CounsellorId[];
  /** counsellors who recused themselves: never offered this case again */
  excluded: CounsellorId[];
  /** when the current holder was given the case (their SLA runs from here until they acknowledge) */
  assignedAt?: number;
  /** set by intake (field `urgent` = '1') */
  urgent: boolean;
  offHoursTold: boolean;
  adminsCalled: boolean;
  /** the epoch whose notice and SLA timer are queued */
  announced: number;
}

const list = (v: string | null | undefined) => (v ? (v.split(',') as CounsellorId[]) : []);

export class DutyStore {
  constructor(private readonly redis: Redis) {}

  async get(caseId: CaseId): Promise<CaseDuty> {
    const [assignee, epoch, ackAt, tried, excluded, urgent, told, admins, announced, assignedAt] = await this.redis.hmget(
      redisKeys.case(caseId),
      'assignee',
      'epoch',
      'ackAt',
      'tried',
      'excluded',
      'urgent',
      'offHoursTold',
      'adminsCalled',
      'announced',
      'assignedAt',
    );
    return {
      ...(assignee ? { assignee: assignee as CounsellorId } : {}),
      epoch: Number(epoch ?? 0),
      ...(ackAt ? { ackAt: Number(ackAt) } : {}),
      tried: list(tried),
      excluded: list(excluded),
      urgent: urgent === '1',
      offHoursTold: told === '1',
      adminsCalled: admins === '1',
      announced: Number(announced ?? 0),
      ...(assignedAt ? { assignedAt: Number(assignedAt) } : {}),
    };
  }

  /**
   * Hands the case to `to` (clearing any acknowledgement) and returns the new epoch.
   * `tried` is the escalation chain so far, `to` included.
   */
  async assign(caseId: CaseId, to: CounsellorId, from: CounsellorId | undefined, tried: CounsellorId[], now: number): Promise<number> {
    const key = redisKeys.case(caseId);
    const m = this.redis.multi().hincrby(key, 'epoch', 1);
    m.hset(key, 'assignee', to, 'tried', tried.join(','), 'adminsCalled', '0', 'assignedAt', String(now));
    m.hdel(key, 'ackAt');
    if (from && from !== to) m.srem(rosterKeys.open(from), caseId);
    m.sadd(rosterKeys.open(to), caseId);
    m.hset(rosterKeys.lastAssigned, to, String(now));
    m.srem(rosterKeys.waiting, caseId);
    const results = await m.exec();
    return Number(results?.[0]?.[1]);
  }

  /** Nobody holds the case any more (a recusal with nobody else on duty). */
  async unassign(caseId: CaseId, from: CounsellorId | undefined): Promise<number> {
    const key = redisKeys.case(caseId);
    const m = this.redis.multi().hincrby(key, 'epoch', 1);
    m.hdel(key, 'assignee', 'ackAt');
    m.hset(key, 'tried', '');
    if (from) m.srem(rosterKeys.open(from), caseId);
    const results = await m.exec();
    return Number(results?.[0]?.[1]);
  }

  async acknowledge(caseId: CaseId, now: number): Promise<void> {
    await this.redis.hset(redisKeys.case(caseId), 'ackAt', String(now), 'tried', '');
  }

  async exclude(caseId: CaseId, who: CounsellorId): Promise<void> {
    const duty = await this.get(caseId);
    if (!duty.excluded.includes(who)) await this.redis.hset(redisKeys.case(caseId), 'excluded', [...duty.excluded, who].join(','));
  }

  async markAnnounced(caseId: CaseId, epoch: number): Promise<void> {
    await this.redis.hset(redisKeys.case(caseId), 'announced', String(epoch));
  }

  async markAdminsCalled(caseId: CaseId): Promise<void> {
    await this.redis.hset(redisKeys.case(caseId), 'adminsCalled', '1');
  }

  async markOffHoursTold(caseId: CaseId): Promise<void> {
    await this.redis.hset(redisKeys.case(caseId), 'offHoursTold', '1');
  }

  async markWaiting(caseId: CaseId): Promise<void> {
    await this.redis.sadd(rosterKeys.waiting, caseId);
  }

  async waitingCases(): Promise<CaseId[]> {
    return (await this.redis.smembers(rosterKeys.waiting)) as CaseId[];
  }

  /** A finished case no longer counts against its counsellor's load; a reopened one does again. */
  async setOpen(caseId: CaseId, who: CounsellorId, open: boolean): Promise<void> {
    if (open) await this.redis.sadd(rosterKeys.open(who), caseId);
    else await this.redis.srem(rosterKeys.open(who), caseId);
  }

  async openCases(who: CounsellorId): Promise<CaseId[]> {
    return (await this.redis.smembers(rosterKeys.open(who))) as CaseId[];
  }

  async load(ids: readonly CounsellorId[]): Promise<Map<CounsellorId, number>> {
    const counts = await Promise.all(ids.map((id) => this.redis.scard(rosterKeys.open(id))));
    return new Map(ids.map((id, i) => [id, counts[i]!]));
  }

  async lastAssigned(): Promise<Map<CounsellorId, number>> {
    const h = await this.redis.hgetall(rosterKeys.lastAssigned);
    return new Map(Object.entries(h).map(([k, v]) => [k as CounsellorId, Number(v)]));
  }
}
