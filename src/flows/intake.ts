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
import type { Lease } from '../store/lock.js';

export type { Inbound, IntakeOutcome, ReporterContent } from './inbound.js';
export type { IntakeDeps } from './intake-context.js';

export function createIntake(deps: IntakeDeps) {
  const ctx = intakeContext(deps);
  const { store, conversations } = ctx;

  async function route(inbound: Inbound): Promise<Handled> {
    const rk = inbound.reporterKey;
    // Both lookups in one round trip: most messages come from a reporter whose report is in.
    const [c, caseId] = await Promise.all([conversations.load(rk), store.caseOfReporter(rk)]);
    if (c?.phase === 'intake') return duringIntake(ctx, inbound, c, { first: false });
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

  /**
   * Two round trips. First the redelivery check and the message budget: a flood is
   * turned away before the lease and the state (a redelivered update spends a message
   * of the budget too: rare, and it saves a round trip on every message). Then the
   * lease and a second look for a redelivery, in that order, so the look sees
   * everything an earlier holder of the lease did.
   */
  async function admit(inbound: Inbound): Promise<IntakeOutcome | Lease> {
    const rk = inbound.reporterKey;
    const seen = async () => inbound.deliveryId !== undefined && (await store.seenUpdate(inbound.deliveryId));
    const [before, verdict] = await Promise.all([seen(), ctx.inbound.take(rk)]);
    if (before) return { type: 'duplicate' };
    if (verdict !== 'pass') return tooFast(ctx, inbound, verdict === 'tell');
    const [free, handled] = await Promise.all([conversations.tryLock(rk, ctx.leaseMs), seen()]);
    // Another update of this reporter is being handled: wait for it, then look again.
    const lease = free ?? (await conversations.lock(rk, ctx.leaseMs));
    if (!(free ? handled : await seen())) return lease;
    await lease.release();
    return { type: 'duplicate' };
  }

  async function receive(inbound: Inbound): Promise<IntakeOutcome> {
    const admitted = await admit(inbound);
    if (!('release' in admitted)) return admitted;
    try {
      const handled = await route(inbound);
      return { type: 'queued', lang: handled.lang, replies: handled.replies, ack: handled.ack ?? false, answered: handled.answered ?? false };
    } finally {
      await admitted.release();
    }
  }

  return { receive };
}

export type Intake = ReturnType<typeof createIntake>;
