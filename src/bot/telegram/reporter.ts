// The reporter side of the Telegram bot: private chats only. The chat id is turned
// into a reporter key and a sealed return address right here and goes no further.
// Messages and button taps go to intake; its replies come back as messages with
// inline buttons.
import { Composer, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import { reporterKeyOf, type KeyRing } from '../../crypto/index.js';
import { type EvidenceKind, isRedisUnreachable, type ReporterMessages } from '../../store/index.js';
import { type Intake, type IntakeOutcome, type Reader, type ReporterContent, renderAsText } from '../../flows/index.js';
import { inEveryLanguage, t } from '../../i18n/index.js';
import { langOf, type Logger, type Lang, StorageUnavailable, type StorageOutage } from '../../shared/index.js';
import { sealReturnAddress } from '../../cases/index.js';
import { deleteInBatches } from './delete.js';
import { deliveryIdOf } from './bot.js';
import { stampArrival } from './arrival.js';
import type { TelegramFiles } from './files.js';
import { parseCallbackData, telegramMessages } from './prompt.js';

const OTHER_KINDS = ['sticker', 'location', 'venue', 'contact', 'poll', 'dice'] as const;

/** What the reporter sent, reduced to what intake understands. */
export function contentOf(message: Message, edited: boolean, files?: TelegramFiles, maxBytes = Infinity): ReporterContent {
  if (message.text !== undefined) return { kind: edited ? 'edit' : 'text', text: message.text };
  if (edited && message.caption !== undefined) return { kind: 'edit', text: message.caption };
  const caption = message.caption !== undefined ? { caption: message.caption } : {};
  const file = fileOf(message);
  if (file && files) {
    return {
      kind: 'file',
      media: file.media,
      ...(file.size !== undefined ? { size: file.size } : {}),
      ...(file.mime ? { mime: file.mime } : {}),
      ...(file.name ? { name: file.name } : {}),
      ...caption,
      download: () => files.download(file.id, maxBytes),
    };
  }
  const found = OTHER_KINDS.find((k) => k in message) ?? (file ? file.media : undefined);
  const media = found === 'venue' ? 'location' : (found ?? 'other');
  return { kind: 'unsupported', media, ...caption };
}

interface FileRef {
  id: string;
  media: EvidenceKind;
  size?: number;
  mime?: string;
  name?: string;
}

function fileOf(m: Message): FileRef | undefined {
  if (m.photo?.length) {
    const largest = m.photo[m.photo.length - 1]!;
    return { id: largest.file_id, media: 'photo', ...(largest.file_size !== undefined ? { size: largest.file_size } : {}), mime: 'image/jpeg' };
  }
  const pick = (media: EvidenceKind, f: { file_id: string; file_size?: number; mime_type?: string; file_name?: string } | undefined) =>
    f && {
      id: f.file_id,
      media,
      ...(f.file_size !== undefined ? { size: f.file_size } : {}),
      ...(f.mime_type ? { mime: f.mime_type } : {}),
      ...(f.file_name ? { name: f.file_name } : {}),
    };
  return (
    pick('voice', m.voice) ??
    pick('audio', m.audio) ??
    pick('video', m.video) ??
    pick('video', m.video_note) ??
    pick('video', m.animation) ??
    pick('document', m.document)
  );
}

/** Replies as plain text, options as numbered menus: for channels without buttons. */
export function reporterReplies(outcome: IntakeOutcome): string[] {
  return outcome.type === 'duplicate' ? [] : outcome.replies.map((reply) => renderAsText(reply, outcome.lang));
}

export interface TelegramReporterDeps {
  intake: Intake;
  /** /rights: pages shown without touching the reporter's conversation or case */
  reader: Reader;
  /** a message that cannot be stored is held (the update stays unconfirmed) until this gives up */
  outage: StorageOutage;
  /** what /wipe and /forget delete from the chat (ids only) */
  messages?: ReporterMessages;
  keys: KeyRing;
  log: Logger;
  files: TelegramFiles;
  maxFileBytes: number;
}

export function telegramReporter(deps: TelegramReporterDeps): Composer<Context> {
  const composer = new Composer<Context>();
  const privateChats = composer.chatType('private');

  async function handle(ctx: Context, chatId: number, lang: Lang, content: ReporterContent): Promise<IntakeOutcome | undefined> {
    const address = String(chatId);
    try {
      const outcome = await deps.intake.receive({
        channel: 'telegram',
        reporterKey: reporterKeyOf(deps.keys.pepper, 'telegram', address),
        returnAddress: () => sealReturnAddress(deps.keys, { channel: 'telegram', address }),
        lang,
        deliveryId: deliveryIdOf(ctx),
        // Polling stamped it on arrival; a webhook's update arrives as it is handled.
        receivedAt: stampArrival(ctx.update),
        content,
      });
      deps.outage.over();
      return outcome;
    } catch (err) {
      // Storage unreachable: the update is held (polling keeps it unconfirmed, a webhook
      // answers 503) and tried again; the reporter hears nothing unless it lasts too long.
      const unreachable = isRedisUnreachable(err);
      if (unreachable && deps.outage.hold()) throw new StorageUnavailable('storage unreachable');
      // Nothing was kept: say so honestly rather than pretend it was received. With storage
      // down their language cannot be read: all three, the phone's first.
      deps.log.error({ err }, 'intake failed; reporter asked to try again');
      await ctx.reply(unreachable ? inEveryLanguage(lang, 'try-again') : t(lang, 'try-again'));
      return undefined;
    }
  }

  async function answer(ctx: Context, outcome: IntakeOutcome | undefined): Promise<void> {
    if (outcome?.type === 'duplicate') deps.log.debug({ event: 'update.duplicate' }, 'redelivered update ignored');
    if (!outcome || outcome.type === 'duplicate') return;
    const rk = reporterKeyOf(deps.keys.pepper, 'telegram', String(ctx.chat!.id));
    const incoming = ctx.msg?.message_id;
    if (outcome.type === 'queued' && outcome.wipe) await wipe(ctx, rk, incoming);
    // Not waited for (best effort). A message turned away by the flood limit is not
    // recorded: a flood must not grow Redis.
    else if (incoming !== undefined && outcome.type === 'queued') void deps.messages?.record(rk, [incoming]).catch(() => undefined);
    if (outcome.type === 'queued' && outcome.ack) {
      // A message passed on or kept: a quiet "received" that does not flood the chat.
      await ctx.react('👌').catch(() => ctx.reply(t(outcome.lang, 'received')));
    }
    const sent: number[] = [];
    for (const reply of outcome.replies) {
      for (const message of telegramMessages(reply)) {
        sent.push((await ctx.reply(message.text, message.reply_markup ? { reply_markup: message.reply_markup } : {})).message_id);
      }
    }
    await deps.messages?.record(rk, sent).catch(() => undefined);
  }

  /**
   * Deletes the conversation from the reporter's chat as far as Telegram allows a bot:
   * both sides, for 48 hours. What is older stays; the reply tells the reporter how to
   * delete the chat themselves.
   */
  async function wipe(ctx: Context, rk: ReturnType<typeof reporterKeyOf>, incoming: number | undefined): Promise<void> {
    const ids = [...(deps.messages ? await deps.messages.take(rk) : []), ...(incoming !== undefined ? [incoming] : [])];
    const refused = (err: unknown) => deps.log.warn({ err, event: 'reporter.wipe-refused' }, 'Telegram refused to delete part of a reporter chat');
    // Best effort: the reply saying how to delete the chat goes out whatever happens here.
    const kept = await deleteInBatches(ctx.api, ctx.chat!.id, ids, refused).catch((err: unknown) => (refused(err), ids));
    deps.log.info({ event: 'reporter.wiped', deleted: ids.length - kept.length, asked: ids.length }, 'reporter chat cleared');
  }

  /** The language for the pages: the one the reporter chose, else their phone's. */
  async function readerLang(chatId: number, phone: string | undefined): Promise<Lang> {
    const rk = reporterKeyOf(deps.keys.pepper, 'telegram', String(chatId));
    return (await deps.intake.languageOf(rk).catch(() => undefined)) ?? langOf(phone);
  }

  privateChats.on(['message', 'edited_message'], async (ctx) => {
    if (ctx.from?.is_bot) return;
    const lang = langOf(ctx.from?.language_code);
    const content = contentOf(ctx.msg, ctx.editedMessage !== undefined, deps.files, deps.maxFileBytes);
    // /rights: a page, and nothing of the reporter read beyond their language or stored.
    if (content.kind === 'text' && deps.reader.asks(content.text)) {
      const { page } = deps.reader.first(await readerLang(ctx.chat.id, ctx.from?.language_code));
      for (const message of telegramMessages(page)) await ctx.reply(message.text, message.reply_markup ? { reply_markup: message.reply_markup } : {});
      return;
    }
    await answer(ctx, await handle(ctx, ctx.chat.id, lang, content));
  });

  privateChats.on('callback_query:data', async (ctx) => {
    // Answer at once so the button stops spinning, whatever happens next.
    await ctx.answerCallbackQuery().catch(() => undefined);
    const choice = parseCallbackData(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    if (!choice) return;
    const reading = deps.reader.tapped(choice.step, choice.value);
    if (reading && 'page' in reading) {
      // The next page replaces this one: the chat does not fill up with pages.
      const [next] = telegramMessages(reading.page);
      await ctx.editMessageText(next!.text, next!.reply_markup ? { reply_markup: next!.reply_markup } : {}).catch(() => undefined);
      return;
    }
    if (reading) {
      // "Back to the report": the page stays without its buttons; the intake goes on as after /start.
      await ctx.editMessageReplyMarkup().catch(() => undefined);
      await answer(ctx, await handle(ctx, ctx.chat.id, reading.continue, { kind: 'text', text: '/start' }));
      return;
    }
    const outcome = await handle(ctx, ctx.chat.id, langOf(ctx.from.language_code), { kind: 'choice', ...choice });
    if (outcome?.type === 'queued' && message && 'text' in message && message.text !== undefined) {
      // The question keeps its text, loses its buttons and shows what was chosen.
      const button = message.reply_markup?.inline_keyboard.flat().find((b) => 'callback_data' in b && b.callback_data === ctx.callbackQuery.data);
      const text = outcome.answered && button ? `${message.text}\n\n✓ ${button.text}` : message.text;
      await ctx.editMessageText(text).catch(() => undefined); // no reply_markup: the buttons go
    }
    await answer(ctx, outcome);
  });

  return composer;
}
