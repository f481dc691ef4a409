// Bot API methods that create, change or remove messages.
import type { InlineKeyboardMarkup, Message, MessageEntity, ReplyParameters } from 'grammy/types';
import { contentOf, isServiceMessage, MEDIA_KEYS, type MediaKey } from './media.js';
import { badRequest, bool, chatRef, int, json, requireInt, str, type Params } from './params.js';
import { formatText } from './text.js';
import { nowSeconds, type ChatState, type Placement, type World } from './world.js';

/** How many of an album's `items` the flood limits let through now (sendMediaGroup only). */
export type AlbumRoom = (items: number) => { sent: number; waitMs: number };

export type Handler = (p: Params, world: World, signal: AbortSignal, room?: AlbumRoom) => unknown;

const ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);
const BUTTON_ACTIONS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
  'disabled',
];
const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

/** The chat a request targets; the bot must be in it. */
export function target(world: World, p: Params, key = 'chat_id'): ChatState {
  const s = world.resolveChat(chatRef(p, key));
  world.requireBotIn(s);
  return s;
}

function placement(p: Params): Placement {
  const rp = json<ReplyParameters>(p, 'reply_parameters');
  const replyTo = rp?.message_id ?? int(p, 'reply_to_message_id');
  const replyOptional = rp?.allow_sending_without_reply ?? bool(p, 'allow_sending_without_reply');
  const threadId = int(p, 'message_thread_id');
  return { ...(threadId !== undefined ? { threadId } : {}), ...(replyTo !== undefined ? { replyTo } : {}), replyOptional };
}

/** Only inline keyboards are echoed back in Message.reply_markup; they are validated like Telegram does. */
function inlineMarkup(p: Params): Partial<Message> {
  const markup = json<Partial<InlineKeyboardMarkup>>(p, 'reply_markup');
  if (!markup?.inline_keyboard) return {};
  if (!Array.isArray(markup.inline_keyboard) || !markup.inline_keyboard.every(Array.isArray)) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardMarkup must be an Array of buttons rows");
  }
  for (const button of markup.inline_keyboard.flat() as unknown as Record<string, unknown>[]) {
    if (typeof button.text !== 'string' || button.text === '') throw badRequest('BUTTON_TEXT_INVALID');
    if (!BUTTON_ACTIONS.some((k) => k in button)) {
      throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
    }
    const data = button.callback_data;
    if (data !== undefined && (typeof data !== 'string' || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64)) {
      throw badRequest('BUTTON_DATA_INVALID');
    }
  }
  return { reply_markup: { inline_keyboard: markup.inline_keyboard } };
}

function text(p: Params): Partial<Message> {
  return formatText(str(p, 'text') ?? '', {
    parseMode: str(p, 'parse_mode'),
    entities: json<MessageEntity[]>(p, 'entities'),
    kind: 'text',
  });
}

/** Caption fields, or undefined when no caption parameter was given at all. */
function caption(p: Params): Partial<Message> | undefined {
  const raw = str(p, 'caption');
  if (raw === undefined) return undefined;
  const f = formatText(raw, { parseMode: str(p, 'parse_mode'), entities: json<MessageEntity[]>(p, 'caption_entities'), kind: 'caption' });
  return { ...(f.text ? { caption: f.text } : {}), ...(f.entities ? { caption_entities: f.entities } : {}) };
}

function sourceMessage(world: World, p: Params, verb: 'copy' | 'forward'): Message {
  const from = target(world, p, 'from_chat_id');
  const src = world.requireMessage(from, requireInt(p, 'message_id'), `message to ${verb} not found`);
  if (isServiceMessage(src) || src.has_protected_content) throw badRequest(`message can't be ${verb === 'copy' ? 'copied' : 'forwarded'}`);
  return src;
}

/**
 * protect_content (or a group with "Restrict saving content" on) marks a message as
 * Telegram does: has_protected_content, no forwarding or saving.
 */
function protection(p: Params, s: ChatState): Partial<Message> {
  return bool(p, 'protect_content') || s.group?.protectedContent ? { has_protected_content: true } : {};
}

const sendMessage: Handler = (p, world) => {
  const s = target(world, p);
  return world.botSend(s, { ...text(p), ...inlineMarkup(p), ...protection(p, s) }, placement(p));
};

const copyMessage: Handler = (p, world) => {
  const s = target(world, p);
  const src = sourceMessage(world, p, 'copy');
  const content = contentOf(src);
  const newCaption = caption(p);
  if (newCaption && MEDIA_KEYS.some((k) => k in content)) {
    delete content.caption;
    delete content.caption_entities;
    Object.assign(content, newCaption);
  }
  const msg = world.botSend(s, { ...content, ...inlineMarkup(p) }, placement(p));
  return { message_id: msg.message_id };
};

