// What monitoring may know about a case: no content, no identity, no pseudonym.
// A live case's hash is reduced to CaseFacts when the report is made; a shredded
// case leaves exactly these facts behind in a `tl:stats:<random>` hash, under a new
// random id so nothing (log lines, job ids, case codes) links the statistics back to
// the case. Time is kept as a calendar day plus durations, not as instants.
//
// Fields written by other parts of Trustline are read defensively: `category` and
// `urgent` come from the intake questionnaire, `outcome` may be recorded by the case
// workflow, `vcategory`, `breach`, `measures` and `result` by staff (/record, see
// cases/findings.ts); when absent or not in the expected form they count as "not
// recorded". The category staff verified counts instead of the reporter's where present.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CaseId } from '../shared/index.js';
import { scanKeys, scanCaseIds } from './case-scan.js';
import { isClosedStatus } from './cases.js';
import { redisKeys } from './redis-keys.js';

export const outcomes = ['measures-taken', 'closed-without-measures', 'withdrawn', 'open'] as const;
export type Outcome = (typeof outcomes)[number];

export const caseFactKinds = ['report', 'converted', 'consultation'] as const;
export type CaseFactKind = (typeof caseFactKinds)[number];

/** Cases from before consultations existed are reports. */
function kindOf(h: Record<string, string>): Pick<CaseFacts, 'kind'> {
  if (h.kind === 'consultation') return { kind: 'consultation' };
  return h.convertedAt || h.kind === 'converted' ? { kind: 'converted' } : {};
}

export interface CaseFacts {
  /** calendar day the report arrived, in the hotline's time zone: YYYY-MM-DD */
  day: string;
  channel: string;
  lang: string;
  /** a consultation (a question only), or one its reporter turned into a report; absent: a report */
  kind?: Exclude<CaseFactKind, 'report'>;
  /** a category id from the intake questionnaire, if recorded */
  category?: string;
  urgent?: boolean;
  status: string;
  outcome: Outcome;
  /** ms from the report to the first counsellor answer */
  firstAnswerMs?: number;
  /** ms from the report to closing or withdrawal */
  closeMs?: number;
  /** whether staff found the policy breached: yes, no, undetermined */
  breach?: string;
  /** the measures staff recorded (several may apply) */
  measures?: string[];
  /** the outcome staff recorded */
  result?: string;
}

const STATS_VERSION = '1';
// An id such as "harassment.sexual" or "discrimination-academic". Anything else (free
// text by mistake, say) is never published: it counts as "unrecognised".
const categoryId = /^[a-z][a-z0-9_.-]{0,47}$/;
const token = /^[a-z][a-z0-9-]{0,23}$/;
export const UNRECOGNISED = 'unrecognised';

