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
  return api.waitFor(() => api.messagesIn(user.id).slice(since).find((m) => test(m.text ?? m.caption ?? '')), {
    timeoutMs,
    label: `the bot to say ${String(pattern)}`,
  });
}

export interface ReportAnswers {
  lang?: 'kk' | 'ru' | 'en';
  danger?: 'yes' | 'no';
  category?: string;
  subcategory?: string;
  account?: string[];
}

/** The whole conversation with quick answers; returns the receipt's case code and passphrase. */
export async function fileReport(api: BotApiServer, user: User, answers: ReportAnswers = {}): Promise<{ code: string; passphrase: string }> {
  const before = api.messagesIn(user.id).length;
  api.sendPrivate(user, '/start');
  await tap(api, user, 'language', answers.lang ?? (user.language_code as 'kk' | 'ru' | 'en' | undefined) ?? 'ru');
  await tap(api, user, 'consent', 'continue');
  await tap(api, user, 'danger', answers.danger ?? 'no');
  await tap(api, user, 'category', answers.category ?? 'bullying');
  if (answers.subcategory) await tap(api, user, answers.category!, answers.subcategory);
  await tap(api, user, 'affected', 'me');
  await tap(api, user, 'when', 'week');
  await tap(api, user, 'where', 'campus');
  await tap(api, user, 'ongoing', 'yes');
  await api.waitFor(() => api.messagesIn(user.id).some((m) => buttonsOf(m).includes('account:done')));
  for (const line of answers.account ?? ['It keeps happening in the dormitory.']) api.sendPrivate(user, line);
  await tap(api, user, 'account', 'done');
  await tap(api, user, 'evidence', 'done');
  await tap(api, user, 'contact', 'anonymous');
  await tap(api, user, 'review', 'send');
  const receipt = await api.waitFor(
    () => api.messagesIn(user.id).slice(before).find((m) => CODE.test(m.text ?? '') && PASSPHRASE.test(m.text ?? '')),
    { timeoutMs: 10_000, label: 'the receipt' },
  );
  return { code: CODE.exec(receipt.text!)![1]!, passphrase: PASSPHRASE.exec(receipt.text!)![1]! };
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
