// Public shapes of the simulated Bot API server. Telegram objects themselves use
// grammY's own types (grammy/types), so whatever we emit type-checks as real Telegram.
import type { Message, ResponseParameters, Update, User } from 'grammy/types';

export type { Message, Update, User };

export interface RateLimits {
  /** Telegram: about 1 message per second in one chat. */
  perChatPerSecond?: number;
  /** Telegram: about 20 messages per minute in one group. */
  perGroupPerMinute?: number;
  /** Telegram: about 30 messages per second overall. */
  globalPerSecond?: number;
  /** Length of the per-group window, 60 000 ms like Telegram unless a test shortens it. */
  minuteMs?: number;
}

export interface BotApiServerOptions {
  /** Default: a random, well-formed '123456789:AA…' token. */
  token?: string;
  botUsername?: string;
  botFirstName?: string;
  /** 0 (default) picks a free port on 127.0.0.1. */
  port?: number;
  /** Off by default. When set, sending methods over the limit get 429 + retry_after. */
  rateLimits?: RateLimits;
  /**
   * Telegram's group privacy mode (default true): a bot that is a plain member of a group
   * only sees commands, @mentions, replies to itself and service messages. Admin bots
   * see everything, as on Telegram.
   */
  privacyMode?: boolean;
}

export type ApiResponse = { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: ResponseParameters };

export interface CallRecord {
  /** Canonical method name (Telegram method names are case-insensitive). */
  method: string;
  /** Parsed parameters; multipart file parts appear as { file: { filename, size } }. */
  params: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
  /** Set once answered; stays undefined while held or long polling. */
  response?: ApiResponse;
}

export interface FailSpec {
  error_code: number;
  /** Defaults to Telegram's wording for the code, e.g. 'Too Many Requests: retry after 3'. */
  description?: string;
  /** Seconds; sent as parameters.retry_after. 429s default to 1. */
  retry_after?: number;
  /** How many consecutive requests of the method fail (default 1). */
  times?: number;
}

export interface HoldHandle {
  readonly method: string;
  /** Resolves with the request once it has arrived and is being held. */
  readonly held: Promise<CallRecord>;
  /** Apply the held request and answer it (or let the next one through if none arrived yet). */
  release(): void;
  /** Destroy the held request's socket without applying it (client sees a network error). */
  drop(): void;
}

export interface Stats {
  /** Every HTTP request answered or held, including errors. */
  requests: number;
  /** Every 429 the server sent: rate limiting and failNext alike. */
  tooManyRequests: number;
  /** Updates handed out by getUpdates (a redelivered update counts again). */
  updatesDelivered: number;
}

export interface TopicInfo {
  message_thread_id: number;
  name: string;
  icon_color: number;
  icon_custom_emoji_id?: string;
  is_closed: boolean;
}

export interface SimGroup {
  id: number;
  type: 'supergroup';
  title: string;
  username?: string;
  is_forum?: true;
}

export type UserRef = number | { id: number };
export type ChatRef = number | { id: number };

export type MemberStatus = 'creator' | 'administrator' | 'member' | 'left' | 'kicked';

/** What the bot did to a message, for the sandbox to render live. */
export interface BotMessageEvent {
  kind: 'sent' | 'edited' | 'deleted';
  message: Message;
}

export interface ServerEvents {
  call: [CallRecord];
  response: [CallRecord];
  update: [Update];
  botMessage: [BotMessageEvent];
  /** A forum topic the bot created (createForumTopic succeeded). */
  topicCreated: [CreatedTopic];
}

export interface CreatedTopic extends TopicInfo {
  chat_id: number;
}

type Partialish<T> = T extends (infer U)[] ? Partialish<U>[] : T extends object ? { [K in keyof T]?: Partialish<T[K]> } : T;

/**
 * Message content injected on behalf of a person. Media objects may be partial:
 * file_id/file_unique_id and required sizes are filled in.
 */
export type MessageContent = Partialish<Omit<Message, 'message_id' | 'from' | 'chat' | 'date'>>;
