// Public surface of the report: build from facts, render in one of three formats.
export { annualReportOf } from './annual.js';
export { buildReport, tableOf, type Report, type ReportOptions, type Table, type Cell } from './build.js';
export { renderReport, reportFormats, type ReportFormat } from './render.js';
export { suppressTable } from './suppress.js';
