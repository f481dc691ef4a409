// What simulated people do: write, edit, add the bot to groups, press buttons. Misuse
// here is a bug in the test or sandbox script, so it throws plain, explanatory Errors
// rather than Telegram-shaped ones.
import { randomInt } from 'node:crypto';
import type { Chat, Message, MessageEntity, Update, User } from 'grammy/types';
import { detectEntities } from './text.js';
import type { ChatRef, MessageContent, UserRef } from './types.js';
import { CHANNEL_BOT, GROUP_ANONYMOUS_BOT, nowSeconds, type ChatState, type World } from './world.js';

export const idOf = (ref: UserRef | ChatRef): number => (typeof ref === 'number' ? ref : ref.id);

export interface SendOptions {
  /** Forum topic (message_thread_id) to post in. */
  threadId?: number;
  /** message_id in the same chat to reply to. */
  replyTo?: number;
}

/** Person-typed text gets the entities Telegram clients would produce (commands, mentions, links). */
function withEntities(text: string | undefined, given: MessageEntity[] | undefined): MessageEntity[] | undefined {
  if (text === undefined) return undefined;
  const found = given ?? detectEntities(text);
  return found.length > 0 ? found : undefined;
}

function prepare(world: World, content: MessageContent): Partial<Message> {
  const c = world.files.complete(content);
  const entities = withEntities(c.text, c.entities);
  const captionEntities = withEntities(c.caption, c.caption_entities);
  return { ...c, ...(entities ? { entities } : {}), ...(captionEntities ? { caption_entities: captionEntities } : {}) };
}

function checkAuthor(s: ChatState, user: User): void {
  if (!s.group) {
    if (s.chat.id !== user.id) throw new Error(`user ${user.id} cannot write in the private chat of user ${s.chat.id}`);
    return;
  }
  const status = s.group.members.get(user.id);
  if (status === undefined || status === 'left' || status === 'kicked') {
    throw new Error(`user ${user.id} is not a member of group ${s.chat.id}; list them in addGroup({ members })`);
  }
}

/**
 * A person posts a message; the bot gets a `message` update if it would see it. An
 * administrator with "Remain anonymous" on posts as Telegram shows it: `from` is
 * GroupAnonymousBot, `sender_chat` the group, `author_signature` their custom title.
 * `asChannel` posts on behalf of a channel: `from` is Channel_Bot, `sender_chat` the channel.
 */
export function postAs(
  world: World,
  chat: ChatRef,
  userRef: UserRef,
  content: MessageContent,
  opts: SendOptions & { asChannel?: Chat.ChannelChat } = {},
): Message {
  const s = world.chatState(idOf(chat));
  const user = world.user(idOf(userRef));
  checkAuthor(s, user);
  const reply = opts.replyTo !== undefined ? s.messages.get(opts.replyTo) : undefined;
  if (opts.replyTo !== undefined && !reply) throw new Error(`no message ${opts.replyTo} in chat ${s.chat.id} to reply to`);
  if (opts.threadId !== undefined && !s.group?.topics.has(opts.threadId)) {
    throw new Error(`chat ${s.chat.id} has no forum topic ${opts.threadId}`);
  }
  const anonymous = s.group?.anonymous.has(user.id) === true;
  const title = s.group?.anonymous.get(user.id);
  const signed: Partial<Message> = opts.asChannel
    ? { sender_chat: opts.asChannel }
    : anonymous
      ? { sender_chat: s.chat, ...(title !== undefined ? { author_signature: title } : {}) }
      : {};
  const from = opts.asChannel ? CHANNEL_BOT : anonymous ? GROUP_ANONYMOUS_BOT : user;
  const msg = world.compose(s, from, { ...prepare(world, content), ...signed }, opts);
  if (s.started === false) s.started = true; // writing to the bot starts the private chat
  if (from !== user) s.group?.authors.set(msg.message_id, user.id);
  world.deliver(s, msg, 'message', reply);
  return msg;
}

/** A person edits their own text message; the bot gets an `edited_message` update. */
export function editAs(world: World, chat: ChatRef, userRef: UserRef, messageId: number, text: string): Message {
  const s = world.chatState(idOf(chat));
  const old = s.messages.get(messageId);
  const author = old && (s.group?.authors.get(messageId) ?? old.from?.id);
  if (!old || author !== idOf(userRef)) throw new Error(`user ${idOf(userRef)} has no message ${messageId} in chat ${s.chat.id}`);
  if (old.text === undefined) throw new Error(`message ${messageId} has no text to edit`);
  const { entities: _old, ...rest } = old;
  const entities = withEntities(text, undefined);
  const edited = { ...rest, text, ...(entities ? { entities } : {}), edit_date: nowSeconds() } as Message;
  world.replace(s, edited);
  world.deliver(s, edited, 'edited_message', old.reply_to_message);
  return edited;
}

/** Someone adds the bot to a group: my_chat_member, then the new_chat_members service message. */
export function addBotToGroup(world: World, group: ChatRef, by: UserRef, status: 'member' | 'administrator'): Update {
  const s = world.chatState(idOf(group));
  if (!s.group) throw new Error(`chat ${s.chat.id} is not a group`);
  const from = world.user(idOf(by));
  const before = world.chatMember(s, world.bot.id);
  s.group.botStatus = status;
  const update = world.updates.push({
    my_chat_member: { chat: s.chat, from, date: nowSeconds(), old_chat_member: before, new_chat_member: world.chatMember(s, world.bot.id) },
  });
  const service = world.compose(s, from, { new_chat_members: [world.bot], new_chat_member: world.bot, new_chat_participant: world.bot } as Partial<Message>);
  world.deliver(s, service, 'message');
  return update;
}

/** A person presses an inline button under a bot message: a callback_query update. */
export function pressButton(world: World, userRef: UserRef, message: Pick<Message, 'chat' | 'message_id'>, data: string): Update {
  const s = world.chatState(message.chat.id);
  const current = s.messages.get(message.message_id);
  const buttons = current?.reply_markup?.inline_keyboard.flat() ?? [];
  const datas = buttons.flatMap((b) => ('callback_data' in b ? [b.callback_data] : []));
  if (!current || !datas.includes(data)) {
    throw new Error(
      `message ${message.message_id} in chat ${s.chat.id} has no button with callback_data ${JSON.stringify(data)} (has: ${JSON.stringify(datas)})`,
    );
  }
  const user = world.user(idOf(userRef));
  const id = `${randomInt(1e9, 2 ** 47)}${randomInt(1e9)}`;
  world.openCallbackQueries.add(id);
  const chatInstance = String(BigInt.asUintN(63, BigInt(s.chat.id) * 2654435761n));
  return world.updates.push({ callback_query: { id, from: user, message: current, chat_instance: chatInstance, data } });
}

/** Arbitrary (even malformed) updates; callback query ids become answerable. */
export function inject(world: World, raw: Record<string, unknown>): Update {
  const cq = raw.callback_query as { id?: unknown } | undefined;
  if (typeof cq?.id === 'string') world.openCallbackQueries.add(cq.id);
  return world.updates.push(raw);
}
