// The `telegram` role: takes Telegram updates, by long polling or as the webhook server
// (several behind a load balancer). They carry reporters' messages and button presses,
// and counsellors' answers and commands in the staff chat. What they start goes onto a
// queue; this role works none.
import { createServer, type Server } from 'node:http';
import { registerCommandMenus } from '../../bot/telegram/index.js';
import { webhookCallback } from 'grammy';
import { staffChat } from '../../bot/telegram/index.js';
import { warnAnonymousAdmins } from '../../bot/telegram/index.js';
import { warnUnprotectedChat } from '../../bot/telegram/index.js';
import { allowedUpdates } from '../../bot/telegram/index.js';
import { telegramFiles } from '../../bot/telegram/index.js';
import { leaveForeignChats } from '../../bot/telegram/index.js';
import { startPolling, type Polling } from '../../bot/telegram/index.js';
import { telegramReporter } from '../../bot/telegram/index.js';
import type { HotlineParts } from '../parts.js';

export interface TelegramRole {
  /** Takes no more updates: the batch in hand is handled and confirmed; the webhook server closes. */
  stopTaking(): Promise<void>;
}

export async function startTelegram(p: HotlineParts): Promise<TelegramRole> {
  const { config, keys, log, bot, duty } = p;
  bot.use(leaveForeignChats(config.staff.chatId, log));
  bot.use(p.membership.composer);
  bot.use(
    telegramReporter({
      intake: p.intake,
      keys,
      log,
      files: telegramFiles(bot.api, { token: config.telegram.token, apiRoot: config.telegram.apiRoot }),
      messages: p.reporterMessages,
      maxFileBytes: config.intake.evidence.maxBytes,
    }),
  );
  bot.use(
    staffChat({
      chatId: config.staff.chatId,
      lang: config.staff.lang,
      threading: p.threading,
      redis: p.redis,
      store: p.store,
      caseLog: p.caseLog,
      pipeline: p.pipeline,
      keys,
      log,
      directory: duty.directory,
      commands: duty.commands,
      caseDesk: duty.caseDesk,
      render: p.render,
    }),
  );

  await bot.init();
  await registerCommandMenus(bot.api, config.staff.chatId, config.staff.lang, log);
  await warnAnonymousAdmins(bot.api, p.admins, { chatId: config.staff.chatId, lang: config.staff.lang, log });
  await warnUnprotectedChat(bot.api, { chatId: config.staff.chatId, lang: config.staff.lang, log });
  let server: Server | undefined;
  let polling: Polling | undefined;
  if (config.telegram.mode === 'webhook') {
    if (!config.telegram.webhook) throw new Error('webhook mode without WEBHOOK_URL and WEBHOOK_SECRET');
    const { url, secret, port } = config.telegram.webhook;
    server = createServer(webhookCallback(bot, 'http', { secretToken: secret }));
    await new Promise<void>((resolve, reject) => {
      server!.once('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(`the webhook server cannot listen on port ${port} (${err.code ?? err.message}); set WEBHOOK_PORT to a free port`)),
      );
      server!.listen(port, resolve);
    });
    // Every webhook process sets the same URL, secret and update types: the calls agree,
    // so N processes behind one load balancer can each make it at start.
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...allowedUpdates] });
  } else {
    polling = startPolling(bot, { allowedUpdates, log });
  }

  return {
    async stopTaking() {
      await polling?.stop();
      await new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections(); // kept-alive webhook connections would hold close() open
      });
    },
  };
}
