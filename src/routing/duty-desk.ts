// Assembles the duty roster's parts (stores, router, desks, commands) from what the
// composition root already has. Platform-free: the Telegram edge is wired in app.ts.
import { DEFAULT_CASE_LABELS, type StaffVisibility } from '../config/index.js';
import { rosterKeyOf, type KeyRing } from '../crypto/index.js';
import {
  type DeskName,
  type Lang,
  type Logger,
  type Clock,
  type EmergencyNumbers,
  defaultEmergencyNumbers,
  MAIN_DESK,
  type Weekday,
  WorkingCalendar,
} from '../shared/index.js';
import { DutyQueues, type Pipeline } from '../queue/index.js';
import {
  AuditLog,
  DutyStore,
  ReporterBlocks,
  RosterStore,
  TemplateStore,
  type CaseStore,
  type ReporterCaseStore,
  type Redis,
  PrivateCopies,
} from '../store/index.js';
import { createCaseDesk, type CaseDesk } from './case-desk.js';
import { CaseLabels, type CaseLog } from '../cases/index.js';
import type { DeadlinePolicy, DutyContext, Sla, SlaBreach } from './duty-context.js';
import { createRosterDesk, type RosterDesk } from './roster-desk.js';
import { seedRoster } from './roster-seed.js';
import { createRosterViews, type RosterViews } from './roster-views.js';
import { createRouter, type Router } from './router.js';
import { createStaffCommands, type AnnualReport, type StaffCommands } from './staff-commands.js';
import { StaffDirectory } from './staff-directory.js';

export interface DutyDeskOptions {
  redis: Redis;
  /** for the duty queues, when they should not share `redis` (see app.ts) */
  queueConnection?: Redis;
  store: CaseStore;
  reporterCases: ReporterCaseStore;
  caseLog: CaseLog;
  pipeline: Pipeline;
  keys: KeyRing;
  clock: Clock;
  log: Logger;
  timeZone: string;
  staffLang: Lang;
  sla: Sla;
  attempts: number;
  leaseMs: number;
  seed: { adminIds: readonly number[]; counsellorIds: readonly number[] };
  emergency?: EmergencyNumbers;
  /** the help contacts of /rights (RIGHTS_PAGES), in a language: what /contacts sends a reporter */
  helpContacts?: (lang: Lang) => string;
  /** `/report YEAR` for admins; absent, the command explains its usage */
  annualReport?: AnnualReport;
  /** told of every SLA breach (metrics) */
  onSlaBreach?: (breach: SlaBreach) => void;
  /** STAFF_VISIBILITY (default shared) */
  visibility?: StaffVisibility;
  /** the staff chats configured (default: only the main one) */
  desks?: readonly DeskName[];
  /** CASE_LABELS: the labels /label offers (default: needs-follow-up, referred, formal-complaint) */
  labelWords?: readonly string[];
  /** OVERSIGHT_CONTACTS: where else a reporter can turn (told to a blocked one) */
  elsewhere?: string;
  /** BLOCK_NEW_CASES_FOR (default 30 days) */
  blockNewCasesMs?: number;
  /** the intake's categories (flows' reportCategories), for /record */
  categories?: readonly string[];
  /** CASE_DEADLINES, WORKING_DAYS, HOLIDAYS, DEADLINE_REMIND_BEFORE (default: none, Monday to Friday) */
  deadlines?: { limits: DeadlinePolicy['limits']; workdays: readonly Weekday[]; holidays: readonly string[]; remindBeforeMs: number };
}

/** The staff side, assembled: the roster's stores, the router and the desks. */
export interface DutyDesk {
  readonly ctx: DutyContext;
  readonly router: Router;
  readonly caseDesk: CaseDesk;
  readonly rosterDesk: RosterDesk;
  readonly views: RosterViews;
  readonly commands: StaffCommands;
  readonly directory: StaffDirectory;
  readonly queues: DutyQueues;
}

export async function createDutyDesk(o: DutyDeskOptions): Promise<DutyDesk> {
  const rosterKey = rosterKeyOf(o.keys.pepper);
  const roster = new RosterStore(o.redis);
  const directory = new StaffDirectory(roster, o.keys.pepper);
  const audit = new AuditLog(o.redis, rosterKey);
  const queues = new DutyQueues(o.pipeline, { connection: o.queueConnection ?? o.redis, attempts: o.attempts, log: o.log });
  const ctx: DutyContext = {
    redis: o.redis,
    store: o.store,
    reporterCases: o.reporterCases,
    caseLog: o.caseLog,
    labels: new CaseLabels(o.store, o.caseLog),
    labelWords: o.labelWords ?? DEFAULT_CASE_LABELS,
    categories: o.categories ?? [],
    blocks: new ReporterBlocks(o.redis),
    blockNewCasesMs: o.blockNewCasesMs ?? 30 * 86_400_000,
    ...(o.elsewhere ? { elsewhere: o.elsewhere } : {}),
    deadlines: {
      limits: o.deadlines?.limits ?? {},
      calendar: new WorkingCalendar(o.timeZone, o.deadlines?.workdays ?? [0, 1, 2, 3, 4], o.deadlines?.holidays ?? []),
      remindBeforeMs: o.deadlines?.remindBeforeMs ?? 24 * 3600_000,
    },
    pipeline: o.pipeline,
    queues,
    duty: new DutyStore(o.redis),
    roster,
    directory,
    audit,
    templates: new TemplateStore(o.redis, rosterKey),
    copies: new PrivateCopies(o.redis),
    clock: o.clock,
    timeZone: o.timeZone,
    staffLang: o.staffLang,
    visibility: o.visibility ?? 'shared',
    desks: o.desks ?? [MAIN_DESK],
    sla: o.sla,
    emergency: o.emergency ?? defaultEmergencyNumbers,
    ...(o.helpContacts ? { helpContacts: o.helpContacts } : {}),
    leaseMs: o.leaseMs,
    log: o.log,
    onSlaBreach: o.onSlaBreach,
  };
  const seeded = await seedRoster({ roster, directory, audit }, { ...o.seed, now: o.clock.now() });
  if (seeded.admins || seeded.counsellors) {
    o.log.info({ event: 'roster.seeded', admins: seeded.admins, counsellors: seeded.counsellors }, 'staff from the environment put on the roster');
  }
  const router = createRouter(ctx);
  const caseDesk = createCaseDesk(ctx, router);
  const rosterDesk = createRosterDesk(ctx, router, { configAdmins: seeded.adminHandles });
  const views = createRosterViews(ctx);
  const commands = createStaffCommands({ ctx, caseDesk, rosterDesk, views, ...(o.annualReport ? { annualReport: o.annualReport } : {}) });
  return { ctx, router, caseDesk, rosterDesk, views, commands, directory, queues };
}
