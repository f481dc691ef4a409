// The `telegram` role: takes Telegram updates, by long polling or as the webhook server
// (several behind a load balancer). They carry reporters' messages and button presses,
// and counsellors' answers and commands in the staff chat. What they start goes onto a
// queue; this role works none.
import {
  registerCommandMenus,
  staffChat,
  warnAnonymousAdmins,
  warnUnprotectedChat,
  allowedUpdates,
  telegramFiles,
  leaveForeignChats,
  telegramReporter,
  staffPrivateChat,
  startPolling,
  type Polling,
  startWebhook,
  type Webhook,
} from '../../bot/telegram/index.js';
import type { HotlineParts } from '../parts.js';

export interface TelegramRole {
  /** Takes no more updates: the batch in hand is handled and confirmed; the webhook server closes. */
  stopTaking(): Promise<void>;
}

export async function startTelegram(p: HotlineParts): Promise<TelegramRole> {
  const { config, keys, log, bot, duty } = p;
  bot.use(leaveForeignChats(p.desks, log));
  const files = telegramFiles(bot.api, { token: config.telegram.token, apiRoot: config.telegram.apiRoot });
  // What counsellors send the reporter is fetched and cleaned as reporters' evidence is.
  const staffFiles = { telegram: files, cleaner: p.intakeDeps.cleaner, maxBytes: config.intake.evidence.maxBytes };
  bot.use(p.membership.composer);
  // Need-to-know mode: counsellors answer their cases in their private chats; everyone
  // else writing privately is a reporter.
  if (config.staff.visibility === 'assigned') {
    bot.use(
      staffPrivateChat({
        lang: config.staff.lang,
        store: p.store,
        caseLog: p.caseLog,
        pipeline: p.pipeline,
        copies: duty.ctx.copies,
        duty: duty.ctx.duty,
        directory: duty.directory,
        commands: duty.commands,
        caseDesk: duty.caseDesk,
        render: p.render,
        log,
        files: staffFiles,
      }),
    );
  }
  bot.use(
    telegramReporter({
      intake: p.intake,
      reader: p.reader,
      outage: p.outage,
      keys,
      log,
      files,
      messages: p.reporterMessages,
      maxFileBytes: config.intake.evidence.maxBytes,
    }),
  );
  // One handler per staff chat: each answers only its own chat, its own cases and people.
  for (const desk of p.desks.all) {
    bot.use(
      staffChat({
        desk,
        lang: config.staff.lang,
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
        visibility: config.staff.visibility,
        ...(config.staff.visibility === 'assigned' ? { copies: duty.ctx.copies } : {}),
        files: staffFiles,
      }),
    );
  }

  await bot.init();
  for (const { chatId } of p.desks.all) await registerCommandMenus(bot.api, chatId, config.staff.lang, log);
  await warnAnonymousAdmins(bot.api, p.admins, { chatId: config.staff.chatId, lang: config.staff.lang, log });
  for (const { chatId } of p.desks.all) await warnUnprotectedChat(bot.api, { chatId, lang: config.staff.lang, log });
  let webhook: Webhook | undefined;
  let polling: Polling | undefined;
  if (config.telegram.mode === 'webhook') {
    if (!config.telegram.webhook) throw new Error('webhook mode without WEBHOOK_URL and WEBHOOK_SECRET');
    webhook = await startWebhook(bot, config.telegram.webhook);
  } else {
    polling = startPolling(bot, { allowedUpdates, log });
  }

  return {
    async stopTaking() {
      await polling?.stop();
      await webhook?.stop();
    },
  };
}
