// The report's words in the language it is asked for: its messages (report-*.ts in the
// catalogs), the intake's names for categories, Intl for dates.
import type { FluentVariable } from '@fluent/bundle';
import { hasMessage, t, type ReportMessageId, type CatalogId } from '../i18n/index.js';
import type { Lang } from '../shared/index.js';

export type Words = (id: ReportMessageId, args?: Record<string, FluentVariable>) => string;

export const wordsOf =
  (lang: Lang): Words =>
  (id, args) =>
    t(lang, id, args);

/**
 * A category id as the reporter chose it, e.g. "harassment.sexual" -> "Harassment:
 * sexual", named as in the intake's questions (a main category alone may carry its own
 * explanation: "Mobbing: pressure at work"). An id the catalog does not know (a
 * category retired since) is spelled out from the id itself.
 */
export function categoryName(id: string, lang: Lang): string {
  const [top, sub] = id.split('.', 2) as [string, string | undefined];
  const topId = `opt-category-${top}`;
  const subId = `opt-${top}-${sub}`;
  if (hasMessage(lang, topId) && (sub === undefined || hasMessage(lang, subId))) {
    const name = t(lang, topId as CatalogId);
    if (sub === undefined) return name;
    // "Verbal: insults, threats" under "Harassment" reads "Harassment: verbal (insults, threats)".
    const detail = t(lang, subId as CatalogId).replace(/: (.*)$/, ' ($1)');
    return `${name}: ${detail.charAt(0).toLocaleLowerCase(lang) + detail.slice(1)}`;
  }
  const words = id.replace(/[._]/g, ': ').replace(/-/g, ' ').replace(/(: )+/g, ': ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const locales: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

/** 2026-01-01 -> "1 January 2026" (in the report's language) */
export function longDate(day: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locales[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** 2026-03 -> "March 2026" */
export function monthName(yearMonth: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locales[lang], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${yearMonth}-01T00:00:00Z`));
}
