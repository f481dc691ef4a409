// The simulated Telegram: people, chats, per-chat message stores, forum topics, group
// membership and the bot's update queue. Method handlers and the test-facing API both
// go through here, so a message a person sends and one the bot sends obey the same
// rules (ids per chat, thread placement, reply resolution, privacy mode).
import { EventEmitter } from 'node:events';
import type { Chat, ChatMember, Message, MessageEntity, Update, User } from 'grammy/types';
import { FileRegistry, isServiceMessage } from './media.js';
import { badRequest, forbidden } from './params.js';
import type { BotMessageEvent, MemberStatus, SimGroup, TopicInfo } from './types.js';
import { UpdateQueue } from './updates.js';

export interface GroupState {
  forum: boolean;
  members: Map<number, MemberStatus>;
  botStatus: MemberStatus;
  topics: Map<number, TopicInfo>;
  /** Administrators with "Remain anonymous" on, each with their custom title (the signature) if any. */
  anonymous: Map<number, string | undefined>;
  /** Who really wrote a message sent anonymously or on behalf of a channel (for their edits). */
  authors: Map<number, number>;
  /** The bot's administrator rights here (Telegram's defaults when it is made an admin, unless changed). */
  botRights: BotRights;
  /** "Restrict saving content": every message is protected (no forwarding or saving). */
  protectedContent: boolean;
}

/** The rights an administrator bot can be given, as getChatMember shows them. */
export type BotRights = typeof ADMIN_RIGHTS;

/** Update types Telegram sends when allowed_updates was never given: everything but these. */
const NOT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/**
 * The users Telegram puts in `from` when nobody is to be named: an anonymous group
 * administrator (with `sender_chat` = the group) and a message sent on behalf of a
 * channel (with `sender_chat` = the channel). Both are bots to a client.
 */
