// The annual monitoring report: figures on crafted facts, totals against a real Redis,
// and the published files checked for charts and for anything that must not be there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { generateKeyRing, sodiumReady } from '../../src/crypto/index.js';
import { buildReport, renderReport, tableOf, type Report } from '../../src/report/index.js';
import { runRetention } from '../../src/retention/run.js';
import { factsOfCase, readAllFacts, type CaseFacts } from '../../src/store/case-stats.js';
import { CaseStore } from '../../src/store/cases.js';
import type { RedisServer } from '../../src/sandbox/redis-server.js';
import { makeCase, type MadeCase } from '../support/cases.js';
import { useRedis } from '../support/redis.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const options = { from: '2026-01-01', to: '2026-12-31', minCell: 5, firstAnswerSlaHours: 24 };

function fact(over: Partial<CaseFacts> = {}): CaseFacts {
  return { day: '2026-03-10', channel: 'telegram', lang: 'ru', status: 'new', outcome: 'open', ...over };
}
const many = (n: number, over: Partial<CaseFacts> = {}) => Array.from({ length: n }, () => fact(over));
const shown = (r: Report, id: Parameters<typeof tableOf>[1]) => Object.fromEntries(tableOf(r, id).cells.map((c) => [c.key, c.shown]));

describe('the report in the language it is asked for', () => {
  const facts = [
    ...many(6, { category: 'harassment.sexual', day: '2026-01-15', outcome: 'measures-taken', firstAnswerMs: 2 * HOUR }),
    ...many(6, { category: 'bullying', day: '2026-03-02', urgent: true, firstAnswerMs: 30 * HOUR }),
  ];

  it('in Russian and Kazakh: titles, categories as the reporter chose them, months, figures and notes', async () => {
    const ru = await renderReport(buildReport(facts, { ...options, lang: 'ru' }), 'md');
    for (const words of [
      'Trustline: ежегодный отчёт',
      'Период: 1 января 2026 г. – 31 декабря 2026 г.\n',
      'Обращения по категориям',
      'Домогательства: сексуальные',
      'Травля среди студентов',
      'Январь 2026 г.',
      'Приняты меры',
      'Медиана времени до первого ответа',
      'Примечания',
      '| **Всего** | **12** |',
    ]) {
      expect(ru).toContain(words);
    }
    const kk = await renderReport(buildReport(facts, { ...options, lang: 'kk' }), 'html');
    for (const words of [
      '<html lang="kk">',
      'Санаттар бойынша өтініштер',
      'Қудалау: жыныстық',
      'Студенттер арасындағы буллинг',
      'Шаралар қабылданды',
      'Ескертпелер',
    ]) {
      expect(kk).toContain(words);
    }
    // Nothing left in English but the names of things (Trustline, Telegram)
    for (const english of ['Reports', 'Total', 'Notes', 'Period', 'January', 'Harassment', 'reports']) {
      expect(ru).not.toContain(english);
      expect(kk).not.toContain(english);
    }
  });

  it('in English by default, with the same category names as the intake', async () => {
    const en = await renderReport(buildReport(facts, options), 'csv');
    expect(en).toContain('category,Harassment: sexual,6,50%');
    expect(en).toContain('category,Bullying among students,6,50%');
    expect(en).toContain('month,January 2026,6,50%');
  });
});

