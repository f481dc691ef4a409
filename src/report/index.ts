// Public surface of the report: build from facts, render in one of three formats.
import type { Report } from './build.js';
import { renderCsv } from './render-csv.js';
import { renderMarkdown } from './render-md.js';

export { buildReport, tableOf, type Report, type ReportOptions, type Table, type Cell } from './build.js';
export { suppressTable } from './suppress.js';

export const reportFormats = ['md', 'csv', 'html'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export async function renderReport(report: Report, format: ReportFormat): Promise<string> {
  switch (format) {
    case 'md':
      return renderMarkdown(report);
    case 'csv':
      return renderCsv(report);
    case 'html':
      // vega is large; only the HTML format loads it.
      return (await import('./render-html.js')).renderHtml(report);
  }
}
