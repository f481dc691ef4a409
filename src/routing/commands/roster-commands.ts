// Commands about who is on duty: the week, who is on now, time away, swaps, weekly
// shifts, the staff list and the canned answers. Changes to the roster are the admins'.
import { addDays, instantOf, localTimeOf, parseDate, parseDays, parseDuration, parseLangs, parseTimeRange } from '../../shared/index.js';
import { desksOf, staffRoles, type StaffRecord } from '../../store/index.js';
import type { Enrolment } from '../staff-directory.js';
import type { StaffCommand } from './command.js';
import { isPerson, isReply, textAfter, restorePeople } from './people.js';

const STAFF_OPTIONS = [...staffRoles, 'escalation', 'no-escalation'] as readonly string[];

export const rosterCommands = {
  roster: {
    access: 'staff',
    inCase: false,
    run: async ({ input }, { views, show }) => show(await views.week(input.desk ?? desksOf(input.actor!)[0]!)),
  },
  oncall: {
    access: 'staff',
    inCase: false,
    run: async ({ input }, { views, show }) => show(await views.onCall(input.desk ?? desksOf(input.actor!)[0]!)),
  },
  away: {
    access: 'staff',
    inCase: false,
    usage: true,
    async run({ input, actor, words }, { ctx, rosterDesk, people, say, usage }) {
      let target = actor;
      if (isPerson(words[0])) {
        const t = await people.activeStaff(input, words.shift());
        if (isReply(t)) return t;
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
        return until ? rosterDesk.away(actor, target, now, instantOf(until, 0, ctx.timeZone)) : usage();
      }
      const from = first ? parseDate(first, today) : undefined;
      const to = words[1] ? parseDate(words[1], today) : from;
      if (!from || !to) return usage();
      return rosterDesk.away(actor, target, instantOf(from, 0, ctx.timeZone), instantOf(addDays(to, 1), 0, ctx.timeZone));
    },
  },
  swap: {
    access: 'staff',
    inCase: false,
    usage: true,
    async run({ input, actor, words }, { ctx, rosterDesk, people, say, usage }) {
      const named = words.filter(isPerson);
      const dateWord = words.find((w) => !isPerson(w));
      const date = dateWord ? parseDate(dateWord, localTimeOf(ctx.clock.now(), ctx.timeZone)) : undefined;
      if (!date || named.length < 1 || named.length > 2) return usage();
      if (named.length === 2 && actor.role !== 'admin') return say('cmd-not-admin');
      const resolved = await Promise.all(named.map((p) => people.activeStaff(input, p)));
      const bad = resolved.find(isReply);
      if (bad) return bad;
      const [a, b] = resolved as StaffRecord[];
      return named.length === 2 ? rosterDesk.swap(actor, a!, b!, date) : rosterDesk.swap(actor, actor, a!, date);
    },
  },
  shift: {
    access: 'staff',
    inCase: false,
    adminSubcommands: ['add', 'remove'],
    usage: true,
    async run({ input, actor, words }, { rosterDesk, views, people, show, usage }) {
      const sub = words[0]?.toLowerCase();
      if (sub === 'list' || sub === undefined) return show(await views.shiftList());
      if (sub === 'remove' && words[1]) return rosterDesk.removeShift(actor, words[1]);
      if (sub !== 'add' || words.length < 4) return usage();
      const target = await people.activeStaff(input, words[1]);
      if (isReply(target)) return target;
      const days = parseDays(words[2]!);
      const range = parseTimeRange(words[3]!);
      if (!days || !range) return usage();
      return rosterDesk.addShift(actor, target, days, range.start, range.end);
    },
  },
  staff: {
    access: 'admin',
    inCase: false,
    usage: true,
    async run({ input, actor, words }, { ctx, rosterDesk, views, people, say, show, usage }) {
      const sub = words[0]?.toLowerCase();
      if (sub === 'list' || sub === undefined) return show(await views.staffList());
      if (sub === 'remove') {
        const target = await people.activeStaff(input, words.find(isPerson) ?? words[1]);
        return isReply(target) ? target : rosterDesk.removeStaff(actor, target);
      }
      if (sub !== 'add') return usage();
      const p = await people.named(input, words.slice(1).find(isPerson));
      if (!p.identity) return p.shown ? say('cmd-person-unseen', { who: p.shown }) : say('cmd-need-person');
      const options = words
        .slice(1)
        .filter((w) => !isPerson(w))
        .map((w) => w.toLowerCase());
      // The names of STAFF_CHATS' chats put them in those chats (the main one is `main`).
      const chats = options.filter((o) => ctx.desks.includes(o) && o !== 'oversight' && !STAFF_OPTIONS.includes(o));
      if (options.some((o) => !STAFF_OPTIONS.includes(o) && !parseLangs(o) && !chats.includes(o))) return usage({ chats: ctx.desks.join(', ') });
      const desks = chats.length ? chats : p.record?.desks;
      const e: Enrolment = {
        role: staffRoles.find((r) => options.includes(r)) ?? p.record?.role ?? 'counsellor',
        langs: options.map((o) => parseLangs(o)).find((l) => l !== undefined) ?? p.record?.langs ?? [],
        escalation: options.includes('escalation') ? true : options.includes('no-escalation') ? false : (p.record?.escalation ?? false),
        ...(desks?.length ? { desks } : {}),
      };
      return rosterDesk.addStaff(actor, p.identity, e);
    },
  },
  templates: {
    access: 'staff',
    inCase: false,
    adminSubcommands: ['set', 'remove'],
    usage: true,
    async run({ input, actor, words }, { ctx, views, say, show, usage }) {
      const sub = words[0]?.toLowerCase();
      if (sub === undefined || sub === 'list') return show(await views.templates());
      const name = words[1]?.toLowerCase();
      const langs = words[2] ? parseLangs(words[2]) : undefined;
      if (sub === 'remove' && name) {
        const removed = await ctx.templates.remove(name, langs?.[0]);
        await ctx.audit.record({ at: ctx.clock.now(), actor: actor.id, action: 'template.remove', detail: `${name} ${langs?.[0] ?? '*'}` });
        return say('cmd-template-removed', { name, count: removed });
      }
      const text = textAfter(input.text, 3);
      if (sub !== 'set' || !name || !/^[\p{L}\p{N}_-]{1,32}$/u.test(name) || langs?.length !== 1 || !text) return usage();
      await ctx.templates.set(name, langs[0]!, restorePeople(input, text));
      await ctx.audit.record({ at: ctx.clock.now(), actor: actor.id, action: 'template.set', detail: `${name} ${langs[0]}` });
      return say('cmd-template-saved', { name, lang: langs[0]! });
    },
  },
} satisfies Record<string, StaffCommand>;
