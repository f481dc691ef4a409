// Need-to-know mode (STAFF_VISIBILITY=assigned), inbound: a counsellor answers a case in
// their private chat with the bot, by replying to one of its messages there (each is
// headed by the case's code), or just writing: to the case they chose from /cases, or
// the one open case they hold. Commands work there too, on that case. A message from
// anyone not on the roster is a reporter's and goes on to the intake.
import { Composer, type Context } from 'grammy';
import type { InlineKeyboardButton, InlineKeyboardMarkup, Message } from 'grammy/types';
import type { CaseLog } from '../../cases/index.js';
import { t } from '../../i18n/index.js';
import type { Pipeline } from '../../queue/index.js';
import { type CaseDesk, type DeskResult, type StaffCommands, type StaffDirectory, isCommandName } from '../../routing/index.js';
import { type CaseCode, type CaseId, type Lang, type Logger } from '../../shared/index.js';
import type { CaseStore, DutyStore, PrivateCopies, StaffRecord } from '../../store/index.js';
import { deliveryIdOf } from './bot.js';
import { isInternalNote } from './staff-chat.js';
import { commandOf, identityOf } from './staff-commands.js';
import { type RenderedText, sendRendered, type StaffRenderer } from './staff-render.js';
import { caseButtonAsked, caseButtons, pageAsked, pageButtons, showPage } from './staff-buttons.js';
import { relayAnswer, relayFile, runStaffCommand, staffFileOf, type StaffFiles } from './staff-answer.js';

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
  /** photos and documents a counsellor sends the reporter: downloaded and cleaned like evidence */
  files?: StaffFiles;
  log: Logger;
}

/** The /cases button that makes a case the one written in. */
export const switchButton = (code: string) => `case:${code}`;

const chunk = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export function staffPrivateChat(deps: StaffPrivateDeps): Composer<Context> {
  const composer = new Composer<Context>();

  /** The case a message is about: the one replied to, else the one chosen from /cases, else the only case they hold. */
  async function caseOf(member: StaffRecord, message: Message): Promise<CaseId | undefined> {
    const replied = message.reply_to_message;
    if (replied) return deps.copies.caseOf(member.id, replied.message_id);
    const [open, chosen] = await Promise.all([deps.duty.openCases(member.id), deps.copies.current(member.id)]);
    if (chosen && open.includes(chosen)) return chosen;
    return open.length === 1 ? open[0] : undefined;
  }

  /**
   * /cases here is one message: the list, and under it a button per case (to write in
   * it without replying to its messages) and the page buttons, so a page press changes
   * both together.
   */
  function casesKeyboard(result: DeskResult): InlineKeyboardMarkup | undefined {
    if (result.buttons) return caseButtons(result.buttons);
    const rows: InlineKeyboardButton[][] = chunk(
      (result.cases ?? []).map((code) => ({ text: code, callback_data: switchButton(code) })),
      3,
    );
    const pages = result.pages && pageButtons(result.pages);
    if (pages) rows.push(...pages.inline_keyboard);
    return rows.length ? { inline_keyboard: rows } : undefined;
  }

  async function rendered(result: DeskResult): Promise<RenderedText[]> {
    const parts = (await Promise.all(result.replies.map((text) => deps.render(text)))).flat();
    const last = parts.at(-1);
    if (last && result.cases?.length) parts[parts.length - 1] = { ...last, text: `${last.text}\n\n${t(deps.lang, 'cases-switch-hint')}` };
    return parts;
  }

  async function reply(ctx: Context, result: DeskResult): Promise<void> {
    const parts = await rendered(result);
    const markup = casesKeyboard(result);
    for (const [i, part] of parts.entries()) {
      await sendRendered(ctx.api, ctx.chat!.id, part, i === parts.length - 1 && markup ? { reply_markup: markup } : {}, deps.log);
    }
  }

  // A page of /cases (one's own cases, as when typed here), or a /record choice in a case
  // one holds: the command runs again, and the list or record is edited in place.
  composer.chatType('private').on('callback_query:data', async (ctx, next) => {
    const page = pageAsked(ctx.callbackQuery.data);
    const inCase = page ? undefined : caseButtonAsked(ctx.callbackQuery.data);
    const asked = page ?? inCase;
    if (!asked) return next();
    const member = await deps.directory.lookup('telegram', String(ctx.from.id));
    if (!member?.active) return next();
    const caseId = inCase ? await deps.store.caseOfCode(inCase.code as CaseCode) : undefined;
    const record = caseId ? await deps.store.get(caseId) : undefined;
    if (inCase && (!record || record.assignee !== member.id)) return void (await ctx.answerCallbackQuery({ text: t(deps.lang, 'cmd-case-gone') }));
    const result = await runStaffCommand(deps.commands, deps.lang, {
      channel: 'telegram',
      name: asked.name,
      text: asked.text,
      people: [],
      actor: member,
      ...(page ? { page: page.page } : {}),
      ...(record ? { caseId: record.id } : {}),
    });
    await ctx.answerCallbackQuery();
    await showPage(ctx, (await rendered(result))[0], casesKeyboard(result));
  });

  composer.chatType('private').on('callback_query:data', async (ctx, next) => {
    const code = /^case:([A-Z0-9-]+)$/.exec(ctx.callbackQuery.data)?.[1] as CaseCode | undefined;
    if (!code) return next();
    const member = await deps.directory.lookup('telegram', String(ctx.from.id));
    if (!member?.active) return next(); // not staff: the reporter side answers it
    const caseId = await deps.store.caseOfCode(code);
    const record = caseId ? await deps.store.get(caseId) : undefined;
    // Only a case they hold: a stale list (handed on since) switches to nothing.
    if (!record || record.assignee !== member.id) return void (await ctx.answerCallbackQuery({ text: t(deps.lang, 'cmd-case-gone') }));
    await deps.copies.setCurrent(member.id, record.id);
    await ctx.answerCallbackQuery();
    // Replying to this one works too: it belongs to the case like its other messages.
    const sent = await ctx.reply(t(deps.lang, 'staff-private-switched', { code: record.code }));
    await deps.copies.link(member.id, record.id, sent.message_id);
  });

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
      // Here, /cases means one's own cases: the others' are not to be read from a private chat.
      if (command.name === 'cases' && command.text.trim() === '') command.text = 'mine';
      const result = await runStaffCommand(deps.commands, deps.lang, {
        channel: 'telegram',
        // no desk: a private chat, where one's commands are those of one's own staff chats
        ...command,
        actor: member,
        ...(caseId ? { caseId } : {}),
      });
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
    if (message.text === undefined) {
      const file = staffFileOf(message);
      if (!file || !deps.files) return refuse('staff-only-text');
      const sent = await relayFile(deps, deps.files, member, caseId, file, { updateId: deliveryId }, true);
      if (sent === 'recused') return refuse('staff-recused-cannot-answer');
      if (sent === 'not-holder') return refuse('staff-private-not-holder');
      if (sent === 'too-big' || sent === 'not-cleaned') await ctx.reply(t(deps.lang, 'staff-file-not-sent', { why: sent }));
      return;
    }
    const outcome = await relayAnswer(deps, member, caseId, message.text, { updateId: deliveryId }, true);
    if (outcome === 'recused') return refuse('staff-recused-cannot-answer');
    if (outcome === 'not-holder') return refuse('staff-private-not-holder');
  });

  return composer;
}
