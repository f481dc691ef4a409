// A reporter whose case is sent: commands about the case (/status, /withdraw, /forget,
// /language, /new...), the questions they raise, and otherwise the relay to the case
// their messages go to (own-cases.ts).
import { type Lang, parseTimeRange } from '../shared/index.js';
import { setQuiet } from './quiet.js';
import { isClosedStatus, type Conversation, type CaseRecord } from '../store/index.js';
import { askAfter } from './after-question.js';
import { forgetCase, withdrawCase } from './case-actions.js';
import { parseCommand, unknownCommand, type Command } from './commands.js';
import { advance } from './flow.js';
import { formatDue, t } from '../i18n/index.js';
import { blockedNotice } from '../cases/index.js';
import type { Inbound } from './inbound.js';
import { intakeFlow } from './intake-flow.js';
import { elsewhereHelp, type Handled, type IntakeContext, say } from './intake-context.js';
import { emergencyList, optionWords } from './prompts.js';
import { relay } from './relay.js';
import { CASE_STEP, chooseCase, chosenCode, startNewCase, statusOfCases } from './own-cases.js';
import { startReport, TO_REPORT_STEP } from './consultation.js';

/** A confirmation left unanswered this long no longer counts: a late "yes" must not erase a case. */
const QUESTION_LIFETIME_MS = 10 * 60_000;

export async function afterReport(ctx: IntakeContext, inbound: Inbound, record: CaseRecord, c: Conversation | undefined): Promise<Handled> {
  const rk = inbound.reporterKey;
  const { content } = inbound;
  let pending = c?.phase === 'after' && ctx.now() - c.updatedAt < QUESTION_LIFETIME_MS ? c : undefined;
  if (c && !pending) await ctx.conversations.delete(rk);

  // "I want to file a report" under a consultation's receipt (or the counsellor's offer).
  if (content.kind === 'choice' && content.step === TO_REPORT_STEP) return startReport(ctx, inbound, record);
  // Which case messages go to: a button under /status (any time), or the menu's number or code.
  if (content.kind === 'choice' && content.step === CASE_STEP) return chooseCase(ctx, inbound, record.lang, content.value);
  if (pending?.step === CASE_STEP) {
    const code = content.kind === 'text' && !parseCommand(content.text) ? chosenCode(pending, content.text) : undefined;
    if (code) return chooseCase(ctx, inbound, record.lang, code);
    // Not an answer: the question is dropped and the message taken as it is.
    await ctx.conversations.delete(rk);
    pending = undefined;
  }

  if (content.kind === 'text') {
    const command = parseCommand(content.text);
    if (command?.command === 'quiet' && pending?.step === 'quiet') await ctx.conversations.delete(rk); // answered by the command itself
    if (command) return onCommand(ctx, inbound, record, command.command, command.args);
    // The quiet-hours question answered in words: "23:00-07:00".
    if (pending?.step === 'quiet' && parseTimeRange(content.text)) {
      await ctx.conversations.delete(rk);
      return setQuiet(ctx, inbound, record, content.text);
    }
    const unknown = unknownCommand(content.text);
    if (unknown !== undefined) return answered(ctx, inbound, record.lang, [say(t(record.lang, 'unknown-command', { command: unknown }))]);
  }
  if (pending && (content.kind === 'text' || content.kind === 'choice')) {
    const input = content.kind === 'text' ? { kind: 'text' as const, text: content.text } : content;
    const { c: next, result } = advance(intakeFlow, pending, input, optionWords);
    if (result.type === 'action' && (result.action === 'withdraw' || result.action === 'forget')) {
      return result.action === 'withdraw' ? withdrawCase(ctx, inbound, record, next.lang) : forgetCase(ctx, inbound, record, next.lang);
    }
    await ctx.conversations.delete(rk);
    if (result.type === 'action' && result.action === 'quiet') return setQuiet(ctx, inbound, record, next.answers.quiet ?? '');
    if (result.type === 'ended') {
      if (result.from === 'language') await setLangOfAll(ctx, inbound, record, next.lang);
      if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
      return { lang: next.lang, replies: [helpAfter(ctx, record, next.lang)], answered: true };
    }
    // Not an answer to the question: the question is dropped and the message relayed.
  }
  // A button under a question of the finished conversation: say so rather than nothing.
  if (content.kind === 'choice') return answered(ctx, inbound, record.lang, [say(t(record.lang, 'button-after-sent', { code: record.code }))]);
  // Blocked by an admin (/block): nothing reaches staff; the reporter hears why, and where else to turn.
  if (record.blocked) return answered(ctx, inbound, record.lang, [say(blockedNotice(record.lang, elsewhereHelp(ctx), record))]);
  return relay(ctx, inbound, record);
}

/** The language is the reporter's, not a case's: each of their cases answers in it. */
async function setLangOfAll(ctx: IntakeContext, inbound: Inbound, record: CaseRecord, lang: Lang): Promise<void> {
  const { cases } = await ctx.store.casesOfReporter(inbound.reporterKey);
  const ids = new Set([record.id, ...cases.map((r) => r.id)]);
  for (const id of ids) await ctx.reporterCases.setLang(id, lang);
}

/** Replies that store nothing; the update is marked handled so a redelivery stays quiet. */
async function answered(ctx: IntakeContext, inbound: Inbound, lang: Handled['lang'], replies: Handled['replies']): Promise<Handled> {
  if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
  return { lang, replies };
}

/**
 * /status: where the case stands, in the reporter's words, and by when its next step is
 * due as the policy promises them (CASE_DEADLINES), in their language.
 */
function statusText(ctx: IntakeContext, lang: Lang, record: CaseRecord): string {
  const due = record.deadline && !isClosedStatus(record.status) ? record.deadline : undefined;
  return t(lang, 'status', {
    code: record.code,
    status: record.status,
    answers: record.done.out,
    stage: due?.stage ?? 'none',
    due: due ? formatDue(due.dueAt, lang, ctx.config.timeZone, true) : '',
  });
}

function helpAfter(ctx: IntakeContext, record: CaseRecord, lang = record.lang) {
  return say(t(lang, 'help-after', { code: record.code, numbers: emergencyList(lang, ctx.config.emergencyNumbers) }));
}

async function onCommand(ctx: IntakeContext, inbound: Inbound, record: CaseRecord, command: Command, args = ''): Promise<Handled> {
  const lang = record.lang;
  const done = (replies: Handled['replies']) => answered(ctx, inbound, lang, replies);
  const ask = async (step: string): Promise<Handled> => ({ lang, replies: [await askAfter(ctx, inbound, lang, step, record.code, true)] });
  switch (command) {
    case 'start':
    case 'help':
      return done([helpAfter(ctx, record)]);
    case 'status':
      return (await statusOfCases(ctx, inbound, record, (r) => statusText(ctx, lang, r))) ?? done([say(statusText(ctx, lang, record))]);
    case 'new':
      return startNewCase(ctx, inbound, record);
    case 'report':
      return startReport(ctx, inbound, record);
    case 'cancel':
      return done([say(t(lang, 'nothing-to-cancel', { code: record.code }))]);
    case 'resume':
      return done([say(t(lang, 'resume-has-case', { code: record.code }))]);
    case 'wipe':
      return { ...(await done([say(t(lang, `wiped-${inbound.channel}`)), say(t(lang, 'wipe-kept'))])), wipe: true };
    case 'language':
      return ask('language');
    case 'withdraw':
      return ask('confirm-withdraw');
    case 'forget':
      return ask('confirm-forget');
    case 'quiet':
      return args ? setQuiet(ctx, inbound, record, args) : ask('quiet');
  }
}
