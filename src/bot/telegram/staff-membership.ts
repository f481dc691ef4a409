// The staff chat is readable by the active roster only. Someone taken off the roster is
// removed from the chat (banned, then unbanned at once, so an admin can invite them
// again after /staff add); someone who joins and is not on the roster is removed at
// once (STAFF_CHAT_GUARD=remove) or the admins are warned (warn). Where Telegram refuses
// (the owner, an administrator the bot did not appoint, a bot without the right), the
// admins are told who and what to do by hand. Names appear only in the staff chat,
// never in the log.
import { Composer, GrammyError, type Api, type Context } from 'grammy';
import type { ChatMember, User } from 'grammy/types';
import type { StaffChatGuard } from '../../config/index.js';
import { t } from '../../i18n/index.js';
import type { CounsellorId, DeskName, Lang, Logger } from '../../shared/index.js';
import { inDesk, type StaffDirectory } from '../../routing/index.js';
import type { StaffDesks } from './staff-desks.js';

/** Why Telegram would not remove someone, in words an admin can act on. */
export type RemovalRefused = 'owner' | 'admin' | 'rights' | 'other';
export type Removal = { removed: true } | { removed: false; why: RemovalRefused };

export interface StaffMembershipDeps {
  api: Api;
  /** the staff chats: each is kept to its own people (see inDesk) */
  desks: StaffDesks;
  lang: Lang;
  directory: StaffDirectory;
  guard: StaffChatGuard;
  log: Logger;
}

export interface StaffMembership {
  /** Takes a person out of the staff chat; they may be invited again later. */
  remove(userId: number): Promise<Removal>;
  /** Someone left the roster (by handle): out of the chat, and the admins told. */
  rosterRemoved(handle: CounsellorId, desk: DeskName): Promise<void>;
  /** Watches who joins the staff chat (`chat_member` updates). */
  readonly composer: Composer<Context>;
}

const present = new Set<ChatMember['status']>(['member', 'administrator', 'creator', 'restricted']);
const nameOf = (user: User) => [user.first_name, user.last_name].filter(Boolean).join(' ');

function refusedBecause(err: unknown): RemovalRefused {
  if (!(err instanceof GrammyError) || err.error_code !== 400) return 'other';
  if (/owner/i.test(err.description)) return 'owner';
  if (/administrator/i.test(err.description)) return 'admin';
  if (/not enough rights|CHAT_ADMIN_REQUIRED/i.test(err.description)) return 'rights';
  return 'other';
}

export function createStaffMembership(deps: StaffMembershipDeps): StaffMembership {
  const { api, lang, log } = deps;

  async function remove(userId: number, chatId = deps.desks.main.chatId): Promise<Removal> {
    try {
      await api.banChatMember(chatId, userId);
      // Lifted at once: the ban is only Telegram's way to remove; it must not lock them out.
      await api.unbanChatMember(chatId, userId, { only_if_banned: true });
      return { removed: true };
    } catch (err) {
      const why = refusedBecause(err);
      if (why === 'other' && !(err instanceof GrammyError)) throw err; // network: the job retries
      log.warn({ event: 'staff.chat-remove-refused', why }, 'Telegram refused to remove someone from the staff chat');
      return { removed: false, why };
    }
  }

  async function rosterRemoved(handle: CounsellorId, desk: DeskName): Promise<void> {
    const identity = await deps.directory.identityOf(handle);
    if (!identity || identity.channel !== 'telegram') {
      log.warn({ event: 'staff.chat-remove-unknown' }, 'a removed staff member has no readable Telegram identity; not removed from the chat');
      return;
    }
    const chatId = deps.desks.byName(desk)?.chatId;
    if (chatId === undefined) return; // that chat is no longer configured
    const result = await remove(Number(identity.address), chatId);
    log.info({ event: 'staff.chat-removed', removed: result.removed }, 'a person off the roster taken out of the staff chat');
    const text = result.removed
      ? t(lang, 'staff-chat-removed', { who: identity.name })
      : t(lang, 'staff-chat-remove-failed', { who: identity.name, why: result.why });
    await api.sendMessage(chatId, text);
  }

  const composer = new Composer<Context>();
  composer
    .filter((ctx) => ctx.chat !== undefined && deps.desks.byChat(ctx.chat.id) !== undefined)
    .on('chat_member', async (ctx) => {
      const desk = deps.desks.byChat(ctx.chat.id)!;
      const chatId = desk.chatId;
      const { old_chat_member: before, new_chat_member: after, from } = ctx.chatMember;
      if (!present.has(after.status) || present.has(before.status)) return; // only someone coming in
      const user = after.user;
      if (user.id === ctx.me.id) return;
      const record = user.is_bot ? undefined : await deps.directory.lookup('telegram', String(user.id));
      if (record?.active && inDesk(record, desk.name)) return;
      const how = from.id === user.id ? 'self' : 'added';
      log.warn({ event: 'staff.chat-stranger-joined', guard: deps.guard, how, bot: user.is_bot }, 'someone not on the roster joined the staff chat');
      if (deps.guard === 'warn') {
        await api.sendMessage(chatId, t(lang, 'staff-chat-joined', { who: nameOf(user), how, by: nameOf(from), guard: 'warn' }));
        return;
      }
      const result = await remove(user.id, chatId);
      await api.sendMessage(
        chatId,
        result.removed
          ? t(lang, 'staff-chat-joined', { who: nameOf(user), how, by: nameOf(from), guard: 'remove' })
          : t(lang, 'staff-chat-remove-failed', { who: nameOf(user), why: result.why }),
      );
    });

  return { remove, rosterRemoved, composer };
}
