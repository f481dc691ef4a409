// Staff-chat commands, independent of the platform: what each command needs (staff or
// admin, inside a case or anywhere), how its arguments read, and which desk does it.
// The Telegram edge hands in the text with every person it could identify replaced by
// a placeholder ("@#0"), plus who those people are.
import {
  type CaseId,
  type ChannelName,
  parseDate,
  parseDays,
  parseDuration,
  parseLangs,
  parseTimeRange,
  addDays,
  instantOf,
  localTimeOf,
} from '../shared/index.js';
import type { StaffRecord } from '../store/index.js';
import type { CaseDesk } from './case-desk.js';
import type { DutyContext } from './duty-context.js';
import { parseStatus, staffStatuses } from '../cases/index.js';
import type { RosterDesk } from './roster-desk.js';
import type { RosterViews } from './roster-views.js';
import type { Enrolment, StaffIdentity } from './staff-directory.js';
import { joinTexts, reply, staffText, type DeskResult } from './staff-text.js';

export type Access = 'staff' | 'admin';

/** Every command, the least role it needs, and whether it acts on the case it is typed in. */
export const commandSpecs = {
  help: { access: 'staff', inCase: false },
  roster: { access: 'staff', inCase: false },
  oncall: { access: 'staff', inCase: false },
  away: { access: 'staff', inCase: false },
  swap: { access: 'staff', inCase: false },
  take: { access: 'staff', inCase: true },
  transfer: { access: 'staff', inCase: true },
  recuse: { access: 'staff', inCase: true },
  status: { access: 'staff', inCase: true },
  followup: { access: 'staff', inCase: true },
  t: { access: 'staff', inCase: true },
  templates: { access: 'staff', inCase: false },
  shift: { access: 'staff', inCase: false },
  staff: { access: 'admin', inCase: false },
  audit: { access: 'admin', inCase: false },
  hold: { access: 'admin', inCase: true },
  erase: { access: 'admin', inCase: true },
  report: { access: 'admin', inCase: false },
} as const satisfies Record<string, { access: Access; inCase: boolean }>;

export type CommandName = keyof typeof commandSpecs;

/** Sub-commands that change the roster or templates need an admin even where the command itself does not. */
const adminSubcommands: Partial<Record<CommandName, readonly string[]>> = {
  shift: ['add', 'remove'],
  templates: ['set', 'remove'],
};

export const isCommandName = (name: string): name is CommandName => Object.hasOwn(commandSpecs, name);

/** A person the edge recognised in the message: a mention with their identity, or an @username. */
export type PersonRef = { identity: StaffIdentity; text: string } | { username: string; text: string };

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
}

export type Denial = 'not-staff' | 'not-admin' | 'needs-case';

/** Who may run what: checked before anything else, so a refused command does nothing. */
export function authorize(input: Pick<CommandInput, 'name' | 'text' | 'actor' | 'caseId'>): Denial | undefined {
  if (!input.actor?.active) return 'not-staff';
  if (!isCommandName(input.name)) return undefined; // answered with the help hint
  const spec = commandSpecs[input.name];
  const sub = input.text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const needsAdmin = spec.access === 'admin' || (adminSubcommands[input.name]?.includes(sub) ?? false);
  if (needsAdmin && input.actor.role !== 'admin') return 'not-admin';
  if (spec.inCase && !input.caseId) return 'needs-case';
  return undefined;
}

const PLACEHOLDER = /^@#(\d+)$/;

/** The text after the first `n` words, as typed. */
function after(text: string, n: number): string {
  let rest = text.trimStart();
  for (let i = 0; i < n; i++) rest = rest.replace(/^\S+\s*/, '');
  return rest.trim();
}

/** The annual monitoring report for a year, rendered for publishing; no content, no identity. */
export type AnnualReport = (year: number) => Promise<{ html: string; csv: string; reports: string }>;

