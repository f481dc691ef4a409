// Drives the intake conversation the way a person does: tapping the buttons under the
// bot's questions and typing the account, through the local Bot API server.
import type { Message, User } from 'grammy/types';
import type { BotApiServer } from '../../src/sandbox/bot-api/index.js';

export const CODE = /([0-9A-Z]{3}-[0-9A-Z]{3})/;
const PASSPHRASE = /: ([a-z]+(?: [a-z]+){3})$/m;

export function buttonsOf(m: Message): string[] {
  return (m.reply_markup?.inline_keyboard.flat() ?? []).flatMap((b) => ('callback_data' in b ? [b.callback_data] : []));
}

/** Waits for a question with this option, then taps it. */
export async function tap(api: BotApiServer, user: User, step: string, value: string, timeoutMs = 10_000): Promise<Message> {
  const data = `${step}:${value}`;
  const question = await api.waitFor(() => [...api.messagesIn(user.id)].reverse().find((m) => buttonsOf(m).includes(data)), {
    timeoutMs,
    label: `a question with the option ${data}`,
  });
  api.pressButton(user, question, data);
  return question;
}

/** Waits for the bot to send a message matching `pattern` to this user after `since` messages. */
export async function botSays(api: BotApiServer, user: User, pattern: RegExp | string, since = 0, timeoutMs = 10_000): Promise<Message> {
  const test = (text: string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
  return api.waitFor(
    () =>
      api
        .messagesIn(user.id)
        .slice(since)
        .find((m) => test(m.text ?? m.caption ?? '')),
    {
      timeoutMs,
      label: `the bot to say ${String(pattern)}`,
    },
  );
}

export interface ReportAnswers {
  lang?: 'kk' | 'ru' | 'en';
  danger?: 'yes' | 'no';
  category?: string;
  subcategory?: string;
  /** is it about the service's own staff: yes, no, unsure */
  aboutStaff?: 'yes' | 'no' | 'unsure';
  account?: string[];
  /** files sent at the evidence question, each waited for until it is acknowledged */
  evidence?: { media: 'photo' | 'document' | 'voice' | 'audio' | 'video'; data: Buffer; file_name?: string; mime_type?: string; caption?: string }[];
}

/** /start, then quick answers up to the `when` question: the language, consent, report, (not) in danger, the category (and its kind), not about staff, me. */
export async function upToWhen(api: BotApiServer, user: User, answers: Omit<ReportAnswers, 'account'> = {}): Promise<void> {
  api.sendPrivate(user, '/start');
  await tap(api, user, 'language', answers.lang ?? (user.language_code as 'kk' | 'ru' | 'en' | undefined) ?? 'ru');
  await tap(api, user, 'consent', 'continue');
  await tap(api, user, 'way', 'report');
  await fromDangerToWhen(api, user, answers);
}

/** From the danger question (where /new starts) up to the `when` question. */
async function fromDangerToWhen(api: BotApiServer, user: User, answers: Omit<ReportAnswers, 'account'>): Promise<void> {
  await tap(api, user, 'danger', answers.danger ?? 'no');
  await tap(api, user, 'category', answers.category ?? 'bullying');
  if (answers.subcategory) await tap(api, user, answers.category!, answers.subcategory);
  await tap(api, user, 'about-staff', answers.aboutStaff ?? 'no');
  await tap(api, user, 'affected', 'me');
}

/** The whole conversation with quick answers; returns the receipt's case code and passphrase. */
export async function fileReport(api: BotApiServer, user: User, answers: ReportAnswers = {}): Promise<{ code: string; passphrase: string }> {
  const before = api.messagesIn(user.id).length;
  await upToReview(api, user, answers);
  await tap(api, user, 'review', 'send');
  return receiptOf(api, user, before);
}

/** The receipt's case code and passphrase, among the bot's messages after `before`. */
export async function receiptOf(api: BotApiServer, user: User, before = 0): Promise<{ code: string; passphrase: string }> {
  const receipt = await api.waitFor(
    () =>
      api
        .messagesIn(user.id)
        .slice(before)
        .find((m) => CODE.test(m.text ?? '') && PASSPHRASE.test(m.text ?? '')),
    { timeoutMs: 10_000, label: 'the receipt' },
  );
  return { code: CODE.exec(receipt.text!)![1]!, passphrase: PASSPHRASE.exec(receipt.text!)![1]! };
}

/** Every question answered quickly; returns the review question, with its Send button not pressed. */
export async function upToReview(api: BotApiServer, user: User, answers: ReportAnswers = {}): Promise<Message> {
  await upToWhen(api, user, answers);
  return fromWhenToReview(api, user, answers);
}

/** /new and a second report beside the reporter's case, answered quickly; returns its receipt. */
export async function fileAnotherReport(api: BotApiServer, user: User, answers: ReportAnswers = {}): Promise<{ code: string; passphrase: string }> {
  const before = api.messagesIn(user.id).length;
  api.sendPrivate(user, '/new');
  // The first report's questions have the same buttons: wait for the new one.
  await api.waitFor(
    () =>
      api
        .messagesIn(user.id)
        .slice(before)
        .find((m) => buttonsOf(m).includes('danger:no')),
    { timeoutMs: 10_000, label: '/new' },
  );
  await fromDangerToReview(api, user, answers);
  await tap(api, user, 'review', 'send');
  return receiptOf(api, user, before);
}

/** The report's questions from the danger question (where /new and /report start) to the review, answered quickly. */
export async function fromDangerToReview(api: BotApiServer, user: User, answers: ReportAnswers = {}): Promise<Message> {
  await fromDangerToWhen(api, user, answers);
  return fromWhenToReview(api, user, answers);
}

async function fromWhenToReview(api: BotApiServer, user: User, answers: ReportAnswers): Promise<Message> {
  const before = api.messagesIn(user.id).length;
  await tap(api, user, 'when', 'week');
  await tap(api, user, 'where', 'campus');
  await tap(api, user, 'ongoing', 'yes');
  await api.waitFor(() => api.messagesIn(user.id).some((m) => buttonsOf(m).includes('account:done')), { timeoutMs: 30_000, label: 'the account question' });
  for (const line of answers.account ?? ['It keeps happening in the dormitory.']) api.sendPrivate(user, line);
  await tap(api, user, 'account', 'done');
  for (const [i, { media, data, ...extra }] of (answers.evidence ?? []).entries()) {
    api.sendPrivateFile(user, media, data, extra);
    // "File received and encrypted (2 of 10)", in any of the three languages
    await botSays(api, user, new RegExp(`\\(${i + 1} (of|из|/) \\d+\\)`), before, 30_000);
  }
  await tap(api, user, 'evidence', 'done');
  await tap(api, user, 'contact', 'anonymous');
  return api.waitFor(() => [...api.messagesIn(user.id)].reverse().find((m) => buttonsOf(m).includes('review:send')), {
    timeoutMs: 30_000,
    label: 'the review question',
  });
}

/** The step of the latest question with buttons, e.g. "category". */
export function currentStep(api: BotApiServer, user: User): string | undefined {
  const question = [...api.messagesIn(user.id)].reverse().find((m) => buttonsOf(m).length > 0);
  return question ? buttonsOf(question)[0]!.split(':')[0] : undefined;
}

/** Sends text as the reporter and waits for the bot's next message matching `pattern` (anything, if not given). */
export async function write(api: BotApiServer, user: User, text: string, pattern?: RegExp | string): Promise<Message> {
  const since = api.messagesIn(user.id).length;
  api.sendPrivate(user, text);
  return botSays(api, user, pattern ?? /[\s\S]/, since);
}

/** A reporter on a channel without buttons (WhatsApp), or one who prefers typing. */
export interface TypingReporter {
  send(text: string): void;
  /** every text the hotline has sent this reporter so far */
  texts(): string[];
  /** whether the hotline's latest message asks a question with options */
  asking(): boolean;
  /** resolves with the first truthy value of fn */
  waitFor(fn: () => unknown, label: string): Promise<unknown>;
}

const MENU_ORDER = { kk: '1', ru: '2', en: '3' } as const;

/**
 * The whole conversation answered by typing option numbers, as on a numbered menu:
 * language, continue, not in danger, bullying, me, this week, on campus, ongoing, the
 * account, no evidence, anonymous, send. Returns the receipt's code and passphrase.
 */
export async function fileReportByTyping(
  r: TypingReporter,
  o: { lang?: 'kk' | 'ru' | 'en'; account?: string[]; first?: string } = {},
): Promise<{ code: string; passphrase: string }> {
  const answer = async (text: string) => {
    const before = r.texts().length;
    r.send(text);
    await r.waitFor(() => r.texts().length > before && r.asking(), `a question after "${text}"`);
  };
  await answer(o.first ?? 'Hello');
  for (const text of [MENU_ORDER[o.lang ?? 'ru'], '1', '1', '2', '3', '2', '1', '2', '1', '1']) await answer(text); // language, continue, report, not in danger, bullying, not about staff, me, ...
  for (const line of o.account ?? ['It keeps happening in the dormitory.']) await answer(line);
  for (const text of ['1', '1', '1']) await answer(text); // done, no evidence, anonymous
  const before = r.texts().length;
  r.send('1'); // send
  const receipt = (await r.waitFor(
    () =>
      r
        .texts()
        .slice(before)
        .find((t) => CODE.test(t) && PASSPHRASE.test(t)),
    'the receipt',
  )) as string;
  return { code: CODE.exec(receipt)![1]!, passphrase: PASSPHRASE.exec(receipt)![1]! };
}
