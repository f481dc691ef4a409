// The questions of a case that is already open (the urgent path opens it before they
// end). The reporter is heard at once: what is not an answer goes to the counsellor like
// any message on an open case, answers that are fields of the report are posted as they
// come, and the questions are offered once more, never re-asked after every message.
import type { CaseRecord, Conversation } from '../store/index.js';
import { parseCommand, unknownCommand } from './commands.js';
import { answersStep, interrupt } from './flow.js';
import type { Inbound, ReporterContent } from './inbound.js';
import { intakeFlow, unansweredSteps } from './intake-flow.js';
import type { Handled, IntakeContext } from './intake-context.js';
import { optionWords, promptFor } from './prompts.js';
import { relay } from './relay.js';

const flow = intakeFlow;

/** Steps whose answers are fields of the report, posted to staff when the case is already open. */
const reportSteps = new Set(['category', 'discrimination', 'harassment', 'about-staff', 'affected', 'when', 'where', 'ongoing', 'contact', 'contact-details']);

/**
 * With a case open, anything but an answer is a message for the counsellor: typed text
 * that is none of the question's options (where the question takes words, they answer
 * it), files, edits, other media. Commands and buttons stay with the questions.
 */
export function isFree(c: Conversation, content: ReporterContent): boolean {
  switch (content.kind) {
    case 'choice':
      return false;
    case 'text':
      return parseCommand(content.text) === undefined && unknownCommand(content.text) === undefined && !answersStep(flow, c, content.text, optionWords);
    case 'edit':
    case 'file':
    case 'unsupported':
      return true;
  }
}

/**
 * A message on the open case during the questions: relayed at once, in order, like any
 * message on an open case, and acknowledged the same way. The questions left are
 * offered once more (continue, or stop asking), never re-asked after every message.
 */
export async function toOpenCase(ctx: IntakeContext, inbound: Inbound, c: Conversation, record: CaseRecord): Promise<Handled> {
  const relayed = await relay(ctx, inbound, { ...record, lang: c.lang });
  const empty = (inbound.content.kind === 'text' || inbound.content.kind === 'edit') && inbound.content.text.trim() === '';
  if (empty) return { ...relayed, lang: c.lang };
  let next: Conversation = { ...c, relayed: (c.relayed ?? 0) + 1, updatedAt: ctx.now(), reminded: false };
  const replies = [...relayed.replies];
  if (!c.offered && unansweredSteps(next).length > 0) {
    next = { ...interrupt(next, 'more-questions'), offered: true };
    replies.push(promptFor(flow, next, ctx.settings, record.code));
  }
  await ctx.conversations.save(inbound.reporterKey, next);
  return { lang: c.lang, replies, ack: relayed.ack ?? false, answered: false };
}

/** An answer given after the case was opened goes to staff at once, with what is still unanswered. */
export async function answerToStaff(ctx: IntakeContext, record: CaseRecord, from: string, c: Conversation): Promise<void> {
  if (!reportSteps.has(from)) return;
  let step = from;
  let value = c.answers[from];
  if (from === 'contact' || from === 'contact-details') {
    // "share" is only half an answer: the details that follow complete it.
    step = c.answers.contact === 'anonymous' ? 'contact' : 'contact-details';
    value = c.answers[step];
  }
  if ((from === 'category' && (value === 'discrimination' || value === 'harassment')) || value === undefined) return; // its kind follows
  const seq = await ctx.caseLog.append(record, 'in', { kind: 'answer', step, value, unanswered: unansweredSteps(c), at: ctx.now() });
  await ctx.pipeline.postToStaff(record, seq, undefined, record.urgent ? 'urgent' : 'conversation');
}
