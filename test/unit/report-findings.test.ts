// What staff established (/record) in the annual report: the verified category counts
// instead of the reporter's, breaches, measures (several per case) and outcomes are
// tables of their own, small counts hidden as everywhere else, and a shredded case keeps
// its findings as statistics.
import { describe, expect, it } from 'vitest';
import { buildReport, tableOf } from '../../src/report/build.js';
import { factsOfCase, factsOfStats, statsRecordOf, type CaseFacts } from '../../src/store/case-stats.js';

const created = String(Date.UTC(2026, 2, 10, 6));
const facts = (fields: Record<string, string>): CaseFacts =>
  factsOfCase({ createdAt: created, status: 'closed', channel: 'telegram', lang: 'ru', ...fields }, 'Asia/Almaty')!;
const cells = (report: ReturnType<typeof buildReport>, id: Parameters<typeof tableOf>[1]) =>
  Object.fromEntries(tableOf(report, id).cells.map((c) => [c.key, c.shown]));
const year = { from: '2026-01-01', to: '2026-12-31', minCell: 5, firstAnswerSlaHours: 24 };

describe('the findings in the annual report', () => {
  it('counts the category staff verified instead of the one the reporter chose', () => {
    expect(facts({ category: 'bullying', vcategory: 'harassment.verbal' }).category).toBe('harassment.verbal');
    expect(facts({ category: 'bullying' }).category).toBe('bullying');
  });

  it('reads only catalog words: anything else counts as unrecognised, never published as written', () => {
    const f = facts({ breach: 'Yes, by Prof. X', measures: 'mediation,<b>', result: 'resolved' });
    expect(f).toMatchObject({ breach: 'unrecognised', measures: ['mediation', 'unrecognised'], result: 'resolved' });
  });

  it('has tables of breaches, measures (a case in each of its measures) and outcomes, with small counts hidden', () => {
    const all = [
      ...Array.from({ length: 12 }, () => facts({ breach: 'yes', measures: 'mediation,disciplinary', result: 'substantiated' })),
      ...Array.from({ length: 8 }, () => facts({ breach: 'no', measures: 'advice', result: 'not-substantiated' })),
      ...Array.from({ length: 2 }, () => facts({ breach: 'undetermined', measures: 'counselling', result: 'no-contact' })),
      ...Array.from({ length: 6 }, () => facts({})),
    ];
    const report = buildReport(all, year);
    expect(cells(report, 'breach')).toMatchObject({ yes: '12', no: '8', undetermined: '<5', 'not-recorded': 'x' });
    expect(cells(report, 'measures')).toMatchObject({ mediation: '12', disciplinary: '12', advice: '8', counselling: '<5' });
    expect(cells(report, 'result')).toMatchObject({ substantiated: '12', 'not-substantiated': '8', 'no-contact': '<5' });
    expect(tableOf(report, 'breach').cells.find((c) => c.key === 'yes')?.label).toBe('Yes');
  });

  it('keeps the findings of a shredded case in its statistics', () => {
    const f = facts({ vcategory: 'harassment.sexual', breach: 'yes', measures: 'interim-protection,disciplinary', result: 'substantiated' });
    expect(factsOfStats(statsRecordOf(f))).toEqual(f);
  });
});
