// Quiet hours (/quiet 22:00-08:00, or the question that comes with the receipt): hours a
// reporter asks not to be written to, for a phone the person they report may see. What
// staff write meanwhile waits until they end (relay/reporter-relay.ts); turned off, it
// goes at once.
import { t } from '../i18n/index.js';
import { hhmm, type Lang, parseTimeRange } from '../shared/index.js';
import type { CaseRecord } from '../store/index.js';
import { askAfter } from './after-question.js';
import type { Inbound } from './inbound.js';
import { type Handled, type IntakeContext, say } from './intake-context.js';
import type { Reply } from './reply.js';

/** The night a reporter is offered with the receipt: no messages from 22:00 to 08:00. */
const NIGHT = { start: 22 * 60, end: 8 * 60 };
const NONE = ['any', 'off', '0'];

/** "night", a range ("23:00-07:00"), or "any"/"off" for none. */
export async function setQuiet(ctx: IntakeContext, inbound: Inbound, record: CaseRecord, choice: string): Promise<Handled> {
  const lang = record.lang;
  const word = choice.trim().toLowerCase();
  const off = NONE.includes(word);
  const quiet = word === 'night' ? NIGHT : off ? undefined : parseTimeRange(word);
  if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
  if (!quiet && !off) return { lang, replies: [say(t(lang, 'quiet-usage'))] };
  // The hours are the reporter's phone's, so they hold for each of their cases.
  const { cases } = await ctx.store.casesOfReporter(inbound.reporterKey);
  for (const r of cases.some((r) => r.id === record.id) ? cases : [record]) {
    await ctx.store.setQuiet(r.id, quiet);
    // Whatever waited for the morning goes now (a fresh job: the held one sleeps until then).
    if (!quiet && r.quiet && r.done.out < r.count.out) await ctx.pipeline.deliverToReporter(r.id, r.count.out, `quiet-off.${ctx.now()}`);
  }
  ctx.log.info({ event: 'reporter.quiet', case: record.code, on: quiet !== undefined }, 'reporter set their quiet hours');
  return { lang, replies: [say(quiet ? t(lang, 'quiet-set', { from: hhmm(quiet.start), to: hhmm(quiet.end) }) : t(lang, 'quiet-off'))] };
}

/** The quiet-hours question that comes with the receipt: one the reporter may leave unanswered. */
export const askQuiet = (ctx: IntakeContext, inbound: Inbound, lang: Lang, code: string): Promise<Reply> => askAfter(ctx, inbound, lang, 'quiet', code);
