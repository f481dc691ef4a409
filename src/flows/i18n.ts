// Message catalogs in Fluent: translators edit plain .ftl text (kept in .ts modules so
// the build needs no asset copying); code only names message ids.
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import { languages, type Lang } from '../ids.js';
import dutyEn from './locales/duty-en.js';
import type { DutyMessageId } from './locales/duty-ids.js';
import dutyKk from './locales/duty-kk.js';
import dutyRu from './locales/duty-ru.js';
import en from './locales/en.js';
import kk from './locales/kk.js';
import ru from './locales/ru.js';

const sources: Record<Lang, string> = { kk: kk + dutyKk, ru: ru + dutyRu, en: en + dutyEn };

function bundle(lang: Lang): FluentBundle {
  // No bidi isolation marks: Telegram and WhatsApp would show them as stray characters.
  const b = new FluentBundle(lang, { useIsolating: false });
  const errors = b.addResource(new FluentResource(sources[lang]));
  if (errors.length) throw new Error(`Broken ${lang} catalog: ${errors.map((e) => e.message).join('; ')}`);
  return b;
}

const bundles = Object.fromEntries(languages.map((l) => [l, bundle(l)])) as Record<Lang, FluentBundle>;

export type MessageId =
  | 'received-first'
  | 'received'
  | 'edit-received'
  | 'empty'
  | 'unsupported'
  | 'caption-forwarded'
  | 'try-again'
  | 'counsellor-says'
  | 'staff-topic-name'
  | 'staff-case-opened'
  | 'staff-case-prefix'
  | 'staff-edited'
  | 'staff-unsupported'
  | 'staff-stranger'
  | 'staff-only-text'
  | 'staff-dead-post'
  | 'staff-dead-deliver'
  | 'whatsapp-call-declined'
  | 'staff-whatsapp-needs-login'
  | 'staff-whatsapp-failing'
  | 'staff-whatsapp-restored'

  | DutyMessageId;

export function t(lang: Lang, id: MessageId, args?: Record<string, FluentVariable>): string {
  const b = bundles[lang];
  const message = b.getMessage(id) ?? bundles.en.getMessage(id);
  if (!message?.value) throw new Error(`Missing message ${id}`);
  return (bundles[lang].hasMessage(id) ? b : bundles.en).formatPattern(message.value, args);
}

export function catalogIds(lang: Lang): string[] {
  return [...new FluentResource(sources[lang]).body].map((m) => m.id);
}
