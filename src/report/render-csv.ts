// The report as one CSV: a row per published figure, for spreadsheets.
import { stringify } from 'csv-stringify/sync';
import type { Report } from './build.js';
import { figures } from './summary.js';
import { wordsOf } from './words.js';

/** The first column and the header stay machine words (table ids); labels are in the report's language. */
export function renderCsv(r: Report): string {
  const w = wordsOf(r.lang);
  const rows: string[][] = [['table', 'label', 'reports', 'share']];
  rows.push(['period', `${r.from} to ${r.to}`, '', '']);
  for (const f of figures(r)) rows.push(['summary', f.label, f.value, '']);
  for (const t of r.tables) {
    if (t.withheld) {
      rows.push([t.id, w('report-withheld-short'), '', '']);
      continue;
    }
    for (const c of t.cells) rows.push([t.id, c.label, c.shown, c.share]);
    rows.push([t.id, w('report-total'), r.totalShown, '']);
  }
  return stringify(rows);
}
