// No published figure of the annual report can be combined with the others to recover a
// suppressed cell: fast-check builds random small years of cases, the real report is
// built and rendered, and for every hidden cell a brute force lists the values a reader
// could still believe, given the table's shown cells and total, what "<5" and "x" mean,
// and what the medians publish (their case counts, or "fewer than 5", or "no data",
// each a constraint on the cells their cases are counted in). At least two must remain,
// the truth among them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReport, tableOf, type Median, type Report, type Table } from '../../src/report/build.js';
import { renderMarkdown } from '../../src/report/render-md.js';
import type { CaseFacts } from '../../src/store/case-stats.js';

const MIN = 5;
const HOUR = 3600_000;

const fact: fc.Arbitrary<CaseFacts> = fc
  .record({
    month: fc.integer({ min: 1, max: 3 }),
    channel: fc.constantFrom('telegram', 'whatsapp'),
    lang: fc.constantFrom('kk', 'ru', 'en'),
    category: fc.constantFrom('bullying', 'harassment.verbal', 'mobbing'),
    urgent: fc.boolean(),
    outcome: fc.constantFrom<CaseFacts['outcome']>('measures-taken', 'closed-without-measures', 'withdrawn', 'open'),
    answered: fc.constantFrom('within', 'late', 'none'),
    closedToo: fc.boolean(),
  })
  .map((r): CaseFacts => {
    const closed = r.outcome === 'withdrawn' || r.outcome === 'closed-without-measures' || (r.outcome === 'measures-taken' && r.closedToo);
    return {
      day: `2026-0${r.month}-15`,
      channel: r.channel,
      lang: r.lang,
      category: r.category,
      urgent: r.urgent,
      status: closed ? (r.outcome === 'withdrawn' ? 'withdrawn' : 'closed') : r.outcome === 'measures-taken' ? 'measures-taken' : 'new',
      outcome: r.outcome,
      ...(r.answered === 'none' ? {} : { firstAnswerMs: (r.answered === 'within' ? 2 : 30) * HOUR }),
      ...(closed ? { closeMs: 100 * HOUR } : {}),
    };
  });

/** What a reader learns of `sum of cells in keys` from a median: an exact count or a range, or nothing. */
function medianBound(m: Median): [number, number] | undefined {
  if ('hidden' in m) return undefined;
  if (m.hours !== undefined) return [m.cases, m.cases];
  return m.cases === 0 ? [0, 0] : [1, MIN - 1];
}

/** Every assignment of the table's hidden cells the reader cannot rule out. */
function consistent(t: Table, total: number, extra: (values: Map<string, number>) => boolean): Map<string, number>[] {
  const shown = new Map(t.cells.filter((c) => c.mark === 'shown').map((c) => [c.key, c.value!]));
  const hidden = t.cells.filter((c) => c.mark !== 'shown');
  const rest = total - [...shown.values()].reduce((a, b) => a + b, 0);
  const out: Map<string, number>[] = [];
  const walk = (i: number, left: number, acc: Map<string, number>) => {
    if (i === hidden.length) {
      if (left === 0 && extra(new Map([...shown, ...acc]))) out.push(new Map(acc));
      return;
    }
    const c = hidden[i]!;
    const options = t.withheld
      ? Array.from({ length: left + 1 }, (_, v) => v)
      : c.mark === 'small'
        ? [1, 2, 3, 4]
        : [0, ...Array.from({ length: Math.max(0, left - MIN + 1) }, (_, v) => v + MIN)];
    for (const v of options) if (v <= left) walk(i + 1, left - v, new Map(acc).set(c.key, v));
  };
  walk(0, rest, new Map());
  return out;
}

/** The true counts, recomputed from the facts, for checking that the truth survives. */
function truth(facts: CaseFacts[], id: 'outcome' | 'first-answer', key: string): number {
  return facts.filter((f) =>
    id === 'outcome'
      ? f.outcome === key
      : key === 'none'
        ? f.firstAnswerMs === undefined
        : key === 'within'
          ? (f.firstAnswerMs ?? Infinity) <= 24 * HOUR
          : (f.firstAnswerMs ?? 0) > 24 * HOUR,
  ).length;
}

