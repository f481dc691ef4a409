// The report's headline figures, formatted once for every output format.
import { tableOf, type Median, type Report } from './build.js';

export interface Figure {
  label: string;
  value: string;
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 2026-01-01 -> "1 January 2026" */
export function longDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return `${d} ${monthNames[m - 1]} ${y}`;
}

function duration(m: Median, minCell: number): string {
  if (m.hours === undefined) return m.cases === 0 ? 'no data' : `not shown (fewer than ${minCell} cases)`;
  const value = m.hours < 48 ? `${m.hours} h` : `${Math.round((m.hours / 24) * 10) / 10} days`;
  return `${value} (over ${m.cases} cases)`;
}

export function figures(r: Report): Figure[] {
  const urgent = tableOf(r, 'urgent').cells.find((c) => c.key === 'urgent');
  const late = tableOf(r, 'first-answer').cells.find((c) => c.key === 'late');
  const withShare = (c: { shown: string; share: string } | undefined) => (c ? (c.share ? `${c.shown} (${c.share})` : c.shown) : '0');
  return [
    { label: 'Reports received', value: r.totalShown },
    { label: 'Urgent reports', value: withShare(urgent) },
    { label: 'Median time to first answer', value: duration(r.medianFirstAnswer, r.minCell) },
    { label: 'Median time to closing', value: duration(r.medianClose, r.minCell) },
    { label: `SLA breaches (first answer later than ${r.firstAnswerSlaHours} h)`, value: withShare(late) },
  ];
}

export function notes(r: Report): string[] {
  return [
    `"<${r.minCell}": between 1 and ${r.minCell - 1} reports, not shown exactly so that no one can be singled out.`,
    `"x": withheld so that a "<${r.minCell}" figure cannot be worked out from the total and the other figures.`,
    'A table marked "not published" has too few reports to show any breakdown safely.',
    `Reports are counted in the month they arrived (${r.timeZone} time), including reports whose content has since been destroyed under the retention policy.`,
    'These figures hold no report content, case code or reporter identity.',
  ];
}
