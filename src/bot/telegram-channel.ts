// Telegram as a ReporterChannel: the reporter relay's way out.
import { GrammyError, type Api } from 'grammy';
import { Undeliverable } from '../queue/failures.js';
import type { ReporterChannel } from './channel.js';
import { finishingMessage } from './telegram-limits.js';
import { splitText } from './telegram-text.js';

export function telegramChannel(api: Api): ReporterChannel {
  return {
    name: 'telegram',
    async deliver(address, text) {
      try {
        const parts = splitText(text);
        let sent: { message_id: number } | undefined;
        for (const [i, part] of parts.entries()) {
          const send = () => api.sendMessage(Number(address), part);
          sent = await (i === 0 ? send() : finishingMessage(send));
        }
        return parts.length === 1 && sent ? String(sent.message_id) : undefined;
      } catch (err) {
        // 403: the reporter blocked the bot or deleted the chat; no retry will reach them.
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
