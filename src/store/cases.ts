// Cases in Redis. Content is never written here in clear: callers hand in sealed or
// encrypted bytes. Readable metadata is only what monitoring needs (channel,
// language, status, timestamps).
import type { Redis } from 'ioredis';
import type { CaseCode, CaseId, ChannelName, CounsellorId, DeskName, Lang, QuietHours, ReporterKey } from '../shared/index.js';
import { redisKeys, type Direction } from './redis-keys.js';
import { script } from './scripts.js';
import { markUpdateIn, seenUpdate, updateMark, UPDATE_MEMORY_SECONDS } from './update-marks.js';
import { parseCopyMember } from './private-copies.js';

/** The policy's procedure: initial consideration -> investigation -> measures -> closed. */
export const caseStatuses = ['new', 'acknowledged', 'under-consideration', 'investigation', 'measures-taken', 'closed', 'withdrawn'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/**
 * What a case is: a report (a complaint), or a consultation (a question to a counsellor
 * before any complaint). A consultation the reporter turns into a report keeps its code
 * and conversation, becomes a report, and remembers when (`convertedAt`).
 */
export const caseKinds = ['report', 'consultation'] as const;
export type CaseKind = (typeof caseKinds)[number];

/** Statuses that end a case; the retention clock starts when a case reaches one. */
export const closedStatuses: readonly CaseStatus[] = ['closed', 'withdrawn'];
export const isClosedStatus = (status: string): boolean => (closedStatuses as readonly string[]).includes(status);

/**
 * Timestamps (ms) the case hash records beside `status`, read by retention and the
 * annual report: `closedAt` when a case is closed or withdrawn (cleared if reopened),
 * `measuresAt` when measures were first taken, `firstAnswerAt` when a counsellor's
 * first answer was stored.
 */
export const caseTimestamps = ['closedAt', 'measuresAt', 'firstAnswerAt'] as const;

export interface CaseRecord {
  id: CaseId;
  code: CaseCode;
  channel: ChannelName;
  lang: Lang;
  status: CaseStatus;
  createdAt: number;
  /** when the platform handed over the message that opened it, in the platform's order (ms; absent: createdAt) */
  arrivedAt?: number;
  /** case key sealed to the staff public key */
  sealedKey: Buffer;
  /** the reporter's keyed hash: whose case it is (absent once the reporter let go of it) */
  reporterKey?: ReporterKey;
  /** a report, or a consultation (a question before any complaint) */
  kind: CaseKind;
  /**
   * Routing took it up. A case opened by an update that was cut short before it asked for
   * routing (Redis lost mid-way) is not: the update, taken again, asks then.
   */
  routed: boolean;
  /** when a consultation became a report (the reporter confirmed it at the review) */
  convertedAt?: number;
  /** its reporter has (or had) another case beside it (/new): answers may need to say which case they are about */
  several?: boolean;
  /** platform address sealed to the relay public key */
  returnAddress: Buffer;
  /** staff forum topic id, or the root message id in reply mode */
  staffThread?: number;
  /** need-to-know mode: the case's card in the shared staff chat */
  card?: number;
  /** who holds the case (routing writes it, see duty.ts) */
  assignee?: CounsellorId;
  /** need-to-know mode: whose private chat has the case's copy (see private-copies.ts) */
  copyHolder?: CounsellorId;
  /** the staff chat the case lives in: `oversight` for a report about the hotline's own staff */
  desk: DeskName;
  /** flagged when the reporter may be in danger: routing puts it first */
  urgent: boolean;
  /** the policy category the reporter chose (plain: monitoring counts it) */
  category?: string;
  /**
   * Routing's first word on a case not posted yet (who has it, or when the next shift is):
   * a notice's key and its JSON, for the case's first post to carry (one post per opening).
   */
  opening?: { key: string; notice: string };
  /** the key of the notice the case's first post carried (its own notice job then posts nothing) */
  openedWith?: string;
  /** since when the reporter has been waiting for an answer (ms): their first message since staff last answered */
  waitingSince?: number;
  /** staff's labels for the case, sealed under the case key (see cases/labels.ts) */
  labels?: Buffer;
  /** the hours the reporter asked not to be written to (/quiet): answers wait until they end */
  quiet?: QuietHours;
  /** an admin stopped the reporter's messages from reaching staff (/block) */
  blocked?: boolean;
  /** what staff established (/record): plain catalog words, counted by the annual report (see cases/findings.ts) */
  findings?: RecordedFindings;
  /** the policy's time limit on the stage the case is in: its next step is due at `dueAt` (see routing/deadlines.ts) */
  deadline?: { stage: CaseStatus; dueAt: number };
  /** number of messages written, per direction */
  count: Record<Direction, number>;
  /** highest seq posted to staff (in) / delivered to the reporter (out) */
  done: Record<Direction, number>;
}

/** Staff's findings as stored: catalog words only (the cases layer knows the catalogs). */
export interface RecordedFindings {
  category?: string;
  breach?: string;
  measures?: string[];
  outcome?: string;
}

/** Where each finding is kept in the case hash (`result`: the lifecycle's `outcome` is another thing, see case-stats.ts). */
const findingKeys = { category: 'vcategory', breach: 'breach', measures: 'measures', outcome: 'result' } as const;

export interface NewCase {
  id: CaseId;
  code: CaseCode;
  reporterKey: ReporterKey;
  channel: ChannelName;
  lang: Lang;
  sealedKey: Buffer;
  returnAddress: Buffer;
  createdAt: number;
  arrivedAt?: number;
  urgent?: boolean;
  category?: string;
  /** absent: the main staff chat */
  desk?: DeskName;
  /** absent: a report */
  kind?: CaseKind;
}

// Every message runs these: sent once per Redis and called by SHA (see scripts.ts).
const APPEND = script(`
local count = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if count + 1 ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[3] .. 's', ARGV[6])
  redis.call('HSET', KEYS[2], 'a' .. ARGV[6], ARGV[2])
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[5])
if ARGV[7] ~= '' and ARGV[10] ~= '' then
  redis.call('HSET', ARGV[7], ARGV[10], '1')
  redis.call('EXPIRE', ARGV[7], ARGV[8])
elseif ARGV[7] ~= '' then
  redis.call('SET', ARGV[7], '1', 'EX', ARGV[8])
end
if ARGV[9] ~= '' then redis.call('HSETNX', KEYS[1], 'firstAnswerAt', ARGV[9]) end
if ARGV[11] == 'start' then redis.call('HSETNX', KEYS[1], 'waitingSince', ARGV[12])
elseif ARGV[11] == 'stop' then redis.call('HDEL', KEYS[1], 'waitingSince') end
return 1`);

/**
 * Cursors only move forward, whatever order late writers arrive in. Caught up, the
 * case leaves the pending set in the same step (atomic: a message appended meanwhile
 * raised the count, so its mark stays).
 */
const ADVANCE = script(`
local done = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > done then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  done = tonumber(ARGV[2])
end
local count = tonumber(redis.call('HGET', KEYS[1], ARGV[3]) or '0')
if done >= count then redis.call('SREM', KEYS[2], ARGV[4]) end
if ARGV[6] ~= nil and ARGV[6] ~= '' then redis.call('HSET', KEYS[3], ARGV[5], ARGV[6]) end
return 1`);

const CLEAR_PENDING = script(`
local count = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local done = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '0')
if done < count then return 0 end
redis.call('SREM', KEYS[2], ARGV[3])
return 1`);

/**
 * A message that replies to a message of a case joins that case (replies mode), in one
 * step: a counsellor who replies to it a moment later already finds its case. The case's
 * staff-copy key is named from the case id the map holds (one Redis, not a cluster).
 * KEYS: 1 staff message map. ARGV: 1 replied-to id, 2 new id, 3 kind, 4 posted ms, 5 key prefix.
 */
const LINK_REPLY = script(`
local caseId = redis.call('HGET', KEYS[1], ARGV[1])
if not caseId then return false end
redis.call('HSET', KEYS[1], ARGV[2], caseId)
redis.call('ZADD', ARGV[5] .. caseId .. ':s', ARGV[4], ARGV[3] .. ARGV[2])
return caseId`);

const field = { in: 'n_in', out: 'n_out' } as const;
const cursor = { in: 'd_in', out: 'd_out' } as const;
const messageField = (dir: Direction, seq: number) => `${dir === 'in' ? 'i' : 'o'}${seq}`;

/** What a staff chat message of a case is: the bot's text (t) or file (f), or someone's (s). */
export type StaffMessageKind = 't' | 'f' | 's';

/** A staff chat message of a case: what it is, its id in the chat, when it was posted (ms). */
export interface StaffMessageRef {
  kind: StaffMessageKind;
  id: number;
  at: number;
}

/** A case's messages in one staff member's private chat (need-to-know mode); `person` is their roster handle. */
export interface PrivateCopyRef {
  person: string;
  messages: StaffMessageRef[];
}

/** Where a case is in the staff chats: its chat, its topic or recorded messages, its private copies. */
export interface StaffCopy {
  desk?: DeskName;
  thread?: number;
  messages: StaffMessageRef[];
  privately?: PrivateCopyRef[];
}

export class CaseStore {
  constructor(private readonly redis: Redis) {}

  /** The reporter's current case: the one their messages go to. */
  async caseOfReporter(rk: ReporterKey): Promise<CaseId | undefined> {
    return ((await this.redis.get(redisKeys.reporter(rk))) ?? undefined) as CaseId | undefined;
  }

  /**
   * Every case of the reporter that is still theirs (not withdrawn or forgotten), oldest
   * first, and the one their messages go to. Cases from before /new existed are known by
   * the current-case key alone.
   */
  async casesOfReporter(rk: ReporterKey): Promise<{ current?: CaseId; cases: CaseRecord[] }> {
    const [members, current] = await Promise.all([this.redis.smembers(redisKeys.reporterCases(rk)), this.caseOfReporter(rk)]);
    const ids = [...new Set([...members, ...(current ? [current] : [])])] as CaseId[];
    const records = await Promise.all(ids.map((id) => this.get(id)));
    // Erased by retention or by staff: no longer the reporter's.
    const gone = ids.filter((_, i) => !records[i]);
    if (gone.length) await this.redis.srem(redisKeys.reporterCases(rk), ...gone);
    const cases = records.filter((r): r is CaseRecord => r !== undefined).sort((a, b) => a.createdAt - b.createdAt);
    return { ...(current && !gone.includes(current) ? { current } : {}), cases };
  }

  /**
   * The reporter has more than one case: each of their cases says so (`several`), so
   * that delivering an answer costs nothing more for the many reporters with one.
   */
  private async markSeveral(rk: ReporterKey): Promise<void> {
    const ids = await this.redis.smembers(redisKeys.reporterCases(rk));
    const m = this.redis.multi();
    for (const id of ids) m.hset(redisKeys.case(id as CaseId), 'several', '1');
    await m.exec();
  }

  /** The reporter's messages go to this case from now on (/status's choice, or its answer just came). */
  async makeCurrent(rk: ReporterKey, id: CaseId): Promise<void> {
    await this.redis.set(redisKeys.reporter(rk), id);
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
   * reporter created a case in the meantime, that one wins and ours is removed; a case
   * opened `alongside` the reporter's others (/new) becomes their current one instead.
   */
  async create(c: NewCase, alongside = false): Promise<CaseId> {
    await this.redis.hset(redisKeys.case(c.id), {
      code: c.code,
      channel: c.channel,
      lang: c.lang,
      status: 'new',
      createdAt: String(c.createdAt),
      ...(c.arrivedAt !== undefined ? { arrivedAt: String(c.arrivedAt) } : {}),
      sealedKey: c.sealedKey,
      returnAddress: c.returnAddress,
      // The reporter key lets a /resume from another account move the case there.
      reporter: c.reporterKey,
      urgent: c.urgent ? '1' : '0',
      routed: '0',
      ...(c.category ? { category: c.category } : {}),
      ...(c.kind === 'consultation' ? { kind: 'consultation' } : {}),
      ...(c.desk && c.desk !== 'main' ? { desk: c.desk } : {}),
      [field.in]: '0',
      [field.out]: '0',
      [cursor.in]: '0',
      [cursor.out]: '0',
    });
    const won = alongside ? 'OK' : await this.redis.set(redisKeys.reporter(c.reporterKey), c.id, 'NX');
    if (won === 'OK') {
      // The set of a reporter's cases exists only once they have two: most never do, and a
      // key per reporter would cost every case a few hundred bytes.
      if (alongside) {
        const previous = await this.caseOfReporter(c.reporterKey);
        await this.redis
          .multi()
          .sadd(redisKeys.reporterCases(c.reporterKey), ...(previous ? [previous] : []), c.id)
          .set(redisKeys.reporter(c.reporterKey), c.id)
          .exec();
        await this.markSeveral(c.reporterKey);
      }
      return c.id;
    }
    await this.redis.del(redisKeys.case(c.id), redisKeys.code(c.code));
    return (await this.caseOfReporter(c.reporterKey))!;
  }

  /**
   * A new case's first post joins its staff chat's line, in the order its reporter sent
   * it (arrivedAt): whichever opening's job runs first posts the oldest in line, so two
   * reports that were handled in a different order than they came are posted as they came.
   */
  async lineUpOpening(record: CaseRecord): Promise<void> {
    await this.redis.zadd(redisKeys.openings(record.desk), record.arrivedAt ?? record.createdAt, record.id);
  }

  /** The oldest openings of a staff chat's line, first first. */
  async openingLine(desk: DeskName, count = 10): Promise<CaseId[]> {
    return (await this.redis.zrange(redisKeys.openings(desk), 0, count - 1)) as CaseId[];
  }

  /** Posted (or gone): out of the line. */
  async leaveLine(desk: DeskName, id: CaseId): Promise<void> {
    await this.redis.zrem(redisKeys.openings(desk), id);
  }

  async get(id: CaseId): Promise<CaseRecord | undefined> {
    const h = await this.redis.hgetallBuffer(redisKeys.case(id));
    // An erased case keeps only plain metadata: without its key it is gone for the relay.
    if (!h.code || !h.sealedKey) return undefined;
    const s = (k: string) => h[k]?.toString() ?? '';
    const n = (k: string) => Number(s(k) || 0);
    const quiet = /^(\d+)-(\d+)$/.exec(s('quiet'));
    const findings: RecordedFindings = {};
    for (const [field, key] of Object.entries(findingKeys) as [keyof RecordedFindings, string][]) {
      if (!h[key]) continue;
      if (field === 'measures') findings.measures = s(key).split(',');
      else findings[field] = s(key);
    }
    return {
      id,
      code: s('code') as CaseCode,
      channel: s('channel') as ChannelName,
      lang: s('lang') as Lang,
      status: s('status') as CaseStatus,
      createdAt: n('createdAt'),
      ...(h.arrivedAt ? { arrivedAt: n('arrivedAt') } : {}),
      sealedKey: h.sealedKey,
      ...(h.reporter ? { reporterKey: s('reporter') as ReporterKey } : {}),
      ...(h.several ? { several: true } : {}),
      kind: s('kind') === 'consultation' ? 'consultation' : 'report',
      // A new case starts with routed=0; cases from before the mark were routed when they opened.
      routed: s('routed') !== '0',
      ...(h.convertedAt ? { convertedAt: n('convertedAt') } : {}),
      returnAddress: h.returnAddress!,
      ...(h.staffThread ? { staffThread: n('staffThread') } : {}),
      ...(h.card ? { card: n('card') } : {}),
      ...(h.assignee ? { assignee: s('assignee') as CounsellorId } : {}),
      ...(h.ph ? { copyHolder: s('ph') as CounsellorId } : {}),
      desk: s('desk') || 'main',
      urgent: s('urgent') === '1',
      ...(h.category ? { category: s('category') } : {}),
      ...(h.opening && h.openingKey ? { opening: { key: s('openingKey'), notice: s('opening') } } : {}),
      ...(h.openedWith ? { openedWith: s('openedWith') } : {}),
      ...(h.waitingSince ? { waitingSince: n('waitingSince') } : {}),
      ...(h.labels?.length ? { labels: h.labels } : {}),
      ...(h.blocked ? { blocked: true } : {}),
      ...(quiet ? { quiet: { start: Number(quiet[1]), end: Number(quiet[2]) } } : {}),
      ...(Object.keys(findings).length ? { findings } : {}),
      ...(h.dueAt && h.stage ? { deadline: { stage: s('stage') as CaseStatus, dueAt: n('dueAt') } } : {}),
      count: { in: n(field.in), out: n(field.out) },
      done: { in: n(cursor.in), out: n(cursor.out) },
    };
  }

  /**
   * Appends an encrypted message as the next of its direction. The envelope binds its
   * seq (associated data), so the seq is chosen first and the write is a compare-and-set:
   * either the message, its counter, the pending mark and the delivery id all land, or
   * none does, and no seq is ever left reserved but empty.
   */
  async append(
    id: CaseId,
    dir: Direction,
    encryptAs: (seq: number) => Buffer,
    links: { staffMessageId?: number; updateId?: string } = {},
    /** the count the caller last read (its case record): saves reading it again when still current */
    known?: number,
    /** the reporter now waits for an answer (since then, unless already waiting), or has one ('stop') */
    waiting?: { since: number } | 'stop',
  ): Promise<number> {
    // The update's redelivery mark lands with the message (see update-marks.ts).
    const mark = links.updateId !== undefined ? updateMark(links.updateId) : undefined;
    // Each round lets at least one contender through, so N writers need at most N rounds.
    for (let attempt = 0; attempt < 200; attempt++) {
      const count = attempt === 0 && known !== undefined ? known : Number((await this.redis.hget(redisKeys.case(id), field[dir])) ?? 0);
      const seq = count + 1;
      const written = await APPEND.run(
        this.redis,
        [redisKeys.case(id), redisKeys.caseMessages(id), redisKeys.pending(dir)],
        [
          field[dir],
          seq,
          messageField(dir, seq),
          encryptAs(seq),
          id,
          links.staffMessageId ?? '',
          mark?.key ?? '',
          UPDATE_MEMORY_SECONDS,
          // The report's "time to first answer": the script's HSETNX keeps the first one.
          dir === 'out' ? String(Date.now()) : '',
          mark?.field ?? '',
          waiting === undefined ? '' : waiting === 'stop' ? 'stop' : 'start',
          waiting !== undefined && waiting !== 'stop' ? String(waiting.since) : '',
        ],
      );
      if (written === 1) return seq;
      // Another writer took this seq first (same case, same moment), or the known count
      // was stale: read it and take the next.
    }
    throw new Error('could not append to a busy case');
  }

  async seenUpdate(updateId: string): Promise<boolean> {
    return seenUpdate(this.redis, updateId);
  }

  async markUpdate(updateId: string): Promise<void> {
    await markUpdateIn(this.redis.multi(), updateId).exec();
  }

  async getMessage(id: CaseId, dir: Direction, seq: number): Promise<{ envelope: Buffer; staffMessageId?: number } | undefined> {
    const [envelope, staff] = await this.redis.hmgetBuffer(redisKeys.caseMessages(id), messageField(dir, seq), `${messageField(dir, seq)}s`);
    if (!envelope) return undefined;
    return { envelope, ...(staff ? { staffMessageId: Number(staff.toString()) } : {}) };
  }

  /** The answer (out seq) a staff chat message was relayed as, if it was. */
  async answerOfStaffMessage(id: CaseId, staffMessageId: number): Promise<number | undefined> {
    const seq = await this.redis.hget(redisKeys.caseMessages(id), `a${staffMessageId}`);
    return seq === null ? undefined : Number(seq);
  }

  async deliveredAs(id: CaseId, seq: number): Promise<string | undefined> {
    return (await this.redis.hget(redisKeys.caseMessages(id), `${messageField('out', seq)}d`)) ?? undefined;
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

  /**
   * Moves the cursor after a message left Trustline; clears the pending mark when caught
   * up. `delivered`: the platform's id of the message it became in the reporter's chat
   * (a message number in that chat, not an identity), kept so a counsellor's correction
   * can edit it; written in the same step.
   */
  async markDone(id: CaseId, dir: Direction, seq: number, delivered?: string): Promise<void> {
    await ADVANCE.run(
      this.redis,
      [redisKeys.case(id), redisKeys.pending(dir), redisKeys.caseMessages(id)],
      [cursor[dir], seq, field[dir], id, `${messageField(dir, seq)}d`, delivered ?? ''],
    );
  }

  /** Atomic, so a message appended between the check and the removal keeps its mark. */
  async clearPendingIfCaughtUp(id: CaseId, dir: Direction): Promise<boolean> {
    return (await CLEAR_PENDING.run(this.redis, [redisKeys.case(id), redisKeys.pending(dir)], [field[dir], cursor[dir], id])) === 1;
  }

  async pendingCases(dir: Direction): Promise<CaseId[]> {
    return (await this.redis.smembers(redisKeys.pending(dir))) as CaseId[];
  }

  /**
   * Sets the status and the timestamps that follow from it (see caseTimestamps):
   * closing or withdrawing records closedAt, which starts the retention period;
   * reopening clears it; measures-taken records measuresAt once, so a case later
   * closed still counts as "measures taken" in the annual report.
   */
  async setStatus(id: CaseId, status: CaseStatus, at: number = Date.now()): Promise<void> {
    const key = redisKeys.case(id);
    const m = this.redis.multi().hset(key, 'status', status);
    // HSETNX: closing an already closed case again does not restart the retention clock.
    if (isClosedStatus(status)) m.hsetnx(key, 'closedAt', String(at));
    else m.hdel(key, 'closedAt');
    if (status === 'measures-taken') m.hsetnx(key, 'measuresAt', String(at));
    await m.exec();
  }

  /** The reporter key the case answers to (moved by /resume), if it still has one. */
  async reporterOf(id: CaseId): Promise<ReporterKey | undefined> {
    return ((await this.redis.hget(redisKeys.case(id), 'reporter')) ?? undefined) as ReporterKey | undefined;
  }

  /** On hold since `at` (kept past its retention period), or off hold when undefined. */
  async setHold(id: CaseId, at: number | undefined): Promise<void> {
    if (at === undefined) await this.redis.hdel(redisKeys.case(id), 'hold');
    else await this.redis.hset(redisKeys.case(id), 'hold', String(at));
  }

  /** Routing's notice for a case not posted yet, for its first post to carry (see CaseRecord.opening). */
  async setOpening(id: CaseId, key: string, notice: string): Promise<void> {
    await this.redis.hset(redisKeys.case(id), 'openingKey', key, 'opening', notice);
  }

  /** The first post carried the opening notice `key`: its own notice job posts nothing. */
  /** /quiet: the hours answers wait (undefined: reachable at any time). */
  /** A consultation the reporter confirmed as a report at the review: a report from now on. */
  async becomeReport(id: CaseId, at: number): Promise<boolean> {
    const kind = await this.redis.hget(redisKeys.case(id), 'kind');
    if (kind !== 'consultation') return false;
    await this.redis.hset(redisKeys.case(id), { kind: 'report', convertedAt: String(at) });
    return true;
  }

  async setQuiet(id: CaseId, quiet: QuietHours | undefined): Promise<void> {
    if (quiet) await this.redis.hset(redisKeys.case(id), 'quiet', `${quiet.start}-${quiet.end}`);
    else await this.redis.hdel(redisKeys.case(id), 'quiet');
  }

  /** Routing has taken the case up (router.ts): a case opened but never routed is routed by whoever finds it. */
  async markRouted(id: CaseId): Promise<void> {
    await this.redis.hset(redisKeys.case(id), 'routed', '1');
  }

  /** /block and /unblock: the reporter's messages no longer reach staff, or again. */
  async setBlocked(id: CaseId, blocked: boolean): Promise<void> {
    if (blocked) await this.redis.hset(redisKeys.case(id), 'blocked', '1');
    else await this.redis.hdel(redisKeys.case(id), 'blocked');
  }

  /** Staff's findings, all four at once (a field left out is cleared). */
  async setFindings(id: CaseId, f: RecordedFindings): Promise<void> {
    const set: Record<string, string> = {};
    const clear: string[] = [];
    for (const [field, key] of Object.entries(findingKeys) as [keyof RecordedFindings, string][]) {
      const v = f[field];
      const value = Array.isArray(v) ? v.join(',') : v;
      if (value) set[key] = value;
      else clear.push(key);
    }
    const m = this.redis.multi();
    if (Object.keys(set).length) m.hset(redisKeys.case(id), set);
    if (clear.length) m.hdel(redisKeys.case(id), ...clear);
    await m.exec();
  }

  /** The stage's deadline (undefined: the stage has none). */
  async setDeadline(id: CaseId, deadline: { stage: CaseStatus; dueAt: number } | undefined): Promise<void> {
    if (deadline) await this.redis.hset(redisKeys.case(id), { stage: deadline.stage, dueAt: String(deadline.dueAt) });
    else await this.redis.hdel(redisKeys.case(id), 'stage', 'dueAt');
  }

  /** Staff's labels, sealed under the case key (undefined: none left). */
  async setLabels(id: CaseId, sealed: Buffer | undefined): Promise<void> {
    if (sealed) await this.redis.hset(redisKeys.case(id), 'labels', sealed);
    else await this.redis.hdel(redisKeys.case(id), 'labels');
  }

  async markOpened(id: CaseId, key: string): Promise<void> {
    await this.redis.multi().hset(redisKeys.case(id), 'openedWith', key).hdel(redisKeys.case(id), 'opening', 'openingKey').exec();
  }

  /**
   * Need-to-know mode: one worker at a time posts or edits a case's card; the others
   * wait. The lock lapses, so a worker that dies meanwhile does not block the card.
   */
  async lockCard(id: CaseId): Promise<boolean> {
    return (await this.redis.set(redisKeys.lock(`card:${id}`), '1', 'PX', 30_000, 'NX')) === 'OK';
  }

  async unlockCard(id: CaseId): Promise<void> {
    await this.redis.del(redisKeys.lock(`card:${id}`));
  }

  /**
   * Need-to-know mode: the case's card in the shared chat. Linked like a replies-mode
   * message, so a command that replies to the card acts on the case, and erasing the
   * case deletes it.
   */
  async setCard(id: CaseId, desk: DeskName, messageId: number): Promise<void> {
    await this.redis
      .multi()
      .hset(redisKeys.case(id), 'card', String(messageId))
      .hset(redisKeys.staffMessages(desk), String(messageId), id)
      .zadd(redisKeys.caseStaffCopy(id), Date.now(), `t${messageId}`)
      .exec();
  }

  /** `kind` (replies mode): what the root message is, for erasing it later (see linkStaffMessage). */
  async setStaffThread(id: CaseId, desk: DeskName, thread: number, mode: 'topics' | 'replies', kind: StaffMessageKind = 't'): Promise<void> {
    const m = this.redis.multi().hset(redisKeys.case(id), 'staffThread', thread);
    m.hset(mode === 'topics' ? redisKeys.topics(desk) : redisKeys.staffMessages(desk), String(thread), id);
    if (mode === 'replies') m.zadd(redisKeys.caseStaffCopy(id), Date.now(), `${kind}${thread}`);
    await m.exec();
  }

  /**
   * A message in the case's reply chain (replies mode): a counsellor who replies to it
   * writes in the case, and erasing the case deletes it. `kind`: t the bot's text, f the
   * bot's file, s someone's message.
   */
  async linkStaffMessage(desk: DeskName, messageId: number, id: CaseId, kind: StaffMessageKind = 't'): Promise<void> {
    await this.redis
      .multi()
      .hset(redisKeys.staffMessages(desk), String(messageId), id)
      .zadd(redisKeys.caseStaffCopy(id), Date.now(), `${kind}${messageId}`)
      .exec();
  }

  /** A message replying to `repliedTo` joins its case, if that one belongs to a case; returns the case. */
  async linkReply(desk: DeskName, repliedTo: number, messageId: number, kind: StaffMessageKind): Promise<CaseId | undefined> {
    const caseId = await LINK_REPLY.run(
      this.redis,
      [redisKeys.staffMessages(desk)],
      [String(repliedTo), String(messageId), kind, String(Date.now()), redisKeys.case('' as CaseId)],
    );
    return typeof caseId === 'string' ? (caseId as CaseId) : undefined;
  }

  /**
   * Where the case is in the staff chat (its topic, or its recorded messages), and in
   * need-to-know mode every private copy (its holder's, a supervisor's): what erasing
   * the case must delete.
   */
  async staffCopy(id: CaseId): Promise<StaffCopy> {
    const [[thread, desk], scored, privately] = await Promise.all([
      this.redis.hmget(redisKeys.case(id), 'staffThread', 'desk'),
      this.redis.zrange(redisKeys.caseStaffCopy(id), 0, -1, 'WITHSCORES'),
      this.redis.zrange(redisKeys.casePrivateCopy(id), 0, -1, 'WITHSCORES'),
    ]);
    const messages: StaffMessageRef[] = [];
    for (let i = 0; i + 1 < scored.length; i += 2) {
      const member = /^([tfs])(\d+)$/.exec(scored[i]!);
      if (member) messages.push({ kind: member[1] as StaffMessageKind, id: Number(member[2]), at: Number(scored[i + 1]) });
    }
    // The bot's own texts and files alike: in a private chat the bot may delete both.
    const copies = new Map<string, StaffMessageRef[]>();
    for (let i = 0; i + 1 < privately.length; i += 2) {
      const member = parseCopyMember(privately[i]!);
      if (!member) continue;
      const list = copies.get(member.person) ?? [];
      list.push({ kind: 't', id: member.id, at: Number(privately[i + 1]) });
      copies.set(member.person, list);
    }
    return {
      ...(desk && desk !== 'main' ? { desk } : {}),
      ...(thread ? { thread: Number(thread) } : {}),
      messages,
      ...(copies.size ? { privately: [...copies].map(([person, messages]) => ({ person, messages })) } : {}),
    };
  }

  /**
   * The case leaves its staff chat for another (a report about the hotline's own staff
   * goes to oversight). Everything that tied it to the old chat goes in one step: its
   * topic or reply chain stops leading to it, private copies are forgotten, and the staff
   * cursor goes back to 0 so the next flush posts the whole case in the new chat. `copy`
   * is what staffCopy read (the caller deletes those messages from Telegram).
   */
  async moveToDesk(id: CaseId, desk: DeskName, copy: StaffCopy): Promise<void> {
    const from = copy.desk ?? 'main';
    const m = this.redis.multi().hset(redisKeys.case(id), 'desk', desk, cursor.in, '0').hdel(redisKeys.case(id), 'staffThread', 'card', 'ph');
    if (copy.thread !== undefined) m.hdel(redisKeys.topics(from), String(copy.thread));
    if (copy.messages.length) m.hdel(redisKeys.staffMessages(from), ...copy.messages.map((x) => String(x.id)));
    for (const p of copy.privately ?? []) if (p.messages.length) m.hdel(redisKeys.privateMessages(p.person), ...p.messages.map((x) => String(x.id)));
    await m.del(redisKeys.caseStaffCopy(id), redisKeys.casePrivateCopy(id)).sadd(redisKeys.pending('in'), id).exec();
  }

  async caseOfTopic(desk: DeskName, threadId: number): Promise<CaseId | undefined> {
    return ((await this.redis.hget(redisKeys.topics(desk), String(threadId))) ?? undefined) as CaseId | undefined;
  }

  async caseOfStaffMessage(desk: DeskName, messageId: number): Promise<CaseId | undefined> {
    return ((await this.redis.hget(redisKeys.staffMessages(desk), String(messageId))) ?? undefined) as CaseId | undefined;
  }

  /** Evidence bytes, encrypted by the caller, stored beside the case's messages under a random blob id. */
  async putFile(id: CaseId, blob: string, envelope: Buffer): Promise<void> {
    await this.redis.hset(redisKeys.caseFiles(id), blob, envelope);
  }

  async getFile(id: CaseId, blob: string): Promise<Buffer | undefined> {
    return (await this.redis.hgetBuffer(redisKeys.caseFiles(id), blob)) ?? undefined;
  }
}
