// Consultations in the annual report: counted apart from reports, with the consultations
// their reporters turned into reports, small counts hidden as everywhere else; a shredded
// case keeps what it was.
import { describe, expect, it } from 'vitest';
import { buildReport, tableOf } from '../../src/report/build.js';
import { factsOfCase, factsOfStats, statsRecordOf, type CaseFacts } from '../../src/store/case-stats.js';

const created = String(Date.UTC(2026, 4, 10, 6));
const facts = (fields: Record<string, string>): CaseFacts =>
  factsOfCase({ createdAt: created, status: 'closed', channel: 'whatsapp', lang: 'kk', ...fields }, 'Asia/Almaty')!;
const year = { from: '2026-01-01', to: '2026-12-31', minCell: 5, firstAnswerSlaHours: 24 };
const shown = (all: CaseFacts[], lang?: 'ru') =>
  Object.fromEntries(tableOf(buildReport(all, { ...year, ...(lang ? { lang } : {}) }), 'kind').cells.map((c) => [c.key, c.shown]));

describe('consultations in the annual report', () => {
  it('counts reports, consultations and the consultations that became reports apart', () => {
    const all = [
      ...Array.from({ length: 9 }, () => facts({})),
      ...Array.from({ length: 7 }, () => facts({ kind: 'consultation' })),
      ...Array.from({ length: 6 }, () => facts({ kind: 'report', convertedAt: String(Number(created) + 86_400_000) })),
    ];
    expect(shown(all)).toEqual({ report: '9', converted: '6', consultation: '7' });
    expect(tableOf(buildReport(all, { ...year, lang: 'ru' }), 'kind').cells.map((c) => c.label)).toEqual([
      'Обращения',
      'Консультации, ставшие обращениями',
      'Консультации (вопрос консультанту, без жалобы)',
    ]);
  });

  it('hides a small count, and a second cell so it cannot be worked out from the total', () => {
    const all = [
      ...Array.from({ length: 12 }, () => facts({})),
      ...Array.from({ length: 8 }, () => facts({ kind: 'consultation' })),
      facts({ kind: 'report', convertedAt: created }),
    ];
    const cells = shown(all);
    expect(cells.converted).toBe('<5');
    expect([cells.report, cells.consultation].filter((x) => x === 'x')).toHaveLength(1);
  });

  it('keeps what a shredded case was in its statistics; a case from before consultations is a report', () => {
    for (const f of [facts({ kind: 'consultation' }), facts({ convertedAt: created, kind: 'report' }), facts({})])
      expect(factsOfStats(statsRecordOf(f))).toEqual(f);
    expect(facts({}).kind).toBeUndefined();
  });
});
