// The urgent path. A "yes, I am in danger" or a risk word gets the reporter the
// emergency numbers at once, and the case reaches staff at once, flagged urgent,
// with whatever the questions gathered so far.
import type { Conversation, CaseRecord } from '../store/index.js';
import { openCase } from './case-opening.js';
import type { Inbound } from './inbound.js';
import { t } from '../i18n/index.js';
import type { IntakeContext } from './intake-context.js';
import { emergencyList } from './prompts.js';
import type { Reply } from './reply.js';
import { categoryOf, deskFor } from '../cases/index.js';
import { writeReport } from './submission.js';
import { type CaseId, type Lang, MAIN_DESK } from '../shared/index.js';

export function emergencyReply(ctx: IntakeContext, lang: Lang): Reply {
  return { text: t(lang, 'urgent-alert', { numbers: emergencyList(lang, ctx.config.emergencyNumbers) }) };
}

/** During the questions: opens the case now (or flags the one already open). Mutates `c`. */
export async function escalateConversation(ctx: IntakeContext, inbound: Inbound, c: Conversation): Promise<Reply[]> {
  c.urgent = true;
  const replies = [emergencyReply(ctx, c.lang)];
  await ctx.conversations.claimEmergencyNotice(inbound.reporterKey);
  const existing = c.caseId ? await ctx.store.get(c.caseId as CaseId) : undefined;
  if (existing) {
    await flagCase(ctx, existing);
    return replies;
  }
  const category = categoryOf(c.answers);
  // To the team whose language (or category, if already chosen) fits, like any report; a
  // report about staff is moved to oversight when the reporter says so at the end.
  const desk = deskFor(ctx.config.deskRoutes, ctx.config.oversightChat, { ...(category ? { category } : {}), lang: c.lang, aboutStaff: false });
  const { record, opened } = await openCase(ctx, {
    reporterKey: inbound.reporterKey,
    channel: inbound.channel,
    lang: c.lang,
    returnAddress: Buffer.from(c.returnAddress, 'base64'),
    urgent: true,
    ...(inbound.receivedAt !== undefined ? { arrivedAt: inbound.receivedAt } : {}),
    ...(category ? { category } : {}),
    ...(desk !== MAIN_DESK ? { desk } : {}),
    ...(c.alongside ? { alongside: true } : {}),
  });
  c.caseId = record.id;
  // The files sent so far go with it: from now on the draft only holds answers.
  const seq = await writeReport(ctx, inbound.reporterKey, c, record, false);
  if (opened || !record.routed) await ctx.pipeline.routeCase(record.id);
  else await ctx.pipeline.postToStaff(record, seq, undefined, 'urgent');
  ctx.log.warn({ event: 'case.urgent', case: record.code, during: 'intake' }, 'urgent case sent to staff before the questions were finished');
  replies.push({ text: t(c.lang, 'urgent-opened', { code: record.code }) });
  return replies;
}

/** A case already with staff becomes urgent; staff are told once. */
export async function flagCase(ctx: IntakeContext, record: CaseRecord): Promise<void> {
  if (!(await ctx.reporterCases.setUrgent(record.id))) return;
  const seq = await ctx.caseLog.append(record, 'in', { kind: 'event', event: 'urgent', at: ctx.now() });
  await ctx.pipeline.postToStaff(record, seq, undefined, 'urgent');
  await ctx.pipeline.caseTurnedUrgent(record.id); // whoever is on duty hears it, not only the thread
  ctx.log.warn({ event: 'case.urgent', case: record.code, during: 'relay' }, 'case flagged urgent');
}
