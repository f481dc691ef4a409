// Unmeasured warm-up for Trustline: each simulated reporter goes through the intake
// conversation (language, consent, the way in, danger, category, ..., review, send) so that a case
// is open before the measured traffic starts; from then on a reporter's messages relay
// straight to the staff chat. The bare relay has no intake.
// The tapping follows test/support/intake-driver.ts `fileReport`, copied rather than
// imported: bench/ is transpiled on its own into bench/.build/, without test/.
import type { Message, User } from 'grammy/types';
import type { BotApiServer } from '../src/sandbox/bot-api/index.js';

const CODE = /([0-9A-Z]{3}-[0-9A-Z]{3})/;
const PASSPHRASE = /: ([a-z]+(?: [a-z]+){3})$/m;
/** The account typed during intake: carries no r<i>m<n> marker, so Traffic never counts it. */
const ACCOUNT = 'It keeps happening in the dormitory.';

function buttonsOf(m: Message): string[] {
  return (m.reply_markup?.inline_keyboard.flat() ?? []).flatMap((b) => ('callback_data' in b ? [b.callback_data] : []));
}

async function tap(api: BotApiServer, user: User, step: string, value: string, timeoutMs: number): Promise<void> {
  const data = `${step}:${value}`;
  const question = await api.waitFor(() => [...api.messagesIn(user.id)].reverse().find((m) => buttonsOf(m).includes(data)), {
    timeoutMs,
    label: `a question with the option ${data}`,
  });
  api.pressButton(user, question, data);
}

/** /start, the reporter's language, consent, "report what happened", and the danger question answered. */
async function upToDanger(api: BotApiServer, user: User, danger: 'yes' | 'no', timeoutMs: number): Promise<void> {
  api.sendPrivate(user, '/start');
  await tap(api, user, 'language', (user.language_code as 'kk' | 'ru' | 'en' | undefined) ?? 'ru', timeoutMs);
  await tap(api, user, 'consent', 'continue', timeoutMs);
  await tap(api, user, 'way', 'report', timeoutMs);
  await tap(api, user, 'danger', danger, timeoutMs);
}

/** One reporter's whole intake with quick answers; resolves at the receipt, with the case code and when Send was pressed. */
export async function openCase(api: BotApiServer, user: User, timeoutMs = 60_000): Promise<{ code: string; sentAt: number }> {
  const before = api.messagesIn(user.id).length;
  await upToDanger(api, user, 'no', timeoutMs);
  await tap(api, user, 'category', 'bullying', timeoutMs);
  await tap(api, user, 'about-staff', 'no', timeoutMs);
  await tap(api, user, 'affected', 'me', timeoutMs);
  await tap(api, user, 'when', 'week', timeoutMs);
  await tap(api, user, 'where', 'campus', timeoutMs);
  await tap(api, user, 'ongoing', 'yes', timeoutMs);
  await api.waitFor(() => api.messagesIn(user.id).some((m) => buttonsOf(m).includes('account:done')), { timeoutMs, label: 'the account question' });
  api.sendPrivate(user, ACCOUNT);
  await tap(api, user, 'account', 'done', timeoutMs);
  await tap(api, user, 'evidence', 'done', timeoutMs);
  await tap(api, user, 'contact', 'anonymous', timeoutMs);
  await tap(api, user, 'review', 'send', timeoutMs);
  const sentAt = Date.now();
  const receipt = await api.waitFor(
    () =>
      api
        .messagesIn(user.id)
        .slice(before)
        .find((m) => CODE.test(m.text ?? '') && PASSPHRASE.test(m.text ?? '')),
    {
      timeoutMs,
      label: 'the receipt',
    },
  );
  return { code: CODE.exec(receipt.text!)![1]!, sentAt };
}

/**
 * A reporter in danger: /start, language, consent, "yes" to the danger question, which
 * opens the case at once. Resolves when the reporter has the case code, with when "yes"
 * was pressed (the urgent clock starts there).
 */
export async function openUrgentCase(api: BotApiServer, user: User, timeoutMs = 60_000): Promise<{ code: string; sentAt: number }> {
  const before = api.messagesIn(user.id).length;
  await upToDanger(api, user, 'yes', timeoutMs);
  const sentAt = Date.now();
  const told = /(?:code is|обращения:|кодыңыз:) ([0-9A-Z]{3}-[0-9A-Z]{3})/;
  const opened = await api.waitFor(
    () =>
      api
        .messagesIn(user.id)
        .slice(before)
        .find((m) => told.test(m.text ?? '')),
    { timeoutMs, label: 'the urgent case code' },
  );
  return { code: told.exec(opened.text!)![1]!, sentAt };
}

/**
 * Opens a case for every reporter, a few conversations at a time (each waiter re-checks
 * on every emulator event, so thousands at once would cost more than the relay), then
 * waits until the staff chat has been quiet for a moment, so case headers and accounts
 * still being posted do not spill into the measured traffic.
 */
export async function openCases(api: BotApiServer, staffSends: readonly number[], users: User[], concurrency = 10): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < users.length) await openCase(api, users[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, worker));
  let seen = -1;
  const deadline = Date.now() + 60_000;
  while (staffSends.length !== seen && Date.now() < deadline) {
    seen = staffSends.length;
    await new Promise((r) => setTimeout(r, 300));
  }
}
