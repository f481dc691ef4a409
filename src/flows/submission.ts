// Sending the report: the case is opened (or, for an urgent one, completed), the
// structured answers and the evidence go into the encrypted case log, the receipt
// passphrase's hash is stored, and the draft is deleted.
import { hashPassphrase, newPassphrase } from '../crypto/index.js';
import type { CaseId } from '../ids.js';
import type { CaseRecord } from '../store/cases.js';
import { openCase } from './case-opening.js';
import type { Conversation } from './conversation.js';
import { fileEntryOf } from './evidence.js';
import { t } from './i18n.js';
import type { Inbound } from './inbound.js';
import type { Handled, IntakeContext } from './intake-context.js';
import { categoryOf, reportOf } from './report.js';

/** Writes the report and evidence into the case; returns the last seq written. */
async function writeReport(ctx: IntakeContext, rk: Inbound['reporterKey'], c: Conversation, record: CaseRecord, complete: boolean) {
  let seq = await ctx.caseLog.append(record, 'in', { kind: 'report', report: reportOf(c, complete), at: ctx.now() });
  for (const ref of c.evidence) {
    const bytes = await ctx.conversations.getEvidence(rk, c.cid, ref.n);
    if (!bytes) continue; // expired with a crash in between: the report says how many there were
    seq = await ctx.caseLog.appendFile(record, fileEntryOf(ref), bytes);
  }
  return seq;
}

export async function submit(ctx: IntakeContext, inbound: Inbound, c: Conversation): Promise<Handled> {
  const rk = inbound.reporterKey;
  const category = categoryOf(c.answers);
  let record = c.caseId ? await ctx.store.get(c.caseId as CaseId) : undefined;
  let opened = false;
  if (!record) {
    ({ record, opened } = await openCase(ctx, {
      reporterKey: rk,
      channel: inbound.channel,
      lang: c.lang,
      returnAddress: Buffer.from(c.returnAddress, 'base64'),
      urgent: c.urgent,
      ...(category ? { category } : {}),
    }));
  } else if (category) {
    await ctx.reporterCases.setCategory(record.id, category);
  }
  const passphrase = newPassphrase();
  await ctx.reporterCases.setPassphrase(record.id, await hashPassphrase(passphrase, ctx.keys.pepper));
  const seq = await writeReport(ctx, rk, c, record, true);
  if (opened) await ctx.pipeline.routeCase(record.id);
  else await ctx.pipeline.postToStaff(record.id, seq);
  await ctx.conversations.delete(rk);
  await ctx.pipeline.forgetConversation(c.cid, c.channel);
  if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
  ctx.log.info(
    { event: 'case.submitted', case: record.code, urgent: c.urgent, category, evidence: c.evidence.length },
    'report submitted',
  );
  return { lang: c.lang, replies: [{ text: t(c.lang, 'receipt', { code: record.code, passphrase }) }] };
}

/**
 * An urgent case whose questions were abandoned or stopped: staff get what there is,
 * marked unfinished, so nothing the reporter wrote is lost.
 */
export async function completeAbandoned(ctx: IntakeContext, rk: Inbound['reporterKey'], c: Conversation): Promise<CaseRecord | undefined> {
  const record = c.caseId ? await ctx.store.get(c.caseId as CaseId) : undefined;
  if (!record) return undefined;
  const seq = await writeReport(ctx, rk, c, record, false);
  await ctx.pipeline.postToStaff(record.id, seq);
  return record;
}

export async function cancel(ctx: IntakeContext, inbound: Inbound, c: Conversation): Promise<Handled> {
  const record = await completeAbandoned(ctx, inbound.reporterKey, c);
  await ctx.conversations.delete(inbound.reporterKey);
  await ctx.pipeline.forgetConversation(c.cid, c.channel);
  if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
  ctx.log.info({ event: 'intake.cancelled', open: record !== undefined }, 'intake stopped by the reporter');
  if (record) return { lang: c.lang, replies: [{ text: t(c.lang, 'nothing-to-cancel', { code: record.code }) }] };
  return { lang: c.lang, replies: [{ text: t(c.lang, 'cancelled') }] };
}
