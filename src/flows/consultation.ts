// Asking before reporting: a consultation is a case like any other (encrypted, relayed
// under a pseudonym, routed to whoever is on duty, with a code, a phrase, /forget and
// retention), opened by one question and no questionnaire, and posted to staff as a
// consultation, not a complaint. The reporter can turn it into a report: the intake's
// questions then run on the open case, keeping the conversation, and only their "Send"
// at the review makes it a report (submission.ts).
import { hashPassphrase, newPassphrase } from '../crypto/index.js';
import { deskFor } from '../cases/index.js';
import { t } from '../i18n/index.js';
import { MAIN_DESK } from '../shared/index.js';
import { newConversation, type CaseRecord, type Conversation } from '../store/index.js';
import { openCase } from './case-opening.js';
import type { Inbound } from './inbound.js';
import { type Handled, type IntakeContext, say } from './intake-context.js';
import { intakeFlow } from './intake-flow.js';
import { promptFor } from './prompts.js';
import { askQuiet } from './quiet.js';
import type { Reply } from './reply.js';
import { moveEvidence } from './submission.js';
import { emergencyReply } from './urgent.js';

/** The button under a counsellor's offer (/offer) that turns a consultation into a report: `to-report:yes`. */
export const TO_REPORT_STEP = 'to-report';

/** The reporter wrote their question: the consultation opens with it, and they get its code and phrase. */
export async function consult(ctx: IntakeContext, inbound: Inbound, c: Conversation): Promise<Handled> {
  const rk = inbound.reporterKey;
  const question = c.answers.question ?? '';
  const urgent = ctx.risk(question);
  const desk = deskFor(ctx.config.deskRoutes, ctx.config.oversightChat, { lang: c.lang, aboutStaff: false });
  const { record, opened } = await openCase(ctx, {
    reporterKey: rk,
    channel: inbound.channel,
    lang: c.lang,
    returnAddress: Buffer.from(c.returnAddress, 'base64'),
    kind: 'consultation',
    ...(urgent ? { urgent: true } : {}),
    ...(inbound.receivedAt !== undefined ? { arrivedAt: inbound.receivedAt } : {}),
    ...(desk !== MAIN_DESK ? { desk } : {}),
    ...(c.alongside ? { alongside: true } : {}),
  });
  // What the reporter wrote before the question (their first message) goes first, as they wrote it.
  let seq = 0;
  for (const text of [...c.notes, question].filter((x) => x.trim())) seq = await ctx.caseLog.append(record, 'in', { kind: 'text', text, at: ctx.now() });
  seq = (await moveEvidence(ctx, rk, structuredClone(c), record)) ?? seq;
  const passphrase = newPassphrase();
  await ctx.reporterCases.setPassphrase(record.id, await hashPassphrase(passphrase, ctx.keys.pepper));
  if (opened || !record.routed) await ctx.pipeline.routeCase(record.id);
  else await ctx.pipeline.postToStaff(record, seq);
  await ctx.conversations.delete(rk);
  await ctx.pipeline.forgetConversation(c.cid, c.channel);
  if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
  ctx.log.info({ event: 'case.consultation', case: record.code, urgent, evidence: c.evidence.length }, 'consultation opened');
  // One message, as a report's receipt: the code, the phrase, how to make it a report (/report), and the quiet-hours question.
  const quiet = await askQuiet(ctx, inbound, c.lang, record.code);
  const receipt: Reply = { ...quiet, text: `${t(c.lang, 'consult-receipt', { code: record.code, passphrase })}\n\n${quiet.text}` };
  return { lang: c.lang, replies: [...(urgent ? [emergencyReply(ctx, c.lang)] : []), receipt] };
}

/**
 * "I want to file a report" (the receipt's button, /report, or the counsellor's offer):
 * the intake's questions on the open consultation, from the danger question on.
 * Whatever the reporter writes that answers none goes to the counsellor as before.
 */
export async function startReport(ctx: IntakeContext, inbound: Inbound, record: CaseRecord): Promise<Handled> {
  const lang = record.lang;
  if (record.kind !== 'consultation') {
    if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
    return { lang, replies: [say(t(lang, 'already-report', { code: record.code }))] };
  }
  const c: Conversation = {
    ...newConversation({ channel: inbound.channel, lang, step: 'danger', returnAddress: record.returnAddress, now: ctx.now() }),
    caseId: record.id,
    // What they wrote in the consultation is their account already: the account question may be skipped.
    relayed: record.count.in,
  };
  await ctx.pipeline.watchConversation(inbound.reporterKey, c.cid, ctx.config.remindAfterMs, inbound.channel);
  await ctx.conversations.save(inbound.reporterKey, c, inbound.deliveryId ? { updateId: inbound.deliveryId } : {});
  ctx.log.info({ event: 'intake.started', case: record.code, from: 'consultation' }, 'a consultation goes through the report’s questions');
  const first = promptFor(intakeFlow, c, ctx.settings, record.code);
  return { lang, replies: [{ ...first, text: `${t(lang, 'to-report-started', { code: record.code })}\n\n${first.text}` }], answered: true };
}
