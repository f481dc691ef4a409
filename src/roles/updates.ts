// The `updates` role: takes what people send. Telegram updates (long polling, or the
// webhook server behind a load balancer) carry reporters' messages and the staff
// chat's answers and commands; WhatsApp lines carry their reporters' messages and,
// since a line can only send from the process holding it, their answers too.
import { createServer, type Server } from 'node:http';
import { webhookCallback } from 'grammy';
import type { Worker } from 'bullmq';
import { staffChat } from '../bot/staff-chat.js';
import { allowedUpdates } from '../bot/telegram.js';
import { telegramFiles } from '../bot/telegram-files.js';
import { leaveForeignChats } from '../bot/telegram-groups.js';
import { startPolling, type Polling } from '../bot/telegram-polling.js';
import { telegramReporter } from '../bot/telegram-reporter.js';
import { createIntake, type Intake } from '../flows/intake.js';
import type { FlushJob, IntakeTimerJob } from '../queue/jobs.js';
import { queueNames } from '../queue/jobs.js';
import type { HotlineParts } from './parts.js';

export interface UpdatesRole {
  /**
   * Takes no more updates (the batch in hand is handled and confirmed), closes the
   * webhook server and the WhatsApp lines.
   */
  stopTaking(): Promise<void>;
  /** The WhatsApp lines' own workers, closed with the other workers. */
  closeWorkers(): Promise<void>;
}

export async function startUpdates(p: HotlineParts): Promise<UpdatesRole> {
  const { config, keys, log, bot, duty } = p;
  const intake = createIntake(p.intakeDeps);
  const whatsapp = config.whatsapp.lines.length > 0 ? await startWhatsApp(p, intake) : undefined;

  bot.use(leaveForeignChats(config.staff.chatId, log));
  bot.use(
    telegramReporter({
      intake,
      keys,
      log,
      files: telegramFiles(bot.api, { token: config.telegram.token, apiRoot: config.telegram.apiRoot }),
      maxFileBytes: config.intake.evidence.maxBytes,
    }),
  );
  // Counsellors answer and give commands in the staff chat: those are updates too.
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
  let server: Server | undefined;
  let polling: Polling | undefined;
  if (config.telegram.mode === 'webhook') {
    if (!config.telegram.webhook) throw new Error('webhook mode without WEBHOOK_URL and WEBHOOK_SECRET');
    const { url, secret, port } = config.telegram.webhook;
    server = createServer(webhookCallback(bot, 'http', { secretToken: secret }));
    await new Promise<void>((resolve) => server!.listen(port, resolve));
    // Every webhook process sets the same URL, secret and update types: the last call
    // wins and changes nothing, so N processes behind one load balancer agree.
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
      await whatsapp?.lines.stop();
    },
    async closeWorkers() {
      await Promise.all((whatsapp?.workers ?? []).map((w) => w.close()));
    },
  };
}

/**
 * Starts the lines, and works the queues of what must leave through one: answers to
 * WhatsApp reporters and reminders of unfinished WhatsApp conversations. Loaded only
 * when lines are configured: whatsapp-web.js brings puppeteer and Chromium.
 */
async function startWhatsApp(p: HotlineParts, intake: Intake): Promise<{ lines: { stop(): Promise<void> }; workers: Worker[] }> {
  const { config, log, pipeline } = p;
  const { startWhatsAppLines } = await import('../bot/whatsapp/index.js');
  const lines = startWhatsAppLines({
    config: config.whatsapp,
    redis: p.redis,
    intake,
    keys: p.keys,
    store: p.store,
    log,
    staffLang: config.staff.lang,
    tellStaff: (text) => p.bot.api.sendMessage(config.staff.chatId, text),
    ...p.platform.whatsapp,
  });
  // Before the workers, so a queued answer to a WhatsApp case finds its channel.
  p.channels.set('whatsapp', lines.channel);
  const workers = [
    pipeline.work<FlushJob>(queueNames.reporterWhatsApp, (job) => p.reporterRelay.flush(job.data.caseId, String(job.id)), {
      concurrency: 8,
      log,
      onDead: p.alertStaff('staff-dead-deliver'),
    }),
    pipeline.work<IntakeTimerJob>(queueNames.intakeTimerWhatsApp, (job) => p.intakeTimer.run(job.data), {
      concurrency: 2,
      log,
      onDead: async () => undefined, // a missed reminder: the conversation still expires by its TTL
    }),
  ];
  return { lines, workers };
}
