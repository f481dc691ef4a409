// What Trustline says in the staff chat, before it knows which platform renders it:
// translated text with slots for people. A slot is a mention (the person is notified)
// or just a name; the staff edge opens the person's encrypted identity to fill it.
import type { FluentVariable } from '@fluent/bundle';
import { attribute, t, type MessageId } from '../i18n/index.js';
import type { CounsellorId, DeskName, Lang } from '../shared/index.js';

export type StaffRef = { mention: CounsellorId } | { name: CounsellorId };
/** A case's place in a staff chat (its topic, first post or card): the edge makes `text` a link to it. */
export interface CaseLink {
  link: { desk: DeskName; message: number };
  text: string;
}
export type StaffPart = string | StaffRef | CaseLink;

export const isCaseLink = (part: StaffPart): part is CaseLink => typeof part === 'object' && 'link' in part;

export interface StaffText {
  parts: StaffPart[];
}

// Private-use characters: no translation or person's name contains them.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const SLOT = /\uE000(\d+)\uE001/g;

export const mention = (id: CounsellorId): StaffRef => ({ mention: id });
export const nameOf = (id: CounsellorId): StaffRef => ({ name: id });

/** What fills a slot: a person, or a link to a case. */
export type StaffSlot = StaffRef | CaseLink;

/**
 * Formats a catalog message; `people` fills variables with one person or a list
 * (joined with ", "), or a case's link. Other variables go in `args` as usual.
 */
export function staffText(
  lang: Lang,
  id: MessageId,
  args: Record<string, FluentVariable> = {},
  people: Record<string, StaffSlot | StaffRef[]> = {},
): StaffText {
  const refs: StaffSlot[] = [];
  const slots: Record<string, string> = {};
  for (const [key, value] of Object.entries(people)) {
    const list = Array.isArray(value) ? value : [value];
    slots[key] = list.map((ref) => `${OPEN}${refs.push(ref) - 1}${CLOSE}`).join(', ');
  }
  return { parts: split(t(lang, id, { ...args, ...slots }), refs) };
}

function split(text: string, refs: StaffSlot[]): StaffPart[] {
  const parts: StaffPart[] = [];
  let last = 0;
  for (const m of text.matchAll(SLOT)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(refs[Number(m[1])]!);
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export const plain = (text: string): StaffText => ({ parts: [text] });

/** How a staff command is used (`staff-usage.<command>` in the catalogs), for when its arguments do not read. */
export const usageOf = (lang: Lang, command: string, args?: Record<string, FluentVariable>): StaffText =>
  plain(attribute(lang, 'staff-usage', command, args) ?? `/${command}`);

/** A case status as staff read it ("under consideration", "на рассмотрении"). */
export const statusName = (lang: Lang, status: string) => t(lang, 'status-name', { s: status });

/** "counsellor" or "admin" in the staff language. */
export const roleName = (lang: Lang, role: string) => t(lang, 'role-name', { r: role });

/** Several texts as one message, one per line (or separated by `sep`). */
export function joinTexts(texts: StaffText[], sep = '\n'): StaffText {
  const parts: StaffPart[] = [];
  texts.forEach((x, i) => {
    if (i > 0) parts.push(sep);
    parts.push(...x.parts);
  });
  return { parts };
}

/** The text with names replaced by `fallback` (for tests and logs of structure, never of names). */
export function skeleton(text: StaffText, fallback = '@'): string {
  return text.parts.map((p) => (typeof p === 'string' ? p : isCaseLink(p) ? p.text : fallback)).join('');
}

/** A file to hand to the person who asked (the annual report); the edge uploads it. */
export interface DeskFile {
  name: string;
  content: string;
}

/** A button under a reply: pressing it runs `run` (a command's words, e.g. "record breach yes") in the same case, as whoever pressed. */
export interface DeskButton {
  text: string;
  run: string;
}

/** What a staff command answers, and what it asks of the case's thread. */
export interface DeskResult {
  replies: StaffText[];
  /** cases the reply lists (/cases): in a private chat, one button each to write in that case */
  cases?: string[];
  /** buttons under the (last) reply, in rows, each running a command in case `code` (/record) */
  buttons?: { code: string; rows: DeskButton[][] };
  /** a long list's page: the edge offers buttons that run `command` (its words) for the pages around it */
  pages?: { page: number; count: number; command: string };
  files?: DeskFile[];
  /** close the case's forum topic, or reopen it; `gone`: it is being deleted, answer outside it */
  thread?: 'close' | 'reopen' | 'gone';
}

export const reply = (...replies: StaffText[]): DeskResult => ({ replies });
