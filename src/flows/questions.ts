// The questions before a report is sent. Each inbound update advances the conversation
// by at most one step; the reporter always hears where they are and what comes next.
// Nothing they write is dropped: text that answers nothing is kept for the counsellor,
// and the reporter is told so once per question, not after every message. Once a case
// is open (the urgent path opens it early), the questions are optional: whatever is not
// an answer goes to the counsellor at once, as on any open case (open-case.ts).
import type { CaseId } from '../shared/index.js';
import { type Command, parseCommand, unknownCommand } from './commands.js';
import type { Conversation } from '../store/index.js';
import { cleaningNotes, keptAs, refusal, takeEvidence as cleanEvidence, type FileContent } from './evidence.js';
import { advance, interrupt, stepOf, type Action, type Advance } from './flow.js';
import { t, type CatalogId } from '../i18n/index.js';
import type { Inbound } from './inbound.js';
import { intakeFlow } from './intake-flow.js';
import { type Handled, type IntakeContext, say } from './intake-context.js';
import { emergencyList, optionWords, promptFor } from './prompts.js';
import type { Reply } from './reply.js';
import { looksLikeResume, resume } from './resume.js';
import { cancel, submit } from './submission.js';
import { answerToStaff, isFree, toOpenCase } from './open-case.js';
import { emergencyReply, escalateConversation } from './urgent.js';
import { forgetCase, withdrawCase } from './case-actions.js';
import { consult } from './consultation.js';

const flow = intakeFlow;

