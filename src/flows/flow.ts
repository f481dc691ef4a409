// A declarative conversation: steps with abstract prompts (a choice, a free text, a
// collection of messages or of files), their validation and transitions, and a small
// engine that advances a Conversation by one input. Pure: no I/O, no platform, no
// clock, so it is tested with plain values and every channel reuses it unchanged.
import { matchOption, type OptionWords } from './answers.js';
import type { Conversation } from '../store/index.js';

/** What a step can lead to besides another step. */
export type Action = 'submit' | 'cancel' | 'withdraw' | 'forget' | 'resume' | 'stop-asking' | 'quiet' | 'consult' | 'read' | 'back';
export type Transition = string | { do: Action };
export const BACK: Transition = { do: 'back' };

interface StepBase {
  /** option values; shown as buttons or a numbered menu, in this order */
  options: readonly string[];
  /**
   * Where an answer leads. May adjust the (already copied) conversation, e.g. the
   * language step sets the language.
   */
  then(value: string, c: Conversation): Transition;
}

export type Step =
  /** one of the options; with acceptsText, a typed answer that matches none is kept as given */
  | (StepBase & { kind: 'choice'; acceptsText?: boolean; clears?: readonly string[]; urgentWhen?: string })
  /** one free-text answer (or an option); secret answers are handed back, never stored */
  | (StepBase & { kind: 'text'; secret?: boolean })
  /** several messages into the account, finished by an option */
  | (StepBase & { kind: 'collect'; min: number })
  /** files arrive outside the engine; an option moves on */
  | (StepBase & { kind: 'files' });

export interface Flow {
  start: string;
  steps: Readonly<Record<string, Step>>;
}

export type Input = { kind: 'text'; text: string } | { kind: 'choice'; step: string; value: string };

export type Problem = 'choose' | 'empty' | 'need-account' | 'send-files';

export type Advance =
  /** the conversation moved on to c.step; urgent when the answer said "in danger" */
  | { type: 'moved'; from: string; urgent: boolean }
  /** a message joined the account; the same step continues */
  | { type: 'collected' }
  /** not an answer to this step; noted when the text was kept for the counsellor */
  | { type: 'invalid'; problem: Problem; noted: boolean }
  /** a button of an earlier question */
  | { type: 'stale' }
  /** the flow asks its host to act; text is a secret answer (a passphrase) */
  | { type: 'action'; action: Exclude<Action, 'back'>; from: string; text?: string }
  /** a question asked on the side (e.g. a confirmation after the report) is settled */
  | { type: 'ended'; from: string };

export type Labels = (step: string, value: string) => readonly string[];

export function stepOf(flow: Flow, id: string): Step {
  const step = flow.steps[id];
  if (!step) throw new Error(`flow has no step ${id}`);
  return step;
}

export function isAnswered(flow: Flow, c: Conversation, id: string): boolean {
  const step = stepOf(flow, id);
  if (step.kind === 'collect' || step.kind === 'files') return c.answers[id] === 'done';
  return c.answers[id] !== undefined;
}

/**
 * Whether typed text would be taken as an answer by the current step: one of its
 * options, or any words where the step asks for words. Otherwise the text is free:
 * something the reporter wants to say rather than an answer.
 */
export function answersStep(flow: Flow, c: Conversation, text: string, labels: Labels): boolean {
  const step = stepOf(flow, c.step);
  if (step.kind === 'text') return true;
  return (
    matchOption(
      text,
      step.options.map((value) => ({ value, words: labels(c.step, value) })),
    ) !== undefined
  );
}

/** Puts a question on the side (cancel?, which language?); BACK returns to where the reporter was. */
export function interrupt(c: Conversation, step: string): Conversation {
  const next = structuredClone(c);
  if (next.step !== step) next.back ??= next.step;
  next.step = step;
  return next;
}

export function advance(flow: Flow, c: Conversation, input: Input, labels: Labels): { c: Conversation; result: Advance } {
  const next = structuredClone(c);
  const id = next.step;
  const step = stepOf(flow, id);
  const options: OptionWords[] = step.options.map((value) => ({ value, words: labels(id, value) }));

  let value: string | undefined;
  let text: string | undefined;
  if (input.kind === 'choice') {
    if (input.step !== id) return { c, result: { type: 'stale' } };
    if (!step.options.includes(input.value)) return { c, result: { type: 'invalid', problem: 'choose', noted: false } };
    value = input.value;
  } else {
    text = input.text.trim();
    if (text === '') return { c, result: { type: 'invalid', problem: 'empty', noted: false } };
    value = matchOption(text, options);
  }

  if (value === undefined) {
    const typed = text!;
    const isNumber = /^\d+$/.test(typed); // a number that is not on the menu: nothing to keep
    if (step.kind === 'collect') {
      next.account.push(typed);
      return { c: next, result: { type: 'collected' } };
    }
    if (step.kind === 'text' && step.secret) {
      return { c: next, result: resultOf(flow, next, id, step.then(typed, next), typed) };
    }
    if (step.kind === 'text' || (step.kind === 'choice' && step.acceptsText && !isNumber)) {
      value = typed;
    } else {
      // Keep what was written for the counsellor, then ask again.
      if (!isNumber) next.notes.push(typed);
      const problem = step.kind === 'files' ? 'send-files' : 'choose';
      return { c: next, result: { type: 'invalid', problem, noted: !isNumber } };
    }
  }

  if (step.kind === 'collect') {
    // Messages already passed to an open case told what happened as well as the account would.
    if (next.account.length + (next.relayed ?? 0) < step.min) return { c, result: { type: 'invalid', problem: 'need-account', noted: false } };
    next.answers[id] = 'done';
  } else if (step.kind === 'files') {
    next.answers[id] = 'done';
  } else if (!(step.kind === 'text' && step.secret)) {
    next.answers[id] = value;
  }
  if (step.kind === 'choice') for (const cleared of step.clears ?? []) delete next.answers[cleared];
  const urgent = step.kind === 'choice' && step.urgentWhen === value;
  const result = resultOf(flow, next, id, step.then(value, next));
  return { c: next, result: result.type === 'moved' ? { ...result, urgent } : result };
}

/** Applies a transition to `c` (mutating the copy the engine owns). */
function resultOf(flow: Flow, c: Conversation, from: string, t: Transition, text?: string): Advance {
  if (typeof t !== 'string') {
    if (t.do !== 'back') return { type: 'action', action: t.do, from, ...(text !== undefined ? { text } : {}) };
    const back = c.back;
    c.back = undefined;
    if (back === undefined) {
      if (c.phase === 'after') return { type: 'ended', from };
      c.step = flow.start;
    } else c.step = back;
    return { type: 'moved', from, urgent: false };
  }
  let target = t;
  // Editing one answer from the review: go on only through questions that the change
  // made necessary (a new sub-category), then straight back to the review.
  if (c.returnTo !== undefined && target !== c.returnTo && isAnswered(flow, c, target)) target = c.returnTo;
  if (target === c.returnTo) c.returnTo = undefined;
  c.step = target;
  return { type: 'moved', from, urgent: false };
}
