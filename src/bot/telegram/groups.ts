// The bot belongs in private chats and in the staff chats. Anywhere else it leaves at
// once, so no case text can ever be posted into a group it was added to.
import { Composer, type Context } from 'grammy';
import type { Logger } from '../../shared/index.js';
import type { StaffDesks } from './staff-desks.js';

export function leaveForeignChats(desks: StaffDesks, log: Logger): Composer<Context> {
  const composer = new Composer<Context>();
  const foreign = composer.filter((ctx) => ctx.chat !== undefined && ctx.chat.type !== 'private' && desks.byChat(ctx.chat.id) === undefined);
  foreign.use(async (ctx) => {
    const status = ctx.myChatMember?.new_chat_member.status;
    if (status === 'left' || status === 'kicked') return; // already out
    log.warn({ event: 'group.left', chatType: ctx.chat!.type }, 'left a chat that is not the staff chat');
    await ctx.leaveChat().catch((err: unknown) => log.warn({ err }, 'could not leave a foreign chat'));
  });
  return composer;
}
