// The annual monitoring report as data: tables of counts over the cases of a period,
// already suppressed, and the summary figures. Pure: facts in, report out; the
// renderers (Markdown, CSV, HTML) only format what is here, so nothing they print
// can be more revealing than this model.
import { type Breach, breachValues, type FindingOutcome, type Measure, measureValues, outcomeValues } from '../cases/index.js';
import { type CaseFactKind, caseFactKinds, type CaseFacts, type Outcome, UNRECOGNISED } from '../store/index.js';
import { isLang, type Lang } from '../shared/index.js';
import { suppressTable, type Suppression } from './suppress.js';
import { categoryName, monthName, wordsOf } from './words.js';

export interface ReportOptions {
  /** first and last day of the period, YYYY-MM-DD, inclusive */
  from: string;
  to: string;
  /** cells below this are suppressed */
  minCell: number;
  /** a first answer later than this is an SLA breach */
  firstAnswerSlaHours: number;
  /** the zone days and months are counted in (said in the notes) */
  timeZone?: string;
  /** the language of every title, label and note (English when not given) */
  lang?: Lang;
}

export interface Cell {
  key: string;
  label: string;
  /** the count, only for a cell that is published: a hidden count never leaves buildReport */
  value?: number;
  /** what is published: the count, "<5", "x" */
  shown: string;
  mark: Suppression;
  /** share of the period's cases, e.g. "12%", or "" when the cell is hidden */
  share: string;
}

export type TableId = 'kind' | 'month' | 'category' | 'channel' | 'language' | 'outcome' | 'breach' | 'measures' | 'result' | 'urgent' | 'first-answer';

export interface Table {
  id: TableId;
  title: string;
  cells: Cell[];
  /** no cell of this table is published (too few cases to protect them) */
  withheld: boolean;
}

/**
 * A median and how many cases it is taken over, or `hidden` when a cell those cases are
 * counted in is hidden: its count (or "fewer than 5", or "no data") would let a reader
 * subtract the hidden cell out of the shown ones.
 */
export type Median =
  | {
      /** how many cases the median is taken over */
      cases: number;
      /** undefined when fewer cases than the threshold */
      hours?: number;
    }
  | { hidden: true };

export interface Report {
  lang: Lang;
  from: string;
  to: string;
  minCell: number;
  firstAnswerSlaHours: number;
  timeZone: string;
  /** cases in the period; `totalShown` is "<5" when below the threshold */
  total: number;
  totalShown: string;
  tables: Table[];
  medianFirstAnswer: Median;
  medianClose: Median;
}

const channelLabels: Record<string, string> = { telegram: 'Telegram', whatsapp: 'WhatsApp' };
const NOT_RECORDED = 'not-recorded';

/** Each month the period touches, as YYYY-MM. */
function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const ym = `${y}-${String(m).padStart(2, '0')}`;
    out.push(ym);
    if (ym >= last || out.length > 1200) return out;
    m++;
    if (m > 12) [y, m] = [y + 1, 1];
  }
}

const HOUR_MS = 3600_000;

function median(values: number[], minCell: number): Median {
  if (values.length < minCell) return { cases: values.length };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const ms = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { cases: values.length, hours: Math.round((ms / HOUR_MS) * 10) / 10 };
}

