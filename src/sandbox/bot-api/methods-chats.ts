// Bot API methods about the bot itself, updates, chats, members, topics and commands.
import type { BotCommand, ChatFullInfo, Update } from 'grammy/types';
import { target, type Handler } from './methods-messages.js';
import { ApiError, badRequest, bool, chatRef, forbidden, int, json, requireInt, str, type Params } from './params.js';
import type { ChatState, World } from './world.js';

const CONFLICT = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
const WEBHOOK_ACTIVE = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
/** The six colours Telegram allows for topic icons. */
const TOPIC_COLORS = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f];

const getMe: Handler = (_p, world) => ({
  ...world.bot,
  can_join_groups: true,
  can_read_all_group_messages: !world.privacyMode,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
});

const getUpdates: Handler = (p, world, signal) => {
  if (world.webhook) throw new ApiError(409, WEBHOOK_ACTIVE);
  const limit = Math.min(100, Math.max(1, int(p, 'limit') ?? 100));
  const timeout = Math.max(0, int(p, 'timeout') ?? 0);
  // Client already gone (it hung up while the request was held): it must neither take
  // updates nor terminate the live poll with a 409, so it is never answered.
  if (signal.aborted) return new Promise<never>(() => {});
  const allowed = json<string[]>(p, 'allowed_updates');
  if (allowed) world.allowedUpdates = allowed.length ? allowed : undefined; // [] means "all but the defaults' exceptions"
  return new Promise<Update[]>((resolve, reject) => {
    const cancel = world.updates.poll(int(p, 'offset'), limit, timeout, (o) => ('conflict' in o ? reject(new ApiError(409, CONFLICT)) : resolve(o.updates)));
    // A client that hangs up (grammY's bot.stop() aborts its poll) must not take updates.
    signal.addEventListener('abort', cancel, { once: true });
  });
};

const deleteWebhook: Handler = (p, world) => {
  world.webhook = undefined;
  if (bool(p, 'drop_pending_updates')) world.updates.clear();
  return true;
};

const setWebhook: Handler = (p, world) => {
  const url = str(p, 'url') ?? '';
  if (url === '') return deleteWebhook(p, world, new AbortController().signal);
  // Like telegram-bot-api in --local mode, plain HTTP is accepted on loopback.
  const local = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//.test(url);
  if (!url.startsWith('https://') && !local) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  const allowed = json<string[]>(p, 'allowed_updates');
  const max = int(p, 'max_connections');
  world.webhook = { url, ...(allowed ? { allowed_updates: allowed } : {}), ...(max ? { max_connections: max } : {}) };
  if (allowed) world.allowedUpdates = allowed.length ? allowed : undefined;
  if (bool(p, 'drop_pending_updates')) world.updates.clear();
  return true;
};

const getWebhookInfo: Handler = (_p, world) => ({
  url: world.webhook?.url ?? '',
  has_custom_certificate: false,
  pending_update_count: world.updates.size,
  ...(world.webhook?.max_connections ? { max_connections: world.webhook.max_connections } : {}),
  ...(world.webhook?.allowed_updates ? { allowed_updates: world.webhook.allowed_updates } : {}),
});

/** A group the bot has left is invisible to it ("chat not found"), like a private group. */
function visibleChat(world: World, p: Params): ChatState {
  const s = world.resolveChat(chatRef(p));
  if (!world.botIsIn(s)) throw badRequest('chat not found');
  return s;
}

const getChat: Handler = (p, world): ChatFullInfo => {
  const s = visibleChat(world, p);
  const protectedContent = s.group?.protectedContent ? { has_protected_content: true } : {};
  return { ...s.chat, accent_color_id: 0, max_reaction_count: 11, ...protectedContent } as ChatFullInfo;
};

const getChatMember: Handler = (p, world) => {
  const s = world.resolveChat(chatRef(p));
  if (!world.botIsIn(s)) throw forbidden('bot is not a member of the supergroup chat');
  return world.chatMember(s, requireInt(p, 'user_id'));
};

