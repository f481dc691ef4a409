// Commands a reporter can type at any step, on any channel ("/help", "/resume CODE
// words"). Telegram adds "@botname" in groups and some clients; it is ignored. A few
// also work as a plain word sent alone ("помощь", "тіл"), since WhatsApp shows no
// command menu; the words live in the catalogs (`command-<name>` aliases).
import { languages } from '../shared/index.js';
import { normalizeAnswer } from './answers.js';
import { attribute } from '../i18n/index.js';

export const commands = ['start', 'help', 'cancel', 'language', 'status', 'new', 'report', 'withdraw', 'forget', 'resume', 'wipe', 'quiet'] as const;
export type Command = (typeof commands)[number];

const WORDED: readonly Command[] = ['help', 'language', 'cancel', 'status'];
let menuWords: Map<string, Command> | undefined;

function wordCommand(text: string): Command | undefined {
  menuWords ??= new Map(
    WORDED.flatMap((command) =>
      languages.flatMap((lang) =>
        (attribute(lang, `command-${command}`, 'aliases') ?? '')
          .split(',')
          .map((w) => normalizeAnswer(w))
          .filter(Boolean)
          .map((w) => [w, command] as const),
      ),
    ),
  );
  return menuWords.get(normalizeAnswer(text));
}

export function parseCommand(text: string): { command: Command; args: string } | undefined {
  const word = wordCommand(text);
  if (word) return { command: word, args: '' };
  const match = /^\/([a-z]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!match) return undefined;
  const name = match[1]!.toLowerCase();
  if (!(commands as readonly string[]).includes(name)) return undefined;
  return { command: name as Command, args: (match[2] ?? '').trim() };
}

/**
 * A slash command that is none of ours ("/foo", "/stauts"): the name as typed, so the
 * reporter gets a hint rather than having it taken as part of their report.
 */
export function unknownCommand(text: string): string | undefined {
  const match = /^\/([a-z][a-z0-9_]*)(?:@\w+)?(?:\s|$)/i.exec(text.trim());
  if (!match || parseCommand(text)) return undefined;
  return match[1]!;
}
