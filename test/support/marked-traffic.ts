// Marked traffic for the multi-process tests: reporter messages carry r<reporter>m<n>,
// answers a<reporter>m<n>, so what arrived can be checked for loss, duplicates and order
// without reading any other text.
import type { Message, User } from 'grammy/types';
import type { BotApiServer } from '../../src/sandbox/bot-api/index.js';

const MARK = /\b([ra])(\d+)m(\d+)\b/g;

/** The marks of one kind in these messages, as `<reporter>:<n>`, in message order. */
export const marksIn = (messages: Message[], kind: 'r' | 'a') =>
  messages.flatMap((m) => [...(m.text ?? '').matchAll(MARK)].filter((x) => x[1] === kind).map((x) => `${x[2]}:${x[3]}`));

/**
 * A counsellor who answers every staff post that carries a reporter's message, in its
 * topic, with the matching `a` mark. `answers()` says how many answers were sent.
 */
export function answerEveryPost(api: BotApiServer, staff: { id: number }, counsellor: User): { answers(): number } {
  const answered = new Set<number>();
  api.onBotMessage((m) => {
    if (m.chat.id !== staff.id || answered.has(m.message_id)) return;
    const last = [...(m.text ?? '').matchAll(MARK)].filter((x) => x[1] === 'r').pop();
    if (!last) return;
    answered.add(m.message_id);
    setImmediate(() => api.sendGroup(staff, counsellor, `a${last[2]}m${last[3]} answer`, { threadId: m.message_thread_id! }));
  });
  return { answers: () => answered.size };
}
