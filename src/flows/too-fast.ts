// A reporter over their message limit (store/inbound-budget.ts). Checked before the
// conversation is loaded or anything decrypted, so a flood costs one Redis call per
// message. What was accepted before stays; what is turned away is not stored, and the
// reporter is told so honestly, once per window, in their language.
import { t } from '../i18n/index.js';
import type { Inbound, IntakeOutcome } from './inbound.js';
import { say, type IntakeContext } from './intake-context.js';
import type { Lang } from '../shared/index.js';

export async function tooFast(ctx: IntakeContext, inbound: Inbound, tell: boolean): Promise<IntakeOutcome> {
  if (!tell) return { type: 'limited', lang: inbound.lang, replies: [] };
  const lang = await languageOf(ctx, inbound);
  ctx.log.warn({ event: 'intake.too-fast', channel: inbound.channel }, 'a reporter is over the message limit: messages turned away, reporter told');
  return { type: 'limited', lang, replies: [say(t(lang, 'too-fast'))] };
}

/** The language they chose, as intake would answer in it; only read when telling them. */
async function languageOf(ctx: IntakeContext, inbound: Inbound): Promise<Lang> {
  const rk = inbound.reporterKey;
  const c = await ctx.conversations.load(rk);
  if (c?.phase === 'intake') return c.lang;
  const caseId = await ctx.store.caseOfReporter(rk);
  const record = caseId ? await ctx.store.get(caseId) : undefined;
  return record?.lang ?? c?.lang ?? inbound.lang;
}
