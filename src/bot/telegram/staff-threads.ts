// Where a case's messages go in the staff chat: its forum topic, or replies under its
// root message in a plain group.
import type { Threading } from '../../config/index.js';

export type ThreadOptions = { message_thread_id?: number; reply_parameters?: { message_id: number; allow_sending_without_reply: true } };

export function inThread(mode: Threading, thread: number): ThreadOptions {
  return mode === 'topics' ? { message_thread_id: thread } : { reply_parameters: { message_id: thread, allow_sending_without_reply: true } };
}
