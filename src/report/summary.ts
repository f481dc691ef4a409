// The report's headline figures, formatted once for every output format.
import { tableOf, type Median, type Report } from './build.js';
import { longDate, wordsOf, type Words } from './words.js';

export interface Figure {
  label: string;
  value: string;
}

function duration(m: Median, minCell: number, w: Words): string {
  if ('hidden' in m) return w('report-median-hidden');
  if (m.hours === undefined) return m.cases === 0 ? w('report-no-data') : w('report-too-few', { min: minCell });
  const value = m.hours < 48 ? w('report-hours', { value: m.hours }) : w('report-days', { value: Math.round((m.hours / 24) * 10) / 10 });
  return w('report-over-cases', { value, cases: m.cases });
}

export function figures(r: Report): Figure[] {
  const w = wordsOf(r.lang);
  const urgent = tableOf(r, 'urgent').cells.find((c) => c.key === 'urgent');
  const late = tableOf(r, 'first-answer').cells.find((c) => c.key === 'late');
  const withShare = (c: { shown: string; share: string } | undefined) => (c ? (c.share ? `${c.shown} (${c.share})` : c.shown) : '0');
  return [
    { label: w('report-figure-received'), value: r.totalShown },
    { label: w('report-figure-urgent'), value: withShare(urgent) },
    { label: w('report-figure-first-answer'), value: duration(r.medianFirstAnswer, r.minCell, w) },
    { label: w('report-figure-closing'), value: duration(r.medianClose, r.minCell, w) },
    { label: w('report-figure-breaches', { hours: r.firstAnswerSlaHours }), value: withShare(late) },
  ];
}

export function notes(r: Report): string[] {
  const w = wordsOf(r.lang);
  return [
    w('report-note-small', { min: r.minCell, max: r.minCell - 1 }),
    w('report-note-x', { min: r.minCell }),
    w('report-note-withheld'),
    w('report-note-months', { zone: r.timeZone }),
    w('report-note-private'),
  ];
}

/** "Period: 1 January 2026 – 31 December 2026." in the report's language */
export function periodLine(r: Report): string {
  return wordsOf(r.lang)('report-period', { from: longDate(r.from, r.lang), to: longDate(r.to, r.lang) });
}
