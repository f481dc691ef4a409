// Buttons under staff replies. A long list (/cases) a page at a time: ◀ n/m ▶, and a press
// runs the same command again for that page. A case's buttons (/record): each runs a
// command in that case. Either way the command runs as whoever pressed it (their rights,
// their chats), and the reply is edited in place. A button holds a command's words only
// (a filter, a label, a catalog word) and a case code: never a case's content.
import { type Context, GrammyError } from 'grammy';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { DeskResult } from '../../routing/index.js';
import type { RenderedText } from './staff-render.js';

const PREFIX = 'pg:';
/** Telegram's limit on a button's data, in bytes. */
const MAX_DATA_BYTES = 64;

/** The buttons for a paged reply; none when the command would not fit in a button. */
export function pageButtons(pages: NonNullable<DeskResult['pages']>): InlineKeyboardMarkup | undefined {
  const data = (page: number) => `${PREFIX}${page}:${pages.command}`;
  if (Buffer.byteLength(data(pages.count)) > MAX_DATA_BYTES) return undefined;
  const row: InlineKeyboardButton[] = [];
  if (pages.page > 1) row.push({ text: '◀', callback_data: data(pages.page - 1) });
  // The middle button reloads the page: the list as it is now.
  row.push({ text: `${pages.page}/${pages.count}`, callback_data: data(pages.page) });
  if (pages.page < pages.count) row.push({ text: '▶', callback_data: data(pages.page + 1) });
  return { inline_keyboard: [row] };
}

/** The commands whose replies are paged: a button never runs anything else. */
const PAGED = new Set(['cases']);

/** A page button's command: its name, the words after it, and the page; undefined for other buttons. */
export function pageAsked(data: string): { name: string; text: string; page: number } | undefined {
  const m = /^pg:(\d{1,4}):([a-z]+)(?: (.*))?$/su.exec(data);
  if (!m || !PAGED.has(m[2]!)) return undefined;
  return { page: Number(m[1]), name: m[2]!, text: m[3] ?? '' };
}

/** The buttons of a case's reply (DeskResult.buttons); any that would not fit Telegram's 64 bytes are left out. */
export function caseButtons(buttons: NonNullable<DeskResult['buttons']>): InlineKeyboardMarkup | undefined {
  const rows = buttons.rows
    .map((row) =>
      row.flatMap((b) =>
        Buffer.byteLength(`do:${buttons.code}:${b.run}`) <= MAX_DATA_BYTES ? [{ text: b.text, callback_data: `do:${buttons.code}:${b.run}` }] : [],
      ),
    )
    .filter((row) => row.length);
  return rows.length ? { inline_keyboard: rows } : undefined;
}

/** The commands a case's button may run. */
const IN_CASE = new Set(['record']);

/** A case button's command: the case code, the command's name and its words; undefined for other buttons. */
export function caseButtonAsked(data: string): { code: string; name: string; text: string } | undefined {
  const m = /^do:([0-9A-Z]{3}-[0-9A-Z]{3}):([a-z]+)(?: (.*))?$/su.exec(data);
  if (!m || !IN_CASE.has(m[2]!)) return undefined;
  return { code: m[1]!, name: m[2]!, text: m[3] ?? '' };
}

/** The keyboard a reply asks for, if any. */
export function markupOf(result: DeskResult): InlineKeyboardMarkup | undefined {
  if (result.buttons) return caseButtons(result.buttons);
  return result.pages ? pageButtons(result.pages) : undefined;
}

/**
 * A button was pressed: the reply is edited in place to what the command says now (a
 * page, a field's choices). The same again (the middle page button, nothing changed) is
 * no error: Telegram refuses the edit with "message is not modified", and it simply stays.
 */
export async function showPage(ctx: Context, page: RenderedText | undefined, markup: InlineKeyboardMarkup | undefined): Promise<void> {
  const message = ctx.callbackQuery?.message;
  if (!message || !page) return;
  try {
    await ctx.api.editMessageText(message.chat.id, message.message_id, page.text, {
      ...(page.entities.length ? { entities: page.entities } : {}),
      ...(markup ? { reply_markup: markup } : {}),
    });
  } catch (err) {
    if (!(err instanceof GrammyError && err.description.includes('message is not modified'))) throw err;
  }
}
