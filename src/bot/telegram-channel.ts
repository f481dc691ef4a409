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
        for (const [i, part] of splitText(text).entries()) {
          const send = () => api.sendMessage(Number(address), part);
          await (i === 0 ? send() : finishingMessage(send));
        }
      } catch (err) {
        // 403: the reporter blocked the bot or deleted the chat; no retry will reach them.
        if (err instanceof GrammyError && err.error_code === 403) throw new Undeliverable('the reporter blocked the bot');
        throw err;
      }
    },
  };
}