const forwardMessage: Handler = (p, world) => {
  const s = target(world, p);
  const src = sourceMessage(world, p, 'forward');
  const origin =
    src.forward_origin ??
    (src.from ? { type: 'user' as const, sender_user: src.from, date: src.date } : { type: 'chat' as const, sender_chat: src.chat, date: src.date });
  const threadId = int(p, 'message_thread_id');
  return world.botSend(s, { forward_origin: origin, ...contentOf(src) }, threadId !== undefined ? { threadId } : {});
};

/** sendPhoto, sendDocument, …: the file parameter is named after the media kind. */
function sendMedia(key: MediaKey): Handler {
  return (p, world) => {
    const s = target(world, p);
    const extra: Record<string, unknown> = {};
    for (const k of ['duration', 'width', 'height', 'emoji', 'performer', 'title']) if (p[k] !== undefined) extra[k] = p[k];
    const media = world.files.fromParam(key, p[key], extra);
    const cap = key === 'sticker' || key === 'video_note' ? undefined : caption(p);
    // has_spoiler: the picture stays blurred until tapped (photos, videos, animations only).
    const spoiler = bool(p, 'has_spoiler') && (key === 'photo' || key === 'video' || key === 'animation') ? { has_media_spoiler: true as const } : {};
    return world.botSend(s, { ...media, ...cap, ...inlineMarkup(p), ...protection(p, s), ...spoiler }, placement(p));
  };
}

/** What an album may hold: TDLib's InputMedia kinds for sendMediaGroup (no voice notes, stickers or animations). */
const ALBUM_KINDS = new Set(['photo', 'video', 'document', 'audio']);
const ALBUM_MAX = 10;

interface AlbumItem {
  type: string;
  media: unknown;
  caption?: string;
  parse_mode?: string;
  caption_entities?: MessageEntity[];
  has_spoiler?: boolean;
  duration?: number;
  width?: number;
  height?: number;
  performer?: string;
  title?: string;
}

/** The album's items, refused with Telegram's words before anything is sent. */
function albumItems(p: Params): AlbumItem[] {
  const media = json<unknown>(p, 'media');
  if (media === undefined || (Array.isArray(media) && media.length === 0)) throw badRequest('there are no messages to send');
  if (!Array.isArray(media)) throw badRequest("can't parse media JSON object");
  if (media.length > ALBUM_MAX) throw badRequest('too many messages to send as an album');
  const items = media as AlbumItem[];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || typeof item.type !== 'string') throw badRequest("can't parse InputMedia: media not found");
    if (!ALBUM_KINDS.has(item.type)) throw badRequest(`can't parse InputMedia: type "${item.type}" is unsupported`);
  }
  // TDLib keeps documents with documents and audio with audio; photos and videos mix.
  for (const only of ['document', 'audio']) {
    if (items.some((i) => i.type === only) && items.some((i) => i.type !== only)) throw badRequest(`${only} can't be mixed with other media types`);
  }
  return items;
}

/**
 * sendMediaGroup: 2 to 10 photos and videos, documents, or audio files, as one album
 * (one media_group_id); a single item is sent as a plain message, as TDLib does. Each
 * item is a message for the flood limits: when the group's minute has room for only
 * some, Telegram sends those and fails on the next with a 400 that names it.
 */
const sendMediaGroup: Handler = (p, world, _signal, room = (items) => ({ sent: items, waitMs: 0 })) => {
  const s = target(world, p);
  const items = albumItems(p);
  // Every file is resolved (and a bad one refused) before the first message is sent.
  const contents = items.map((item) => {
    const key = item.type as MediaKey;
    const value = typeof item.media === 'string' && item.media.startsWith('attach://') ? p[item.media.slice(9)] : item.media;
    if (value === undefined) throw badRequest("can't parse InputMedia: media not found");
    const extra: Record<string, unknown> = {};
    for (const k of ['duration', 'width', 'height', 'performer', 'title'] as const) if (item[k] !== undefined) extra[k] = item[k];
    const cap = caption({ caption: item.caption, parse_mode: item.parse_mode, caption_entities: item.caption_entities });
    const spoiler = item.has_spoiler && (key === 'photo' || key === 'video') ? { has_media_spoiler: true as const } : {};
    return { ...world.files.fromParam(key, value, extra), ...cap, ...spoiler };
  });
  const { sent, waitMs } = room(contents.length);
  const group = contents.length > 1 ? { media_group_id: String(BigInt.asUintN(63, BigInt(Date.now()) * 1000n + BigInt(s.nextMessageId))) } : {};
  const messages = contents.slice(0, sent).map((content) => world.botSend(s, { ...content, ...protection(p, s), ...group }, placement(p)));
  if (sent < contents.length) {
    throw badRequest(`failed to send message #${sent + 1} with the error message "Too Many Requests: retry after ${Math.max(1, Math.ceil(waitMs / 1000))}"`);
  }
  return messages;
};

function ownMessage(world: World, p: Params): { s: ChatState; m: Message } {
  const s = target(world, p);
  const m = world.requireMessage(s, requireInt(p, 'message_id'), 'message to edit not found');
  if (m.from?.id !== world.bot.id) throw badRequest("message can't be edited");
  return { s, m };
}

