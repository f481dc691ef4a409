// Need-to-know mode (STAFF_VISIBILITY=assigned), inbound: a counsellor answers a case in
// their private chat with the bot, by replying to one of its messages there (each is
// headed by the case's code), or just writing when they hold one open case. Commands
// work there too, on the case replied to. A message from anyone not on the roster is
// a reporter's and goes on to the intake.
import { Composer, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { CaseLog } from '../../cases/index.js';
import { t } from '../../i18n/index.js';
import type { Pipeline } from '../../queue/index.js';
import { type CaseDesk, type DeskResult, type StaffCommands, type StaffDirectory, isCommandName } from '../../routing/index.js';
import { type CaseId, type Lang, type Logger } from '../../shared/index.js';
import type { CaseStore, DutyStore, PrivateCopies, StaffRecord } from '../../store/index.js';
import { deliveryIdOf } from './bot.js';
import { isInternalNote } from './staff-chat.js';
import { commandOf, identityOf } from './staff-commands.js';
import { sendRendered, type StaffRenderer } from './staff-render.js';
import { relayAnswer, runStaffCommand } from './staff-answer.js';

export interface StaffPrivateDeps {
  lang: Lang;
  store: CaseStore;
  caseLog: CaseLog;
  pipeline: Pipeline;
  copies: PrivateCopies;
  duty: DutyStore;
  directory: StaffDirectory;
  commands: StaffCommands;
  caseDesk: CaseDesk;
  render: StaffRenderer;
  log: Logger;
}

export function staffPrivateChat(deps: StaffPrivateDeps): Composer<Context> {
  const composer = new Composer<Context>();

  /** The case a message is about: the one replied to, or the only case they hold. */
  async function caseOf(member: StaffRecord, message: Message): Promise<CaseId | undefined> {
    const replied = message.reply_to_message;
    if (replied) return deps.copies.caseOf(member.id, replied.message_id);
    const open = await deps.duty.openCases(member.id);
    return open.length === 1 ? open[0] : undefined;
  }

  async function reply(ctx: Context, result: DeskResult): Promise<void> {
    for (const text of result.replies) {
      for (const part of await deps.render(text)) await sendRendered(ctx.api, ctx.chat!.id, part, {}, deps.log);
    }
  }

  composer.chatType('private').on('message', async (ctx, next) => {
    const from = ctx.from;
    const member = await deps.directory.lookup('telegram', String(from.id));
    if (!member?.active) return next(); // a reporter
    // Writing here opens the chat: from now on the bot may send them their cases, and
    // cases that waited for someone who could receive them are routed again.
    const [, opened] = await Promise.all([deps.directory.noticed(identityOf(from), member), deps.copies.markReady(member.id)]);
    if (opened) await deps.caseDesk.router.rerouteWaiting();
    const message = ctx.msg;
    const deliveryId = deliveryIdOf(ctx);
    if (await deps.store.seenUpdate(deliveryId)) return;
    const command = commandOf(message, ctx.me.username);
    if (command?.name === 'start') {
      await deps.store.markUpdate(deliveryId);
      return void (await ctx.reply(t(deps.lang, 'staff-private-ready')));
    }
    const caseId = await caseOf(member, message);
    if (command) {
      const result = await runStaffCommand(deps.commands, deps.lang, { channel: 'telegram', ...command, actor: member, ...(caseId ? { caseId } : {}) });
      await deps.store.markUpdate(deliveryId);
      deps.log.info({ event: 'staff.command', command: isCommandName(command.name) ? command.name : 'unknown', private: true }, 'staff command handled');
      return reply(ctx, result);
    }
    if (message.text !== undefined && isInternalNote(message.text)) return; // stays in their own chat
    const refuse = async (id: 'staff-private-which-case' | 'staff-only-text' | 'staff-recused-cannot-answer' | 'staff-private-not-holder') => {
      await deps.store.markUpdate(deliveryId);
      await ctx.reply(t(deps.lang, id));
    };
    if (!caseId) return refuse('staff-private-which-case');
    if (message.text === undefined) return refuse('staff-only-text');
    const outcome = await relayAnswer(deps, member, caseId, message.text, { updateId: deliveryId }, true);
    if (outcome === 'recused') return refuse('staff-recused-cannot-answer');
    if (outcome === 'not-holder') return refuse('staff-private-not-holder');
  });

  return composer;
}