export async function duringIntake(ctx: IntakeContext, inbound: Inbound, c: Conversation, opts: { first: boolean }): Promise<Handled> {
  const rk = inbound.reporterKey;
  const { content } = inbound;
  const open = c.caseId ? await ctx.store.get(c.caseId as CaseId) : undefined;
  if (open && isFree(c, content)) return toOpenCase(ctx, inbound, c, open);
  /** The conversation's case (usually the one read above; an urgent answer may open it meanwhile). */
  const caseOf = async (conv: Conversation) => (!conv.caseId ? undefined : conv.caseId === open?.id ? open : await ctx.store.get(conv.caseId as CaseId));
  const caseCode = async (conv: Conversation) => (await caseOf(conv))?.code;
  const ask = async (conv: Conversation): Promise<Reply> => promptFor(flow, conv, ctx.settings, await caseCode(conv));
  /** One message: what happened, then the question with its options. */
  const askWith = async (conv: Conversation, lead: string): Promise<Reply> => {
    const question = await ask(conv);
    return { ...question, text: `${lead}\n\n${question.text}` };
  };

  let next = c;
  const replies: Reply[] = [];
  let risky = false;
  let urgentAnswer = false;
  let answered = false;
  let ack = false;
  let wipe = false;

  /** Applies the engine's verdict; returns a final answer when the step ended the questions. */
  const settle = async (result: Advance): Promise<Handled | undefined> => {
    switch (result.type) {
      case 'moved': {
        urgentAnswer = result.urgent;
        answered = true;
        next.told = undefined;
        // About the service's own staff: said honestly, before anything is sent, where it will go.
        // A case opened already (urgent) leaves the staff chat before this answer is posted.
        const aboutStaff = result.from === 'about-staff' && next.answers['about-staff'] === 'yes';
        if (aboutStaff && open && ctx.moveToOversight) await ctx.moveToOversight(open.id);
        if (open) await answerToStaff(ctx, open, result.from, next);
        if (aboutStaff && ctx.config.oversightChat) replies.push(say(t(next.lang, 'about-staff-oversight')));
        else if (aboutStaff) replies.push(say(t(next.lang, 'about-staff-no-oversight', { contacts: ctx.config.oversightContacts ?? 'none' })));
        replies.push(await ask(next));
        return undefined;
      }
      case 'collected':
        answered = true;
        replies.push({ ...(await ask(next)), text: t(next.lang, 'account-received', { count: next.account.length }) });
        return undefined;
      case 'invalid':
        if (!result.noted) {
          replies.push(await askWith(next, t(next.lang, `invalid-${result.problem}` as CatalogId)));
        } else if (next.told === next.step) {
          ack = true; // told at this question already: kept, quietly
        } else {
          next.told = next.step;
          replies.push(await askWith(next, t(next.lang, 'noted-choose')));
        }
        return undefined;
      case 'stale':
        replies.push(await askWith(next, t(next.lang, 'stale')));
        return undefined;
      case 'ended':
        replies.push(await ask(next));
        return undefined;
      case 'action':
        return act(result.action, result.text);
    }
  };

  const act = async (action: Exclude<Action, 'back'>, text?: string): Promise<Handled | undefined> => {
    const record = await caseOf(next);
    switch (action) {
      case 'submit':
        return submit(ctx, inbound, next);
      case 'cancel':
      case 'stop-asking':
        return cancel(ctx, inbound, next);
      case 'withdraw':
      case 'forget':
        if (!record) return act('cancel');
        return action === 'withdraw' ? withdrawCase(ctx, inbound, record, next.lang) : forgetCase(ctx, inbound, record, next.lang);
      case 'consult':
        return consult(ctx, inbound, next);
      case 'read': {
        // A reader leaves nothing behind: the conversation (a language and a consent) goes too.
        await ctx.conversations.delete(rk);
        await ctx.pipeline.forgetConversation(next.cid, next.channel);
        if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
        return { lang: next.lang, replies: ctx.reader ? [ctx.reader.first(next.lang).page] : [], answered: true };
      }
      case 'resume': {
        if (!looksLikeResume(text ?? '')) {
          // Not a try at /resume: handled as if the /resume had not been sent (kept,
          // answered or passed on where it would have been), with the format said once.
          const where: Conversation = { ...next, step: next.back ?? flow.start, back: undefined };
          const handled = await duringIntake(ctx, inbound, where, { first: false });
          return { ...handled, replies: [say(t(handled.lang, 'resume-not-code')), ...handled.replies] };
        }
        if (record) {
          replies.push(say(t(next.lang, 'resume-has-case', { code: record.code })));
          next = { ...next, step: next.back ?? flow.start, back: undefined };
          replies.push(await ask(next));
          return undefined;
        }
        const outcome = await resume(ctx, inbound, next.lang, text ?? '');
        if (outcome.ok) return { lang: next.lang, replies: outcome.replies, answered: true };
        replies.push(...outcome.replies);
        // Out of attempts: back to where they were; otherwise they may simply retry.
        if (outcome.limited) next = { ...next, step: next.back ?? flow.start, back: undefined };
        else next = interrupt(next, 'resume');
        replies.push(await ask(next));
        return undefined;
      }
    }
  };

  switch (content.kind) {
    case 'text': {
      const command = parseCommand(content.text);
      if (command) {
        const done = await onCommand(command.command, command.args);
        if (done) return done;
        break;
      }
      const unknown = unknownCommand(content.text);
      if (unknown !== undefined) {
        replies.push(await askWith(c, t(c.lang, 'unknown-command', { command: unknown })));
        break;
      }
      const step = stepOf(flow, c.step);
      risky = !(step.kind === 'text' && step.secret) && ctx.risk(content.text);
      if (opts.first) {
        // No question was asked yet, so the first message answers none: it is kept.
        const typed = content.text.trim();
        if (typed) {
          next = structuredClone(c);
          next.notes.push(typed);
          replies.push(say(t(c.lang, 'noted')));
        } else replies.push(say(t(c.lang, 'invalid-empty')));
        replies.push(await ask(next));
        break;
      }
      const out = advance(flow, c, { kind: 'text', text: content.text }, optionWords);
      next = out.c;
      const done = await settle(out.result);
      if (done) return done;
      break;
    }
    case 'choice': {
      // A button of the question a side question (more questions?, the /resume code, a
      // confirmation) was put in front of still answers it; the side question is dropped.
      const at = c.back !== undefined && content.step === c.back && content.step !== c.step ? { ...c, step: c.back, back: undefined } : c;
      const out = advance(flow, at, { kind: 'choice', step: content.step, value: content.value }, optionWords);
      next = out.c;
      const done = await settle(out.result);
      if (done) return done;
      break;
    }
    case 'edit':
      // Which answer an edit belonged to is not tracked: it is kept whole for the counsellor.
      risky = ctx.risk(content.text);
      if (content.text.trim()) {
        next = structuredClone(c);
        next.notes.push(content.text.trim());
        replies.push(say(t(c.lang, 'noted')));
      }
      break;
    case 'file': {
      risky = content.caption !== undefined && ctx.risk(content.caption);
      // Someone who cannot type answers in their own voice: a voice note at a question
      // that takes words is the answer, and is kept (disguised) as evidence.
      const step = stepOf(flow, c.step);
      const speaks =
        content.media === 'voice' &&
        !opts.first &&
        (step.kind === 'collect' || (step.kind === 'text' && !step.secret) || (step.kind === 'choice' && !!step.acceptsText));
      const kept = await takeEvidence(content, speaks);
      if (speaks && kept !== undefined) {
        const out = advance(flow, next, { kind: 'text', text: t(next.lang, 'voice-answer', { count: kept }) }, optionWords);
        next = out.c;
        const done = await settle(out.result);
        if (done) return done;
      }
      break;
    }
    case 'unsupported': {
      risky = content.caption !== undefined && ctx.risk(content.caption);
      let lead = t(c.lang, 'evidence-unsupported', { kind: content.media });
      if (content.caption?.trim()) {
        next = structuredClone(c);
        next.notes.push(content.caption.trim());
        lead += ` ${t(c.lang, 'noted')}`;
      }
      replies.push(await askWith(next, lead));
      break;
    }
  }

  if ((risky || urgentAnswer) && !next.urgent) {
    next = structuredClone(next);
    replies.unshift(...(await escalateConversation(ctx, inbound, next)));
  } else if (risky && (await ctx.conversations.claimEmergencyNotice(rk))) {
    replies.unshift(emergencyReply(ctx, next.lang));
  }
  await ctx.conversations.save(rk, { ...next, updatedAt: ctx.now(), reminded: false }, inbound.deliveryId ? { updateId: inbound.deliveryId } : {});
  return { lang: next.lang, replies, answered, ack, ...(wipe ? { wipe } : {}) };

  /** Keeps a file as evidence; returns its number in the report, or undefined when it was not kept. `asAnswer`: the caller asks the next question. */
  async function takeEvidence(file: FileContent, asAnswer: boolean): Promise<number | undefined> {
    const { maxFiles, maxBytes } = ctx.config.evidence;
    const lang = c.lang;
    next = structuredClone(c);
    // A file that cannot be kept still leaves its caption for the counsellor.
    const keepCaption = () => file.caption?.trim() && next.notes.push(file.caption.trim());
    if (c.evidence.length >= maxFiles) {
      keepCaption();
      replies.push(say(t(lang, 'evidence-too-many', { max: maxFiles })));
    } else {
      const fetched = await cleanEvidence(file, maxBytes, ctx);
      if (!fetched.ok) {
        keepCaption();
        replies.push(say(refusal(lang, fetched, maxBytes)));
      } else {
        const n = Math.max(-1, ...c.evidence.map((e) => e.n)) + 1;
        await ctx.conversations.putEvidence(rk, c.cid, n, fetched.bytes);
        next.evidence.push({
          n,
          media: file.media,
          ...(file.mime ? { mime: file.mime } : {}),
          ...keptAs(fetched),
          ...(file.caption?.trim() ? { caption: file.caption.trim() } : {}),
          at: ctx.now(),
        });
        replies.push(...(await cleaningNotes(ctx, rk, lang, fetched)));
        ctx.log.info({ event: 'evidence.kept', media: file.media, count: next.evidence.length }, 'evidence kept in the draft');
        if (asAnswer) return next.evidence.length;
        const added = t(lang, 'evidence-added', { count: next.evidence.length, max: maxFiles });
        // At the evidence step the reply carries the "Continue" option; elsewhere the question is asked again.
        if (c.step === 'evidence') {
          replies.push({ ...(await ask(next)), text: added });
          return next.evidence.length;
        }
        replies.push(say(added));
        replies.push(await ask(next));
        return next.evidence.length;
      }
    }
    replies.push(await ask(next));
    return undefined;
  }

  async function onCommand(command: Command, args: string): Promise<Handled | undefined> {
    const lang = c.lang;
    switch (command) {
      case 'start':
        if (!opts.first) replies.push(say(t(lang, 'continue')));
        replies.push(await ask(c));
        return undefined;
      case 'report':
      case 'new':
        // This is the new report (a first one, or one beside a case they have).
        if (!opts.first) replies.push(say(t(lang, 'new-during-intake')));
        replies.push(await ask(c));
        return undefined;
      case 'help':
        replies.push(say(t(lang, 'help', { numbers: emergencyList(lang, ctx.config.emergencyNumbers) })), await ask(c));
        return undefined;
      case 'status':
        replies.push(say(t(lang, 'draft-status')), await ask(c));
        return undefined;
      case 'cancel':
        next = interrupt(c, 'confirm-cancel');
        replies.push(await ask(next));
        return undefined;
      case 'language':
        next = interrupt(c, 'language');
        replies.push(await ask(next));
        return undefined;
      case 'withdraw':
      case 'forget':
        if (!(await caseCode(c))) {
          replies.push(say(t(lang, 'nothing-sent')), await ask(c));
          return undefined;
        }
        next = interrupt(c, command === 'withdraw' ? 'confirm-withdraw' : 'confirm-forget');
        replies.push(await ask(next));
        return undefined;
      case 'quiet':
        // Quiet hours are for answers, which come once the report is sent: it asks then.
        replies.push(say(t(lang, 'quiet-later')), await ask(c));
        return undefined;
      case 'wipe':
        // The answers so far stay (encrypted, in the draft); only the chat is cleared.
        wipe = true;
        replies.push(say(t(lang, `wiped-${inbound.channel}`)), await ask(c));
        return undefined;
      case 'resume':
        if (args && !looksLikeResume(args)) {
          replies.push(await askWith(c, t(lang, 'resume-not-code')));
          return undefined;
        }
        next = interrupt(c, 'resume');
        if (args) return act('resume', args);
        replies.push(await ask(next));
        return undefined;
    }
  }
}
