// A long staff list (/cases) a page at a time: the reply carries ◀ n/m ▶ buttons, and a
// press runs the same command again for that page, as whoever pressed it (their rights,
// their chats), and edits the list in place. The button holds the command's words only
// (a filter, a label): never a case's content.
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

/**
 * A page button was pressed: the list is edited in place to the page asked for. The same
 * page again (the middle button, nothing changed) is no error: Telegram refuses the
 * edit with "message is not modified", and the list simply stays.
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