export function buildReport(all: readonly CaseFacts[], o: ReportOptions): Report {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.from) || !/^\d{4}-\d{2}-\d{2}$/.test(o.to) || o.from > o.to) {
    throw new RangeError('the period must be two dates YYYY-MM-DD, the first not after the second');
  }
  const facts = all.filter((f) => f.day >= o.from && f.day <= o.to);
  const total = facts.length;
  const tooFew = total < o.minCell;
  const slaMs = o.firstAnswerSlaHours * HOUR_MS;

  /**
   * A table over `keys` (fixed order: sorting by count would leak the order of hidden
   * cells). A case counts once in each of its keys: the measures of one case are several.
   */
  const table = (id: TableId, title: string, keys: string[], keyOf: (f: CaseFacts) => string | string[], label: (k: string) => string): Table => {
    const counts = new Map(keys.map((k) => [k, 0]));
    for (const f of facts) {
      for (const k of [keyOf(f)].flat()) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const entries = [...counts];
    const values = entries.map(([, n]) => n);
    // With fewer cases than the threshold in the whole period, no breakdown is safe.
    const { marks, withheld } = tooFew ? { marks: values.map((): Suppression => 'complementary'), withheld: total > 0 } : suppressTable(values, o.minCell);
    const cells = entries.map(([key, count], i): Cell => {
      const mark = marks[i]!;
      const shown = mark === 'shown' ? String(count) : mark === 'small' ? `<${o.minCell}` : 'x';
      const share = mark === 'shown' && total > 0 ? `${Math.round((100 * count) / total)}%` : '';
      return { key, label: label(key), ...(mark === 'shown' ? { value: count } : {}), shown, mark, share };
    });
    return { id, title, cells, withheld };
  };

  const present = (keyOf: (f: CaseFacts) => string | undefined) => [...new Set(facts.map(keyOf).filter((k): k is string => k !== undefined))];
  const categories = present((f) => f.category)
    .filter((c) => c !== UNRECOGNISED)
    .sort();
  const withExtras = (base: string[], keyOf: (f: CaseFacts) => string) => [
    ...base,
    ...present(keyOf)
      .filter((k) => !base.includes(k))
      .sort(),
  ];

  const firstAnswer = (f: CaseFacts) => (f.firstAnswerMs === undefined ? 'none' : f.firstAnswerMs <= slaMs ? 'within' : 'late');

  const lang = o.lang ?? 'en';
  const w = wordsOf(lang);
  const label = (k: string) => (k === NOT_RECORDED ? w('report-not-recorded') : k === UNRECOGNISED ? w('report-unrecognised') : categoryName(k, lang));
  /** A table of what staff recorded: the catalog's words, then the unrecognised and the not recorded. */
  const findingTable = (
    id: 'breach' | 'measures' | 'result',
    values: readonly string[],
    keyOf: (f: CaseFacts) => string | string[] | undefined,
    word: (k: string) => string,
  ): Table =>
    table(
      id,
      w(`report-table-${id}`),
      [...values, UNRECOGNISED, NOT_RECORDED],
      (f) => keyOf(f) ?? NOT_RECORDED,
      (k) => (values.includes(k) ? word(k) : label(k)),
    );
  const tables: Table[] = [
    // Reports and consultations (questions to a counsellor before any complaint), and the consultations that became reports.
    table(
      'kind',
      w('report-table-kind'),
      [...caseFactKinds],
      (f) => f.kind ?? 'report',
      (k) => w(`report-kind-${k as CaseFactKind}`),
    ),
    table(
      'month',
      w('report-table-month'),
      monthsOf(o.from, o.to),
      (f) => f.day.slice(0, 7),
      (k) => capitalised(monthName(k, lang), lang),
    ),
    table(
      'category',
      w('report-table-category'),
      [...categories, UNRECOGNISED, NOT_RECORDED].filter((k, i, a) => a.indexOf(k) === i),
      (f) => f.category ?? NOT_RECORDED,
      label,
    ),
    table(
      'channel',
      w('report-table-channel'),
      withExtras(['telegram', 'whatsapp'], (f) => f.channel),
      (f) => f.channel,
      (k) => channelLabels[k] ?? label(k),
    ),
    table(
      'language',
      w('report-table-language'),
      withExtras(['kk', 'ru', 'en'], (f) => f.lang),
      (f) => f.lang,
      (k) => (isLang(k) ? w(`report-lang-${k}`) : label(k)),
    ),
    table(
      'outcome',
      w('report-table-outcome'),
      ['measures-taken', 'closed-without-measures', 'withdrawn', 'open'],
      (f) => f.outcome,
      (k) => w(`report-outcome-${k as Outcome}`),
    ),
    // What staff established (/record), where they recorded it.
    findingTable(
      'breach',
      breachValues,
      (f) => f.breach,
      (k) => w(`report-breach-${k as Breach}`),
    ),
    findingTable(
      'measures',
      measureValues,
      (f) => f.measures,
      (k) => w(`report-measure-${k as Measure}`),
    ),
    findingTable(
      'result',
      outcomeValues,
      (f) => f.result,
      (k) => w(`report-result-${k as FindingOutcome}`),
    ),
    table(
      'urgent',
      w('report-table-urgent'),
      ['urgent', 'not-urgent', NOT_RECORDED],
      (f) => (f.urgent === undefined ? NOT_RECORDED : f.urgent ? 'urgent' : 'not-urgent'),
      (k) => (k === NOT_RECORDED ? label(k) : w(`report-urgent-${k as 'urgent' | 'not-urgent'}`)),
    ),
    table('first-answer', w('report-table-first-answer', { hours: o.firstAnswerSlaHours }), ['within', 'late', 'none'], firstAnswer, (k) =>
      w(`report-answer-${k as ReturnType<typeof firstAnswer>}`),
    ),
  ];
  // Drop the "unrecognised"/"not recorded" rows nobody is in, so the tables stay short;
  // their zeros would reveal nothing either way.
  for (const t of tables) {
    t.cells = t.cells.filter((c) => c.value !== 0 || ![UNRECOGNISED, NOT_RECORDED].includes(c.key));
  }

  // The cases a median is taken over are counted in table cells: with any of those
  // hidden, the median (and its count) is hidden with them.
  const anyHidden = (id: TableId, keys: readonly string[]) => {
    const t = tables.find((x) => x.id === id)!;
    return t.withheld || t.cells.some((c) => keys.includes(c.key) && c.mark !== 'shown');
  };
  const answered = facts.flatMap((f) => (f.firstAnswerMs === undefined ? [] : [f.firstAnswerMs]));
  const closed = facts.flatMap((f) => (f.closeMs === undefined ? [] : [f.closeMs]));
  const hidden = { hidden: true } as const;

  return {
    lang,
    from: o.from,
    to: o.to,
    minCell: o.minCell,
    firstAnswerSlaHours: o.firstAnswerSlaHours,
    timeZone: o.timeZone ?? 'Asia/Almaty',
    total,
    totalShown: tooFew && total > 0 ? `<${o.minCell}` : String(total),
    tables,
    // answered = within + late
    medianFirstAnswer: anyHidden('first-answer', ['within', 'late']) ? hidden : median(answered, o.minCell),
    // closed cases: every withdrawn and closed-without-measures one, and some with measures
    medianClose: anyHidden('outcome', ['withdrawn', 'closed-without-measures', 'measures-taken']) ? hidden : median(closed, o.minCell),
  };
}

const capitalised = (s: string, lang: Lang) => s.charAt(0).toLocaleUpperCase(lang) + s.slice(1);

/** The table of the report with this id. */
export function tableOf(report: Report, id: TableId): Table {
  return report.tables.find((t) => t.id === id)!;
}
