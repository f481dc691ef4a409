// /rights: the pages on what the policy calls harassment and the rest, what happens
// after a report, and where to get help, read at any time, also in the middle of the
// questions. Reading leaves no trace: the pages are served by the channel adapter
// before anything of the reporter is stored (no conversation, no lease, no key; only the
// language they chose is read, when /rights is asked), and only a count per page is kept
// (metrics). "Continue", under every page,
// hands over to the intake as /start does: back to the question the reporter was at, or
// the beginning.
import type { Rights } from '../rights/index.js';
import { languages, type Lang } from '../shared/index.js';
import { attribute, t } from '../i18n/index.js';
import { normalizeAnswer } from './answers.js';
import type { Reply } from './reply.js';

/** Page buttons are `rights-<lang>:<page>`, in the language the page was shown in; the last is "Continue". */
const PAGE_STEP = /^rights-(kk|ru|en)$/;
const CONTINUE = 'continue';

/** What a reporter's update asks of the pages. */
export type Reading = { page: Reply; id: string; lang: Lang } | { continue: Lang };

/** The pages, as the channel adapters show them. */
export interface Reader {
  /** Whether `text` is `/rights` or one of its words sent alone (`права`, `құқықтар`...): asked before anything is looked up. */
  readonly asks: (text: string) => boolean;
  /** The first page, in `lang`. */
  readonly first: (lang: Lang) => Extract<Reading, { page: Reply }>;
  /** A tapped button of a page: the page it leads to, or "Continue". */
  readonly tapped: (step: string, value: string) => Reading | undefined;
}

export function createReader(deps: { rights: Rights; onRead?: (page: string) => void }): Reader {
  const words = new Set(
    languages.flatMap((lang) =>
      (attribute(lang, 'command-rights', 'aliases') ?? '')
        .split(',')
        .map((w) => normalizeAnswer(w))
        .filter(Boolean),
    ),
  );

  function show(lang: Lang, id?: string): Extract<Reading, { page: Reply }> {
    const page = deps.rights.page(lang, id);
    deps.onRead?.(page.id);
    return {
      id: page.id,
      lang,
      page: {
        text: page.text,
        menu: {
          step: `rights-${lang}`,
          options: [...page.links.map((link) => ({ value: link.id, label: link.title })), { value: CONTINUE, label: t(lang, 'rights-continue') }],
        },
      },
    };
  }

  return {
    asks(text) {
      const typed = text.trim();
      return /^\/rights(?:@\w+)?$/i.test(typed) || words.has(normalizeAnswer(typed));
    },
    first: (lang) => show(lang),
    tapped(step, value) {
      const lang = PAGE_STEP.exec(step)?.[1] as Lang | undefined;
      if (!lang) return undefined;
      return value === CONTINUE ? { continue: lang } : show(lang, value);
    },
  };
}
