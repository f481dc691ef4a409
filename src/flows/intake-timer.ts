// An unfinished conversation is reminded once, then expires. One delayed job per
// conversation: when it fires early (the reporter was active since) it moves itself
// to the new deadline, so an active reporter costs no extra jobs. A conversation whose
// case is already open (urgent) is never reminded: that reporter hears nothing but the
// counsellor, and its expiry ends only the questions, never the case.
import { type CaseId, type ChannelName, NotYet } from '../shared/index.js';
import type { IntakeTimerJob } from '../queue/index.js';
import { intakeFlow } from './intake-flow.js';
import { intakeContext, type IntakeDeps } from './intake-context.js';
import { t } from '../i18n/index.js';
import { promptFor } from './prompts.js';
import { renderAsText } from './reply.js';
import { endQuestions } from './submission.js';

/** Sends text to a sealed return address, through whichever channel it names. */
export type NotifyReporter = (returnAddress: Buffer, text: string) => Promise<void>;

/** Reminds an unfinished conversation once, then ends it. */
export interface IntakeTimer {
  /** An intake-timer job came due, in the process that runs channel `here`. */
  readonly run: (job: IntakeTimerJob, here: ChannelName) => Promise<void>;
}

export function createIntakeTimer(deps: IntakeDeps & { notify: NotifyReporter }): IntakeTimer {
  const ctx = intakeContext(deps);
  const { remindAfterMs, expireAfterMs } = deps.config;

  /** `here`: the channel whose timer queue this job came from (see Pipeline.watchConversation). */
  async function run({ rk, cid }: IntakeTimerJob, here: ChannelName): Promise<void> {
    const lease = await ctx.conversations.lock(rk, ctx.leaseMs);
    try {
      const c = await ctx.conversations.load(rk);
      if (!c || c.cid !== cid || c.phase !== 'intake') return; // sent, cancelled or replaced
      const idle = ctx.now() - c.updatedAt;
      const wait = (until: number) => Math.max(0, until - ctx.now());
      if (c.channel !== here) {
        // Queued before each channel had its timer queue (an upgrade): the reminder goes
        // out through that channel, so the timer moves to where the channel runs.
        await ctx.pipeline.watchConversation(rk, cid, wait(c.updatedAt + (c.reminded ? expireAfterMs : remindAfterMs)), c.channel);
        ctx.log.info({ event: 'intake.timer-moved', channel: c.channel }, 'conversation timer moved to its channel');
        return;
      }
      if (!c.reminded) {
        if (idle < remindAfterMs) throw new NotYet('the reporter was active', wait(c.updatedAt + remindAfterMs));
        if (c.caseId !== undefined) {
          await ctx.conversations.save(rk, { ...c, reminded: true });
          throw new NotYet('the case is open: no questionnaire reminder', wait(c.updatedAt + expireAfterMs));
        }
        const hours = Math.max(1, Math.round((expireAfterMs - idle) / 3_600_000));
        const question = renderAsText(promptFor(intakeFlow, c, ctx.settings), c.lang);
        await deps.notify(Buffer.from(c.returnAddress, 'base64'), `${t(c.lang, 'reminder', { hours })}\n\n${question}`);
        await ctx.conversations.save(rk, { ...c, reminded: true });
        ctx.log.info({ event: 'intake.reminded' }, 'unfinished conversation reminded');
        throw new NotYet('reminded', wait(c.updatedAt + expireAfterMs));
      }
      if (idle < expireAfterMs) throw new NotYet('reminded, not expired yet', wait(c.updatedAt + expireAfterMs));
      const record = c.caseId !== undefined ? await ctx.store.get(c.caseId as CaseId) : undefined;
      // An urgent case stays open with what there was; otherwise nothing was ever sent.
      if (record) await endQuestions(ctx, rk, c, record, 'questions-left');
      else {
        await ctx.conversations.delete(rk);
        await deps.notify(Buffer.from(c.returnAddress, 'base64'), t(c.lang, 'expired'));
      }
      ctx.log.info({ event: 'intake.expired', open: record !== undefined }, 'unfinished conversation expired');
    } finally {
      await lease.release();
    }
  }

  return { run };
}
