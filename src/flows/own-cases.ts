// A reporter may have more than one case: /new opens another, independent of the first,
// with its own code and phrase. Their messages go to one of them, the current case:
// the newest, the one they chose under /status, or the one whose answer came last
// (relay/reporter-relay.ts). Staff never see that two cases share a reporter.
import type { Lang } from '../shared/index.js';
import { isClosedStatus, newConversation, type CaseRecord, type Conversation } from '../store/index.js';
import { normalizeCaseCode } from '../crypto/index.js';
import { blockedNotice } from '../cases/index.js';
import { t } from '../i18n/index.js';
import type { Inbound } from './inbound.js';
import { elsewhereHelp, type Handled, type IntakeContext, say } from './intake-context.js';
import { intakeFlow } from './intake-flow.js';
import { promptFor } from './prompts.js';
import type { Reply } from './reply.js';

/** The step of the question "which case do your messages go to?" (buttons carry the code). */
export const CASE_STEP = 'case';

const isOpen = (r: CaseRecord) => !isClosedStatus(r.status);

/**
 * The case a reporter's messages go to when their current one is gone (withdrawn,
 * erased): their newest open case; undefined when they have none (a message then
 * starts a new report).
 */
export async function fallbackCase(ctx: IntakeContext, inbound: Inbound): Promise<CaseRecord | undefined> {
  const { cases } = await ctx.store.casesOfReporter(inbound.reporterKey);
  const next = cases.filter(isOpen).at(-1);
  if (next) await ctx.store.makeCurrent(inbound.reporterKey, next.id);
  return next;
}

/**
 * /new: a report beside the case(s) the reporter has, from the danger question on (the
 * language and the consent were given already). Nothing is sent until they confirm it;
 * meanwhile answers on their other case still come here.
 */
export async function startNewCase(ctx: IntakeContext, inbound: Inbound, record: CaseRecord): Promise<Handled> {
  const rk = inbound.reporterKey;
  const lang = record.lang;
  if (record.blocked || (await ctx.blocks.isBlocked(rk))) {
    if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
    return { lang, replies: [say(blockedNotice(lang, elsewhereHelp(ctx), record))] };
  }
  const c = newConversation({ channel: inbound.channel, lang, step: 'danger', returnAddress: inbound.returnAddress(), now: ctx.now(), alongside: true });
  await ctx.pipeline.watchConversation(rk, c.cid, ctx.config.remindAfterMs, inbound.channel);
  await ctx.conversations.save(rk, c, inbound.deliveryId ? { updateId: inbound.deliveryId } : {});
  ctx.log.info({ event: 'intake.started', channel: inbound.channel, alongside: true }, 'a reporter started a second report');
  const question = promptFor(intakeFlow, c, ctx.settings);
  return { lang, replies: [{ ...question, text: `${t(lang, 'new-case-started', { code: record.code })}\n\n${question.text}` }], answered: true };
}

/**
 * A case opened with /new is sent: it takes the reporter's quiet hours from their other
 * cases (asked once, for the phone), and its receipt says where messages go now.
 */
export async function alongside(ctx: IntakeContext, inbound: Inbound, lang: Lang, record: CaseRecord): Promise<string> {
  const { cases } = await ctx.store.casesOfReporter(inbound.reporterKey);
  const others = cases.filter((r) => isOpen(r) && r.id !== record.id);
  const quiet = others.find((r) => r.quiet)?.quiet;
  if (quiet) await ctx.store.setQuiet(record.id, quiet);
  return t(lang, 'receipt-alongside', { code: record.code, others: others.map((r) => r.code).join(', '), count: others.length });
}

/**
 * /status with several cases: a line per case, which one messages go to, and (more than
 * one open) a choice of where they go, as buttons or a numbered menu.
 */
export async function statusOfCases(
  ctx: IntakeContext,
  inbound: Inbound,
  record: CaseRecord,
  statusText: (r: CaseRecord) => string,
): Promise<Handled | undefined> {
  const { cases } = await ctx.store.casesOfReporter(inbound.reporterKey);
  if (cases.length < 2) return undefined;
  const lang = record.lang;
  const open = cases.filter(isOpen);
  const text = [...cases.map((r) => statusText(r)), t(lang, 'writing-to', { code: record.code })].join('\n\n');
  if (open.length < 2) {
    if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
    return { lang, replies: [say(text)] };
  }
  // A numbered menu is answered by the next message: the question waits, codes in order.
  const question: Conversation = {
    ...newConversation({ channel: inbound.channel, lang, step: CASE_STEP, phase: 'after', returnAddress: Buffer.alloc(0), now: ctx.now() }),
    choices: open.map((r) => r.code),
  };
  await ctx.conversations.save(inbound.reporterKey, question, inbound.deliveryId ? { updateId: inbound.deliveryId } : {});
  // Button data is lower case (see bot/telegram/prompt.ts); chooseCase reads either.
  const menu: Reply['menu'] = { step: CASE_STEP, options: open.map((r) => ({ value: r.code.toLowerCase(), label: t(lang, 'opt-case', { code: r.code }) })) };
  return { lang, replies: [{ text: `${text}\n\n${t(lang, 'ask-case')}`, menu }] };
}

/** The case a typed answer to the 'case' question names: its number in the menu, or its code. */
export function chosenCode(question: Conversation, typed: string): string | undefined {
  const choices = question.choices ?? [];
  const n = /^\s*(\d+)\s*$/.exec(typed);
  if (n) return choices[Number(n[1]) - 1];
  const code = normalizeCaseCode(typed.trim());
  return code && choices.includes(code) ? code : undefined;
}

/** The reporter chose where their messages go: one of their own open cases, by code. */
export async function chooseCase(ctx: IntakeContext, inbound: Inbound, lang: Lang, typed: string): Promise<Handled> {
  const rk = inbound.reporterKey;
  const code = normalizeCaseCode(typed) ?? typed;
  const { cases } = await ctx.store.casesOfReporter(rk);
  const chosen = cases.find((r) => r.code === code && isOpen(r));
  await ctx.conversations.delete(rk);
  if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
  if (!chosen) return { lang, replies: [say(t(lang, 'case-not-open', { code }))] };
  await ctx.store.makeCurrent(rk, chosen.id);
  ctx.log.info({ event: 'reporter.case-chosen', case: chosen.code }, 'a reporter chose which case their messages go to');
  return { lang, replies: [say(t(lang, 'writing-to', { code: chosen.code }))], answered: true };
}
