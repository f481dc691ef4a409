// The report as Markdown tables, for the annual report's text.
import type { Report, Table } from './build.js';
import { figures, notes, periodLine } from './summary.js';
import { wordsOf } from './words.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

function tableMd(t: Table, r: Report): string {
  const w = wordsOf(r.lang);
  const head = `## ${t.title}\n\n`;
  if (t.withheld) return `${head}${w('report-withheld')}\n`;
  const rows = t.cells.map((c) => `| ${cell(c.label)} | ${c.shown} | ${c.share} |`);
  return `${head}| | ${w('report-reports')} | ${w('report-share')} |\n| --- | ---: | ---: |\n${rows.join('\n')}\n| **${w('report-total')}** | **${r.totalShown}** | |\n`;
}

export function renderMarkdown(r: Report): string {
  const w = wordsOf(r.lang);
  const parts = [
    `# ${w('report-title')}`,
    periodLine(r),
    `| ${w('report-figure')} | ${w('report-value')} |\n| --- | ---: |\n${figures(r)
      .map((f) => `| ${cell(f.label)} | ${cell(f.value)} |`)
      .join('\n')}`,
    ...r.tables.map((t) => tableMd(t, r).trimEnd()),
    `### ${w('report-notes')}\n\n${notes(r)
      .map((n) => `- ${n}`)
      .join('\n')}`,
  ];
  return `${parts.join('\n\n')}\n`;
}
