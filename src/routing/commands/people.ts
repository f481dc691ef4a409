// People named in a staff command: by mention ("@#0" placeholders the edge put in), by
// replying to their message, or by name; resolved against the roster.
import type { StaffRecord } from '../../store/index.js';
import type { DutyContext } from '../duty-context.js';
import type { DeskResult } from '../staff-text.js';
import type { CommandInput, CommandPeople, NamedPerson } from './command.js';

const PLACEHOLDER = /^@#(\d+)$/;

/** Is this word a person the edge recognised? */
export const isPerson = (token: string | undefined): boolean => token !== undefined && PLACEHOLDER.test(token);

/** A reply rather than a person (from `activeStaff`). */
export const isReply = (x: StaffRecord | DeskResult): x is DeskResult => 'replies' in x;

/** Free text with the people put back as typed (a reason, a template). */
export function restorePeople(input: CommandInput, text: string): string {
  return text.replace(/@#(\d+)/g, (m, i: string) => input.people[Number(i)]?.text ?? m);
}

/** The text after the first `n` words, as typed. */
export function textAfter(text: string, n: number): string {
  let rest = text.trimStart();
  for (let i = 0; i < n; i++) rest = rest.replace(/^\S+\s*/, '');
  return rest.trim();
}

export function commandPeople(ctx: DutyContext, say: (id: 'cmd-need-person' | 'cmd-person-unknown', args?: { who: string }) => DeskResult): CommandPeople {
  async function named(input: CommandInput, token: string | undefined): Promise<NamedPerson> {
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

  return {
    named,
    async activeStaff(input, token) {
      const p = await named(input, token);
      if (p.record?.active) return p.record;
      if (!token && !input.replyTo) return say('cmd-need-person');
      return say('cmd-person-unknown', { who: p.shown || '?' });
    },
  };
}
