// The intake conversation in the sandbox prompt: the bot's buttons are listed under
// its message as a numbered menu, "#2" taps the second button of the latest question
// (as in the Telegram app), and "!photo caption" / "!document" / "!voice" send
// evidence. Typing a number or an option's words works too, as on WhatsApp.
import type { Message, User } from 'grammy/types';
import type { BotApiServer } from './bot-api/index.js';

/** The message as the sandbox shows it: its text (or media kind), then its buttons. */
export function shownWithButtons(message: Message): string {
  const body = message.text ?? `[${message.photo ? 'photo' : message.voice ? 'voice' : 'file'}]${message.caption ? ` ${message.caption}` : ''}`;
  const buttons = (message.reply_markup?.inline_keyboard.flat() ?? []).map((b, i) => `  [${i + 1}] ${b.text}`);
  return [body, ...buttons].join('\n');
}

/**
 * Handles the sandbox's own reporter syntax. Returns what it did, or undefined when
 * the line is ordinary text for the caller to send.
 */
export function reporterInput(api: BotApiServer, user: Pick<User, 'id'>, text: string): 'tapped' | 'no-button' | 'evidence' | undefined {
  const tap = /^#(\d+)$/.exec(text.trim());
  if (tap) {
    const question = [...api.messagesIn(user.id)].reverse().find((m) => m.reply_markup?.inline_keyboard.length);
    const button = question?.reply_markup?.inline_keyboard.flat()[Number(tap[1]) - 1];
    if (!question || !button || !('callback_data' in button) || !button.callback_data) return 'no-button';
    api.pressButton(user, question, button.callback_data);
    return 'tapped';
  }
  const evidence = /^!(photo|document|voice)\b\s*([\s\S]*)$/.exec(text.trim());
  if (!evidence) return undefined;
  const caption = evidence[2] ? { caption: evidence[2] } : {};
  api.sendPrivateMessage(
    user,
    evidence[1] === 'photo'
      ? { photo: [{ width: 800, height: 600, file_size: 40_000 }], ...caption }
      : evidence[1] === 'voice'
        ? { voice: { duration: 4, file_size: 8_000 }, ...caption }
        : { document: { file_name: 'evidence.pdf', mime_type: 'application/pdf', file_size: 60_000 }, ...caption },
  );
  return 'evidence';
}
