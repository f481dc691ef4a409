// A year of made-up cases for the sandbox and the sample report in docs/annual-report.md: written
// through the real case store and case log (encrypted, sealed), with the metadata the
// intake questionnaire and the case workflow record. Deterministic for a given seed.
import { createCase } from '../flows/index.js';
import type { Redis } from 'ioredis';
import { reporterKeyOf, seal, type KeyRing } from '../crypto/index.js';
import type { ChannelName, Lang } from '../shared/index.js';
import { CaseLog } from '../cases/index.js';
import { CaseStore, type CaseStatus, type RecordedFindings } from '../store/index.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The policy's categories, as ids an intake questionnaire might record. */
export const sampleCategories = [
  'discrimination.gender',
  'discrimination.ethnic',
  'discrimination.disability',
  'discrimination.academic',
  'harassment.verbal',
  'harassment.sexual',
  'harassment.online',
  'bullying',
  'mobbing',
  'victimization',
];

/** A small seeded PRNG (mulberry32), so the sample is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedSampleYear(
  redis: Redis,
  keys: KeyRing,
  { year, cases, seed = 2026 }: { year: number; cases: number; seed?: number },
): Promise<number> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[], weights?: readonly number[]): T => {
    const w = weights ?? items.map(() => 1);
    let r = random() * w.reduce((s, x) => s + x, 0);
    for (let i = 0; i < items.length; i++) if ((r -= w[i]!) < 0) return items[i]!;
    return items[items.length - 1]!;
  };
  const store = new CaseStore(redis);
  const caseLog = new CaseLog(store, keys);
  // More reports in term time than in the summer break.
  const monthWeights = [8, 10, 11, 10, 9, 4, 2, 3, 12, 12, 11, 8];
  for (let n = 0; n < cases; n++) {
    const month = pick([...Array(12).keys()], monthWeights);
    const createdAt = Date.UTC(year, month, 1 + Math.floor(random() * 28), Math.floor(random() * 24));
    const channel = pick<ChannelName>(['telegram', 'whatsapp'], [3, 2]);
    const lang = pick<Lang>(['kk', 'ru', 'en'], [4, 5, 1]);
    const { id } = await createCase(store, keys.staff.publicKey, {
      reporterKey: reporterKeyOf(keys.pepper, channel, `sample-${seed}-${n}`),
      channel,
      lang,
      returnAddress: seal(keys.relay.publicKey, JSON.stringify({ c: channel, a: `sample-${n}` })),
      createdAt,
    });
    const record = (await store.get(id))!;
    await caseLog.append(record, 'in', { kind: 'text', text: `(sample report ${n})`, at: createdAt });
    await redis.hset(`tl:case:${id}`, {
      category: pick(sampleCategories, [6, 3, 2, 4, 7, 5, 6, 5, 3, 2]),
      urgent: random() < 0.12 ? '1' : '0',
    });
    if (random() < 0.93) {
      // Mostly within hours; nights and weekends stretch some past a day.
      const firstAnswerAt = createdAt + Math.round((random() < 0.85 ? random() * 10 : 12 + random() * 60) * HOUR);
      await redis.hset(`tl:case:${id}`, 'firstAnswerAt', String(firstAnswerAt));
    }
    const end: CaseStatus = pick(['measures-taken', 'closed', 'withdrawn', 'investigation'], [3, 5, 1, 2]);
    const closedAt = createdAt + Math.round((3 + random() * 80) * DAY);
    if (end === 'measures-taken') {
      await store.setStatus(id, 'measures-taken', closedAt - 2 * DAY);
      await store.setStatus(id, 'closed', closedAt);
    } else if (end === 'investigation') {
      await store.setStatus(id, 'investigation', createdAt + DAY);
    } else {
      await store.setStatus(id, end, closedAt);
    }
    // What staff recorded (/record) on most cases they closed; drawn from n, not from
    // random(), so the rest of the sample year stays what it was.
    if ((end === 'measures-taken' || end === 'closed') && n % 5 !== 0) await store.setFindings(id, sampleFindings(n, end === 'measures-taken'));
    // Some began as a question to a counsellor; some of those became reports (again from n).
    if (n % 4 === 2) await redis.hset(`tl:case:${id}`, n % 3 === 0 ? { kind: 'report', convertedAt: String(createdAt + DAY) } : { kind: 'consultation' });
  }
  return cases;
}

function sampleFindings(n: number, measuresTaken: boolean): RecordedFindings {
  if (!measuresTaken) return { breach: n % 3 === 0 ? 'undetermined' : 'no', measures: ['advice'], outcome: n % 2 ? 'not-substantiated' : 'resolved' };
  const measures = [['advice', 'counselling'], ['commission'], ['mediation'], ['disciplinary', 'interim-protection']][n % 4]!;
  return { breach: n % 4 === 1 ? 'undetermined' : 'yes', measures, outcome: 'substantiated' };
}
