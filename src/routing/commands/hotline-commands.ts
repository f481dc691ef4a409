// Commands about the hotline as a whole: help, the audit log and the annual report.
import { localTimeOf } from '../../shared/index.js';
import { desksOf } from '../roster.js';
import { countByDesk } from '../case-list.js';
import { joinTexts, staffText } from '../staff-text.js';
import type { StaffCommand } from './command.js';

export const hotlineCommands = {
  help: {
    access: 'staff',
    inCase: false,
    run({ actor }, { ctx, show }) {
      const texts = [staffText(ctx.staffLang, 'help-staff')];
      if (actor.role === 'supervisor') texts.push(staffText(ctx.staffLang, 'help-supervisor'));
      if (actor.role === 'admin') texts.push(staffText(ctx.staffLang, 'help-admin'));
      return show(joinTexts(texts, '\n\n'));
    },
  },
  health: {
    access: 'admin',
    inCase: false,
    run: (_call, { ctx }) => countByDesk(ctx),
  },
  audit: {
    access: 'admin',
    inCase: false,
    run: async ({ input, words }, { views, show }) =>
      show(await views.audit(Math.min(100, Math.max(1, Number(words[0]) || 20)), input.desk ?? desksOf(input.actor!)[0]!)),
  },
  report: {
    access: 'admin',
    inCase: false,
    usage: true,
    async run({ words }, { ctx, annualReport, usage }) {
      const year = words[0] === undefined ? localTimeOf(ctx.clock.now(), ctx.timeZone).y : Number(words[0]);
      if (!annualReport || !Number.isInteger(year) || year < 2000 || year > 2100) return usage();
      const made = await annualReport(year);
      return {
        replies: [staffText(ctx.staffLang, 'report-ready', { year: String(year), reports: made.reports })],
        files: [
          { name: `trustline-report-${year}.html`, content: made.html },
          { name: `trustline-report-${year}.csv`, content: made.csv },
        ],
      };
    },
  },
} satisfies Record<string, StaffCommand>;