export function createStaffCommands(deps: { ctx: DutyContext; caseDesk: CaseDesk; rosterDesk: RosterDesk; views: RosterViews; annualReport?: AnnualReport }) {
  const { ctx, caseDesk, rosterDesk, views } = deps;
  const lang = ctx.staffLang;
  const say = (id: Parameters<typeof staffText>[1], args?: Parameters<typeof staffText>[2]) => reply(staffText(lang, id, args));

  /** A person in the command (by placeholder, or the replied-to author), resolved against the roster. */
  async function person(input: CommandInput, token: string | undefined): Promise<{ record?: StaffRecord; identity?: StaffIdentity; shown: string }> {
    const m = token ? PLACEHOLDER.exec(token) : null;
    if (m) {
      const ref = input.people[Number(m[1])];
      if (!ref) return { shown: token ?? '' };
      if ('identity' in ref) {
        const record = await ctx.directory.lookup(ref.identity.channel, ref.identity.address);
        return { ...(record ? { record } : {}), identity: ref.identity, shown: ref.text };
      }
      const found = await ctx.directory.byUsername(input.channel, ref.username);
      return { ...found, shown: ref.text };
    }
    if (token === undefined && input.replyTo) {
      const record = await ctx.directory.lookup(input.replyTo.channel, input.replyTo.address);
      return { ...(record ? { record } : {}), identity: input.replyTo, shown: input.replyTo.name };
    }
    if (token && !token.startsWith('@')) {
      const matches = await ctx.directory.byName(token);
      if (matches.length === 1) return { record: matches[0]!, shown: token };
    }
    return { shown: token ?? '' };
  }

  async function activeStaff(input: CommandInput, token: string | undefined): Promise<StaffRecord | DeskResult> {
    const p = await person(input, token);
    if (p.record?.active) return p.record;
    if (!token && !input.replyTo) return say('cmd-need-person');
    return say('cmd-person-unknown', { who: p.shown || '?' });
  }

  const isResult = (x: StaffRecord | DeskResult): x is DeskResult => 'replies' in x;
  const isPerson = (token: string | undefined) => token !== undefined && PLACEHOLDER.test(token);

  async function staff(input: CommandInput, actor: StaffRecord, words: string[]): Promise<DeskResult> {
    const sub = words[0]?.toLowerCase();
    if (sub === 'list' || sub === undefined) return reply(await views.staffList());
    if (sub === 'remove') {
      const target = await activeStaff(input, words.find(isPerson) ?? words[1]);
      return isResult(target) ? target : rosterDesk.removeStaff(actor, target);
    }
    if (sub !== 'add') return say('usage-staff');
    const token = words.slice(1).find(isPerson);
    const p = await person(input, token);
    if (!p.identity) return p.shown ? say('cmd-person-unseen', { who: p.shown }) : say('cmd-need-person');
    const options = words
      .slice(1)
      .filter((w) => !isPerson(w))
      .map((w) => w.toLowerCase());
    const e: Enrolment = {
      role: options.includes('admin') ? 'admin' : options.includes('counsellor') ? 'counsellor' : (p.record?.role ?? 'counsellor'),
      langs: options.map((o) => parseLangs(o)).find((l) => l !== undefined) ?? p.record?.langs ?? [],
      escalation: options.includes('escalation') ? true : options.includes('no-escalation') ? false : (p.record?.escalation ?? false),
    };
    const unknown = options.filter((o) => !['admin', 'counsellor', 'escalation', 'no-escalation'].includes(o) && !parseLangs(o));
    if (unknown.length) return say('usage-staff');
    return rosterDesk.addStaff(actor, p.identity, e);
  }

  async function shift(input: CommandInput, actor: StaffRecord, words: string[]): Promise<DeskResult> {
    const sub = words[0]?.toLowerCase();
    if (sub === 'list' || sub === undefined) return reply(await views.shiftList());
    if (sub === 'remove' && words[1]) return rosterDesk.removeShift(actor, words[1]);
    if (sub !== 'add' || words.length < 4) return say('usage-shift');
    const target = await activeStaff(input, words[1]);
    if (isResult(target)) return target;
    const days = parseDays(words[2]!);
    const range = parseTimeRange(words[3]!);
    if (!days || !range) return say('usage-shift');
    return rosterDesk.addShift(actor, target, days, range.start, range.end);
  }

  async function away(input: CommandInput, actor: StaffRecord, words: string[]): Promise<DeskResult> {
    let target = actor;
    if (isPerson(words[0])) {
      const t = await activeStaff(input, words.shift());
      if (isResult(t)) return t;
      if (t.id !== actor.id && actor.role !== 'admin') return say('cmd-not-admin');
      target = t;
    }
    const now = ctx.clock.now();
    const today = localTimeOf(now, ctx.timeZone);
    const first = words[0]?.toLowerCase();
    if (first === 'off' || first === 'back') return rosterDesk.awayOff(actor, target);
    const duration = first ? parseDuration(first) : undefined;
    if (duration) return rosterDesk.away(actor, target, now, now + duration);
    if (first === 'until' && words[1]) {
      const until = parseDate(words[1], today);
      return until ? rosterDesk.away(actor, target, now, instantOf(until, 0, ctx.timeZone)) : say('usage-away');
    }
    const from = first ? parseDate(first, today) : undefined;
    const to = words[1] ? parseDate(words[1], today) : from;
    if (!from || !to) return say('usage-away');
    return rosterDesk.away(actor, target, instantOf(from, 0, ctx.timeZone), instantOf(addDays(to, 1), 0, ctx.timeZone));
  }

  async function swap(input: CommandInput, actor: StaffRecord, words: string[]): Promise<DeskResult> {
    const people = words.filter(isPerson);
    const dateWord = words.find((w) => !isPerson(w));
    const date = dateWord ? parseDate(dateWord, localTimeOf(ctx.clock.now(), ctx.timeZone)) : undefined;
    if (!date || people.length < 1 || people.length > 2) return say('usage-swap');
    if (people.length === 2 && actor.role !== 'admin') return say('cmd-not-admin');
    const resolved = await Promise.all(people.map((p) => activeStaff(input, p)));
    const bad = resolved.find(isResult);
    if (bad) return bad;
    const [a, b] = resolved as StaffRecord[];
    return people.length === 2 ? rosterDesk.swap(actor, a!, b!, date) : rosterDesk.swap(actor, actor, a!, date);
  }

  async function templates(actor: StaffRecord, input: CommandInput, words: string[]): Promise<DeskResult> {
    const sub = words[0]?.toLowerCase();
    if (sub === undefined || sub === 'list') return reply(await views.templates());
    const name = words[1]?.toLowerCase();
    if (sub === 'remove' && name) {
      const langs = words[2] ? parseLangs(words[2]) : undefined;
      const removed = await ctx.templates.remove(name, langs?.[0]);
      await ctx.audit.record({ at: ctx.clock.now(), actor: actor.id, action: 'template.remove', detail: `${name} ${langs?.[0] ?? '*'}` });
      return say('cmd-template-removed', { name, count: removed });
    }
    const langs = words[2] ? parseLangs(words[2]) : undefined;
    const text = after(input.text, 3);
    if (sub !== 'set' || !name || !/^[\p{L}\p{N}_-]{1,32}$/u.test(name) || langs?.length !== 1 || !text) return say('usage-templates');
    await ctx.templates.set(name, langs[0]!, restore(input, text));
    await ctx.audit.record({ at: ctx.clock.now(), actor: actor.id, action: 'template.set', detail: `${name} ${langs[0]}` });
    return say('cmd-template-saved', { name, lang: langs[0]! });
  }

  /** Free text with the people put back as typed (a reason, a template). */
  function restore(input: CommandInput, text: string): string {
    return text.replace(/@#(\d+)/g, (m, i: string) => input.people[Number(i)]?.text ?? m);
  }

  function help(actor: StaffRecord): DeskResult {
    const texts = [staffText(lang, 'help-staff')];
    if (actor.role === 'admin') texts.push(staffText(lang, 'help-admin'));
    return reply(joinTexts(texts, '\n\n'));
  }

  async function run(input: CommandInput): Promise<DeskResult> {
    const denial = authorize(input);
    if (denial) return say(`cmd-${denial}`);
    const actor = input.actor!;
    if (!isCommandName(input.name)) return say('cmd-unknown', { name: input.name });
    const words = input.text.trim().split(/\s+/).filter(Boolean);
    const caseId = input.caseId!;
    switch (input.name) {
      case 'help':
        return help(actor);
      case 'roster':
        return reply(await views.week());
      case 'oncall':
        return reply(await views.onCall());
      case 'away':
        return away(input, actor, words);
      case 'swap':
        return swap(input, actor, words);
      case 'take':
        return caseDesk.take(actor, caseId);
      case 'transfer': {
        const target = await activeStaff(input, words[0]);
        if (isResult(target)) return target;
        return caseDesk.transfer(actor, caseId, target, restore(input, after(input.text, words[0] ? 1 : 0)));
      }
      case 'recuse':
        return caseDesk.recuse(actor, caseId, restore(input, input.text.trim()));
      case 'status': {
        const status = words[0] ? parseStatus(words[0]) : undefined;
        if (!status) return say('usage-status', { statuses: staffStatuses.join(', ') });
        return caseDesk.setStatus(actor, caseId, status);
      }
      case 'followup': {
        const w = words[0]?.toLowerCase();
        if (w === undefined || w === 'list') return caseDesk.followup(actor, caseId, 'list');
        if (w === 'cancel' || w === 'off') return caseDesk.followup(actor, caseId, 'cancel');
        const ms = parseDuration(w);
        return ms ? caseDesk.followup(actor, caseId, ms) : say('usage-followup');
      }
      case 't':
        return words[0] ? caseDesk.sendTemplate(actor, caseId, words[0].toLowerCase()) : reply(await views.templates());
      case 'templates':
        return templates(actor, input, words);
      case 'shift':
        return shift(input, actor, words);
      case 'staff':
        return staff(input, actor, words);
      case 'erase':
        return caseDesk.erase(actor, caseId, words[0] ?? '');
      case 'hold':
        if (!words[0]) return say('usage-hold');
        return caseDesk.hold(actor, caseId, words.length === 1 && words[0].toLowerCase() === 'off' ? 'off' : restore(input, input.text.trim()));
      case 'audit': {
        const n = Math.min(100, Math.max(1, Number(words[0]) || 20));
        return reply(await views.audit(n));
      }
      case 'report': {
        const year = words[0] === undefined ? localTimeOf(ctx.clock.now(), ctx.timeZone).y : Number(words[0]);
        if (!deps.annualReport || !Number.isInteger(year) || year < 2000 || year > 2100) return say('usage-report');
        const made = await deps.annualReport(year);
        return {
          replies: [staffText(lang, 'report-ready', { year: String(year), reports: made.reports })],
          files: [
            { name: `trustline-report-${year}.html`, content: made.html },
            { name: `trustline-report-${year}.csv`, content: made.csv },
          ],
        };
      }
    }
  }

  return { run };
}

export type StaffCommands = ReturnType<typeof createStaffCommands>;
