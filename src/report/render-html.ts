// The report as one self-contained HTML page: inline CSS and inline SVG charts, no
// script and no external resource, so it opens in any browser, offline, and can be
// published as it is.
import type { Report, Table } from './build.js';
import { barChartSvg, escapeHtml as h } from './charts.js';
import { figures, notes, periodLine } from './summary.js';
import { longDate, wordsOf } from './words.js';

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; color: #222; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2.5rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { padding: .25rem .75rem; border-bottom: 1px solid #ddd; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; border-top: 2px solid #999; }
figure { margin: 0; } svg { max-width: 100%; height: auto; }
.notes { font-size: .9rem; color: #555; }
`;

/** Charts for the breakdowns a reader looks at as a picture. */
const charted = new Set(['month', 'category', 'channel', 'language', 'outcome']);

async function section(t: Table, r: Report): Promise<string> {
  const w = wordsOf(r.lang);
  const title = `<h2>${h(t.title)}</h2>`;
  if (t.withheld) return `${title}\n<p>${h(w('report-withheld'))}</p>`;
  const rows = t.cells.map((c) => `<tr><td>${h(c.label)}</td><td class="n">${h(c.shown)}</td><td class="n">${h(c.share)}</td></tr>`).join('\n');
  const table =
    `<table><thead><tr><th></th><th>${h(w('report-reports'))}</th><th>${h(w('report-share'))}</th></tr></thead>\n<tbody>\n${rows}\n` +
    `<tr class="total"><td>${h(w('report-total'))}</td><td class="n">${h(r.totalShown)}</td><td></td></tr>\n</tbody></table>`;
  const chart = charted.has(t.id)
    ? `<figure class="chart" data-table="${t.id}">${await barChartSvg(t, w('report-reports').toLocaleLowerCase(r.lang))}</figure>\n`
    : '';
  return `${title}\n${chart}${table}`;
}

export async function renderHtml(r: Report): Promise<string> {
  const w = wordsOf(r.lang);
  const period = `${longDate(r.from, r.lang)} – ${longDate(r.to, r.lang)}`;
  const summary = figures(r)
    .map((f) => `<tr><td>${h(f.label)}</td><td class="n">${h(f.value)}</td></tr>`)
    .join('\n');
  const sections: string[] = [];
  for (const t of r.tables) sections.push(await section(t, r));
  return `<!doctype html>
<html lang="${r.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(w('report-title'))}, ${h(period)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${h(w('report-title'))}</h1>
<p>${h(periodLine(r))}</p>
<table class="summary"><tbody>
${summary}
</tbody></table>
${sections.join('\n')}
<h2>${h(w('report-notes'))}</h2>
<ul class="notes">
${notes(r)
  .map((n) => `<li>${h(n)}</li>`)
  .join('\n')}
</ul>
</body>
</html>
`;
}
