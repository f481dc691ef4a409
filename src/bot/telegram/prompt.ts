// Replies on Telegram: options become inline buttons whose callback data names the
// step and the value ("category:harassment", always under Telegram's 64 bytes), so a
// tap on an old question is recognised as stale instead of answering the current one.
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Reply } from '../../flows/index.js';
import { splitText } from './text.js';

export const CALLBACK_DATA_LIMIT = 64;

export function callbackData(step: string, value: string): string {
  const data = `${step}:${value}`;
  if (Buffer.byteLength(data) > CALLBACK_DATA_LIMIT) throw new RangeError(`callback data over ${CALLBACK_DATA_LIMIT} bytes: ${step}`);
  return data;
}

export function parseCallbackData(data: string): { step: string; value: string } | undefined {
  const match = /^([a-z-]+):([a-z0-9-]+)$/.exec(data);
  return match ? { step: match[1]!, value: match[2]! } : undefined;
}

export function keyboardOf(reply: Reply): InlineKeyboardMarkup | undefined {
  if (!reply.menu) return undefined;
  const { step, options } = reply.menu;
  // One option per row: labels are sentences in Kazakh and Russian.
  return { inline_keyboard: options.map((o) => [{ text: o.label, callback_data: callbackData(step, o.value) }]) };
}

/** Messages to send for one reply: long text split, the buttons under the last part. */
export function telegramMessages(reply: Reply): { text: string; reply_markup?: InlineKeyboardMarkup }[] {
  const parts = splitText(reply.text);
  const keyboard = keyboardOf(reply);
  return parts.map((text, i) => (i === parts.length - 1 && keyboard ? { text, reply_markup: keyboard } : { text }));
}
