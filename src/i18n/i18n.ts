// Message catalogs in Fluent: translators edit plain .ftl text (kept in .ts modules so
// the build needs no asset copying); code only names message ids.
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import { languages, type Lang } from '../shared/index.js';
import dutyEn from './locales/en/staff.js';
import type { DutyMessageId } from './staff-ids.js';
import dutyKk from './locales/kk/staff.js';
import dutyRu from './locales/ru/staff.js';
import en from './locales/en/reporter.js';
import type { ReportMessageId } from './report-ids.js';
import reportEn from './locales/en/report.js';
import reportKk from './locales/kk/report.js';
import reportRu from './locales/ru/report.js';
import kk from './locales/kk/reporter.js';
import ru from './locales/ru/reporter.js';
import intakeEn from './locales/en/intake.js';
import intakeKk from './locales/kk/intake.js';
import intakeRu from './locales/ru/intake.js';
/** The intake conversation's catalogs, loaded into the same bundles as `sources`. */
const intakeSources: Record<Lang, string> = { kk: intakeKk, ru: intakeRu, en: intakeEn };

const sources: Record<Lang, string> = { kk: kk + dutyKk + reportKk, ru: ru + dutyRu + reportRu, en: en + dutyEn + reportEn };

function bundle(lang: Lang): FluentBundle {
  // No bidi isolation marks: Telegram and WhatsApp would show them as stray characters.
  const b = new FluentBundle(lang, { useIsolating: false });
  const errors = [sources[lang], intakeSources[lang]].flatMap((source) => b.addResource(new FluentResource(source)));
  if (errors.length) throw new Error(`Broken ${lang} catalog: ${errors.map((e) => e.message).join('; ')}`);
  return b;
}

const bundles = Object.fromEntries(languages.map((l) => [l, bundle(l)])) as Record<Lang, FluentBundle>;

export type MessageId =
  | 'received'
  | 'edit-received'
  | 'empty'
  | 'caption-forwarded'
  | 'try-again'
  | 'too-fast'
  | 'counsellor-says'
  | 'counsellor-says-case'
  | 'counsellor-correction'
  | 'staff-topic-name'
  | 'staff-case-opened'
  | 'staff-case-prefix'
  | 'staff-edited'
  | 'staff-unsupported'
  | 'staff-stranger'
  | 'staff-unnamed'
  | 'staff-anonymous-admins'
  | 'staff-edit-unsent'
  | 'staff-edit-to-note'
  | 'staff-edit-passed'
  | 'staff-chat-unprotected'
  | 'staff-chat-removed'
  | 'staff-chat-remove-failed'
  | 'staff-chat-joined'
  | 'staff-only-text'
  | 'staff-file-not-sent'
  | 'staff-dead-post'
  | 'staff-dead-deliver'
  | 'whatsapp-call-declined'
  | 'staff-whatsapp-needs-login'
  | 'staff-whatsapp-failing'
  | 'staff-whatsapp-restored'
  | DutyMessageId
  | ReportMessageId;

export function t(lang: Lang, id: CatalogId, args?: Record<string, FluentVariable>): string {
  const b = bundles[lang];
  const message = b.getMessage(id) ?? bundles.en.getMessage(id);
  if (!message?.value) throw new Error(`Missing message ${id}`);
  return (bundles[lang].hasMessage(id) ? b : bundles.en).formatPattern(message.value, args);
}

/** A message in all three languages, `first`'s first: for someone whose language cannot be read. */
export function inEveryLanguage(first: Lang, id: CatalogId, args?: Record<string, FluentVariable>): string {
  return [first, ...languages.filter((l) => l !== first)].map((l) => t(l, id, args)).join('\n\n');
}

export function catalogIds(lang: Lang): string[] {
  return [sources[lang], intakeSources[lang]].flatMap((source) => [...new FluentResource(source).body].map((m) => m.id));
}

export function hasMessage(lang: Lang, id: string): boolean {
  return bundles[lang].hasMessage(id);
}

/** A message attribute (e.g. `.aliases`), formatted, or undefined. */
export function attribute(lang: Lang, id: CatalogId, name: string, args?: Record<string, FluentVariable>): string | undefined {
  const pattern = bundles[lang].getMessage(id)?.attributes[name];
  return pattern === undefined ? undefined : bundles[lang].formatPattern(pattern, args);
}

/** Intake questions and options have derived ids: `ask-<step>`, `opt-<step>-<value>`. */
export type IntakeMessageId =
  | `ask-${string}`
  | `opt-${string}`
  | `field-${string}`
  | `command-${string}`
  | 'emergency-number'
  | 'urgent-alert'
  | 'urgent-opened'
  | 'invalid-choose'
  | 'invalid-empty'
  | 'invalid-need-account'
  | 'invalid-send-files'
  | 'noted'
  | 'noted-choose'
  | 'questions-stopped'
  | 'account-received'
  | 'stale'
  | 'evidence-added'
  | 'evidence-too-big'
  | 'evidence-too-many'
  | 'evidence-failed'
  | 'evidence-unsupported'
  | 'file-passed-on'
  | 'about-staff-no-oversight'
  | 'about-staff-oversight'
  | 'evidence-cleaned'
  | 'evidence-not-cleaned'
  | 'evidence-voice-masked'
  | 'evidence-voice-failed'
  | 'voice-answer'
  | 'cancelled'
  | 'receipt'
  | 'help'
  | 'help-after'
  | 'continue'
  | 'draft-status'
  | 'status'
  | 'case-status'
  | 'status-next'
  | 'quiet-set'
  | 'quiet-off'
  | 'quiet-usage'
  | 'quiet-later'
  | 'new-case-started'
  | 'new-during-intake'
  | 'receipt-alongside'
  | 'writing-to'
  | 'case-not-open'
  | 'rights-continue'
  | 'consult-receipt'
  | 'already-report'
  | 'to-report-started'
  | 'receipt-converted'
  | 'offer-report'
  | 'withdrawn'
  | 'forgotten'
  | 'nothing-to-cancel'
  | 'nothing-sent'
  | 'resume-ok'
  | 'wiped-telegram'
  | 'wiped-whatsapp'
  | 'wipe-kept'
  | 'resume-failed'
  | 'resume-limited'
  | 'resume-busy'
  | 'resume-has-case'
  | 'resume-not-code'
  | 'unknown-command'
  | 'button-after-sent'
  | 'reminder'
  | 'expired'
  | 'menu-hint'
  | 'summary-anonymous'
  | 'summary-none'
  | 'staff-report'
  | 'staff-answer'
  | 'staff-unanswered'
  | 'staff-all-answered'
  | 'staff-event'
  | 'staff-deleted-neutral'
  | 'staff-case-deleted'
  | 'staff-file'
  | 'staff-file-not-cleaned'
  | 'staff-file-masked';

/** Any message id: the relay's and the intake's. */
export type CatalogId = MessageId | IntakeMessageId;

/** Emergency numbers one per line, each with what it is for (`emergency-number`). */
export function emergencyList(lang: Lang, numbers: readonly string[]): string {
  return numbers.map((number) => t(lang, 'emergency-number', { key: `n${number}`, number })).join('\n');
}
