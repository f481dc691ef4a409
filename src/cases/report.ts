// The structured report: what the questions gathered, as the encrypted case log keeps
// it, and how it reads on a phone (the reporter's review, the staff chat's post).
import type { Lang } from '../shared/index.js';
import { hasMessage, t, type CatalogId } from '../i18n/index.js';
import { joinMarked, plain, words, type Marked, type Segment } from './marked.js';

export interface Report {
  v: 1;
  /** false for an urgent report sent before the questions were finished */
  complete: boolean;
  urgent: boolean;
  /** option values; `when` and `where` may be the reporter's own words */
  category?: string;
  subcategory?: string;
  /** whether it is about someone at the hotline or the counselling service itself: yes, no, unsure */
  aboutStaff?: string;
  affected?: string;
  when?: string;
  where?: string;
  ongoing?: string;
  account: string[];
  /** anything else the reporter wrote during the questions */
  notes: string[];
  /** name/contact the reporter chose to share; absent means anonymous */
  contact?: string;
  evidence: number;
  /** for a report sent before the questions were finished: the questions not answered yet */
  unanswered?: string[];
}

/**
 * The category as plain monitoring metadata on the case: the policy's category, with
 * its kind where asked ("harassment.sexual"). Only option values, never free text.
 */
export function categoryOf(answers: Readonly<Record<string, string>>): string | undefined {
  const category = answers.category;
  if (category === undefined) return undefined;
  const kind = category === 'discrimination' || category === 'harassment' ? answers[category] : undefined;
  return kind ? `${category}.${kind}` : category;
}

/** An option's label, or the reporter's own words for a free answer. */
export function answerLabel(lang: Lang, step: string, value: string): string {
  const id = `opt-${step}-${value}` as CatalogId;
  return hasMessage(lang, id) ? t(lang, id) : value;
}

/** The name of a question as the report's field lines show it ("When", "Contact"). */
export function questionLabel(lang: Lang, step: string): string {
  const field = step === 'discrimination' || step === 'harassment' ? 'category' : step === 'contact-details' ? 'contact' : step;
  return t(lang, `field-${field}` as CatalogId);
}

/** An answer as the report's field line shows it: "Harassment (online)", "anonymous", the reporter's words. */
export function answerText(lang: Lang, step: string, value: string): string {
  if (step === 'discrimination' || step === 'harassment') return `${answerLabel(lang, 'category', step)} (${answerLabel(lang, step, value)})`;
  if (step === 'contact' && value === 'anonymous') return t(lang, 'summary-anonymous');
  return answerLabel(lang, step, value);
}

/** Whether a stored answer is the reporter's own words rather than one of the options. */
export function isOwnWords(lang: Lang, step: string, value: string): boolean {
  return step === 'contact-details' || !hasMessage(lang, `opt-${step}-${value}`);
}

/** An answer for a field line: an option's label, or the reporter's words marked as theirs. */
export function answerMarked(lang: Lang, step: string, value: string): Segment {
  return isOwnWords(lang, step, value) && step !== 'discrimination' && step !== 'harassment' && step !== 'contact'
    ? words(value)
    : answerText(lang, step, value);
}

/** Field lines, then the account and anything else written, for a phone screen. */
export function formatReport(report: Report, lang: Lang): string {
  return plain(reportMarked(report, lang));
}

/** The report with the reporter's own words marked (the staff post quotes them). */
export function reportMarked(report: Report, lang: Lang): Marked {
  const none = t(lang, 'summary-none');
  const field = (id: CatalogId, value: Segment | undefined): Marked => [`${t(lang, id)}: `, value ?? none];
  const label = (step: string, value: string | undefined) => (value === undefined ? undefined : answerMarked(lang, step, value));
  let category: string | undefined = report.category === undefined ? undefined : answerLabel(lang, 'category', report.category);
  if (category !== undefined && report.subcategory !== undefined && report.category !== undefined) {
    category += ` (${answerLabel(lang, report.category, report.subcategory)})`;
  }
  const lines: Marked[] = [
    field('field-category', category),
    // Asked since issue 15; older reports have no answer, and show no line for it.
    ...(report.aboutStaff !== undefined ? [field('field-about-staff', label('about-staff', report.aboutStaff))] : []),
    field('field-affected', label('affected', report.affected)),
    field('field-when', label('when', report.when)),
    field('field-where', label('where', report.where)),
    field('field-ongoing', label('ongoing', report.ongoing)),
    field('field-contact', report.contact !== undefined ? words(report.contact) : t(lang, 'summary-anonymous')),
    field('field-evidence', t(lang, 'field-evidence-count', { count: report.evidence })),
  ];
  const parts: Marked[] = [joinMarked(lines, '\n')];
  if (report.account.length) parts.push([`${t(lang, 'field-account')}:\n`, words(report.account.join('\n\n'))]);
  if (report.notes.length) parts.push([`${t(lang, 'field-notes')}:\n`, words(report.notes.map((n) => `• ${n}`).join('\n'))]);
  return joinMarked(parts, '\n\n');
}
