// The `whatsapp` role: runs the WhatsApp trust lines (WHATSAPP_NUMBERS). A line takes
// its reporters' messages and, since it can only send from the process holding it, it
// sends their answers and reminders too: this role works those queues itself. Loaded
// only when lines are configured: whatsapp-web.js brings puppeteer and Chromium.
import type { Worker } from 'bullmq';
import { type FlushJob, type IntakeTimerJob, queueNames } from '../../queue/index.js';
import type { HotlineParts } from '../parts.js';

export interface WhatsAppRole {
  /** for /healthz */
  readonly workers: readonly Worker[];
  /** Closes the lines (messages in hand are finished first). */
  stopTaking(): Promise<void>;
  /** The lines' own workers, closed with the other workers. */
  closeWorkers(): Promise<void>;
}

export async function startWhatsApp(p: HotlineParts): Promise<WhatsAppRole> {
  const { config, log, pipeline } = p;
  const { startWhatsAppLines } = await import('../../bot/whatsapp/index.js');
  const lines = startWhatsAppLines({
    config: config.whatsapp,
    redis: p.redis,
    intake: p.intake,
    reader: p.reader,
    outage: p.outage,
    keys: p.keys,
    store: p.store,
    log,
    staffLang: config.staff.lang,
    tellStaff: (text) => p.bot.api.sendMessage(config.staff.chatId, text),
    ...p.platform.whatsapp,
  });
  // Before the workers, so a queued answer to a WhatsApp case finds its channel.
  p.channels.set('whatsapp', lines.channel);
  const workers: Worker[] = [
    pipeline.work<FlushJob>(queueNames.reporterWhatsApp, (job) => p.reporterRelay.flush(job.data.caseId, String(job.id)), {
      concurrency: 8,
      log,
      onDead: p.alertStaff('staff-dead-deliver'),
    }),
    pipeline.work<IntakeTimerJob>(queueNames.intakeTimerWhatsApp, (job) => p.intakeTimer.run(job.data, 'whatsapp'), {
      concurrency: 2,
      log,
      onDead: () => Promise.resolve(), // a missed reminder: the conversation still expires by its TTL
    }),
  ];
  return {
    workers,
    stopTaking: () => lines.stop(),
    async closeWorkers() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