describe('report figures on crafted facts', () => {
  it('counts by category with "<5" and complementary "x", and the total stays', () => {
    const facts = [...many(3, { category: 'harassment.sexual' }), ...many(10, { category: 'discrimination.gender' }), ...many(12, { category: 'bullying' })];
    const r = buildReport(facts, options);
    expect(r.totalShown).toBe('25');
    expect(shown(r, 'category')).toEqual({ bullying: '12', 'discrimination.gender': 'x', 'harassment.sexual': '<5' });
    // A hidden count never leaves the model.
    const hidden = tableOf(r, 'category').cells.filter((c) => c.mark !== 'shown');
    expect(hidden.every((c) => c.value === undefined && c.share === '')).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/"value":(3|10)\b/);
  });

  it('months in order, in the hotline time zone, every month of the period listed', () => {
    const facts = [...many(6, { day: '2026-02-01' }), ...many(7, { day: '2026-11-30' })];
    const r = buildReport(facts, options);
    const months = tableOf(r, 'month').cells;
    expect(months.map((c) => c.label)).toEqual([
      'January 2026',
      'February 2026',
      'March 2026',
      'April 2026',
      'May 2026',
      'June 2026',
      'July 2026',
      'August 2026',
      'September 2026',
      'October 2026',
      'November 2026',
      'December 2026',
    ]);
    expect(months.map((c) => c.shown)).toEqual(['0', '6', '0', '0', '0', '0', '0', '0', '0', '0', '7', '0']);
    // 20:00 UTC on 31 January is already 1 February in Almaty.
    const live = factsOfCase({ createdAt: String(Date.UTC(2026, 0, 31, 20)), status: 'new', channel: 'telegram', lang: 'kk' }, 'Asia/Almaty');
    expect(live?.day).toBe('2026-02-01');
  });

  it('only cases reported inside the period count', () => {
    const facts = [...many(5, { day: '2025-12-31' }), ...many(6, { day: '2026-01-01' }), ...many(7, { day: '2026-12-31' }), ...many(2, { day: '2027-01-01' })];
    expect(buildReport(facts, options).total).toBe(13);
  });

  it('outcomes, urgent share, medians and SLA breaches', () => {
    const facts = [
      ...many(6, { outcome: 'measures-taken', status: 'closed', urgent: true, firstAnswerMs: 2 * HOUR, closeMs: 30 * DAY }),
      ...many(5, { outcome: 'closed-without-measures', status: 'closed', urgent: false, firstAnswerMs: 30 * HOUR, closeMs: 10 * DAY }),
      ...many(7, { outcome: 'withdrawn', status: 'withdrawn', urgent: false, firstAnswerMs: 1 * HOUR, closeMs: 2 * DAY }),
      ...many(8, { outcome: 'open', status: 'investigation' }),
    ];
    const r = buildReport(facts, options);
    expect(shown(r, 'outcome')).toEqual({ 'measures-taken': '6', 'closed-without-measures': '5', withdrawn: '7', open: '8' });
    expect(shown(r, 'urgent')).toEqual({ urgent: '6', 'not-urgent': '12', 'not-recorded': '8' });
    expect(shown(r, 'first-answer')).toEqual({ within: '13', late: '5', none: '8' });
    expect(r.medianFirstAnswer).toEqual({ cases: 18, hours: 2 });
    expect(r.medianClose).toEqual({ cases: 18, hours: 240 });
  });

  it('fewer reports than the threshold in the whole period: "<5" total and no breakdown at all', async () => {
    const r = buildReport(many(3, { category: 'bullying', firstAnswerMs: HOUR }), options);
    expect(r.totalShown).toBe('<5');
    expect(r.tables.every((t) => t.withheld)).toBe(true);
    expect(r.medianFirstAnswer).toEqual({ hidden: true }); // with every table withheld, its count would say how many were answered
    const md = await renderReport(r, 'md');
    expect(md).toContain('Not published');
    expect(md).not.toMatch(/\|\s*3\s*\|/);
    expect(md).toContain('not shown (some of its cases are in hidden cells)');
  });

  it('an empty year is a report of zeros, not an error', () => {
    const r = buildReport([], options);
    expect(r.totalShown).toBe('0');
    expect(r.tables.some((t) => t.withheld)).toBe(false);
  });

  it('a category that is not an id (free text stored by mistake) is never published', async () => {
    const leaked = 'My professor Ivanov touched me';
    const facts = [...many(6, { category: 'bullying' }), ...many(6)];
    const live = factsOfCase({ createdAt: String(Date.UTC(2026, 2, 1)), status: 'new', channel: 'telegram', lang: 'ru', category: leaked }, 'Asia/Almaty')!;
    const r = buildReport([...facts, ...Array.from({ length: 5 }, () => live)], options);
    expect(shown(r, 'category')).toEqual({ bullying: '6', unrecognised: '5', 'not-recorded': '6' });
    for (const format of ['md', 'csv', 'html'] as const) expect(await renderReport(r, format)).not.toContain('Ivanov');
  });
});

