// The intake conversation, step by step. Question and option texts live in the
// catalogs under derived ids (`ask-<step>`, `opt-<step>-<value>`), so this file holds
// only the shape of the conversation: what is asked, in which order, and what an
// answer leads to. docs/intake.md draws it as a diagram; keep the two in step.
import type { Report } from '../cases/index.js';
import { languages, type Lang } from '../shared/index.js';
import type { Conversation } from '../store/index.js';
import { BACK, type Flow, type Step } from './flow.js';

const to = (step: string) => (): string => step;

/** Steps the review offers to change, in the order they were asked. */
export const editableSteps = ['category', 'about-staff', 'affected', 'when', 'where', 'ongoing', 'account', 'evidence', 'contact'] as const;

const steps: Record<string, Step> = {
  language: {
    kind: 'choice',
    options: languages,
    then(value, c) {
      c.lang = value as Lang;
      return c.back !== undefined || c.phase === 'after' ? BACK : 'consent';
    },
  },
  consent: { kind: 'choice', options: ['continue', 'stop'], then: (v) => (v === 'continue' ? 'way' : { do: 'cancel' }) },
  // Three ways in: report, ask a counsellor first (a consultation), or read (/rights).
  way: { kind: 'choice', options: ['report', 'ask', 'read'], then: (v) => (v === 'report' ? 'danger' : v === 'ask' ? 'question' : { do: 'read' }) },
  /** The consultation's one question, in the reporter's words; or they decide to report after all. */
  question: { kind: 'text', options: ['report'], then: (v) => (v === 'report' ? 'danger' : { do: 'consult' }) },
  danger: { kind: 'choice', options: ['yes', 'no'], urgentWhen: 'yes', then: to('category') },
  category: {
    kind: 'choice',
    options: ['discrimination', 'harassment', 'bullying', 'mobbing', 'victimization', 'violence', 'other'],
    clears: ['discrimination', 'harassment'],
    then: (v) => (v === 'discrimination' || v === 'harassment' ? v : 'about-staff'),
  },
  discrimination: {
    kind: 'choice',
    options: ['gender', 'ethnic', 'age', 'disability', 'socioeconomic', 'academic', 'other'],
    then: to('about-staff'),
  },
  harassment: { kind: 'choice', options: ['verbal', 'nonverbal', 'physical', 'sexual', 'online'], then: to('about-staff') },
  // A report about the service's own staff must not reach them unnoticed (issue 15): asked in plain words.
  'about-staff': { kind: 'choice', options: ['yes', 'no', 'unsure'], then: to('affected') },
  affected: { kind: 'choice', options: ['me', 'someone', 'witness'], then: to('when') },
  when: { kind: 'choice', options: ['today', 'week', 'month', 'earlier'], acceptsText: true, then: to('where') },
  where: { kind: 'choice', options: ['campus', 'dormitory', 'online', 'offcampus'], acceptsText: true, then: to('ongoing') },
  ongoing: { kind: 'choice', options: ['yes', 'no', 'unsure'], then: to('account') },
  account: { kind: 'collect', options: ['done'], min: 1, then: to('evidence') },
  evidence: { kind: 'files', options: ['done'], then: to('contact') },
  contact: {
    kind: 'choice',
    options: ['anonymous', 'share'],
    clears: ['contact-details'],
    then: (v) => (v === 'share' ? 'contact-details' : 'review'),
  },
  'contact-details': {
    kind: 'text',
    options: ['anonymous'],
    then(value, c) {
      if (value === 'anonymous') {
        c.answers.contact = 'anonymous';
        delete c.answers['contact-details'];
      }
      return 'review';
    },
  },
  review: {
    kind: 'choice',
    options: ['send', 'edit', 'cancel'],
    then(value, c) {
      if (value === 'send') return { do: 'submit' };
      if (value === 'edit') return 'edit';
      c.back = 'review';
      return 'confirm-cancel';
    },
  },
  edit: {
    kind: 'choice',
    options: [...editableSteps, 'back'],
    then(value, c) {
      delete c.answers.edit;
      if (value === 'back') return 'review';
      // Ask that question again, then come back to the review.
      c.returnTo = 'review';
      delete c.answers[value];
      if (value === 'account') c.account = [];
      return value;
    },
  },
  'confirm-cancel': { kind: 'choice', options: ['yes', 'no'], then: (v) => (v === 'yes' ? { do: 'cancel' } : BACK) },
  'confirm-withdraw': { kind: 'choice', options: ['yes', 'no'], then: (v) => (v === 'yes' ? { do: 'withdraw' } : BACK) },
  'confirm-forget': { kind: 'choice', options: ['yes', 'no'], then: (v) => (v === 'yes' ? { do: 'forget' } : BACK) },
  /**
   * Offered once after a reporter with an open (urgent) case writes instead of answering:
   * the questions are optional from then on.
   */
  'more-questions': { kind: 'choice', options: ['continue', 'stop'], then: (v) => (v === 'continue' ? BACK : { do: 'stop-asking' }) },
  /**
   * Asked once with the receipt, and by /quiet: hours not to be written to (a phone the
   * person reported may see). A typed range ("23:00-07:00") is read by after-report.ts.
   */
  quiet: { kind: 'choice', options: ['night', 'any'], then: () => ({ do: 'quiet' }) },
  /** case code and passphrase, typed in one message */
  resume: { kind: 'text', secret: true, options: ['back'], then: (v) => (v === 'back' ? BACK : { do: 'resume' }) },
};

