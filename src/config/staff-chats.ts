// STAFF_CHATS: more staff chats beside the main one, each a team of its own (say, a
// disability team, or the Kazakh-language team), with the cases that are theirs by
// category and language. A small YAML (or JSON) file an admin writes once:
//
//   chats:
//     - name: disability
//       chatId: -1001234567890
//       categories: [discrimination.disability]
//     - name: kazakh
//       chatId: -1009876543210
//       languages: [kk]
//
// The first chat that matches a new case gets it; the rest go to the main chat.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { languages, type Lang } from '../shared/index.js';

/** One chat of STAFF_CHATS. */
export interface StaffChat {
  /** a short word the roster names it by (`/staff add @name kk disability`) */
  name: string;
  chatId: number;
  threading: 'topics' | 'replies' | 'auto';
  /** intake categories (`discrimination`, or one kind: `discrimination.disability`); empty: any */
  categories: string[];
  /** reporters' languages; empty: any */
  languages: Lang[];
}

/** Words a chat may not be named: the main and oversight chats, and the words /staff add already reads. */
const TAKEN = new Set(['main', 'oversight', 'admin', 'supervisor', 'counsellor', 'escalation', 'no-escalation', ...languages]);

const chatSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,30}$/, 'must be a short lower-case word (letters, digits, -)')
      .refine((n) => !TAKEN.has(n), 'is a word Trustline uses already: pick another'),
    chatId: z.number().int().negative('must be a group id (negative)'),
    threading: z.enum(['topics', 'replies', 'auto']).default('auto'),
    categories: z.array(z.string().regex(/^[a-z]+(\.[a-z]+)?$/, 'must be a category such as discrimination or discrimination.disability')).default([]),
    languages: z.array(z.enum(languages)).default([]),
  })
  .strict()
  .refine((c) => c.categories.length > 0 || c.languages.length > 0, 'needs categories or languages: otherwise no case would ever go there');

const fileSchema = z
  .object({ chats: z.array(chatSchema).min(1) })
  .strict()
  .refine((f) => new Set(f.chats.map((c) => c.name)).size === f.chats.length, 'two chats have the same name')
  .refine((f) => new Set(f.chats.map((c) => c.chatId)).size === f.chats.length, 'two chats have the same chatId');

/** Parses the file's text; throws an Error listing every problem (paths, never values). */
export function parseStaffChats(text: string): StaffChat[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new Error(`not YAML or JSON (${(err as Error).message.split('\n')[0]})`, { cause: err });
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; '));
  return parsed.data.chats;
}
