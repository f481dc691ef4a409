// What the composition root (app.ts) builds once per process and hands to the
// roles it runs: the stores, the queues, the Telegram API and the duty desk. Building
// them starts nothing; each role decides what of it runs.
import type { StaffAdmins, StaffDesks, StaffMembership, StaffRenderer, TelegramBot } from '../bot/telegram/index.js';
import type { ReporterMessages, CaseStore, Redis, ReporterCaseStore, SendBudget } from '../store/index.js';
import type { Job } from 'bullmq';
import type { Config } from '../config/index.js';
import type { KeyRing } from '../crypto/index.js';
import type { Intake, IntakeDeps, IntakeTimer, Reader } from '../flows/index.js';
import type { CaseId, ChannelName, CounsellorId, Logger, StorageOutage } from '../shared/index.js';
import type { Pipeline } from '../queue/index.js';
import type { CaseLog } from '../cases/index.js';
import type { DutyDesk } from '../routing/index.js';
import type { ReporterChannel, ReporterRelay } from '../relay/index.js';
import type { WaMediaFactory, WhatsAppClientFactory, LineTiming } from '../bot/whatsapp/index.js';
import type { HotlineMetrics } from '../health/index.js';

/** Seams for tests: a fake WhatsApp client instead of Chromium, faster session timings. */
export interface PlatformOverrides {
  whatsapp?: { createClient?: WhatsAppClientFactory; createMedia?: WaMediaFactory; timing?: Partial<LineTiming> };
}

export interface HotlineParts {
  config: Config;
  keys: KeyRing;
  log: Logger;
  platform: PlatformOverrides;
  redis: Redis;
  /** for queues (and the retention scheduler), see app.ts */
  queueRedis: Redis;
  store: CaseStore;
  caseLog: CaseLog;
  reporterCases: ReporterCaseStore;
  pipeline: Pipeline;
  bot: TelegramBot;
  /** who in the staff chat posts anonymously (counted, never named) */
  admins: StaffAdmins;
  /** keeps the staff chat to the roster */
  membership: StaffMembership;
  /** message ids of reporters' Telegram chats, for /wipe and /forget */
  reporterMessages: ReporterMessages;
  /** Telegram's flood limits, shared by every process through Redis (undefined: none) */
  budget: SendBudget | undefined;
  /** what /metrics reports of this process */
  metrics: HotlineMetrics;
  /** the staff chats a case can live in */
  desks: StaffDesks;
  intakeDeps: IntakeDeps;
  /** where reporters' messages go, from whichever channel */
  intake: Intake;
  duty: DutyDesk;
  render: StaffRenderer;
  /** The ways out to reporters running in this process; WhatsApp joins when its lines start here. */
  channels: Map<ChannelName, ReporterChannel>;
  reporterRelay: ReporterRelay;
  intakeTimer: IntakeTimer;
  /** the pages a reporter reads with /rights */
  reader: Reader;
  /** Redis unreachable: how long a reporter's message is held and retried before they are told (REDIS_OUTAGE_HOLD) */
  outage: StorageOutage;
  /** A staff member's private chat with the bot (its id is their Telegram user id), if they are on Telegram. */
  privateChatOf: (id: CounsellorId) => Promise<number | undefined>;
  /**
   * Tells staff what could not be done, naming only the case code: the staff chat, or
   * in need-to-know mode an undelivered answer to the holder's private chat, where they wrote it.
   */
  alertStaff: (message: 'staff-dead-post' | 'staff-dead-deliver') => (job: Job<{ caseId: CaseId }>, reason: string) => Promise<void>;
}
