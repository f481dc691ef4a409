// The report as Markdown tables, for the annual report's text.
import type { Report, Table } from './build.js';
import { figures, longDate, notes } from './summary.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

function tableMd(t: Table, r: Report): string {
  const head = `## ${t.title}\n\n`;
  if (t.withheld) return `${head}Not published: too few reports to show this breakdown without singling anyone out.\n`;
  const rows = t.cells.map((c) => `| ${cell(c.label)} | ${c.shown} | ${c.share} |`);
  return `${head}| | Reports | Share |\n| --- | ---: | ---: |\n${rows.join('\n')}\n| **Total** | **${r.totalShown}** | |\n`;
}

export function renderMarkdown(r: Report): string {
  const parts = [
    '# Trustline: annual monitoring report',
    `Period: ${longDate(r.from)} – ${longDate(r.to)}.`,
    `| Figure | Value |\n| --- | ---: |\n${figures(r).map((f) => `| ${cell(f.label)} | ${cell(f.value)} |`).join('\n')}`,
    ...r.tables.map((t) => tableMd(t, r).trimEnd()),
    `### Notes\n\n${notes(r).map((n) => `- ${n}`).join('\n')}`,
  ];
  return `${parts.join('\n\n')}\n`;
}
