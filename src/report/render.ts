// The annual report in one of three formats: Markdown for reading, CSV for a spreadsheet,
// HTML with charts for printing.
import type { Report } from './build.js';
import { renderCsv } from './render-csv.js';
import { renderMarkdown } from './render-md.js';

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