const getChatAdministrators: Handler = (p, world) => {
  const s = visibleChat(world, p);
  if (!s.group) throw badRequest('there are no administrators in the private chat');
  const ids = [world.bot.id, ...s.group.members.keys()];
  return ids.map((id) => world.chatMember(s, id)).filter((m) => m.status === 'administrator' || m.status === 'creator');
};

/**
 * Telegram's rules for removing someone: the bot must be an administrator allowed to
 * restrict members; the owner and administrators it did not promote (in this emulator:
 * every administrator) cannot be banned. An unban of someone still in the group removes
 * them, unless only_if_banned is set.
 */
function restrictable(world: World, p: Params): { s: ChatState; userId: number } {
  const s = world.resolveChat(chatRef(p));
  if (!s.group) throw badRequest('method is available for supergroup and channel chats only');
  if (!world.botIsIn(s)) throw forbidden('bot is not a member of the supergroup chat');
  const userId = requireInt(p, 'user_id');
  const botAdmin = s.group.botStatus === 'administrator' || s.group.botStatus === 'creator';
  if (!botAdmin || !s.group.botRights.can_restrict_members) throw badRequest('not enough rights to restrict/ban chat member');
  if (userId === world.bot.id) throw badRequest("can't restrict self");
  return { s, userId };
}

const banChatMember: Handler = (p, world) => {
  const { s, userId } = restrictable(world, p);
  const status = world.memberStatus(s, userId);
  if (status === 'creator') throw badRequest("can't remove chat owner");
  if (status === 'administrator') throw badRequest('user is an administrator of the chat');
  if (status !== 'kicked') world.changeMember(s, userId, 'kicked', world.bot);
  return true;
};

const unbanChatMember: Handler = (p, world) => {
  const { s, userId } = restrictable(world, p);
  const status = world.memberStatus(s, userId);
  if (status === 'kicked') world.changeMember(s, userId, 'left', world.bot);
  else if (!bool(p, 'only_if_banned') && status === 'member') world.changeMember(s, userId, 'left', world.bot);
  else if (!bool(p, 'only_if_banned') && (status === 'creator' || status === 'administrator')) throw badRequest('user is an administrator of the chat');
  return true;
};

const leaveChat: Handler = (p, world) => {
  const s = world.resolveChat(chatRef(p));
  if (!s.group) throw badRequest("chat member status can't be changed in private chats");
  world.requireBotIn(s);
  s.group.botStatus = 'left';
  world.leftChats.push(s.chat.id);
  return true;
};

/** A forum supergroup in which the bot may manage topics. */
function forum(world: World, p: Params, action: string): ChatState & { group: NonNullable<ChatState['group']> } {
  const s = target(world, p);
  if (!s.group?.forum) throw badRequest('the chat is not a forum');
  if (s.group.botStatus !== 'administrator' && s.group.botStatus !== 'creator') throw badRequest(`not enough rights to ${action}`);
  if (s.group.botStatus === 'administrator' && !s.group.botRights.can_manage_topics && action !== 'delete the topic') {
    throw badRequest(`not enough rights to ${action}`);
  }
  return s as ChatState & { group: NonNullable<ChatState['group']> };
}

/**
 * Deletes a topic with every message in it (no age limit). The bot needs
 * can_delete_messages, unless it created the topic itself.
 */
const deleteForumTopic: Handler = (p, world) => {
  const s = forum(world, p, 'delete the topic');
  const id = requireInt(p, 'message_thread_id');
  if (!s.group.topics.has(id)) throw badRequest('TOPIC_ID_INVALID');
  const createdByBot = s.messages.get(id)?.from?.id === world.bot.id;
  if (s.group.botStatus === 'administrator' && !s.group.botRights.can_delete_messages && !createdByBot) {
    throw badRequest('not enough rights to delete the topic');
  }
  for (const m of [...s.messages.values()]) if (m.message_thread_id === id) world.remove(s, m.message_id);
  s.group.topics.delete(id);
  return true;
};

