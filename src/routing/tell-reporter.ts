// Trustline's own words to a reporter travel like a counsellor's answer: encrypted in
// the case log, in order with the answers, delivered by the reporter relay.
import { jobIds } from '../queue/index.js';
import type { CaseRecord } from '../store/index.js';
import type { DutyContext } from './duty-context.js';

export async function tellReporter(
  ctx: Pick<DutyContext, 'caseLog' | 'pipeline' | 'clock'>,
  record: Pick<CaseRecord, 'id' | 'sealedKey'>,
  text: string,
  delayMs = 0,
  offer?: 'report',
): Promise<number> {
  const seq = await ctx.caseLog.append(record, 'out', { kind: 'notice', text, at: ctx.clock.now(), ...(offer ? { offer } : {}) });
  if (delayMs > 0) {
    await ctx.pipeline.reporter.add('deliver', { caseId: record.id, seq }, { jobId: jobIds.reporter(record.id, seq), delay: delayMs });
  } else {
    await ctx.pipeline.deliverToReporter(record.id, seq);
  }
  return seq;
}
