// WhatsApp trust lines: one WhatsAppLine per configured number, their inboxes into the
// shared intake, and one ReporterChannel that answers through the right line. Loaded by
// the composition root only when WHATSAPP_NUMBERS is set.
import type { WhatsAppConfig } from '../../config/index.js';
import type { KeyRing } from '../../crypto/index.js';
import type { Intake, Reader } from '../../flows/index.js';
import { t } from '../../i18n/index.js';
import type { Lang, Logger, StorageOutage } from '../../shared/index.js';
import type { CaseStore, Redis } from '../../store/index.js';
import type { ReporterChannel } from '../../relay/index.js';
import { whatsappChannel } from './channel.js';
import type { WaMediaFactory, WhatsAppClientFactory } from './client.js';
import { WhatsAppLine, type LineReport, type LineTiming } from './line.js';
import { whatsappReporter } from './reporter.js';
import { mediaOf, webClientFactory } from './web-client.js';

export interface WhatsAppLinesDeps {
  config: WhatsAppConfig;
  redis: Redis;
  intake: Intake;
  /** /rights: the pages a reporter reads */
  reader: Reader;
  /** Redis unreachable: messages are held and retried until this gives up */
  outage: StorageOutage;
  keys: KeyRing;
  store: CaseStore;
  log: Logger;
  staffLang: Lang;
  /** Posts to the staff chat. */
  tellStaff: (text: string) => Promise<unknown>;
  /** Tests pass a fake; production launches Chromium through whatsapp-web.js. */
  createClient?: WhatsAppClientFactory;
  /** Tests pass a fake; production makes whatsapp-web.js's MessageMedia. */
  createMedia?: WaMediaFactory;
  timing?: Partial<LineTiming>;
}

export interface WhatsAppLines {
  channel: ReporterChannel;
  lines: ReadonlyMap<string, WhatsAppLine>;
  stop(): Promise<void>;
}

export function startWhatsAppLines(deps: WhatsAppLinesDeps): WhatsAppLines {
  const { config, log } = deps;
  const createClient = deps.createClient ?? webClientFactory(config, log);
  const hour = 3600_000;
  const lines = new Map<string, WhatsAppLine>();
  config.lines.forEach((name, i) => {
    const restartMs = config.restartHours * hour;
    const line = new WhatsAppLine({
      line: name,
      redis: deps.redis,
      createClient,
      createMedia: deps.createMedia ?? mediaOf,
      inbox: whatsappReporter({ line: name, intake: deps.intake, reader: deps.reader, outage: deps.outage, keys: deps.keys, store: deps.store, log }),
      log,
      lockMs: config.lockMs,
      report: (report) => {
        deps.tellStaff(staffText(report, deps.staffLang)).catch((err: unknown) => {
          log.error({ err, report: report.type, line: report.line }, 'could not tell staff about a WhatsApp line');
        });
      },
      timing: {
        restartMs,
        // Lines restart spread over the period, never all at once.
        restartOffsetMs: Math.floor((restartMs * i) / config.lines.length),
        memoryMs: config.memoryLogMinutes * 60_000,
        restartAboveBytes: config.restartAboveMb * 1024 * 1024,
        ...deps.timing,
      },
    });
    lines.set(name, line);
    line.start();
  });
  log.info({ event: 'whatsapp.started', lines: config.lines }, 'WhatsApp trust lines starting');
  return {
    channel: whatsappChannel(lines),
    lines,
    async stop() {
      await Promise.all([...lines.values()].map((l) => l.stop()));
    },
  };
}

/** What staff read about a line: its name and what to do, nothing of any reporter. */
export function staffText(report: LineReport, lang: Lang): string {
  switch (report.type) {
    case 'needs-login':
      return t(lang, 'staff-whatsapp-needs-login', { line: report.line });
    case 'failing':
      return t(lang, 'staff-whatsapp-failing', { line: report.line, reason: report.reason });
    case 'restored':
      return t(lang, 'staff-whatsapp-restored', { line: report.line });
  }
}

export type { WaMediaFactory, WhatsAppClient, WhatsAppClientFactory } from './client.js';
export { lineLockName } from './line-lease.js';
export type { LineTiming } from './line.js';
export { sessionDirOf, webClientFactory } from './web-client.js';
