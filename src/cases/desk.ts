// Which staff chat a new case goes to. A report about the hotline's own staff goes to the
// oversight chat when there is one; otherwise the first team of STAFF_CHATS whose
// categories and languages fit the case gets it; everything else goes to the main chat.
import { type DeskName, type Lang, MAIN_DESK, OVERSIGHT_DESK } from '../shared/index.js';

/** A team's chat and the cases that are theirs (STAFF_CHATS); an empty list matches any. */
export interface DeskRoute {
  name: DeskName;
  categories: readonly string[];
  languages: readonly Lang[];
}

export interface NewCaseFacts {
  /** as the report stores it: `bullying`, or `discrimination.disability` */
  category?: string;
  lang: Lang;
  aboutStaff: boolean;
}

export function deskFor(routes: readonly DeskRoute[], oversight: boolean, c: NewCaseFacts): DeskName {
  if (c.aboutStaff && oversight) return OVERSIGHT_DESK;
  const fits = (r: DeskRoute) =>
    (r.categories.length === 0 || r.categories.some((x) => c.category === x || c.category?.startsWith(`${x}.`) === true)) &&
    (r.languages.length === 0 || r.languages.includes(c.lang));
  return routes.find(fits)?.name ?? MAIN_DESK;
}
