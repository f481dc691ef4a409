// Telegram as a ReporterChannel: the reporter relay's way out.
import { GrammyError, InputFile, type Api } from 'grammy';
import { Undeliverable } from '../../shared/index.js';
import type { ReporterChannel } from '../../relay/index.js';
import { reporterKeyOf } from '../../crypto/index.js';
import type { ReporterMessages } from '../../store/index.js';
import { finishingMessage } from './limits.js';
import { splitText, TELEGRAM_CAPTION_LIMIT } from './text.js';

/**
 * `chatLog`: where a reporter's /wipe finds what the bot sent them (answers and notices
 * join the intake's replies there), under their reporter key, never their chat id.
 */
export function telegramChannel(api: Api, chatLog?: { messages: ReporterMessages; pepper: Uint8Array }): ReporterChannel {
  return {
    name: 'telegram',
    async deliver(address, text, button) {
      try {
        const ids: string[] = [];
        const parts = splitText(text);
        for (const [i, part] of parts.entries()) {
          // A button goes under the last part.
          const markup = button && i === parts.length - 1 ? { reply_markup: { inline_keyboard: [[{ text: button.label, callback_data: button.data }]] } } : {};
          const send = () => api.sendMessage(Number(address), part, markup);
          ids.push(String((await (i === 0 ? send() : finishingMessage(send))).message_id));
        }
        // Best effort, and not waited for: a failed record must not make the job send the
        // answer again, and the write rides along with the cursor's (auto-pipelining).
        void chatLog?.messages.record(reporterKeyOf(chatLog.pepper, 'telegram', address), ids.map(Number)).catch(() => undefined);
        return ids;
      } catch (err) {
        // 403: the reporter blocked the bot or deleted the chat; no retry will reach them.
        if (err instanceof GrammyError && err.error_code === 403) throw new Undeliverable('the reporter blocked the bot');
        throw err;
      }
    },
    async deliverFile(address, file) {
      try {
        const input = new InputFile(file.bytes, `${file.photo ? 'photo' : 'document'}.${file.ext}`);
        const caption = file.caption.slice(0, TELEGRAM_CAPTION_LIMIT);
        const sent = file.photo ? await api.sendPhoto(Number(address), input, { caption }) : await api.sendDocument(Number(address), input, { caption });
        void chatLog?.messages.record(reporterKeyOf(chatLog.pepper, 'telegram', address), [sent.message_id]).catch(() => undefined);
        return [String(sent.message_id)];
      } catch (err) {
        if (err instanceof GrammyError && err.error_code === 403) throw new Undeliverable('the reporter blocked the bot');
        throw err;
      }
    },
    // Telegram lets a bot edit its own messages in a private chat.
    async edit(address, messageId, text) {
      if (splitText(text).length > 1) throw new Error('a correction too long for one message');
      try {
        await api.editMessageText(Number(address), Number(messageId), text);
      } catch (err) {
        if (err instanceof GrammyError && /not modified/i.test(err.description)) return; // the same text: nothing to change
        throw err;
      }
    },
  };
}
