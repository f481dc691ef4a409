// What every part of the intake needs, built once in createIntake.
import type { IntakeConfig } from '../config/index.js';
import type { KeyRing } from '../crypto/index.js';
import type { CaseId, Lang, Logger } from '../shared/index.js';
import type { Pipeline } from '../queue/index.js';
import type { CaseLog } from '../cases/index.js';
import type { EvidenceCleaner, VoiceMask } from '../evidence/index.js';
import type { AttemptCounter, ReporterBlocks, CaseStore, InboundBudget, ConversationStore, ReporterCaseStore } from '../store/index.js';
import type { PromptSettings } from './prompts.js';
import type { Reply } from './reply.js';
import type { Reader } from './rights.js';
import { riskDetector, type RiskDetector } from './risk.js';

export interface IntakeDeps {
  store: CaseStore;
  caseLog: CaseLog;
  log: Logger;
  pipeline: Pipeline;
  keys: KeyRing;
  conversations: ConversationStore;
  reporterCases: ReporterCaseStore;
  attempts: AttemptCounter;
  /** reporter keys an admin blocked for abuse: no new case from them (see routing/case-blocks.ts) */
  blocks: ReporterBlocks;
  /** how many messages each reporter may hand in (a flood is turned away) */
  inbound: InboundBudget;
  config: IntakeConfig;
  /** takes the metadata out of a reporter's files before they are kept */
  cleaner: EvidenceCleaner;
  /** disguises the voice in voice notes and videos (VOICE_MASK) */
  masker: VoiceMask;
  /** how long one reporter's update may hold their state */
  leaseMs: number;
  /**
   * Set when an oversight chat is configured: moves an open case there (the reporter said,
   * after an urgent case was opened, that it concerns the hotline's own staff). False if it was there already.
   */
  moveToOversight?: (caseId: CaseId) => Promise<boolean>;
  /** the pages of /rights, for a reporter who chooses to read first */
  reader?: Reader;
  /**
   * With replicas (REDIS_SENTINELS): waits until a replica has what this update wrote, so
   * what the reporter is told was received survives a failover.
   */
  replicated?: () => Promise<void>;
  now?: () => number;
}

export interface IntakeContext extends Omit<IntakeDeps, 'now'> {
  now: () => number;
  risk: RiskDetector;
  settings: PromptSettings;
}

export function intakeContext(deps: IntakeDeps): IntakeContext {
  return {
    ...deps,
    now: deps.now ?? Date.now,
    risk: riskDetector(deps.config.riskWords),
    settings: { emergencyNumbers: deps.config.emergencyNumbers, evidence: deps.config.evidence },
  };
}

/** The answer to one inbound update. */
export interface Handled {
  lang: Lang;
  replies: Reply[];
  ack?: boolean;
  answered?: boolean;
  /** clear the reporter's chat before replying (see IntakeOutcome) */
  wipe?: boolean;
}

export const say = (text: string): Reply => ({ text });

/** Where a blocked reporter can turn instead (EMERGENCY_NUMBERS, OVERSIGHT_CONTACTS). */
export const elsewhereHelp = (ctx: Pick<IntakeContext, 'config'>) => ({
  numbers: ctx.config.emergencyNumbers,
  ...(ctx.config.oversightContacts ? { contacts: ctx.config.oversightContacts } : {}),
});