function leaks(report: Report, facts: CaseFacts[]): string[] {
  const problems: string[] = [];
  const total = report.total;
  if (total < MIN) return report.totalShown === String(total) && total > 0 ? ['a total below the threshold is shown'] : [];
  const fa = medianBound(report.medianFirstAnswer);
  const close = medianBound(report.medianClose);
  const sum = (v: Map<string, number>, keys: string[]) => keys.reduce((a, k) => a + (v.get(k) ?? 0), 0);
  const constraints: Record<string, (v: Map<string, number>) => boolean> = {
    'first-answer': (v) => !fa || (sum(v, ['within', 'late']) >= fa[0] && sum(v, ['within', 'late']) <= fa[1]),
    // closed cases: all withdrawn and closed-without-measures ones, some with measures
    outcome: (v) =>
      !close ||
      (sum(v, ['withdrawn', 'closed-without-measures']) <= close[1] && sum(v, ['withdrawn', 'closed-without-measures', 'measures-taken']) >= close[0]),
  };
  for (const t of report.tables) {
    if (!t.cells.some((c) => c.mark === 'small')) continue;
    const worlds = consistent(t, total, constraints[t.id] ?? (() => true));
    for (const c of t.cells.filter((x) => x.mark === 'small')) {
      const possible = new Set(worlds.map((w) => w.get(c.key)));
      if (possible.size < 2) problems.push(`${t.id}/${c.key}: only ${[...possible].join(',')} possible`);
      if ((t.id === 'outcome' || t.id === 'first-answer') && !possible.has(truth(facts, t.id, c.key)))
        problems.push(`${t.id}/${c.key}: the truth was ruled out`);
    }
  }
  return problems;
}

describe('the annual report leaks no suppressed cell', () => {
  it('holds for random small years: cells, totals, shares and medians together', () => {
    fc.assert(
      fc.property(fc.array(fact, { minLength: 0, maxLength: 16 }), (facts) => {
        const report = buildReport(facts, { from: '2026-01-01', to: '2026-03-31', minCell: MIN, firstAnswerSlaHours: 24 });
        expect(leaks(report, facts)).toEqual([]);
        // what is rendered says no more than the model: no hidden count appears
        const md = renderMarkdown(report);
        for (const t of report.tables) for (const c of t.cells) if (c.mark !== 'shown') expect(c.value).toBeUndefined();
        expect(md).toContain(report.totalShown);
      }),
      { numRuns: 2_000, seed: 20261207 },
    );
  });

  it('would catch a median published beside a hidden cell (the check can fail)', () => {
    // 6 answered in time, 2 late: "late" is hidden; a median "over 8 cases" would give it away.
    const facts: CaseFacts[] = Array.from({ length: 10 }, (_, i) => ({
      day: '2026-01-15',
      channel: 'telegram',
      lang: 'ru',
      status: 'new',
      outcome: 'open',
      ...(i < 6 ? { firstAnswerMs: 2 * HOUR } : i < 8 ? { firstAnswerMs: 30 * HOUR } : {}),
    }));
    const report = buildReport(facts, { from: '2026-01-01', to: '2026-03-31', minCell: MIN, firstAnswerSlaHours: 24 });
    expect(tableOf(report, 'first-answer').cells.find((c) => c.key === 'late')!.mark).not.toBe('shown');
    expect(report.medianFirstAnswer).toEqual({ hidden: true });
    expect(leaks(report, facts)).toEqual([]);
    const leaky: Report = { ...report, medianFirstAnswer: { cases: 8, hours: 2 } };
    expect(leaks(leaky, facts).some((p) => p.startsWith('first-answer/late') || p.startsWith('first-answer/none'))).toBe(true);
  });
});
