// Sending the report: the case is opened (or, for an urgent one, completed), the
// structured answers and the evidence go into the encrypted case log, the receipt
// passphrase's hash is stored, and the draft is deleted. An urgent case opened early
// can also end its questions unanswered: the case stays open, the draft goes.
import { hashPassphrase, newPassphrase } from '../crypto/index.js';
import { type CaseId, MAIN_DESK, OVERSIGHT_DESK } from '../shared/index.js';
import type { CaseRecord, Conversation } from '../store/index.js';
import { openCase } from './case-opening.js';
import { fileEntryOf } from './evidence.js';
import { t } from '../i18n/index.js';
import type { Inbound } from './inbound.js';
import type { Handled, IntakeContext } from './intake-context.js';
import { categoryOf, deskFor } from '../cases/index.js';
import { reportOf } from './intake-flow.js';
import { askQuiet } from './quiet.js';
import { alongside } from './own-cases.js';

/**
 * The draft's evidence not yet in the case goes in, each file marked sent on `c` (the
 * caller's copy) so it is never written twice. Returns the last seq written.
 */
export async function moveEvidence(ctx: IntakeContext, rk: Inbound['reporterKey'], c: Conversation, record: CaseRecord): Promise<number | undefined> {
  let seq: number | undefined;
  for (const ref of c.evidence) {
    if (ref.sent) continue;
    const bytes = await ctx.conversations.getEvidence(rk, c.cid, ref.n);
    ref.sent = true;
    if (!bytes) continue; // expired with a crash in between: the report says how many there were
    seq = await ctx.caseLog.appendFile(record, fileEntryOf(ref), bytes);
  }
  return seq;
}

/** Writes the report and the evidence not sent yet into the case; returns the last seq written. */
export async function writeReport(ctx: IntakeContext, rk: Inbound['reporterKey'], c: Conversation, record: CaseRecord, complete: boolean) {
  const seq = await ctx.caseLog.append(record, 'in', { kind: 'report', report: reportOf(c, complete), at: ctx.now() });
  return (await moveEvidence(ctx, rk, c, record)) ?? seq;
}

export async function submit(ctx: IntakeContext, inbound: Inbound, c: Conversation): Promise<Handled> {
  const rk = inbound.reporterKey;
  const category = categoryOf(c.answers);
  // About the hotline's own staff: to the oversight chat, never the staff chat (when there is
  // one); otherwise to the team whose categories and languages fit, if any.
  const toOversight = c.answers['about-staff'] === 'yes' && ctx.config.oversightChat;
  const desk = deskFor(ctx.config.deskRoutes, ctx.config.oversightChat, { ...(category ? { category } : {}), lang: c.lang, aboutStaff: toOversight });
  let record = c.caseId ? await ctx.store.get(c.caseId as CaseId) : undefined;
  let opened = false;
  let converted = false;
  if (!record) {
    ({ record, opened } = await openCase(ctx, {
      reporterKey: rk,
      channel: inbound.channel,
      lang: c.lang,
      returnAddress: Buffer.from(c.returnAddress, 'base64'),
      urgent: c.urgent,
      ...(inbound.receivedAt !== undefined ? { arrivedAt: inbound.receivedAt } : {}),
      ...(category ? { category } : {}),
      ...(desk !== MAIN_DESK ? { desk } : {}),
      ...(c.alongside ? { alongside: true } : {}),
    }));
  } else {
    if (category) await ctx.reporterCases.setCategory(record.id, category);
    // A consultation the reporter now confirmed as a report: staff are told it became one.
    converted = await ctx.store.becomeReport(record.id, ctx.now());
    if (converted) {
      await ctx.caseLog.append(record, 'in', { kind: 'event', event: 'became-report', at: ctx.now() });
      record = { ...record, kind: 'report' };
    }
    if (toOversight && record.desk !== OVERSIGHT_DESK && (await ctx.moveToOversight?.(record.id))) record = { ...record, desk: OVERSIGHT_DESK };
  }
  // A consultation made a report keeps the code and phrase its reporter already wrote down.
  const passphrase = converted ? undefined : newPassphrase();
  if (passphrase) await ctx.reporterCases.setPassphrase(record.id, await hashPassphrase(passphrase, ctx.keys.pepper));
  const seq = await writeReport(ctx, rk, structuredClone(c), record, true);
  // Routed once, by whichever update finds it unrouted (one cut short may have opened it).
  if (opened || !record.routed) await ctx.pipeline.routeCase(record.id);
  else await ctx.pipeline.postToStaff(record, seq);
  await ctx.conversations.delete(rk);
  await ctx.pipeline.forgetConversation(c.cid, c.channel);
  if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
  ctx.log.info({ event: 'case.submitted', case: record.code, urgent: c.urgent, category, evidence: c.evidence.length }, 'report submitted');
  if (!passphrase) return { lang: c.lang, replies: [{ text: t(c.lang, 'receipt-converted', { code: record.code }) }] };
  const receipt = t(c.lang, 'receipt', { code: record.code, passphrase });
  // A case beside others (/new): the reporter's quiet hours hold for it too, and they hear where messages go now.
  if (c.alongside) return { lang: c.lang, replies: [{ text: `${receipt}\n\n${await alongside(ctx, inbound, c.lang, record)}` }] };
  // Asked once, with the receipt (one message): hours not to be written to.
  const quiet = await askQuiet(ctx, inbound, c.lang, record.code);
  return { lang: c.lang, replies: [{ ...quiet, text: `${receipt}\n\n${quiet.text}` }] };
}

/**
 * The questions of a case that is already open end unfinished: the reporter asked for
 * no more (`questions-stopped`) or went quiet until the draft expired (`questions-left`).
 * Everything they sent is with staff already (answers, messages and files went as they
 * came); staff are told the questions ended, and the case stays open.
 */
export async function endQuestions(
  ctx: IntakeContext,
  rk: Inbound['reporterKey'],
  c: Conversation,
  record: CaseRecord,
  event: 'questions-stopped' | 'questions-left',
): Promise<void> {
  await moveEvidence(ctx, rk, structuredClone(c), record); // a draft from before files went as they came
  const seq = await ctx.caseLog.append(record, 'in', { kind: 'event', event, at: ctx.now() });
  await ctx.pipeline.postToStaff(record, seq);
  await ctx.conversations.delete(rk);
  await ctx.pipeline.forgetConversation(c.cid, c.channel);
  ctx.log.info({ event: 'intake.questions-ended', case: record.code, why: event }, 'questions of an open case ended');
}

/** /cancel or "stop asking": without a case the draft is deleted; with one, only the questions end. */
export async function cancel(ctx: IntakeContext, inbound: Inbound, c: Conversation): Promise<Handled> {
  const record = c.caseId ? await ctx.store.get(c.caseId as CaseId) : undefined;
  if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
  if (record) {
    await endQuestions(ctx, inbound.reporterKey, c, record, 'questions-stopped');
    return { lang: c.lang, replies: [{ text: t(c.lang, 'questions-stopped', { code: record.code }) }] };
  }
  await ctx.conversations.delete(inbound.reporterKey);
  await ctx.pipeline.forgetConversation(c.cid, c.channel);
  ctx.log.info({ event: 'intake.cancelled' }, 'intake stopped by the reporter');
  return { lang: c.lang, replies: [{ text: t(c.lang, 'cancelled') }] };
}
