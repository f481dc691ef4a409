// Everything the bot sends, to the staff chat and to reporters, goes out with
// protect_content: Telegram's clients then offer no forwarding or saving of it (a
// screenshot remains possible, and is the threat model's business). One transformer, so
// no send can forget it; PROTECT_CONTENT=false turns it off.
import type { Transformer } from 'grammy';

/** Bot API methods that post a message and take protect_content. */
const SENDS = new Set([
  'sendMessage',
  'copyMessage',
  'copyMessages',
  'forwardMessage',
  'forwardMessages',
  'sendPhoto',
  'sendDocument',
  'sendVoice',
  'sendAudio',
  'sendVideo',
  'sendAnimation',
  'sendVideoNote',
  'sendSticker',
  'sendMediaGroup',
  'sendLocation',
  'sendContact',
  'sendPoll',
]);

export function protectContent(): Transformer {
  return (prev, method, payload, signal) => {
    if (!SENDS.has(method)) return prev(method, payload, signal);
    return prev(method, { protect_content: true, ...payload } as typeof payload, signal);
  };
}
