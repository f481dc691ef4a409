// Where a counsellor reads and answers a case, in each of the three ways a hotline can be
// set up: a forum staff chat (a topic per case), a plain group (replies), and need-to-know
// mode (STAFF_VISIBILITY=assigned: the content only in the holder's private chat). Suites
// that hold in every mode, like the relay's, run once per mode through this.
import type { Message } from 'grammy/types';
import { t } from '../../src/i18n/i18n.js';
import { startHotline, type Hotline } from './hotline.js';

export const staffModes = ['topics', 'replies', 'assigned'] as const;
export type StaffMode = (typeof staffModes)[number];

const T = { timeoutMs: 10_000 };

export interface StaffSide {
  mode: StaffMode;
  /** The bot's messages where Dana reads the cases: the staff chat, or her private chat. */
  messages(): Message[];
  texts(): string[];
  /** A message's text without the case-code line that heads it in replies mode and in private chats. */
  bodyOf(m: Message): string;
  waitForPost(pred: (m: Message) => boolean, timeoutMs?: number): Promise<Message>;
  /** Dana answers the case `post` belongs to, where she reads it. */
  answer(post: Message, text: string): Message;
}

/** Starts a hotline in `mode`; in need-to-know mode Dana has already pressed Start in her private chat. */
export async function startInMode(mode: StaffMode, options: Omit<Parameters<typeof startHotline>[0], 'threading'> = {}): Promise<Hotline> {
  const assigned = mode === 'assigned';
  const h = await startHotline({
    ...options,
    threading: mode === 'replies' ? 'replies' : 'topics',
    env: { ...options.env, ...(assigned ? { STAFF_VISIBILITY: 'assigned' } : {}) },
  });
  if (assigned) {
    h.api.sendPrivate(h.counsellor, '/start');
    await h.api.waitFor(() => h.api.messagesIn(h.counsellor.id).find((m) => m.text === t('ru', 'staff-private-ready')), T);
  }
  return h;
}

export function staffSide(h: Hotline, mode: StaffMode): StaffSide {
  const chat = mode === 'assigned' ? h.counsellor.id : h.staffGroup.id;
  const messages = () => h.api.messagesIn(chat).filter((m) => m.text !== t('ru', 'staff-private-ready'));
  return {
    mode,
    messages,
    texts: () => messages().map((m) => m.text ?? m.caption ?? ''),
    bodyOf: (m) => (m.text ?? m.caption ?? '').replace(mode === 'topics' ? /^$/ : /^.*›\n/, ''),
    waitForPost: (pred, timeoutMs = T.timeoutMs) => h.api.waitFor(() => messages().find(pred), { timeoutMs }),
    answer(post, text) {
      if (mode === 'assigned') return h.api.sendPrivate(h.counsellor, text, { replyTo: post.message_id });
      return h.api.sendGroup(h.staffGroup, h.counsellor, text, mode === 'topics' ? { threadId: post.message_thread_id! } : { replyTo: post.message_id });
    },
  };
}
