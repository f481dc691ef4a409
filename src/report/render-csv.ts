// The report as one CSV: a row per published figure, for spreadsheets.
import { stringify } from 'csv-stringify/sync';
import type { Report } from './build.js';
import { figures } from './summary.js';

export function renderCsv(r: Report): string {
  const rows: string[][] = [['table', 'label', 'reports', 'share']];
  rows.push(['period', `${r.from} to ${r.to}`, '', '']);
  for (const f of figures(r)) rows.push(['summary', f.label, f.value, '']);
  for (const t of r.tables) {
    if (t.withheld) {
      rows.push([t.id, 'not published (too few reports)', '', '']);
      continue;
    }
    for (const c of t.cells) rows.push([t.id, c.label, c.shown, c.share]);
    rows.push([t.id, 'Total', r.totalShown, '']);
  }
  return stringify(rows);
}
