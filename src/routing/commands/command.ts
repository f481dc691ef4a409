// What a staff command is: one entry of the table in ../staff-commands.ts. Adding a
// command is one entry in one of this folder's files, plus its menu line, /help line and
// (if it takes arguments) usage line in the three staff catalogs.
import type { FluentVariable } from '@fluent/bundle';
import type { MessageId } from '../../i18n/index.js';
import type { CaseId, ChannelName, DeskName } from '../../shared/index.js';
import type { StaffRecord } from '../../store/index.js';
import type { CaseDesk } from '../case-desk.js';
import type { DutyContext } from '../duty-context.js';
import type { RosterDesk } from '../roster-desk.js';
import type { RosterViews } from '../roster-views.js';
import type { StaffIdentity } from '../staff-directory.js';
import type { DeskResult, StaffText } from '../staff-text.js';

/** Who may run a command: any active staff, supervisors only, or admins only. */
export type Access = 'staff' | 'supervisor' | 'admin';

/** A person the edge recognised in the message: a mention with their identity, or an @username. */
export type PersonRef = { identity: StaffIdentity; text: string } | { username: string; text: string };

/** A command as the platform edge hands it in, before anyone checked who may run it. */
export interface CommandInput {
  channel: ChannelName;
  /** command name, lower case, without "/" or "@botname" */
  name: string;
  /** what follows the command, people replaced by "@#0", "@#1", ... */
  text: string;
  people: PersonRef[];
  /** the author of the message this one replies to, if a person */
  replyTo?: StaffIdentity;
  /** the sender's roster record; undefined if they are not on it */
  actor?: StaffRecord;
  /** the case whose thread the command was typed in */
  caseId?: CaseId;
  /** the staff chat it was typed in; absent: a private chat, where the sender's own chats count */
  desk?: DeskName;
  /** a long list's page, when a page button asked for it (see DeskResult.pages) */
  page?: number;
}

/** People named in a command (commands/people.ts resolves them against the roster). */
export interface NamedPerson {
  record?: StaffRecord;
  identity?: StaffIdentity;
  /** as it was typed, for a reply that says whom it could not find */
  shown: string;
}

export interface CommandPeople {
  /** the person a word names (or, with no word, the author of the replied-to message) */
  named(input: CommandInput, token: string | undefined): Promise<NamedPerson>;
  /** like `named`, but only an active staff member; otherwise the reply that says why */
  activeStaff(input: CommandInput, token: string | undefined): Promise<StaffRecord | DeskResult>;
}

/** A command that passed the checks of its table entry. */
export interface CommandCall {
  input: CommandInput;
  /** who typed it: active staff, an admin where the entry asks for one */
  actor: StaffRecord;
  /** what follows the command, split on spaces */
  words: string[];
  /** the case it was typed in; always set for an `inCase` command */
  caseId: CaseId;
}

/** The annual monitoring report for a year, rendered for publishing; no content, no identity. */
export type AnnualReport = (year: number) => Promise<{ html: string; csv: string; reports: string }>;

/** What every command's `run` may use. */
export interface CommandDeps {
  ctx: DutyContext;
  caseDesk: CaseDesk;
  rosterDesk: RosterDesk;
  views: RosterViews;
  annualReport?: AnnualReport;
  people: CommandPeople;
  /** a catalog message in the staff language */
  say: (id: MessageId, args?: Record<string, FluentVariable>) => DeskResult;
  /** the command's usage line (`staff-usage.<name>`), when its arguments do not read */
  usage: (args?: Record<string, FluentVariable>) => DeskResult;
  /** a rendered text as the reply */
  show: (text: StaffText) => DeskResult;
}

/** One staff command. */
export interface StaffCommand {
  /** the least role it needs */
  access: Access;
  /** acts on the case whose thread it is typed in (refused elsewhere) */
  inCase: boolean;
  /** sub-commands that need an admin even where the command itself does not */
  adminSubcommands?: readonly string[];
  /** answers with `staff-usage.<name>` when its arguments do not read (the catalogs must have it) */
  usage?: true;
  run(call: CommandCall, deps: CommandDeps): Promise<DeskResult> | DeskResult;
}
