// Staff commands, the Telegram half: finds the command in a message, turns mentions
// and the replied-to author into people, and hands the rest to the platform-free
// command layer (src/routing/staff-commands.ts).
import type { Message, MessageEntity, User } from 'grammy/types';
import type { PersonRef, StaffIdentity } from '../../routing/index.js';

export interface TelegramCommand {
  name: string;
  /** the text after the command, people replaced by "@#0", "@#1", ... */
  text: string;
  people: PersonRef[];
  replyTo?: StaffIdentity;
}

export function identityOf(user: User): StaffIdentity {
  return {
    channel: 'telegram',
    address: String(user.id),
    name: [user.first_name, user.last_name].filter(Boolean).join(' '),
    ...(user.username ? { username: user.username } : {}),
  };
}

/**
 * The command at the start of a message, or undefined. `/cmd@otherbot` is another
 * bot's command and is left alone.
 */
export function commandOf(message: Message, botUsername: string): TelegramCommand | undefined {
  const text = message.text;
  const entities = message.entities ?? [];
  const head = entities.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (text === undefined || !head) return undefined;
  const [name = '', addressee] = text.slice(1, head.length).split('@');
  if (addressee && addressee.toLowerCase() !== botUsername.toLowerCase()) return undefined;

  const people: PersonRef[] = [];
  let rest = '';
  let at = head.length;
  const mentions = entities
    .filter(
      (e): e is MessageEntity & { type: 'mention' | 'text_mention' } =>
        (e.type === 'mention' || (e.type === 'text_mention' && !e.user.is_bot)) && e.offset >= head.length,
    )
    .sort((a, b) => a.offset - b.offset);
  for (const e of mentions) {
    const shown = text.slice(e.offset, e.offset + e.length);
    rest += text.slice(at, e.offset);
    if (e.type === 'text_mention') people.push({ identity: identityOf(e.user), text: shown });
    else people.push({ username: shown.slice(1), text: shown });
    // Spaces around the placeholder keep it one word even in "(@dana)".
    rest += ` @#${people.length - 1} `;
    at = e.offset + e.length;
  }
  rest += text.slice(at);

  const replied = message.reply_to_message;
  // In a forum every message "replies" to the topic's creation message, which the bot sent.
  const replyTo = replied?.from && !replied.from.is_bot && !replied.forum_topic_created ? identityOf(replied.from) : undefined;
  return { name: name.toLowerCase(), text: rest.trim(), people, ...(replyTo ? { replyTo } : {}) };
}
