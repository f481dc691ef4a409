// The annual report as the staff chat hands it to an admin: HTML with charts and the
// CSV tables, from the same builder and suppression as `trustline report`.
import type { Redis } from 'ioredis';
import type { Lang } from '../shared/index.js';
import { readAllFacts } from '../store/index.js';
import { buildReport } from './build.js';
import { renderReport } from './render.js';

export interface AnnualReportOptions {
  redis: Redis;
  timeZone: string;
  minCell: number;
  firstAnswerSlaHours: number;
  /** the staff chat's language */
  lang: Lang;
}

export function annualReportOf(o: AnnualReportOptions) {
  return async (year: number): Promise<{ html: string; csv: string; reports: string }> => {
    const facts = await readAllFacts(o.redis, o.timeZone);
    const report = buildReport(facts, {
      from: `${year}-01-01`,
      to: `${year}-12-31`,
      minCell: o.minCell,
      firstAnswerSlaHours: o.firstAnswerSlaHours,
      timeZone: o.timeZone,
      lang: o.lang,
    });
    return { html: await renderReport(report, 'html'), csv: await renderReport(report, 'csv'), reports: report.totalShown };
  };
}