export const GROUP_ANONYMOUS_BOT: User = { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' };
export const CHANNEL_BOT: User = { id: 136817688, is_bot: true, first_name: 'Channel', username: 'Channel_Bot' };

export interface ChatState {
  /** The Chat object as it appears inside messages. */
  chat: Chat.PrivateChat | Chat.SupergroupChat;
  group?: GroupState;
  messages: Map<number, Message>;
  nextMessageId: number;
  /** Ids of content messages the bot sent here, in order (for messagesIn). */
  botSent: number[];
  /** A private chat: the person has written to the bot (Telegram lets a bot write only then). */
  started?: boolean;
}

export interface Placement {
  threadId?: number;
  replyTo?: number;
  /** reply_parameters.allow_sending_without_reply */
  replyOptional?: boolean;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const ADMIN_RIGHTS = {
  can_be_edited: false,
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: true,
  can_restrict_members: true,
  can_promote_members: false,
  can_change_info: true,
  can_invite_users: true,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_pin_messages: true,
  can_manage_topics: true,
  can_send_welcome_messages: false,
};

export class World {
  readonly users = new Map<number, User>();
  readonly chats = new Map<number, ChatState>();
  readonly files = new FileRegistry();
  readonly events = new EventEmitter();
  readonly updates: UpdateQueue;
  readonly leftChats: number[] = [];
  /** Callback query ids the bot has not answered yet. */
  readonly openCallbackQueries = new Set<string>();
  webhook: { url: string; allowed_updates?: string[]; max_connections?: number } | undefined;
  /** The last allowed_updates the bot gave (getUpdates or setWebhook): Telegram remembers it. */
  allowedUpdates: string[] | undefined;
  readonly commands = new Map<string, unknown[]>();
  private nextUserId = 700_000_001;
  private nextGroupId = 2_000_000_001;

  constructor(
    readonly bot: User & { username: string },
    readonly privacyMode: boolean,
  ) {
    this.updates = new UpdateQueue(100_000_001, (u) => this.events.emit('update', u));
  }

  /** `wroteToBot`: the person has written to the bot before (so it may write to them). */
  addUser(o: { firstName: string; lastName?: string; username?: string; languageCode?: string; isPremium?: boolean; wroteToBot?: boolean }): User {
    if (this.nextUserId === this.bot.id) this.nextUserId++;
    const id = this.nextUserId++;
    const user: User = {
      id,
      is_bot: false,
      first_name: o.firstName,
      ...(o.lastName ? { last_name: o.lastName } : {}),
      ...(o.username ? { username: o.username } : {}),
      ...(o.languageCode ? { language_code: o.languageCode } : {}),
      ...(o.isPremium ? { is_premium: true as const } : {}),
    };
    this.users.set(id, user);
    const chat: Chat.PrivateChat = {
      id,
      type: 'private',
      first_name: user.first_name,
      ...(user.last_name ? { last_name: user.last_name } : {}),
      ...(user.username ? { username: user.username } : {}),
    };
    this.chats.set(id, { chat, messages: new Map(), nextMessageId: 1, botSent: [], started: o.wroteToBot === true });
    return user;
  }

  addGroup(o: {
    title: string;
    forum?: boolean;
    members?: number[];
    admins?: number[];
    owner?: number;
    username?: string;
    botStatus?: MemberStatus;
  }): SimGroup {
    // Supergroup ids look like Telegram's: -100 followed by the channel id.
    const id = -(1_000_000_000_000 + this.nextGroupId++);
    const chat: Chat.SupergroupChat = {
      id,
      title: o.title,
      type: 'supergroup',
      ...(o.username ? { username: o.username } : {}),
      ...(o.forum ? { is_forum: true as const } : {}),
    };
    const members = new Map<number, MemberStatus>();
    for (const m of o.members ?? []) members.set(this.user(m).id, 'member');
    for (const a of o.admins ?? []) members.set(this.user(a).id, 'administrator');
    if (o.owner !== undefined) members.set(this.user(o.owner).id, 'creator');
    const group: GroupState = {
      forum: !!o.forum,
      members,
      botStatus: o.botStatus ?? 'administrator',
      topics: new Map(),
      anonymous: new Map(),
      authors: new Map(),
      botRights: { ...ADMIN_RIGHTS },
      protectedContent: false,
    };
    this.chats.set(id, { chat, group, messages: new Map(), nextMessageId: 1, botSent: [] });
    return { ...chat };
  }

  user(id: number): User {
    const u = this.users.get(id);
    if (!u) throw new Error(`unknown user ${id}: create people with addUser()`);
    return u;
  }

  /** Chat lookup for the test-facing API: a programming error, so a plain Error. */
  chatState(id: number): ChatState {
    const s = this.chats.get(id);
    if (!s) throw new Error(`unknown chat ${id}: create it with addUser() or addGroup()`);
    return s;
  }

  /** Chat lookup for API requests: Telegram's 400 when unknown. */
  resolveChat(ref: number | string): ChatState {
    const s =
      typeof ref === 'number'
        ? this.chats.get(ref)
        : [...this.chats.values()].find((c) => c.group && c.chat.username?.toLowerCase() === ref.slice(1).toLowerCase());
    if (!s) throw badRequest('chat not found');
    return s;
  }

  botIsIn(s: ChatState): boolean {
    return !s.group || s.group.botStatus === 'member' || s.group.botStatus === 'administrator' || s.group.botStatus === 'creator';
  }

  /**
   * Telegram's 403 for acting in a group the bot is not in, and for writing first to a
   * person who never wrote to the bot (pressed Start, or sent anything).
   */
  requireBotIn(s: ChatState): void {
    if (!this.botIsIn(s)) throw forbidden('bot is not a member of the supergroup chat');
    if (s.started === false) throw forbidden("bot can't initiate conversation with a user");
  }

  requireMessage(s: ChatState, id: number, notFound: string): Message {
    const m = s.messages.get(id);
    if (!m) throw badRequest(notFound);
    return m;
  }

  memberStatus(s: ChatState, userId: number): MemberStatus {
    if (userId === this.bot.id) return s.group ? s.group.botStatus : 'member';
    if (!this.users.has(userId)) throw badRequest('user not found');
    if (!s.group) return userId === s.chat.id ? 'member' : 'left';
    return s.group.members.get(userId) ?? 'left';
  }

  chatMember(s: ChatState, userId: number): ChatMember {
    const status = this.memberStatus(s, userId);
    const user = userId === this.bot.id ? this.bot : this.user(userId);
    const anonymous = s.group?.anonymous.has(userId) ?? false;
    const title = s.group?.anonymous.get(userId);
    const signature = title !== undefined ? { custom_title: title } : {};
    const rights = userId === this.bot.id && s.group ? s.group.botRights : ADMIN_RIGHTS;
    if (status === 'administrator') return { status, user, ...rights, is_anonymous: anonymous, ...signature };
    if (status === 'creator') return { status, user, is_anonymous: anonymous, ...signature };
    if (status === 'kicked') return { status, user, until_date: 0 };
    return { status, user };
  }

  /**
   * Creates and stores a message. Forum rules like Telegram's: a reply inherits the
   * replied message's topic, and a topic message without an explicit reply carries the
   * topic's creation service message as reply_to_message (a real, surprising quirk).
   */
  compose(s: ChatState, from: User, content: Partial<Message>, place: Placement = {}): Message {
    const reply = place.replyTo !== undefined ? s.messages.get(place.replyTo) : undefined;
    if (place.replyTo !== undefined && !reply && !place.replyOptional) throw badRequest('message to be replied not found');
    const threadId = this.threadFor(s, place.threadId, reply);
    const implicit = threadId !== undefined && !reply && !isServiceMessage(content as Message) ? s.messages.get(threadId) : undefined;
    const replied = reply ?? implicit;
    const msg = {
      message_id: s.nextMessageId++,
      ...(threadId !== undefined ? { message_thread_id: threadId } : {}),
      from,
      chat: s.chat,
      date: nowSeconds(),
      ...(threadId !== undefined ? { is_topic_message: true as const } : {}),
      ...(replied ? { reply_to_message: withoutReply(replied) } : {}),
      ...content,
    } as Message;
    s.messages.set(msg.message_id, msg);
    return msg;
  }

  private threadFor(s: ChatState, threadId: number | undefined, reply: Message | undefined): number | undefined {
    if (!s.group?.forum) {
      if (threadId !== undefined) throw badRequest('message thread not found');
      return undefined;
    }
    const t = threadId ?? (reply?.is_topic_message ? reply.message_thread_id : undefined);
    if (t !== undefined && !s.group.topics.has(t)) throw badRequest('message thread not found');
    return t;
  }

  /** A message the bot sent (sendMessage, copyMessage, …). */
  botSend(s: ChatState, content: Partial<Message>, place: Placement): Message {
    const msg = this.compose(s, this.bot, content, place);
    s.botSent.push(msg.message_id);
    this.emitBotMessage('sent', msg);
    return msg;
  }

  /** Stores a new version of a message (edits replace, never mutate, returned objects). */
  replace(s: ChatState, msg: Message): void {
    s.messages.set(msg.message_id, msg);
    if (msg.from?.id === this.bot.id) this.emitBotMessage('edited', msg);
  }

  remove(s: ChatState, id: number): void {
    const msg = s.messages.get(id);
    if (!msg) return;
    s.messages.delete(id);
    if (msg.from?.id === this.bot.id) this.emitBotMessage('deleted', msg);
  }

  messagesIn(chatId: number, threadId?: number): Message[] {
    const s = this.chatState(chatId);
    const out: Message[] = [];
    for (const id of s.botSent) {
      const m = s.messages.get(id);
      if (m && (threadId === undefined || m.message_thread_id === threadId)) out.push(m);
    }
    return out;
  }

  /** Queues a message update if the bot would see it (membership, privacy mode). */
  deliver(s: ChatState, msg: Message, kind: 'message' | 'edited_message', explicitReply?: Message): Update | undefined {
    if (!this.botSees(s, msg, explicitReply)) return undefined;
    return this.updates.push({ [kind]: msg });
  }

  private botSees(s: ChatState, msg: Message, explicitReply: Message | undefined): boolean {
    const g = s.group;
    if (!g) return true;
    if (!this.botIsIn(s)) return false;
    if (g.botStatus !== 'member' || !this.privacyMode || isServiceMessage(msg)) return true;
    if (explicitReply?.from?.id === this.bot.id) return true;
    const text = msg.text ?? msg.caption ?? '';
    const entities: MessageEntity[] = msg.entities ?? msg.caption_entities ?? [];
    const me = `@${this.bot.username.toLowerCase()}`;
    return entities.some((e) => {
      const part = text.slice(e.offset, e.offset + e.length).toLowerCase();
      if (e.type === 'mention') return part === me;
      return e.type === 'bot_command' && e.offset === 0 && (!part.includes('@') || part.endsWith(me));
    });
  }

  createTopic(s: ChatState, name: string, iconColor: number, iconEmoji?: string): TopicInfo {
    const id = s.nextMessageId++;
    const created = { name, icon_color: iconColor, ...(iconEmoji ? { icon_custom_emoji_id: iconEmoji } : {}) };
    const msg = {
      message_id: id,
      message_thread_id: id,
      from: this.bot,
      chat: s.chat,
      date: nowSeconds(),
      is_topic_message: true,
      forum_topic_created: created,
    } as Message;
    s.messages.set(id, msg);
    const topic: TopicInfo = { message_thread_id: id, ...created, is_closed: false };
    s.group!.topics.set(id, topic);
    this.events.emit('topicCreated', { ...topic, chat_id: s.chat.id });
    return topic;
  }

  /** Whether the bot asked for this kind of update (Telegram leaves some out unless asked). */
  wants(type: string): boolean {
    return this.allowedUpdates ? this.allowedUpdates.includes(type) : !NOT_BY_DEFAULT.has(type);
  }

  /**
   * A member's status changes (joined, added, banned, unbanned): an administrator bot that
   * asked for `chat_member` updates gets one, as on Telegram; anyone else gets nothing.
   */
  changeMember(s: ChatState, userId: number, status: MemberStatus, by: User): void {
    const before = this.chatMember(s, userId);
    s.group!.members.set(userId, status);
    if (status !== 'administrator' && status !== 'creator') s.group!.anonymous.delete(userId);
    const g = s.group!;
    const admin = g.botStatus === 'administrator' || g.botStatus === 'creator';
    if (!admin || !this.wants('chat_member') || userId === this.bot.id) return;
    this.updates.push({
      chat_member: { chat: s.chat, from: by, date: nowSeconds(), old_chat_member: before, new_chat_member: this.chatMember(s, userId) },
    });
  }

  emitBotMessage(kind: BotMessageEvent['kind'], message: Message): void {
    this.events.emit('botMessage', { kind, message } satisfies BotMessageEvent);
  }
}

/** Telegram nests replied messages one level deep only. */
function withoutReply(m: Message): Message['reply_to_message'] {
  const { reply_to_message: _nested, ...rest } = m;
  return rest as Message['reply_to_message'];
}
