// The staff chats a case can live in. Every case has a desk: the main staff chat; for a
// report about the hotline's own staff, the oversight chat, which the main chat's people
// cannot read; or a team's chat of STAFF_CHATS. Everything that posts, edits or deletes a
// case's messages asks here which chat that is, so a case never leaks into another chat.
import type { Api } from 'grammy';
import type { Threading } from '../../config/index.js';
import { type DeskName, MAIN_DESK } from '../../shared/index.js';

/** One staff chat. */
export interface StaffDesk {
  readonly name: DeskName;
  readonly chatId: number;
  /** topics or replies, as configured or as Telegram says the chat is (asked once) */
  readonly threading: () => Promise<Threading>;
}

export interface StaffDesks {
  /** the main desk first */
  readonly all: readonly StaffDesk[];
  readonly main: StaffDesk;
  /** undefined when OVERSIGHT_CHAT_ID is not set */
  readonly oversight: StaffDesk | undefined;
  /**
   * A case's desk. One no longer configured throws DeskMissing: a team's chat taken out of
   * STAFF_CHATS has its cases moved to the main chat at start-up (rehomeCases), and the
   * oversight chat's must never fall back into the staff chat.
   */
  of(name: DeskName): StaffDesk;
  /** undefined when that chat is not configured */
  byName(name: DeskName): StaffDesk | undefined;
  byChat(chatId: number): StaffDesk | undefined;
}

export class DeskMissing extends Error {
  constructor(readonly desk: DeskName) {
    super(`the ${desk} staff chat is not configured`);
  }
}

export function staffDesks(api: Api, chats: { name: DeskName; chatId: number; threading: Threading | 'auto' }[]): StaffDesks {
  const all = chats.map((c) => ({ name: c.name, chatId: c.chatId, threading: threadingResolver(api, c.chatId, c.threading) }));
  const main = all.find((d) => d.name === MAIN_DESK);
  if (!main) throw new Error('no main staff chat');
  return {
    all: [main, ...all.filter((d) => d !== main)],
    main,
    oversight: all.find((d) => d.name === 'oversight'),
    of(name) {
      const desk = all.find((d) => d.name === name);
      if (desk) return desk;
      throw new DeskMissing(name);
    },
    byName: (name) => all.find((d) => d.name === name),
    byChat: (chatId) => all.find((d) => d.chatId === chatId),
  };
}

/** A chat's threading: as configured, or asked of Telegram once (is it a forum?). */
export function threadingResolver(api: Api, chatId: number, configured: Threading | 'auto'): () => Promise<Threading> {
  let resolved: Promise<Threading> | undefined = configured === 'auto' ? undefined : Promise.resolve(configured);
  return () => {
    resolved ??= api.getChat(chatId).then((chat) => ('is_forum' in chat && chat.is_forum ? 'topics' : 'replies'));
    resolved.catch(() => {
      resolved = undefined; // try again next time rather than caching a failure
    });
    return resolved;
  };
}
