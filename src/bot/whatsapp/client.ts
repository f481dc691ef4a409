// The seam between Trustline and whatsapp-web.js. Every type here is cut from the
// library's own definitions (index.d.ts), and web-client.ts assigns the real `Client`
// to `WhatsAppClient`, so the compiler proves the fake used in tests and the real
// client have the same events and shapes. Only types are imported: this file never
// loads whatsapp-web.js (or Chromium).
import type * as WA from 'whatsapp-web.js';

/** A message type as the string whatsapp-web.js puts in `message.type` ('chat', 'image', 'ptt'...). */
export type WaMessageType = `${WA.MessageTypes}`;

/** A connection state as whatsapp-web.js reports it ('CONNECTED', 'UNPAIRED'...). */
export type WaState = `${WA.WAState}`;

export type WaMedia = Pick<WA.MessageMedia, 'mimetype' | 'data' | 'filename' | 'filesize'>;

export type WaMessage = Pick<WA.Message, 'from' | 'to' | 'body' | 'hasMedia' | 'fromMe' | 'isStatus' | 'broadcast' | 'timestamp'> & {
  type: WaMessageType;
  id: Pick<WA.MessageId, '_serialized' | 'fromMe'>;
  getChat(): Promise<WaChat>;
  /** undefined when the media is gone or could not be fetched (the library returns that too). */
  downloadMedia(): Promise<WaMedia | undefined>;
  react(reaction: string): Promise<void>;
};

export type WaChat = Pick<WA.Chat, 'isGroup' | 'unreadCount'> & {
  id: Pick<WA.ChatId, '_serialized'>;
  /** Loads the chat's latest messages, earliest first. */
  fetchMessages(options: WA.MessageSearchOptions): Promise<WaMessage[]>;
};

export type WaCall = Pick<WA.Call, 'id' | 'from' | 'isGroup' | 'isVideo' | 'fromMe' | 'timestamp' | 'reject'>;

/** The part of whatsapp-web.js's `Client` Trustline uses. */
export interface WhatsAppClient {
  initialize(): Promise<void>;
  /** Closes the browser; LocalAuth keeps the login on disk. */
  destroy(): Promise<void>;
  getState(): Promise<WaState | null>;
  getChats(): Promise<WaChat[]>;
  /** Text, or a file (a MessageMedia, made by a WaMediaFactory) with its caption. */
  sendMessage(chatId: string, content: string | WA.MessageMedia, options?: Pick<WA.MessageSendOptions, 'caption'>): Promise<unknown>;
  sendSeen(chatId: string): Promise<boolean>;
  /** puppeteer's Browser: its process id is how Chromium's memory is measured. */
  pupBrowser?: { process(): { pid?: number | undefined } | null } | undefined;

  on(event: 'qr', listener: (qr: string) => void): this;
  on(event: 'authenticated', listener: () => void): this;
  on(event: 'auth_failure', listener: (message: string) => void): this;
  on(event: 'ready', listener: () => void): this;
  on(event: 'disconnected', listener: (reason: WaState | 'LOGOUT') => void): this;
  on(event: 'change_state', listener: (state: WaState) => void): this;
  on(event: 'message', listener: (message: WaMessage) => void): this;
  on(event: 'message_edit', listener: (message: WaMessage, newBody: string, prevBody: string) => void): this;
  on(event: 'call', listener: (call: WaCall) => void): this;
  removeAllListeners(): this;
}

/** Makes a file to send (production: whatsapp-web.js's MessageMedia, see web-client.ts mediaOf). */
export type WaMediaFactory = (mimetype: string, bytes: Uint8Array, filename: string) => Promise<WA.MessageMedia>;

/** Makes a fresh client for a line; every (re)start of a session gets a new one. */
export type WhatsAppClientFactory = (line: string) => WhatsAppClient | Promise<WhatsAppClient>;