export const intakeFlow: Flow = { start: 'language', steps };

/** Every category a report can have, as the report stores it: `bullying`, `discrimination`, `discrimination.disability`... */
export function reportCategories(): string[] {
  const kinds = (step: 'discrimination' | 'harassment') => steps[step]!.options.map((kind) => `${step}.${kind}`);
  return [...steps.category!.options, ...kinds('discrimination'), ...kinds('harassment')];
}

/** Answers that confirmations and side questions leave behind are not part of a report. */
export const sideSteps = new Set([
  'review',
  'edit',
  'confirm-cancel',
  'confirm-withdraw',
  'confirm-forget',
  'resume',
  'language',
  'consent',
  'more-questions',
  'quiet',
  'way',
  'question',
]);

/** The report's questions the reporter has not answered yet, in the order they are asked. */
export function unansweredSteps(c: Conversation): string[] {
  return editableSteps.filter((id) => {
    if (id === 'category') {
      const category = c.answers.category;
      return category === undefined || ((category === 'discrimination' || category === 'harassment') && c.answers[category] === undefined);
    }
    if (id === 'account') return c.account.length + (c.relayed ?? 0) === 0 && c.answers.account === undefined;
    if (id === 'evidence') return c.answers.evidence === undefined;
    if (id === 'contact') return c.answers.contact === undefined || (c.answers.contact === 'share' && c.answers['contact-details'] === undefined);
    return c.answers[id] === undefined;
  });
}

/** What the questions gathered, as the case log keeps it. */
export function reportOf(c: Conversation, complete: boolean): Report {
  const a = c.answers;
  const category = a.category;
  const subcategory = category === 'discrimination' || category === 'harassment' ? a[category] : undefined;
  const pick = (k: string) => (a[k] !== undefined ? { [k]: a[k] } : {});
  return {
    v: 1,
    complete,
    urgent: c.urgent,
    ...(category !== undefined ? { category } : {}),
    ...(subcategory !== undefined ? { subcategory } : {}),
    ...(a['about-staff'] !== undefined ? { aboutStaff: a['about-staff'] } : {}),
    ...pick('affected'),
    ...pick('when'),
    ...pick('where'),
    ...pick('ongoing'),
    account: [...c.account],
    notes: [...c.notes],
    ...(a.contact === 'share' && a['contact-details'] !== undefined ? { contact: a['contact-details'] } : {}),
    evidence: c.evidence.length,
    ...(complete ? {} : { unanswered: unansweredSteps(c) }),
  };
}