describe('report from the cases in Redis', () => {
  let server: RedisServer;
  let redis: Redis;
  const cases: MadeCase[] = [];
  const ring = () => generateKeyRing();

  beforeAll(async () => {
    await sodiumReady();
    ({ server, client: redis } = await useRedis());
    const keys = ring();
    const store = new CaseStore(redis);
    const at = (month: number, day: number) => Date.UTC(2026, month, day, 6);
    const plan: {
      month: number;
      channel: 'telegram' | 'whatsapp';
      lang: 'kk' | 'ru' | 'en';
      category: string;
      status?: 'closed' | 'withdrawn' | 'measures-taken';
    }[] = [];
    for (let i = 0; i < 24; i++) {
      plan.push({
        month: i % 6,
        channel: i % 4 === 0 ? 'whatsapp' : 'telegram',
        lang: (['kk', 'ru', 'ru', 'en'] as const)[i % 4]!,
        category: ['harassment.sexual', 'discrimination.gender', 'bullying'][i % 3]!,
        ...(i % 5 === 0 ? { status: 'closed' as const } : i % 7 === 0 ? { status: 'withdrawn' as const } : {}),
      });
    }
    for (const p of plan) {
      const c = await makeCase(redis, keys, { createdAt: at(p.month, 3), channel: p.channel, lang: p.lang, answer: 'answer text' });
      await redis.hset(`tl:case:${c.id}`, { category: p.category, urgent: p.month === 0 ? '1' : '0' });
      if (p.status) await store.setStatus(c.id, p.status, at(p.month, 20));
      cases.push(c);
    }
    // Two cases from the year before, which the 2026 report must not count.
    await makeCase(redis, keys, { createdAt: Date.UTC(2025, 11, 30) });
    await makeCase(redis, keys, { createdAt: Date.UTC(2025, 11, 31) });
    // A retention pass a year and a half on shreds the closed ones: the report still counts them.
    await runRetention({ redis, now: Date.UTC(2027, 8, 1), closedDays: 365, intakeDays: 7, timeZone: 'Asia/Almaty', dryRun: false });
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('totals equal the cases in Redis, live and shredded', async () => {
    const live = (await redis.keys('tl:case:*')).filter((k) => !k.endsWith(':m'));
    const shredded = await redis.keys('tl:stats:*');
    expect(shredded.length).toBeGreaterThan(0);
    expect(live.length + shredded.length).toBe(26);

    const facts = await readAllFacts(redis, 'Asia/Almaty');
    expect(facts).toHaveLength(26);
    const r = buildReport(facts, options);
    expect(r.total).toBe(24);
    expect(r.totalShown).toBe('24');
    // Where nothing is hidden, the cells add up to the total.
    for (const t of r.tables) {
      if (t.cells.every((c) => c.mark === 'shown')) expect([t.id, t.cells.reduce((s, c) => s + c.value!, 0)]).toEqual([t.id, 24]);
    }
    expect(shown(r, 'channel')).toEqual({ telegram: '18', whatsapp: '6' });
    expect(shown(r, 'language')).toEqual({ kk: '6', ru: '12', en: '6' });
    expect(buildReport(facts, { ...options, from: '2025-01-01', to: '2026-12-31' }).total).toBe(26);
  });

  it('the HTML has SVG charts and no script, no external resource, no case code, id, content or identity', async () => {
    const r = buildReport(await readAllFacts(redis, 'Asia/Almaty'), options);
    const html = await renderReport(r, 'html');
    const md = await renderReport(r, 'md');
    const csv = await renderReport(r, 'csv');

    const charts = [...html.matchAll(/<figure class="chart" data-table="([a-z-]+)"><svg [^>]*role="img"/g)].map((m) => m[1]);
    expect(charts).toEqual(['month', 'category', 'channel', 'language', 'outcome']);
    expect(html.match(/<svg[\s\S]*?<\/svg>/g)).toHaveLength(5);
    expect(html).toMatch(/<path [^>]*d="M[^"]+"/); // bars were drawn
    expect(html).not.toMatch(/<script|\bsrc=|href="http|@import|url\(http/i);

    for (const text of [html, md, csv]) {
      for (const c of cases) {
        for (const secret of [c.code, c.id, c.text, c.reporterKey, c.address]) expect(text).not.toContain(secret);
      }
      expect(text).not.toContain('answer text');
    }
    expect(md).toContain('| Telegram | 18 | 75% |');
    expect(csv.split('\n')[0]).toBe('table,label,reports,share');
    expect(csv).toContain('channel,WhatsApp,6,25%');
  });
});
