// The staff side: the roster (seeded from STAFF_ADMIN_IDS and STAFF_USER_IDS), the router
// with its SLA timers, the desks and the staff commands, and /report's annual report.
import { type Config, deskNames } from '../config/index.js';
import type { KeyRing } from '../crypto/index.js';
import type { HotlineMetrics } from '../health/index.js';
import { reportCategories } from '../flows/index.js';
import { annualReportOf } from '../report/index.js';
import { createDutyDesk, type DutyDesk } from '../routing/index.js';
import type { Clock, Logger } from '../shared/index.js';
import type { Storage } from './storage.js';
import type { Rights } from '../rights/index.js';

export function buildDuty(deps: {
  config: Config;
  keys: KeyRing;
  log: Logger;
  clock: Clock;
  storage: Storage;
  metrics: HotlineMetrics;
  /** the pages of /rights: their help contacts are what /contacts sends */
  rights: Rights;
}): Promise<DutyDesk> {
  const { config, keys, log, clock, storage, metrics } = deps;
  return createDutyDesk({
    redis: storage.redis,
    queueConnection: storage.queueRedis,
    store: storage.store,
    reporterCases: storage.reporterCases,
    caseLog: storage.caseLog,
    pipeline: storage.pipeline,
    keys,
    clock,
    log,
    timeZone: config.timeZone,
    staffLang: config.staff.lang,
    visibility: config.staff.visibility,
    desks: deskNames(config),
    labelWords: config.staff.labels,
    categories: reportCategories(),
    blockNewCasesMs: config.intake.blockNewCasesMs,
    ...(config.intake.oversightContacts ? { elsewhere: config.intake.oversightContacts } : {}),
    deadlines: config.deadlines,
    sla: config.sla,
    attempts: config.jobs.attempts,
    leaseMs: config.jobs.lockMs,
    seed: { adminIds: [...config.staff.adminIds], counsellorIds: [...config.staff.userIds] },
    emergency: config.intake.emergencyNumbers,
    helpContacts: deps.rights.contacts,
    annualReport: annualReportOf({
      redis: storage.redis,
      timeZone: config.timeZone,
      minCell: config.report.minCell,
      firstAnswerSlaHours: config.report.firstAnswerSlaHours,
      lang: config.staff.lang,
    }),
    onSlaBreach: metrics.slaBreached,
  });
}
