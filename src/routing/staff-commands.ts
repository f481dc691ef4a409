// Staff-chat commands, independent of the platform: one table, one entry per command
// (commands/*.ts), saying what it needs (staff or admin, inside a case or anywhere) and
// what it does. The Telegram edge hands in the text with every person it could identify
// replaced by a placeholder ("@#0"), plus who those people are; the menu and /help come
// from the catalogs, one line per command.
import type { FluentVariable } from '@fluent/bundle';
import { caseCommands } from './commands/case-commands.js';
import type { AnnualReport, CommandDeps, CommandInput, StaffCommand } from './commands/command.js';
import { hotlineCommands } from './commands/hotline-commands.js';
import { commandPeople } from './commands/people.js';
import { rosterCommands } from './commands/roster-commands.js';
import type { CaseDesk } from './case-desk.js';
import type { DutyContext } from './duty-context.js';
import type { RosterDesk } from './roster-desk.js';
import type { RosterViews } from './roster-views.js';
import { reply, staffText, usageOf, type DeskResult } from './staff-text.js';
import { inDesk } from './roster.js';

export type { Access, AnnualReport, CommandInput, PersonRef, StaffCommand } from './commands/command.js';

/** Every staff command. */
export const staffCommands = { ...caseCommands, ...rosterCommands, ...hotlineCommands } satisfies Record<string, StaffCommand>;

export type CommandName = keyof typeof staffCommands;

export const isCommandName = (name: string): name is CommandName => Object.hasOwn(staffCommands, name);

/** The table entry of a command, seen through the common contract. */
export const entryOf = (name: CommandName): StaffCommand => staffCommands[name];

/** In the order the command menu shows them: what every counsellor uses first, the admins' last. */
export const commandNames: readonly CommandName[] = (Object.keys(staffCommands) as CommandName[]).sort(
  (a, b) => Number(entryOf(a).access === 'admin') - Number(entryOf(b).access === 'admin'),
);

export type Denial = 'not-staff' | 'not-admin' | 'not-supervisor' | 'needs-case';

/** Who may run what: checked before anything else, so a refused command does nothing. */
export function authorize(input: Pick<CommandInput, 'name' | 'text' | 'actor' | 'caseId' | 'desk'>): Denial | undefined {
  // Staff of another chat are strangers here: oversight members in the main chat, and the other way round.
  if (!input.actor?.active || (input.desk !== undefined && !inDesk(input.actor, input.desk))) return 'not-staff';
  if (!isCommandName(input.name)) return undefined; // answered with the help hint
  const command = entryOf(input.name);
  const sub = input.text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const needsAdmin = command.access === 'admin' || (command.adminSubcommands?.includes(sub) ?? false);
  if (needsAdmin && input.actor.role !== 'admin') return 'not-admin';
  if (command.access === 'supervisor' && input.actor.role !== 'supervisor') return 'not-supervisor';
  if (command.inCase && !input.caseId) return 'needs-case';
  return undefined;
}

export interface StaffCommands {
  /** Checks who may run the command, then runs it; every outcome is a reply. */
  run(input: CommandInput): Promise<DeskResult>;
}

export function createStaffCommands(deps: {
  ctx: DutyContext;
  caseDesk: CaseDesk;
  rosterDesk: RosterDesk;
  views: RosterViews;
  annualReport?: AnnualReport;
}): StaffCommands {
  const lang = deps.ctx.staffLang;
  const say = (id: Parameters<typeof staffText>[1], args?: Record<string, FluentVariable>) => reply(staffText(lang, id, args));
  const shared = { ...deps, people: commandPeople(deps.ctx, say), say, show: reply };

  return {
    async run(input) {
      const denial = authorize(input);
      if (denial) return say(`cmd-${denial}`);
      if (!isCommandName(input.name)) return say('cmd-unknown', { name: input.name });
      const name = input.name;
      const commandDeps: CommandDeps = { ...shared, usage: (args) => reply(usageOf(lang, name, args)) };
      const words = input.text.trim().split(/\s+/).filter(Boolean);
      // authorize() made sure of the actor, and of the case for a command that needs one
      return entryOf(name).run({ input, actor: input.actor!, words, caseId: input.caseId! }, commandDeps);
    },
  };
}
