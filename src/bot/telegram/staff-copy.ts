// Replies mode keeps no topic per case, so erasing a case must know each of its
// messages in the staff chat. Every message the bot sends in reply to a message of a
// case (posts, notices, answers to commands) is recorded for that case here, in one
// place, whichever part of Trustline sent it; counsellors' own messages are recorded
// by the staff chat handler. Message ids only (see CaseStore.linkStaffMessage).
import type { Transformer } from 'grammy';
import type { CaseStore, StaffMessageKind } from '../../store/index.js';
import type { StaffDesks } from './staff-desks.js';

const sends: Record<string, StaffMessageKind> = {
  sendMessage: 't',
  copyMessage: 't',
  sendPhoto: 'f',
  sendDocument: 'f',
  sendVoice: 'f',
  sendAudio: 'f',
  sendVideo: 'f',
  sendAnimation: 'f',
  sendVideoNote: 'f',
  sendSticker: 'f',
  sendMediaGroup: 'f',
};

export function recordCaseMessages(deps: { store: CaseStore; desks: StaffDesks }): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    const kind = sends[method];
    const p = payload as { chat_id?: unknown; reply_parameters?: { message_id?: number } };
    const repliesTo = p.reply_parameters?.message_id;
    if (!result.ok || kind === undefined || repliesTo === undefined) return result;
    const desk = deps.desks.byChat(Number(p.chat_id));
    if (!desk || (await desk.threading()) !== 'replies') return result;
    // An album is one message per item, each of them the case's.
    const sent = [result.result].flat() as { message_id?: number }[];
    for (const m of sent) if (m.message_id !== undefined) await deps.store.linkReply(desk.name, repliesTo, m.message_id, kind);
    return result;
  };
}
