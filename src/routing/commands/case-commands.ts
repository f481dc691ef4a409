// Commands typed in a case's thread: taking it, handing it on, moving it through the
// procedure, following up, answering with a template, and the admins' hold and erase.
import { parseLabel, parseStatus, staffStatuses } from '../../cases/index.js';
import { parseDuration } from '../../shared/index.js';
import { desksOf } from '../roster.js';
import { caseFilters, listCases, type CaseFilter } from '../case-list.js';
import { blockCase } from '../case-blocks.js';
import { offerReport, sendContacts } from '../case-offers.js';
import { recordFindings } from '../case-findings.js';
import { caseHistory } from '../case-history.js';
import { labelCase } from '../case-labels.js';
import type { CommandInput, StaffCommand } from './command.js';
import type { DutyContext } from '../duty-context.js';
import { restorePeople, isReply, textAfter } from './people.js';

/**
 * Need-to-know mode: what staff recorded about a case (labels, findings, its history) is
 * the holder's to read, in their private chat, not the shared chat's.
 */
const sharedInNeedToKnow = (ctx: DutyContext, input: CommandInput) => ctx.visibility === 'assigned' && input.desk !== undefined;

export const caseCommands = {
  take: {
    access: 'staff',
    inCase: true,
    run: ({ actor, caseId }, { caseDesk }) => caseDesk.take(actor, caseId),
  },
  transfer: {
    access: 'staff',
    inCase: true,
    async run({ input, actor, words, caseId }, { caseDesk, people }) {
      const target = await people.activeStaff(input, words[0]);
      if (isReply(target)) return target;
      return caseDesk.transfer(actor, caseId, target, restorePeople(input, textAfter(input.text, words[0] ? 1 : 0)));
    },
  },
  recuse: {
    access: 'staff',
    inCase: true,
    run({ input, actor, words, caseId }, { caseDesk }) {
      // "/recuse oversight reason": involved themself, they ask for the case to leave this chat.
      if (words[0]?.toLowerCase() === 'oversight') return caseDesk.toOversight(actor, caseId, restorePeople(input, textAfter(input.text, 1)), true);
      return caseDesk.recuse(actor, caseId, restorePeople(input, input.text.trim()));
    },
  },
  escalate: {
    access: 'staff',
    inCase: true,
    usage: true,
    run({ input, actor, words, caseId }, { caseDesk, usage }) {
      if (words[0]?.toLowerCase() !== 'oversight') return usage();
      return caseDesk.toOversight(actor, caseId, restorePeople(input, textAfter(input.text, 1)), false);
    },
  },
  status: {
    access: 'staff',
    inCase: true,
    usage: true,
    run({ actor, words, caseId }, { caseDesk, usage }) {
      const status = words[0] ? parseStatus(words[0]) : undefined;
      if (!status) return usage({ statuses: staffStatuses.join(', ') });
      return caseDesk.setStatus(actor, caseId, status);
    },
  },
  followup: {
    access: 'staff',
    inCase: true,
    usage: true,
    run({ actor, words, caseId }, { caseDesk, usage }) {
      const w = words[0]?.toLowerCase();
      if (w === undefined || w === 'list') return caseDesk.followup(actor, caseId, 'list');
      if (w === 'cancel' || w === 'off') return caseDesk.followup(actor, caseId, 'cancel');
      const ms = parseDuration(w);
      return ms ? caseDesk.followup(actor, caseId, ms) : usage();
    },
  },
  label: {
    access: 'staff',
    inCase: true,
    usage: true,
    run({ input, actor, words, caseId }, { ctx, usage, say }) {
      if (sharedInNeedToKnow(ctx, input)) return say('cmd-private-only');
      const [first, ...rest] = words;
      const action = first?.toLowerCase();
      // A label is one word: "/label add two words" is refused, not half taken.
      if (action === 'add' || action === 'remove') return rest.length === 1 ? labelCase(ctx, actor, caseId, action, rest[0]) : usage();
      if (rest.length) return usage();
      // "/label referred" adds it: the shortest way to say the commonest thing.
      return labelCase(ctx, actor, caseId, first ? 'add' : 'list', first);
    },
  },
  record: {
    access: 'staff',
    inCase: true,
    usage: true,
    run: ({ input, actor, words, caseId }, { ctx, say }) =>
      sharedInNeedToKnow(ctx, input) ? say('cmd-private-only') : recordFindings(ctx, actor, caseId, words),
  },
  history: {
    access: 'staff',
    inCase: true,
    run: ({ input, caseId }, { ctx, say }) => (sharedInNeedToKnow(ctx, input) ? say('cmd-private-only') : caseHistory(ctx, caseId)),
  },
  t: {
    access: 'staff',
    inCase: true,
    async run({ actor, words, caseId }, { caseDesk, views, show }) {
      return words[0] ? caseDesk.sendTemplate(actor, caseId, words[0].toLowerCase()) : show(await views.templates());
    },
  },
  cases: {
    access: 'staff',
    inCase: false,
    usage: true,
    run({ input, actor, words }, { ctx, usage }) {
      const filter = (words[0]?.toLowerCase() ?? 'open') as CaseFilter;
      const label = filter === 'label' ? parseLabel(words[1]) : undefined;
      if (!caseFilters.includes(filter) || (filter === 'label' && !label)) return usage();
      return listCases(ctx, actor, { filter, ...(label ? { label } : {}) }, input.desk ? [input.desk] : desksOf(actor), input.page);
    },
  },
  open: {
    access: 'supervisor',
    inCase: false,
    usage: true,
    run: ({ actor, words }, { caseDesk, usage }) => (words[0] ? caseDesk.open(actor, words[0]) : usage()),
  },
  hold: {
    access: 'admin',
    inCase: true,
    usage: true,
    run({ input, actor, words, caseId }, { caseDesk, usage }) {
      if (!words[0]) return usage();
      const lift = words.length === 1 && words[0].toLowerCase() === 'off';
      return caseDesk.hold(actor, caseId, lift ? 'off' : restorePeople(input, input.text.trim()));
    },
  },
  offer: {
    access: 'staff',
    inCase: true,
    run: ({ actor, caseId }, { ctx }) => offerReport(ctx, actor, caseId),
  },
  contacts: {
    access: 'staff',
    inCase: true,
    run: ({ actor, caseId }, { ctx }) => sendContacts(ctx, actor, caseId),
  },
  block: {
    access: 'admin',
    inCase: true,
    usage: true,
    run: ({ input, actor, caseId }, { ctx }) => blockCase(ctx, actor, caseId, restorePeople(input, input.text.trim()), true),
  },
  unblock: {
    access: 'admin',
    inCase: true,
    run: ({ actor, caseId }, { ctx }) => blockCase(ctx, actor, caseId, '', false),
  },
  erase: {
    access: 'admin',
    inCase: true,
    run: ({ actor, words, caseId }, { caseDesk }) => caseDesk.erase(actor, caseId, words[0] ?? ''),
  },
} satisfies Record<string, StaffCommand>;
