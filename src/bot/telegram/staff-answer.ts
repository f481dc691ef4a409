// What the staff chat and a counsellor's private chat (need-to-know mode) do alike: run
// a staff command, and relay a counsellor's answer to the reporter.
import type { CaseLog } from '../../cases/index.js';
import type { Pipeline } from '../../queue/index.js';
import { type CaseDesk, type DeskResult, type StaffCommands, staffText } from '../../routing/index.js';
import { type CaseId, type Lang, type Logger, NotYet } from '../../shared/index.js';
import type { CaseStore, StaffRecord } from '../../store/index.js';

type CommandInput = Parameters<StaffCommands['run']>[0];

/** Runs a staff command; a case busy with another command is answered "try again in a moment", not failed. */
export async function runStaffCommand(commands: StaffCommands, lang: Lang, input: CommandInput): Promise<DeskResult> {
  try {
    return await commands.run(input);
  } catch (err) {
    if (!(err instanceof NotYet)) throw err;
    return { replies: [staffText(lang, 'cmd-busy')] };
  }
}

export interface AnswerDeps {
  store: CaseStore;
  caseLog: CaseLog;
  pipeline: Pipeline;
  caseDesk: CaseDesk;
  log: Logger;
}

/**
 * A counsellor's answer in a case, encrypted and queued for the reporter. The first
 * answer acknowledges the case; someone who recused may not answer it ('recused'); for
 * a case that is gone, answering changes nothing ('gone'). `holderOnly` (a private chat
 * in need-to-know mode): only whoever holds the case answers, not a supervisor reading it.
 */
export async function relayAnswer(
  deps: AnswerDeps,
  member: StaffRecord,
  caseId: CaseId,
  text: string,
  links: { staffMessageId?: number; updateId: string },
  holderOnly = false,
): Promise<'queued' | 'recused' | 'not-holder' | 'gone'> {
  // Read together with the case: for a case that is gone, answering changes nothing.
  const [record, answering] = await Promise.all([deps.store.get(caseId), deps.caseDesk.answered(member, caseId, holderOnly)]);
  if (!record) return 'gone';
  if (answering !== 'ok') return answering;
  const seq = await deps.caseLog.append(record, 'out', { kind: 'text', text, at: Date.now() }, links);
  await deps.pipeline.deliverToReporter(caseId, seq);
  deps.log.info({ event: 'staff.answer', case: record.code, seq }, 'answer queued for the reporter');
  return 'queued';
}
