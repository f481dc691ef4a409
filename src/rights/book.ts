// The pages a reporter can read before (or instead of) reporting: what the policy calls
// harassment and the rest, what happens after a report, protection from retaliation,
// anonymity, help. One YAML file per language, Trustline's own (./locales) or an
// installation's (RIGHTS_PAGES); a file that would show a reporter a broken page is
// refused at start-up with its name and line, never at 2 a.m. in the chat.
//
//   start: index
//   contacts: |                    # shown where a page says {contacts}; also /contacts
//     • Psychological Service: room 104, Mon–Fri 9:00–18:00
//   pages:
//     index:
//       title: Your rights and the procedure     # also the button that leads here
//       text: |
//         …
//       links: [definitions, after-report]        # buttons, in this order
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import type { Lang } from '../shared/index.js';

export interface RightsPage {
  id: string;
  /** the page's heading, and the label of every button that leads to it */
  title: string;
  /** plain text; `{contacts}` and `{emergency}` are filled in when shown */
  text: string;
  /** ids of the pages its buttons lead to */
  links: string[];
}

/** One language's pages. */
export interface RightsBook {
  lang: Lang;
  /** where the book came from, for error messages (a file path, or Trustline's defaults) */
  source: string;
  start: string;
  /** help to turn to (RIGHTS_PAGES' `contacts`), as the reporter reads it */
  contacts: string;
  pages: ReadonlyMap<string, RightsPage>;
}

/** A page's text fits one Telegram message (4096 characters) with its title and what is filled in. */
export const PAGE_MAX_CHARS = 4096;
/** Button labels stay short enough to read on a phone. */
export const TITLE_MAX_CHARS = 60;
const PLACEHOLDERS = ['contacts', 'emergency'] as const;

/** What a book's file is wrong about, with where. */
export class RightsFileError extends Error {
  override name = 'RightsFileError';
}

const pageId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'page names are short lower-case words (letters, digits, -)')
  .refine((id) => id !== 'continue', '"continue" names the button back to the report: call the page something else');
const fileSchema = z
  .object({
    start: pageId,
    contacts: z.string().trim().min(1, 'contacts are empty'),
    pages: z.record(
      pageId,
      z
        .object({
          title: z.string().trim().min(1, 'the title is empty').max(TITLE_MAX_CHARS, `the title is over ${TITLE_MAX_CHARS} characters`),
          text: z.string().trim().min(1, 'the text is empty'),
          links: z.array(pageId).default([]),
        })
        .strict(),
    ),
  })
  .strict();

/**
 * Reads one language's file. Every problem is an error naming the file and line, e.g.
 * `rights.kk.yaml:41: pages.mobbing.links.2: no page "victimisation"`.
 */
export function readRightsBook(lang: Lang, source: string, text: string): RightsBook {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  /** The file and line of the value at `path` (of `needle` inside it, when given). */
  const at = (path: (string | number)[], needle?: string) => {
    let offset = nodeAt(doc, path)?.range?.[0];
    if (offset !== undefined && needle !== undefined) offset = Math.max(offset, text.indexOf(needle, offset));
    return offset === undefined ? source : `${source}:${lineCounter.linePos(offset).line}`;
  };
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new RightsFileError(`${source}:${lineCounter.linePos(e.pos[0]).line}: not valid YAML (${e.message.split('\n')[0]})`);
  }
  const parsed = fileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${at(i.path as (string | number)[])}: ${i.path.join('.') || 'file'}: ${i.message}`);
    throw new RightsFileError(problems.join('\n'));
  }
  const { start, contacts, pages } = parsed.data;
  const problems: string[] = [];
  if (!pages[start]) problems.push(`${at(['start'])}: start: no page "${start}"`);
  for (const [id, page] of Object.entries(pages)) {
    page.links.forEach((link, i) => {
      if (!pages[link]) problems.push(`${at(['pages', id, 'links', i])}: pages.${id}.links.${i}: no page "${link}"`);
    });
    for (const [, name] of page.text.matchAll(/\{([^{}]*)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(name!)) {
        problems.push(
          `${at(['pages', id, 'text'], `{${name}}`)}: pages.${id}.text: {${name}} is not something Trustline fills in (${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
        );
      }
    }
  }
  if (problems.length) throw new RightsFileError(problems.join('\n'));
  return {
    lang,
    source,
    start,
    contacts,
    pages: new Map(Object.entries(pages).map(([id, page]) => [id, { id, ...page }])),
  };
}

/**
 * The three languages must offer the same pages, so a reporter who changes language mid-way
 * never meets a page that is not there; and each filled-in page must fit a message.
 */
export function checkRightsBooks(books: readonly RightsBook[], fill: (book: RightsBook, page: RightsPage) => string): void {
  const problems: string[] = [];
  const ids = new Set(books.flatMap((b) => [...b.pages.keys()]));
  for (const book of books) {
    for (const id of ids) {
      if (!book.pages.has(id)) {
        const has = books.find((b) => b.pages.has(id))!;
        problems.push(`${book.source}: page "${id}" is missing (${has.source} has it)`);
      }
    }
    for (const page of book.pages.values()) {
      const length = fill(book, page).length;
      if (length > PAGE_MAX_CHARS)
        problems.push(
          `${book.source}: page "${page.id}" is ${length} characters with its title and what is filled in; Telegram shows at most ${PAGE_MAX_CHARS}`,
        );
    }
  }
  if (problems.length) throw new RightsFileError(problems.join('\n'));
}

/** The node at `path`; for a key that is not there, the key of the map that lacks it. */
function nodeAt(doc: Document, path: (string | number)[]): { range?: [number, number, number] | null } | undefined {
  let node: unknown = doc.contents;
  let key: unknown = node;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === step);
      if (!pair) return key as { range?: [number, number, number] };
      key = pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step] ?? node;
    } else break;
  }
  return node as { range?: [number, number, number] } | undefined;
}