function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function flag(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (['1', 'true', 'yes'].includes(v.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(v.toLowerCase())) return false;
  return undefined;
}

const safe = (v: string | undefined, pattern: RegExp): string | undefined => (v === undefined || v === '' ? undefined : pattern.test(v) ? v : UNRECOGNISED);

/** YYYY-MM-DD of `ms` in `timeZone`. */
export function dayOf(ms: number, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

function outcomeOf(h: Record<string, string>): Outcome {
  const recorded = h.outcome;
  if (recorded !== undefined && (outcomes as readonly string[]).includes(recorded)) return recorded as Outcome;
  if (h.status === 'withdrawn') return 'withdrawn';
  if (h.status === 'measures-taken' || num(h.measuresAt) !== undefined) return 'measures-taken';
  if (h.status === 'closed') return 'closed-without-measures';
  return 'open';
}

/** The facts of a live case hash (text fields only), or undefined for a half-written one. */
export function factsOfCase(h: Record<string, string>, timeZone: string): CaseFacts | undefined {
  const createdAt = num(h.createdAt);
  if (createdAt === undefined || !h.status) return undefined;
  const firstAnswerAt = num(h.firstAnswerAt);
  const closedAt = num(h.closedAt);
  const category = safe(h.vcategory || h.category, categoryId);
  const urgent = flag(h.urgent);
  return {
    ...staffFindings(h),
    ...kindOf(h),
    day: dayOf(createdAt, timeZone),
    channel: safe(h.channel, token) ?? UNRECOGNISED,
    lang: safe(h.lang, token) ?? UNRECOGNISED,
    ...(category !== undefined ? { category } : {}),
    ...(urgent !== undefined ? { urgent } : {}),
    status: safe(h.status, token) ?? UNRECOGNISED,
    outcome: outcomeOf(h),
    ...(firstAnswerAt !== undefined && firstAnswerAt >= createdAt ? { firstAnswerMs: firstAnswerAt - createdAt } : {}),
    ...(closedAt !== undefined && closedAt >= createdAt && isClosedStatus(h.status) ? { closeMs: closedAt - createdAt } : {}),
  };
}

/** breach, measures and result as staff recorded them, each a catalog word (anything else: unrecognised). */
function staffFindings(h: Record<string, string>): Pick<CaseFacts, 'breach' | 'measures' | 'result'> {
  const breach = safe(h.breach, token);
  const result = safe(h.result, token);
  const measures = h.measures ? [...new Set(h.measures.split(',').map((m) => safe(m, token) ?? UNRECOGNISED))] : undefined;
  return { ...(breach ? { breach } : {}), ...(measures?.length ? { measures } : {}), ...(result ? { result } : {}) };
}

/** The hash a shredded case leaves behind. */
export function statsRecordOf(f: CaseFacts): Record<string, string> {
  const r: Record<string, string> = { v: STATS_VERSION, day: f.day, channel: f.channel, lang: f.lang, status: f.status, outcome: f.outcome };
  if (f.kind !== undefined) r.kind = f.kind;
  if (f.breach !== undefined) r.breach = f.breach;
  if (f.measures?.length) r.measures = f.measures.join(',');
  if (f.result !== undefined) r.result = f.result;
  if (f.category !== undefined) r.category = f.category;
  if (f.urgent !== undefined) r.urgent = f.urgent ? '1' : '0';
  if (f.firstAnswerMs !== undefined) r.firstAnswerMs = String(f.firstAnswerMs);
  if (f.closeMs !== undefined) r.closeMs = String(f.closeMs);
  return r;
}

/** Facts of a stats hash; an unknown version is skipped rather than misread. */
export function factsOfStats(h: Record<string, string>): CaseFacts | undefined {
  if (h.v !== STATS_VERSION || !h.day || !/^\d{4}-\d{2}-\d{2}$/.test(h.day)) return undefined;
  const category = safe(h.category, categoryId);
  const urgent = flag(h.urgent);
  const firstAnswerMs = num(h.firstAnswerMs);
  const closeMs = num(h.closeMs);
  const outcome = (outcomes as readonly string[]).includes(h.outcome ?? '') ? (h.outcome as Outcome) : 'open';
  return {
    ...staffFindings(h),
    ...kindOf(h),
    day: h.day,
    channel: safe(h.channel, token) ?? UNRECOGNISED,
    lang: safe(h.lang, token) ?? UNRECOGNISED,
    ...(category !== undefined ? { category } : {}),
    ...(urgent !== undefined ? { urgent } : {}),
    status: safe(h.status, token) ?? UNRECOGNISED,
    outcome,
    ...(firstAnswerMs !== undefined ? { firstAnswerMs } : {}),
    ...(closeMs !== undefined ? { closeMs } : {}),
  };
}

/** The fields facts are made of; never the sealed key, the return address or the code. */
const factFields = [
  'createdAt',
  'status',
  'channel',
  'lang',
  'category',
  'vcategory',
  'kind',
  'convertedAt',
  'urgent',
  'outcome',
  'firstAnswerAt',
  'closedAt',
  'measuresAt',
  'breach',
  'measures',
  'result',
] as const;

export async function readFactFields(redis: Redis, id: CaseId): Promise<Record<string, string>> {
  const values = await redis.hmget(redisKeys.case(id), ...factFields);
  const h: Record<string, string> = {};
  factFields.forEach((name, i) => {
    const v = values[i];
    if (v !== null && v !== undefined) h[name] = v;
  });
  return h;
}

export const newStatsId = (): string => randomBytes(12).toString('base64url');

/** Facts of every case in Redis, live and shredded alike. */
export async function readAllFacts(redis: Redis, timeZone: string): Promise<CaseFacts[]> {
  const facts: CaseFacts[] = [];
  for await (const id of scanCaseIds(redis)) {
    const f = factsOfCase(await readFactFields(redis, id), timeZone);
    if (f) facts.push(f);
  }
  for await (const key of scanKeys(redis, redisKeys.stats('*'))) {
    const f = factsOfStats(await redis.hgetall(key));
    if (f) facts.push(f);
  }
  return facts;
}
