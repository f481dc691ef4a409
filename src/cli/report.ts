// `trustline report`: the annual monitoring report from the cases in Redis.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { isLang, languages } from '../shared/index.js';
import { buildReport, renderReport, reportFormats, type ReportFormat } from '../report/index.js';
import { readAllFacts } from '../store/index.js';
import { withRedis } from './redis.js';

export const REPORT_USAGE = `Usage:
  trustline report --from 2026-01-01 --to 2026-12-31 [--format md|csv|html] [--lang en|ru|kk] [--out FILE]
  trustline report --year 2026 ...                   the same for a calendar year

--lang is the language of the titles, labels and notes (English by default; in the
staff chat, /report answers in STAFF_LANG).

Counts below REPORT_MIN_CELL (default 5) are shown as "<5", with complementary cells
hidden so that totals cannot reveal them. The output holds no content and no identity.
`;

/** Bad arguments, said in a sentence. */
export class ReportError extends Error {
  override readonly name = 'ReportError';
}

const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

export function reportPeriod(values: { from?: string; to?: string; year?: string }): { from: string; to: string } {
  if (values.year !== undefined) {
    if (!/^\d{4}$/.test(values.year)) throw new ReportError('--year must be a year such as 2026');
    if (values.from !== undefined || values.to !== undefined) throw new ReportError('give either --year or --from/--to, not both');
    return { from: `${values.year}-01-01`, to: `${values.year}-12-31` };
  }
  const { from, to } = values;
  if (from === undefined || to === undefined) throw new ReportError(`--from and --to (or --year) are required\n\n${REPORT_USAGE}`);
  if (!isDay(from) || !isDay(to)) throw new ReportError('--from and --to must be dates written YYYY-MM-DD');
  if (from > to) throw new ReportError('--from must not be after --to');
  return { from, to };
}

export async function reportCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      year: { type: 'string' },
      format: { type: 'string', default: 'md' },
      lang: { type: 'string', default: 'en' },
      out: { type: 'string' },
    },
  });
  const format = values.format as ReportFormat;
  if (!reportFormats.includes(format)) throw new ReportError(`--format must be one of ${reportFormats.join(', ')}`);
  const lang = values.lang;
  if (!isLang(lang)) throw new ReportError(`--lang must be one of ${languages.join(', ')}`);
  const period = reportPeriod(values);
  const config = loadConfig(process.env, []);
  const facts = await withRedis(config, (redis) => readAllFacts(redis, config.timeZone));
  const report = buildReport(facts, {
    ...period,
    minCell: config.report.minCell,
    firstAnswerSlaHours: config.report.firstAnswerSlaHours,
    timeZone: config.timeZone,
    lang,
  });
  const text = await renderReport(report, format);
  if (values.out !== undefined) {
    await writeFile(values.out, text, 'utf8');
    process.stdout.write(`Wrote the ${format} report for ${period.from} to ${period.to} (${report.totalShown} reports) to ${values.out}\n`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}
