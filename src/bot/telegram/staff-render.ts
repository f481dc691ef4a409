// StaffText -> a Telegram message: names filled in from encrypted identities, each
// mention a text_mention entity (the person is notified; no username needed).
import type { Api } from 'grammy';
import type { Message, MessageEntity } from 'grammy/types';
import type { Logger, CounsellorId, Lang } from '../../shared/index.js';
import { t } from '../../i18n/index.js';
import { type CaseLink, isCaseLink, type StaffDirectory, type StaffIdentity, type StaffText } from '../../routing/index.js';
import { splitText, TELEGRAM_TEXT_LIMIT } from './text.js';

export interface RenderedText {
  text: string;
  entities: MessageEntity[];
}

export type StaffRenderer = (text: StaffText) => Promise<RenderedText[]>;

/**
 * The link to a message of a supergroup: https://t.me/c/<id without -100>/<message> (a
 * topic's id opens the topic). Only members of the chat can open it.
 */
export function messageLink(chatId: number, message: number): string | undefined {
  const internal = -chatId - 1_000_000_000_000;
  return internal > 0 ? `https://t.me/c/${internal}/${message}` : undefined;
}

/** `chatOf`: a staff chat's id, for links to a case's place in it (undefined: shown as plain text). */
export function staffRenderer(directory: StaffDirectory, lang: Lang, chatOf?: (desk: CaseLink['link']['desk']) => number | undefined): StaffRenderer {
  return async (staffText) => {
    const people = new Map<CounsellorId, StaffIdentity | undefined>();
    for (const part of staffText.parts) {
      if (typeof part === 'string' || isCaseLink(part)) continue;
      const id = 'mention' in part ? part.mention : part.name;
      if (!people.has(id)) people.set(id, await directory.identityOf(id));
    }
    let text = '';
    const entities: MessageEntity[] = [];
    for (const part of staffText.parts) {
      if (typeof part === 'string') {
        text += part;
        continue;
      }
      if (isCaseLink(part)) {
        const chatId = chatOf?.(part.link.desk);
        const url = chatId === undefined ? undefined : messageLink(chatId, part.link.message);
        if (url) entities.push({ type: 'text_link', offset: text.length, length: part.text.length, url });
        text += part.text;
        continue;
      }
      const id = 'mention' in part ? part.mention : part.name;
      const who = people.get(id);
      const shown = who?.name || t(lang, 'staff-someone');
      if ('mention' in part && who?.channel === 'telegram') {
        // Offsets and lengths are in UTF-16 code units, which is what JS strings count.
        entities.push({ type: 'text_mention', offset: text.length, length: shown.length, user: { id: Number(who.address), is_bot: false, first_name: shown } });
      }
      text += shown;
    }
    if (text.length <= TELEGRAM_TEXT_LIMIT) return [{ text, entities }];
    // Only long lists (roster, audit) get here: names stay, mentions are dropped.
    return splitText(text).map((part) => ({ text: part, entities: [] }));
  };
}

type SendOptions = NonNullable<Parameters<Api['sendMessage']>[2]>;

/**
 * Sends a rendered text. If Telegram refuses its mentions (400: a user it will not
 * link), the names go out as plain text: a notice without a ping beats no notice.
 */
export async function sendRendered(api: Api, chatId: number, part: RenderedText, options: SendOptions, log: Logger): Promise<Message> {
  if (!part.entities.length) return api.sendMessage(chatId, part.text, options);
  try {
    return await api.sendMessage(chatId, part.text, { ...options, entities: part.entities });
  } catch (err) {
    if ((err as { error_code?: unknown }).error_code !== 400) throw err;
    log.warn({ err, event: 'staff.mention-refused' }, 'Telegram refused a mention; sent the names as plain text');
    return api.sendMessage(chatId, part.text, options);
  }
}
