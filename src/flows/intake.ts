// Channel-agnostic intake: an adapter hands in what a reporter sent (already reduced
// to a reporter key and a sealed return address) and renders what comes back. Before a
// report is sent the reporter is in the questions (questions.ts); afterwards what they
// write joins their case (after-report.ts). One update per reporter at a time, and
// no more than their message budget allows (too-fast.ts).
import { elsewhereHelp, intakeContext, say, type Handled, type IntakeDeps } from './intake-context.js';
import { afterReport } from './after-report.js';
import { newConversation } from '../store/index.js';
import type { Inbound, IntakeOutcome } from './inbound.js';
import { intakeFlow } from './intake-flow.js';
import { duringIntake } from './questions.js';
import { tooFast } from './too-fast.js';
import { fallbackCase } from './own-cases.js';
import { blockedNotice, isBlank } from '../cases/index.js';
import type { Lang, ReporterKey } from '../shared/index.js';

export type { Inbound, IntakeOutcome, ReporterContent } from './inbound.js';
export type { IntakeDeps } from './intake-context.js';

/** Where reporters' messages go, from whichever channel. */
export interface Intake {
  /** One inbound message or button press: the conversation moves on, and the outcome says what to answer. */
  readonly receive: (received: Inbound) => Promise<IntakeOutcome>;
  /** The language the reporter chose (their conversation's, or their case's), if they have either: read, never written. */
  readonly languageOf: (rk: ReporterKey) => Promise<Lang | undefined>;
}

export function createIntake(deps: IntakeDeps): Intake {
  const ctx = intakeContext(deps);
  const { store, conversations } = ctx;

  async function route(inbound: Inbound): Promise<Handled> {
    const rk = inbound.reporterKey;
    // Both lookups in one round trip: most messages come from a reporter whose report is in.
    const [c, caseId] = await Promise.all([conversations.load(rk), store.caseOfReporter(rk)]);
    if (c?.phase === 'intake') return duringIntake(ctx, inbound, c, { first: false });
    // The current case gone (withdrawn, erased): the reporter's other open case, if any.
    const record = (caseId ? await store.get(caseId) : undefined) ?? (await fallbackCase(ctx, inbound));
    if (record) return afterReport(ctx, inbound, record, c);
    if (c) await conversations.delete(rk); // a question about a case that is gone
    // Blocked for abuse (/block): no new case for a while, from this account or one the case was resumed on.
    if (await ctx.blocks.isBlocked(rk)) {
      if (inbound.deliveryId) await store.markUpdate(inbound.deliveryId);
      return { lang: inbound.lang, replies: [say(blockedNotice(inbound.lang, elsewhereHelp(ctx)))] };
    }

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
   * Two round trips before the state is read. First the redelivery check and the message
   * budget: a flood is turned away before the lease and the state (a redelivered update
   * spends a message of the budget too: rare, and it saves a round trip on every
   * message). Then the lease and a second look for a redelivery, in that order, so the
   * look sees everything an earlier holder of the lease did.
   */
  async function receive(received: Inbound): Promise<IntakeOutcome> {
    const inbound = visibleOnly(received);
    const rk = inbound.reporterKey;
    const seen = async () => inbound.deliveryId !== undefined && (await store.seenUpdate(inbound.deliveryId));
    const [before, verdict] = await Promise.all([seen(), ctx.inbound.take(rk)]);
    if (before) return { type: 'duplicate' };
    if (verdict !== 'pass') return tooFast(ctx, inbound, verdict === 'tell');
    const [taken, looked] = await Promise.allSettled([conversations.tryLock(rk, ctx.leaseMs), seen()]);
    if (taken.status === 'rejected') throw taken.reason;
    // Another update of this reporter is being handled: wait for it, then look again.
    const lease = taken.value ?? (await conversations.lock(rk, ctx.leaseMs));
    try {
      const handled = taken.value && looked.status === 'fulfilled' ? looked.value : await seen();
      if (handled) return { type: 'duplicate' };
      const { lang, replies, ack, answered, wipe } = await route(inbound);
      // Acknowledged only once it is on a replica too, where there are replicas.
      await ctx.replicated?.();
      return { type: 'queued', lang, replies, ack: ack ?? false, answered: answered ?? false, ...(wipe ? { wipe } : {}) };
    } finally {
      await lease.release();
    }
  }

  async function languageOf(rk: ReporterKey): Promise<Lang | undefined> {
    const [c, caseId] = await Promise.all([conversations.load(rk), store.caseOfReporter(rk)]);
    return c?.lang ?? (caseId ? (await store.get(caseId))?.lang : undefined);
  }

  return { receive, languageOf };
}

/**
 * Text with nothing visible in it (zero-width characters, bidi marks, fillers) is an
 * empty message, and such a caption no caption: neither can pass for a report.
 */
function visibleOnly(inbound: Inbound): Inbound {
  const { content } = inbound;
  if ((content.kind === 'text' || content.kind === 'edit') && content.text !== '' && isBlank(content.text)) {
    return { ...inbound, content: { ...content, text: '' } };
  }
  if ((content.kind === 'file' || content.kind === 'unsupported') && content.caption !== undefined && isBlank(content.caption)) {
    const { caption: _, ...rest } = content;
    return { ...inbound, content: rest };
  }
  return inbound;
}
