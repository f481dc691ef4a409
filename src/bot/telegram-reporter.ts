// The reporter side of the Telegram bot: private chats only. The chat id is turned
// into a reporter key and a sealed return address right here and goes no further.
import { Composer, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import { reporterKeyOf, type KeyRing } from '../crypto/index.js';
import type { Intake, IntakeOutcome, ReporterContent } from '../flows/intake.js';
import { t } from '../flows/i18n.js';
import { langOf } from '../ids.js';
import type { Logger } from '../log.js';
import { sealReturnAddress } from './return-address.js';

const MEDIA_KINDS = [
  'sticker',
  'photo',
  'video',
  'video_note',
  'animation',
  'voice',
  'audio',
  'document',
  'location',
  'venue',
  'contact',
  'poll',
  'dice',
] as const;

/** What the reporter sent, reduced to what intake understands. */
export function contentOf(message: Message, edited: boolean): ReporterContent {
  if (message.text !== undefined) return { kind: edited ? 'edit' : 'text', text: message.text };
  const found = MEDIA_KINDS.find((k) => k in message);
  const media = found === 'video_note' ? 'video' : found === 'animation' ? 'video' : found === 'venue' ? 'location' : found ?? 'other';
  if (edited && message.caption !== undefined) return { kind: 'edit', text: message.caption };
  return { kind: 'unsupported', media, ...(message.caption !== undefined ? { caption: message.caption } : {}) };
}

export function reporterReplies(outcome: IntakeOutcome): string[] {
  switch (outcome.type) {
    case 'duplicate':
      return [];
    case 'empty':
      return [t(outcome.lang, 'empty')];
    case 'queued': {
      const { lang } = outcome;
      const replies: string[] = [];
      if (outcome.content === 'unsupported') {
        replies.push(
          t(lang, 'unsupported', { kind: outcome.media ?? 'other' }) + (outcome.captionForwarded ? ` ${t(lang, 'caption-forwarded')}` : ''),
        );
      }
      if (outcome.opened) replies.push(t(lang, 'received-first', { code: outcome.code }));
      else if (outcome.content === 'edit') replies.push(t(lang, 'edit-received'));
      return replies;
    }
  }
}

export function telegramReporter(deps: { intake: Intake; keys: KeyRing; log: Logger }): Composer<Context> {
  const composer = new Composer<Context>();
  const privateChats = composer.chatType('private');

  privateChats.on(['message', 'edited_message'], async (ctx) => {
    const message = ctx.msg;
    if (ctx.from?.is_bot) return;
    const address = String(ctx.chat.id);
    const lang = langOf(ctx.from?.language_code);
    let outcome: IntakeOutcome;
    try {
      outcome = await deps.intake.receive({
        channel: 'telegram',
        reporterKey: reporterKeyOf(deps.keys.pepper, 'telegram', address),
        returnAddress: () => sealReturnAddress(deps.keys, { channel: 'telegram', address }),
        lang,
        deliveryId: `tg:${ctx.me.id}:${ctx.update.update_id}`, // update_ids count per bot
        content: contentOf(message, ctx.editedMessage !== undefined),
      });
    } catch (err) {
      // Nothing was queued: say so honestly rather than pretend it was received.
      deps.log.error({ err }, 'intake failed; reporter asked to try again');
      await ctx.reply(t(lang, 'try-again'));
      return;
    }
    if (outcome.type === 'duplicate') deps.log.debug({ event: 'update.duplicate' }, 'redelivered update ignored');
    const replies = reporterReplies(outcome);
    for (const text of replies) await ctx.reply(text);
    if (outcome.type === 'queued' && replies.length === 0) {
      // Later messages: a quiet "received" that does not flood the chat.
      await ctx.react('👌').catch(() => ctx.reply(t(outcome.lang, 'received')));
    }
  });

  return composer;
}
