// The reporter side: the intake conversation every channel hands its messages to, the
// relay that carries answers back through whichever channel a reporter wrote from, and
// the timer that reminds an unfinished conversation.
import type { Config } from '../config/index.js';
import { mat2Cleaner, voiceMask } from '../evidence/index.js';
import type { KeyRing } from '../crypto/index.js';
import { createIntake, createIntakeTimer, createReader, type Intake, type IntakeDeps, type IntakeTimer, type Reader } from '../flows/index.js';
import type { Rights } from '../rights/index.js';
import type { HotlineMetrics } from '../health/index.js';
import { createReporterRelay, type ReporterChannel, type ReporterRelay } from '../relay/index.js';
import { type CaseId, type ChannelName, type Logger, OVERSIGHT_DESK } from '../shared/index.js';
import { AttemptCounter, ReporterBlocks, ConversationStore, DutyStore, InboundBudget, type Redis } from '../store/index.js';
import { moveCase } from '../cases/index.js';
import type { Storage } from './storage.js';

/** How long an acknowledgement waits for a replica (REDIS_SENTINELS) before it goes out anyway, logged. */
const REPLICA_WAIT_MS = 2_000;
/** How often the primary is asked how many replicas it has. */
const REPLICAS_CHECK_MS = 5_000;

/**
 * `WAIT 1` after an update's writes, while the primary has a replica: the write is then
 * on two machines before the reporter is told it arrived. A primary left without replicas
 * (after a failover, until the old one is back as a replica) is not waited on, or every
 * message would take REPLICA_WAIT_MS; that is logged. The write is on the primary's disk
 * already: a WAIT that fails (a failover under way) does not unmake its acknowledgement.
 */
function replicaWait(redis: Redis, log: Logger): () => Promise<void> {
  let replicas = 1;
  let checkedAt = 0;
  return async () => {
    if (Date.now() - checkedAt > REPLICAS_CHECK_MS) {
      checkedAt = Date.now();
      const info = await redis.info('replication').catch(() => '');
      const connected = Number(/^connected_slaves:(\d+)/m.exec(info)?.[1] ?? '1');
      if (connected === 0 && replicas > 0) log.warn({ event: 'redis.no-replica' }, 'the Redis primary has no replica: acknowledgements do not wait for one');
      replicas = connected;
    }
    if (replicas === 0) return;
    if ((await redis.wait(1, REPLICA_WAIT_MS).catch(() => 0)) < 1) log.warn({ event: 'redis.not-replicated' }, 'no replica confirmed a write in time');
  };
}

export interface IntakeParts {
  readonly intakeDeps: IntakeDeps;
  readonly intake: Intake;
  /** the ways out to reporters running in this process; WhatsApp joins when its lines start here */
  readonly channels: Map<ChannelName, ReporterChannel>;
  readonly reporterRelay: ReporterRelay;
  readonly intakeTimer: IntakeTimer;
  /** the pages a reporter reads with /rights (an installation's own file checked here, at start-up) */
  readonly reader: Reader;
}

export function buildIntake(deps: {
  config: Config;
  keys: KeyRing;
  log: Logger;
  storage: Storage;
  metrics: HotlineMetrics;
  /** the pages a reporter can read (/rights), loaded and checked at start-up */
  rights: Rights;
  /** the channels this process has from the start (Telegram) */
  channels: Iterable<[ChannelName, ReporterChannel]>;
  /** an answer waits for the reporter's quiet hours: staff are told */
  onHeld?: (caseId: CaseId, seq: number, until: number) => Promise<void>;
}): IntakeParts {
  const { config, keys, log, storage } = deps;
  const { redis, store, caseLog, pipeline } = storage;
  const reader = createReader({ rights: deps.rights, onRead: deps.metrics.rightsPageRead });
  const intakeDeps: IntakeDeps = {
    reader,
    ...(config.redis.sentinels ? { replicated: replicaWait(redis, log) } : {}),
    store,
    caseLog,
    log,
    pipeline,
    keys,
    // Kept an hour past expiry, so the expiry job can still tell the reporter.
    conversations: new ConversationStore(redis, keys.pepper, config.intake.expireAfterMs + 3_600_000),
    reporterCases: storage.reporterCases,
    attempts: new AttemptCounter(redis, 3_600_000),
    blocks: new ReporterBlocks(redis),
    inbound: new InboundBudget(redis, config.intake.flood),
    config: config.intake,
    cleaner: mat2Cleaner({ ...config.intake.cleaning, log }),
    masker: voiceMask({ ...config.intake.voice, tmpDir: config.intake.cleaning.tmpDir, timeoutMs: config.intake.cleaning.timeoutMs, log }),
    // Long enough for a file download and a passphrase hash.
    leaseMs: Math.max(config.jobs.lockMs, 30_000),
    ...(config.staff.oversightChatId !== undefined
      ? {
          moveToOversight: (caseId: CaseId) =>
            moveCase({ redis, store, duty: new DutyStore(redis), pipeline, leaseMs: config.jobs.lockMs }, caseId, OVERSIGHT_DESK, Date.now()),
        }
      : {}),
  };
  const channels = new Map(deps.channels);
  const reporterRelay = createReporterRelay({
    redis,
    store,
    caseLog,
    log,
    keys,
    channels,
    leaseMs: config.jobs.lockMs,
    timeZone: config.timeZone,
    ...(deps.onHeld ? { onHeld: deps.onHeld } : {}),
    opened: storage.opened,
    onDelivered: deps.metrics.deliveredToReporter,
    // Every process is given the same WHATSAPP_NUMBERS; one with the whatsapp role runs
    // the lines, and answers to their reporters are sent from there.
    async handOver(caseId, channel, seq) {
      if (channel !== 'whatsapp' || config.whatsapp.lines.length === 0) return false;
      await pipeline.deliverThroughWhatsApp(caseId, seq);
      return true;
    },
  });
  return {
    intakeDeps,
    intake: createIntake(intakeDeps),
    channels,
    reporterRelay,
    // Reminders go out like answers, through whichever channel the reporter wrote from.
    intakeTimer: createIntakeTimer({ ...intakeDeps, notify: reporterRelay.notify }),
    reader,
  };
}
