// The three languages' pages, loaded and checked once at start-up: Trustline's own, or an
// installation's files in RIGHTS_PAGES (rights.kk.yaml, rights.ru.yaml, rights.en.yaml;
// a language without a file keeps Trustline's text).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emergencyList } from '../i18n/index.js';
import { languages, type Lang } from '../shared/index.js';
import { checkRightsBooks, readRightsBook, type RightsBook, type RightsPage } from './book.js';
import en from './locales/en.js';
import kk from './locales/kk.js';
import ru from './locales/ru.js';

const defaults: Record<Lang, string> = { kk, ru, en };

/** Trustline's own file for `lang`, for an installation to start its own from (`trustline rights export`). */
export const defaultRightsText = (lang: Lang): string => defaults[lang];

/** A page as a reporter sees it: filled in, with where its buttons lead. */
export interface ShownPage {
  id: string;
  text: string;
  links: { id: string; title: string }[];
}

/** What a reporter can read (/rights), and the help contacts a counsellor can send (/contacts). */
export interface Rights {
  /** A page in `lang`; the first page when `id` is absent or names no page. */
  readonly page: (lang: Lang, id?: string) => ShownPage;
  /** The help contacts, in `lang`. */
  readonly contacts: (lang: Lang) => string;
}

/** Throws RightsFileError naming the file and line of every problem. */
export function loadRights(o: { dir?: string; emergencyNumbers: readonly string[] }): Rights {
  const books = Object.fromEntries(
    languages.map((lang) => {
      const file = o.dir ? join(o.dir, `rights.${lang}.yaml`) : undefined;
      const own = file !== undefined && existsSync(file);
      return [lang, readRightsBook(lang, own ? file : `Trustline's ${lang} pages`, own ? readFileSync(file, 'utf8') : defaults[lang])];
    }),
  ) as Record<Lang, RightsBook>;
  const fill = (book: RightsBook, page: RightsPage) =>
    `${page.title}\n\n${page.text.replace(/\{(contacts|emergency)\}/g, (_, name: string) => (name === 'contacts' ? book.contacts : emergencyList(book.lang, o.emergencyNumbers)))}`;
  checkRightsBooks(Object.values(books), fill);

  return {
    page(lang, id) {
      const book = books[lang];
      const page = (id !== undefined ? book.pages.get(id) : undefined) ?? book.pages.get(book.start)!;
      return { id: page.id, text: fill(book, page), links: page.links.map((link) => ({ id: link, title: book.pages.get(link)!.title })) };
    },
    contacts: (lang) => books[lang].contacts,
  };
}