function edit(world: World, s: ChatState, m: Message, changes: Partial<Message>, drop: (keyof Message)[]): Message {
  const base = { ...m };
  for (const k of drop) delete base[k];
  const next = { ...base, ...changes };
  const same = (k: keyof Message): boolean => JSON.stringify(next[k]) === JSON.stringify(m[k]);
  if (same('text') && same('entities') && same('caption') && same('caption_entities') && same('reply_markup')) {
    throw badRequest(NOT_MODIFIED);
  }
  const edited = { ...next, edit_date: nowSeconds() } as Message;
  world.replace(s, edited);
  return edited;
}

const editMessageText: Handler = (p, world) => {
  if (p.inline_message_id !== undefined) return true;
  const { s, m } = ownMessage(world, p);
  if (m.text === undefined) throw badRequest('there is no text in the message to edit');
  // Like Telegram, omitting reply_markup on an edit removes the inline keyboard.
  return edit(world, s, m, { ...text(p), ...inlineMarkup(p) }, ['text', 'entities', 'reply_markup']);
};

const editMessageCaption: Handler = (p, world) => {
  if (p.inline_message_id !== undefined) return true;
  const { s, m } = ownMessage(world, p);
  if (m.text !== undefined) throw badRequest('there is no caption in the message to edit');
  // Like Telegram, omitting the caption removes it, and omitting reply_markup the keyboard.
  return edit(world, s, m, { ...caption(p), ...inlineMarkup(p) }, ['caption', 'caption_entities', 'reply_markup']);
};

const editMessageReplyMarkup: Handler = (p, world) => {
  if (p.inline_message_id !== undefined) return true;
  const { s, m } = ownMessage(world, p);
  return edit(world, s, m, inlineMarkup(p), ['reply_markup']);
};

/** Telegram deletes nothing sent 48 hours ago or earlier, whoever asks. */
const DELETABLE_FOR_S = 48 * 3600;

/** Telegram's rules for deleting one message: its age, then whose it is and the bot's rights. */
function deletable(world: World, s: ChatState, m: Message): boolean {
  if (nowSeconds() - m.date >= DELETABLE_FOR_S) return false;
  if (m.from?.id === world.bot.id || !s.group) return true;
  const g = s.group;
  return g.botStatus === 'creator' || (g.botStatus === 'administrator' && g.botRights.can_delete_messages);
}

const deleteMessage: Handler = (p, world) => {
  const s = target(world, p);
  const m = world.requireMessage(s, requireInt(p, 'message_id'), 'message to delete not found');
  if (!deletable(world, s, m)) throw badRequest("message can't be deleted");
  world.remove(s, m.message_id);
  return true;
};

/**
 * Up to 100 at once; ids that are not found are skipped, as documented. One that exists
 * but may not be deleted (too old, no right) fails the whole call and deletes nothing:
 * Telegram does not document a partial success, so the emulator never grants one.
 */
const deleteMessages: Handler = (p, world) => {
  const s = target(world, p);
  const ids = json<unknown[]>(p, 'message_ids');
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100 || !ids.every((id) => Number.isInteger(id))) {
    throw badRequest('message_ids must be a list of 1-100 message identifiers');
  }
  const found = (ids as number[]).flatMap((id) => {
    const m = s.messages.get(id);
    return m ? [m] : [];
  });
  if (found.some((m) => !deletable(world, s, m))) throw badRequest("message can't be deleted");
  for (const m of found) world.remove(s, m.message_id);
  return true;
};

const setMessageReaction: Handler = (p, world) => {
  const s = target(world, p);
  world.requireMessage(s, requireInt(p, 'message_id'), 'message to react not found');
  const reaction = json<unknown>(p, 'reaction');
  if (reaction !== undefined && !Array.isArray(reaction)) throw badRequest('REACTION_INVALID');
  return true;
};

const sendChatAction: Handler = (p, world) => {
  target(world, p);
  if (!ACTIONS.has(str(p, 'action') ?? '')) throw badRequest('wrong parameter action in request');
  return true;
};

const media = Object.fromEntries(
  MEDIA_KEYS.map((k) => [
    `send${k
      .split('_')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('')}`,
    sendMedia(k),
  ]),
) as Record<string, Handler>;

export const MESSAGE_METHODS: Record<string, Handler> = {
  sendMessage,
  copyMessage,
  forwardMessage,
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  deleteMessage,
  deleteMessages,
  setMessageReaction,
  sendChatAction,
  sendMediaGroup,
  ...media,
};

/** Methods that count against flood limits (what Telegram throttles: outgoing messages). */
export const RATE_LIMITED = new Set(
  Object.keys(MESSAGE_METHODS)
    .filter((m) => m !== 'sendChatAction' && m !== 'setMessageReaction' && m !== 'deleteMessage' && m !== 'deleteMessages')
    .map((m) => m.toLowerCase()),
);