function topicName(p: Params, required: boolean): string | undefined {
  const name = str(p, 'name');
  if (name === undefined && !required) return undefined;
  if (!name || name.trim() === '') throw badRequest('TOPIC_TITLE_EMPTY');
  if ([...name].length > 128) throw badRequest('TOPIC_TITLE_TOO_LONG');
  return name;
}

const createForumTopic: Handler = (p, world) => {
  const s = forum(world, p, 'create a topic');
  const name = topicName(p, true)!;
  const color = int(p, 'icon_color') ?? TOPIC_COLORS[0]!;
  if (!TOPIC_COLORS.includes(color)) throw badRequest('TOPIC_ICON_COLOR_INVALID');
  const { is_closed: _closed, ...topic } = world.createTopic(s, name, color, str(p, 'icon_custom_emoji_id'));
  return topic;
};

/** Edits/closes/reopens a topic, posting the service message Telegram posts. */
function changeTopic(kind: 'edited' | 'closed' | 'reopened'): Handler {
  return (p, world) => {
    const s = forum(world, p, 'manage topics');
    const id = requireInt(p, 'message_thread_id');
    const topic = s.group.topics.get(id);
    if (!topic) throw badRequest('TOPIC_ID_INVALID');
    let service: Record<string, unknown> = {};
    if (kind === 'edited') {
      const name = topicName(p, false);
      const emoji = str(p, 'icon_custom_emoji_id');
      if ((name === undefined || name === topic.name) && (emoji === undefined || emoji === topic.icon_custom_emoji_id)) {
        throw badRequest('TOPIC_NOT_MODIFIED');
      }
      if (name !== undefined) topic.name = name;
      if (emoji !== undefined) topic.icon_custom_emoji_id = emoji;
      service = { ...(name !== undefined ? { name } : {}), ...(emoji !== undefined ? { icon_custom_emoji_id: emoji } : {}) };
    } else {
      if (topic.is_closed === (kind === 'closed')) throw badRequest('TOPIC_NOT_MODIFIED');
      topic.is_closed = kind === 'closed';
    }
    world.compose(s, world.bot, { [`forum_topic_${kind}`]: service }, { threadId: id });
    return true;
  };
}

function commandsKey(p: Params): string {
  return `${JSON.stringify(json(p, 'scope') ?? { type: 'default' })}|${str(p, 'language_code') ?? ''}`;
}

const setMyCommands: Handler = (p, world) => {
  const commands = json<BotCommand[]>(p, 'commands') ?? [];
  if (!Array.isArray(commands) || commands.length > 100) throw badRequest('BOT_COMMANDS_TOO_MUCH');
  for (const c of commands) {
    if (!/^[a-z0-9_]{1,32}$/.test(c.command ?? '')) throw badRequest('BOT_COMMAND_INVALID');
    if (!c.description || [...c.description].length > 256) throw badRequest('command description must be non-empty');
  }
  world.commands.set(commandsKey(p), commands);
  return true;
};

const deleteMyCommands: Handler = (p, world) => {
  world.commands.delete(commandsKey(p));
  return true;
};

const getMyCommands: Handler = (p, world) => world.commands.get(commandsKey(p)) ?? [];

const answerCallbackQuery: Handler = (p, world) => {
  const id = str(p, 'callback_query_id') ?? '';
  if (!world.openCallbackQueries.delete(id)) {
    throw badRequest('query is too old and response timeout expired or query ID is invalid');
  }
  return true;
};

export const CHAT_METHODS: Record<string, Handler> = {
  getMe,
  getUpdates,
  deleteWebhook,
  setWebhook,
  getWebhookInfo,
  getChat,
  getChatMember,
  getChatAdministrators,
  banChatMember,
  unbanChatMember,
  leaveChat,
  createForumTopic,
  editForumTopic: changeTopic('edited'),
  closeForumTopic: changeTopic('closed'),
  reopenForumTopic: changeTopic('reopened'),
  deleteForumTopic,
  setMyCommands,
  deleteMyCommands,
  getMyCommands,
  answerCallbackQuery,
};
