// Channel-agnostic intake: an adapter hands in what a reporter sent (already reduced
// to a reporter key and a sealed return address) and renders what comes back. Before a
// report is sent the reporter is in the questions (questions.ts); afterwards what they
// write joins their case (after-report.ts). One update per reporter at a time, and
// no more than their message budget allows (too-fast.ts).
import { intakeContext, type Handled, type IntakeDeps } from './intake-context.js';
import { afterReport } from './after-report.js';
import { newConversation } from './conversation.js';
import type { Inbound, IntakeOutcome } from './inbound.js';
import { intakeFlow } from './intake-flow.js';
import { duringIntake } from './questions.js';
import { tooFast } from './too-fast.js';

export type { Inbound, IntakeOutcome, ReporterContent } from './inbound.js';
export type { IntakeDeps } from './intake-context.js';

export function createIntake(deps: IntakeDeps) {
  const ctx = intakeContext(deps);
  const { store, conversations } = ctx;

  async function route(inbound: Inbound): Promise<Handled> {
    const rk = inbound.reporterKey;
    const c = await conversations.load(rk);
    if (c?.phase === 'intake') return duringIntake(ctx, inbound, c, { first: false });
    const caseId = await store.caseOfReporter(rk);
    const record = caseId ? await store.get(caseId) : undefined;
    if (record) return afterReport(ctx, inbound, record, c);
    if (c) await conversations.delete(rk); // a question about a case that is gone

    const fresh = newConversation({
      channel: inbound.channel,
      lang: inbound.lang,
      step: intakeFlow.start,
      returnAddress: inbound.returnAddress(),
      now: ctx.now(),
    });
    await ctx.pipeline.watchConversation(rk, fresh.cid, ctx.config.remindAfterMs, inbound.channel);
    ctx.log.info({ event: 'intake.started', channel: inbound.channel }, 'a reporter started the questions');
    return duringIntake(ctx, inbound, fresh, { first: true });
  }

  async function receive(inbound: Inbound): Promise<IntakeOutcome> {
    const seen = async () => inbound.deliveryId !== undefined && (await store.seenUpdate(inbound.deliveryId));
    if (await seen()) return { type: 'duplicate' };
    // Before the lease and the state: a flood is turned away at the cost of one Redis call.
    const verdict = await ctx.inbound.take(inbound.reporterKey);
    if (verdict !== 'pass') return tooFast(ctx, inbound, verdict === 'tell');
    const lease = await conversations.lock(inbound.reporterKey, ctx.leaseMs);
    try {
      if (await seen()) return { type: 'duplicate' }; // handled while we waited for the lease
      const handled = await route(inbound);
      return { type: 'queued', lang: handled.lang, replies: handled.replies, ack: handled.ack ?? false, answered: handled.answered ?? false };
    } finally {
      await lease.release();
    }
  }

  return { receive };
}

export type Intake = ReturnType<typeof createIntake>;
