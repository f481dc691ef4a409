// The staff edge, inbound: a counsellor writes in a case topic (or replies to a case
// message); the text is encrypted under the case key and queued for the reporter.
// Who counts as staff is asked of the roster on every message, so a removed
// counsellor loses access at once. Commands (/take, /roster...) are never relayed.
// Nothing is dropped without a word: a message nobody can be tied to (an anonymous
// administrator, a channel) is answered with how to fix it, and an edited answer
// corrects the reporter's copy.
import { Composer, InputFile, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { StaffVisibility } from '../../config/index.js';
import { reporterKeyOf, type KeyRing } from '../../crypto/index.js';
import { t } from '../../i18n/index.js';
import { type CaseCode, type CaseId, type Lang, type Logger } from '../../shared/index.js';
import type { Pipeline } from '../../queue/index.js';
import type { CaseLog } from '../../cases/index.js';
import { type CaseStore, type PrivateCopies, type Redis, type StaffRecord, redisKeys } from '../../store/index.js';
import { type CaseDesk, type StaffCommands, type StaffDirectory, type DeskResult, inDesk, isCommandName } from '../../routing/index.js';
import { commandOf, identityOf, type TelegramCommand } from './staff-commands.js';
import { setTopicOpen } from './staff-notices.js';
import { deliveryIdOf } from './bot.js';
import { sendRendered, type StaffRenderer } from './staff-render.js';
import { relayAnswer, relayFile, runStaffCommand, staffFileOf, type StaffFiles } from './staff-answer.js';
import { caseButtonAsked, markupOf, pageAsked, showPage } from './staff-buttons.js';
import type { StaffDesk } from './staff-desks.js';

export interface StaffChatDeps {
  /** the staff chat this handler answers: its cases, and only its own people count as staff here */
  desk: StaffDesk;
  lang: Lang;
  redis: Redis;
  store: CaseStore;
  caseLog: CaseLog;
  pipeline: Pipeline;
  keys: KeyRing;
  log: Logger;
  directory: StaffDirectory;
  commands: StaffCommands;
  caseDesk: CaseDesk;
  render: StaffRenderer;
  /** need-to-know mode: answers are written in the counsellor's private chat, never here */
  visibility?: StaffVisibility;
  /** need-to-know mode: who has a private chat with the bot */
  copies?: PrivateCopies;
  /** photos and documents a counsellor sends the reporter: downloaded and cleaned like evidence */
  files?: StaffFiles;
}

/** Internal notes between counsellors start with // and never reach the reporter. */
export const isInternalNote = (text: string) => text.trimStart().startsWith('//');

export function staffChat(deps: StaffChatDeps): Composer<Context> {
  const composer = new Composer<Context>();
  const { desk } = deps;
  const staff = composer.filter((ctx) => ctx.chat?.id === desk.chatId);
  /** On the roster, and of this chat: an oversight member is a stranger in the main chat, and the other way round. */
  const ofThisDesk = (record: StaffRecord | undefined) => (record?.active && inDesk(record, desk.name) ? record : undefined);

  async function caseOf(message: Message, botId?: number): Promise<CaseId | undefined> {
    const mode = await desk.threading();
    if (mode === 'topics' && message.is_topic_message && message.message_thread_id !== undefined) {
      return deps.store.caseOfTopic(desk.name, message.message_thread_id);
    }
    const replied = message.reply_to_message;
    // In a forum every topic message "replies" to the topic's first message; only
    // a real reply to a case message counts in reply mode.
    if (!replied || replied.forum_topic_created) return undefined;
    let found = await deps.store.caseOfStaffMessage(desk.name, replied.message_id);
    // The bot's own post, answered the moment it appeared: the bot links a post to its
    // case once Telegram has answered the send, which may still be under way.
    for (let i = 0; !found && replied.from?.id === botId && i < 10; i++) {
      await new Promise((r) => setTimeout(r, 100));
      found = await deps.store.caseOfStaffMessage(desk.name, replied.message_id);
    }
    return found;
  }

  /** Tells the chat once per person that they are not on the staff list. */
  async function warnStranger(ctx: Context, userId: number): Promise<void> {
    const marker = redisKeys.strangerWarned(reporterKeyOf(deps.keys.pepper, 'telegram', `staff-stranger:${userId}`));
    const first = await deps.redis.set(marker, '1', 'NX');
    if (first !== 'OK') return;
    await ctx.reply(t(deps.lang, 'staff-stranger'), threadOf(ctx.msg));
  }

  async function reply(ctx: Context, result: DeskResult): Promise<void> {
    // A case being deleted from the chat is answered in the general topic, not in its own.
    const where = result.thread === 'gone' ? {} : threadOf(ctx.msg);
    const markup = markupOf(result);
    for (const [i, text] of result.replies.entries()) {
      const parts = await deps.render(text);
      for (const [j, part] of parts.entries()) {
        const last = i === result.replies.length - 1 && j === parts.length - 1;
        await sendRendered(ctx.api, desk.chatId, part, { ...where, ...(last && markup ? { reply_markup: markup } : {}) }, deps.log);
      }
    }
    for (const file of result.files ?? []) {
      await ctx.api.sendDocument(desk.chatId, new InputFile(Buffer.from(file.content, 'utf8'), file.name), where);
    }
  }

  async function runCommand(ctx: Context, command: TelegramCommand, actor: StaffRecord | undefined, caseId: CaseId | undefined): Promise<void> {
    const deliveryId = deliveryIdOf(ctx);
    if (await deps.store.seenUpdate(deliveryId)) return; // a redelivered command is not run twice
    const result = await runStaffCommand(deps.commands, deps.lang, {
      channel: 'telegram',
      desk: desk.name,
      ...command,
      ...(actor ? { actor } : {}),
      ...(caseId ? { caseId } : {}),
    });
    await deps.store.markUpdate(deliveryId);
    deps.log.info(
      { event: 'staff.command', command: isCommandName(command.name) ? command.name : 'unknown', staff: actor?.active === true },
      'staff command handled',
    );
    await reply(ctx, result);
    if ((result.thread === 'close' || result.thread === 'reopen') && caseId && (await desk.threading()) === 'topics') {
      const record = await deps.store.get(caseId);
      if (record?.staffThread !== undefined) await setTopicOpen(ctx.api, desk.chatId, record.staffThread, result.thread === 'reopen', deps.log);
    }
  }

  /**
   * Telegram names nobody for a message from an administrator with "Remain anonymous"
   * on (`sender_chat` is the group) or one sent on behalf of a channel: it cannot be tied
   * to anyone on the roster, so it is never relayed or acted on. In a case, or as a
   * command, the writer is told in the same thread why and how to fix it.
   */
  async function unnamed(ctx: Context, message: Message): Promise<void> {
    const kind = message.sender_chat?.id === desk.chatId ? 'anonymous-admin' : 'channel';
    const deliveryId = deliveryIdOf(ctx);
    const [caseId, seen] = await Promise.all([caseOf(message), deps.store.seenUpdate(deliveryId)]);
    const command = commandOf(message, ctx.me.username) !== undefined;
    deps.log.warn({ event: 'staff.unnamed', kind, inCase: caseId !== undefined, command }, 'a staff chat message tied to nobody: not relayed or acted on');
    if (seen || (caseId === undefined && !command)) return;
    await deps.store.markUpdate(deliveryId);
    await ctx.reply(t(deps.lang, 'staff-unnamed', { kind }), threadOf(message));
  }

  staff.on('message', async (ctx) => {
    const message = ctx.msg;
    const from = ctx.from;
    if (message.sender_chat) return unnamed(ctx, message);
    if (!from || from.is_bot) return;
    const deliveryId = deliveryIdOf(ctx);
    // Who wrote, in which case, and whether this update was handled before: one round trip.
    const [record, caseId, seen] = await Promise.all([
      deps.directory.lookup('telegram', String(from.id)),
      caseOf(message, ctx.me.id),
      deps.store.seenUpdate(deliveryId),
    ]);
    await deps.directory.noticed(identityOf(from), record);
    const member = ofThisDesk(record);
    // Replies mode: whatever is written in a case belongs to it (a colleague may answer by
    // replying to it, and erasing the case deletes it too).
    if (caseId && (await desk.threading()) === 'replies') await deps.store.linkStaffMessage(desk.name, message.message_id, caseId, 's');
    const command = commandOf(message, ctx.me.username);
    if (command) return runCommand(ctx, command, record, caseId);
    if (!member) {
      deps.log.info({ event: 'staff.stranger' }, 'message from someone not on the staff list ignored');
      await warnStranger(ctx, from.id);
      return;
    }
    if (!caseId) return; // ordinary staff conversation outside any case
    if (deps.visibility === 'assigned' && !seen) {
      if (message.text !== undefined && isInternalNote(message.text)) return;
      await deps.store.markUpdate(deliveryId);
      await ctx.reply(t(deps.lang, 'staff-answer-privately'), threadOf(message));
      return;
    }
    if (message.text === undefined) {
      const file = staffFileOf(message);
      if (!file || !deps.files) return void (await ctx.reply(t(deps.lang, 'staff-only-text'), threadOf(message)));
      if (seen) return;
      const links = { staffMessageId: message.message_id, updateId: deliveryId };
      const sent = await relayFile(deps, deps.files, member, caseId, file, links);
      if (sent === 'recused') await ctx.reply(t(deps.lang, 'staff-recused-cannot-answer'), threadOf(message));
      else if (sent !== 'queued' && sent !== 'gone' && sent !== 'not-holder')
        await ctx.reply(t(deps.lang, 'staff-file-not-sent', { why: sent }), threadOf(message));
      return;
    }
    if (isInternalNote(message.text) || seen) return;
    const relayed = await relayAnswer(deps, member, caseId, message.text, { staffMessageId: message.message_id, updateId: deliveryId });
    if (relayed === 'recused') await ctx.reply(t(deps.lang, 'staff-recused-cannot-answer'), threadOf(message));
  });

  /**
   * A button under a staff reply: a page of /cases, or a case's /record choice. Its
   * command runs again as whoever pressed, with their rights in this chat, and the reply
   * is edited in place.
   */
  staff.on('callback_query:data', async (ctx, next) => {
    const page = pageAsked(ctx.callbackQuery.data);
    const inCase = page ? undefined : caseButtonAsked(ctx.callbackQuery.data);
    const asked = page ?? inCase;
    if (!asked) return next();
    const actor = ofThisDesk(await deps.directory.lookup('telegram', String(ctx.from.id)));
    if (!actor) return void (await ctx.answerCallbackQuery({ text: t(deps.lang, 'cmd-not-staff'), show_alert: true }));
    const caseId = inCase ? await deps.store.caseOfCode(inCase.code as CaseCode) : undefined;
    // A code names a case of any chat: only this chat's are acted on here.
    if (inCase && (!caseId || (await deps.store.get(caseId))?.desk !== desk.name)) {
      return void (await ctx.answerCallbackQuery({ text: t(deps.lang, 'cmd-case-gone') }));
    }
    const result = await runStaffCommand(deps.commands, deps.lang, {
      channel: 'telegram',
      desk: desk.name,
      name: asked.name,
      text: asked.text,
      people: [],
      actor,
      ...(page ? { page: page.page } : {}),
      ...(caseId ? { caseId } : {}),
    });
    await ctx.answerCallbackQuery();
    const [shown] = result.replies[0] ? await deps.render(result.replies[0]) : [];
    await showPage(ctx, shown, markupOf(result));
  });

  /**
   * Need-to-know mode: "take" on a case card nobody holds. The case goes to whoever
   * presses first, as /take would, and its content to their private chat; the card
   * itself never shows any. Everyone else is told in a toast what happened.
   */
  staff.on('callback_query:data', async (ctx) => {
    const code = /^take:([A-Z0-9-]+)$/.exec(ctx.callbackQuery.data)?.[1] as CaseCode | undefined;
    if (!code || deps.visibility !== 'assigned' || !deps.copies) return ctx.answerCallbackQuery();
    const deliveryId = deliveryIdOf(ctx);
    const [member, caseId, seen] = await Promise.all([
      deps.directory.lookup('telegram', String(ctx.from.id)),
      deps.store.caseOfCode(code),
      deps.store.seenUpdate(deliveryId),
    ]);
    if (seen) return ctx.answerCallbackQuery();
    await deps.store.markUpdate(deliveryId);
    const toast = (text: string) => ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: true });
    // A code names a case of any chat: only this chat's cards are taken here.
    const inThisDesk = caseId && (await deps.store.get(caseId))?.desk === desk.name;
    const taker = ofThisDesk(member);
    if (!taker || !caseId || !inThisDesk) return toast(t(deps.lang, 'cmd-not-staff'));
    if (!(await deps.copies.ready([taker.id])).has(taker.id)) return toast(t(deps.lang, 'staff-card-start-first'));
    const result = await runStaffCommand(deps.commands, deps.lang, {
      channel: 'telegram',
      desk: desk.name,
      name: 'take',
      text: '',
      people: [],
      actor: taker,
      caseId,
    });
    const said = result.replies[0] ? (await deps.render(result.replies[0]))[0]?.text : undefined;
    deps.log.info({ event: 'staff.card-take', case: code }, 'a case taken from its card');
    return toast(said ?? t(deps.lang, 'staff-card-taken'));
  });

  /**
   * A counsellor edits a message in a case. An answer already relayed is corrected for
   * the reporter (queued like an answer, so in order and exactly once); a message that
   * was not relayed (a // note) stays unsent, and a change between note and answer is
   * refused with a notice rather than half-applied.
   */
  staff.on('edited_message', async (ctx) => {
    const message = ctx.editedMessage;
    if (message.sender_chat || !ctx.from || ctx.from.is_bot || message.text === undefined) return;
    if (commandOf(message, ctx.me.username)) return; // a command runs once, as first sent
    const deliveryId = deliveryIdOf(ctx);
    const [record, caseId, seen] = await Promise.all([
      deps.directory.lookup('telegram', String(ctx.from.id)),
      caseOf(message),
      deps.store.seenUpdate(deliveryId),
    ]);
    if (!ofThisDesk(record) || !caseId || seen) return;
    const [caseRecord, answer] = await Promise.all([deps.store.get(caseId), deps.store.answerOfStaffMessage(caseId, message.message_id)]);
    if (!caseRecord) return;
    const note = isInternalNote(message.text);
    if (answer === undefined || note) {
      await deps.store.markUpdate(deliveryId);
      // Still a note, or never an answer and still not one: nothing to say or do.
      if (answer === undefined && note) return;
      deps.log.info(
        { event: 'staff.edit-refused', case: caseRecord.code, was: answer === undefined ? 'unsent' : 'answer' },
        'an edit between note and answer was not applied',
      );
      await ctx.reply(t(deps.lang, answer === undefined ? 'staff-edit-unsent' : 'staff-edit-to-note'), threadOf(message));
      return;
    }
    const seq = await deps.caseLog.append(caseRecord, 'out', { kind: 'correction', of: answer, text: message.text, at: Date.now() }, { updateId: deliveryId });
    await deps.pipeline.deliverToReporter(caseId, seq);
    deps.log.info({ event: 'staff.correction', case: caseRecord.code, seq, of: answer }, 'correction queued for the reporter');
    // A quiet sign on the counsellor's message; a short line where reactions are off.
    await ctx.api
      .setMessageReaction(desk.chatId, message.message_id, [{ type: 'emoji', emoji: '✍' }])
      .catch(() => ctx.reply(t(deps.lang, 'staff-edit-passed'), threadOf(message)));
  });

  return composer;
}

/** Trustline's answer to a staff message replies to it, in its topic if it has one. */
function threadOf(message: Message | undefined): { message_thread_id?: number; reply_parameters?: { message_id: number; allow_sending_without_reply: true } } {
  if (!message) return {};
  return {
    ...(message.is_topic_message && message.message_thread_id !== undefined ? { message_thread_id: message.message_thread_id } : {}),
    reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
  };
}
