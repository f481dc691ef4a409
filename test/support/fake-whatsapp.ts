// A stand-in for WhatsApp and whatsapp-web.js: phones that write to the hotline's lines,
// and clients with the library's events and message shapes (the types come from
// whatsapp-web.js's index.d.ts through src/bot/whatsapp/client.ts). Like the real
// service it keeps each line's chats while no client runs, and a new client learns of
// them only as unread chats: no `message` event for what arrived during downtime.
import { randomBytes } from 'node:crypto';
import type * as WA from 'whatsapp-web.js';
import { EventEmitter } from 'node:events';
import type { WaCall, WaChat, WaMedia, WaMessage, WaMessageType, WaState, WhatsAppClient, WhatsAppClientFactory } from '../../src/bot/whatsapp/client.js';

/** The files createMedia made: sendMessage takes no other object, as the library takes only its MessageMedia. */
const fakeMedia = new WeakSet<object>();

/** The MessageMedia factory beside the fake clients (whatsapp-web.js itself is never loaded in tests). */
export const createFakeMedia = async (mimetype: string, bytes: Uint8Array, filename: string): Promise<WA.MessageMedia> => {
  const media = { mimetype, data: Buffer.from(bytes).toString('base64'), filename, filesize: bytes.length };
  fakeMedia.add(media);
  return media;
};

export interface SentMessage {
  line: string;
  chatId: string;
  /** the text, or a file's caption */
  text: string;
  /** a file (MessageMedia: base64 data) */
  media?: { mimetype: string; data: string; filename?: string | null };
}

interface Conversation {
  messages: FakeMessage[];
  unread: number;
}

/** One linked phone number and everything WhatsApp's servers hold for it. */
export class FakeLine {
  linked = true;
  /** initialize() calls that fail before the page loads (no network, Chromium missing). */
  failStarts = 0;
  readonly chats = new Map<string, Conversation>();
  readonly clients: FakeClient[] = [];
  readonly sent: SentMessage[] = [];
  readonly reactions: { messageId: string; reaction: string }[] = [];
  readonly seen: string[] = [];
  readonly ownJid: string;

  constructor(
    readonly name: string,
    ownNumber: string,
  ) {
    this.ownJid = `${ownNumber}@c.us`;
  }

  get client(): FakeClient | undefined {
    return this.clients.at(-1);
  }

  conversation(jid: string): Conversation {
    let c = this.chats.get(jid);
    if (!c) {
      c = { messages: [], unread: 0 };
      this.chats.set(jid, c);
    }
    return c;
  }
}

let clock = 1_750_000_000;

export class FakeMessage implements WaMessage {
  readonly id: WaMessage['id'];
  readonly to: string;
  readonly timestamp = clock++;
  readonly broadcast = false;
  readonly isStatus: boolean;
  readonly fromMe: boolean;
  readonly hasMedia: boolean;
  readonly type: WaMessageType;
  body: string;
  private readonly media: WaMedia | undefined;

  constructor(
    private readonly line: FakeLine,
    readonly from: string,
    body: string,
    opts: { type?: WaMessageType; fromMe?: boolean; media?: WaMedia } = {},
  ) {
    this.type = opts.type ?? 'chat';
    this.fromMe = opts.fromMe ?? false;
    this.hasMedia = opts.media !== undefined;
    this.media = opts.media;
    this.body = body;
    this.to = line.ownJid;
    this.isStatus = from === 'status@broadcast';
    this.id = { fromMe: this.fromMe, _serialized: `${this.fromMe}_${from}_${randomBytes(10).toString('hex').toUpperCase()}` };
  }

  async getChat(): Promise<WaChat> {
    return chatOf(this.line, this.from);
  }

  async downloadMedia(): Promise<WaMedia | undefined> {
    return this.media;
  }

  async react(reaction: string): Promise<void> {
    this.line.reactions.push({ messageId: this.id._serialized, reaction });
  }
}

function chatOf(line: FakeLine, jid: string): WaChat {
  const conversation = line.conversation(jid);
  return {
    id: { _serialized: jid },
    isGroup: jid.endsWith('@g.us'),
    unreadCount: conversation.unread,
    // whatsapp-web.js: the latest `limit` messages, earliest first
    fetchMessages: async ({ limit }) => conversation.messages.slice(-(limit ?? conversation.messages.length)),
  };
}

export class FakeClient extends EventEmitter implements WhatsAppClient {
  ready = false;
  destroyed = false;
  /** The browser died without a word (OOM kill): calls into the page fail. */
  crashed = false;
  readonly pupBrowser = { process: () => ({ pid: process.pid }) };

  constructor(private readonly line: FakeLine) {
    super();
  }

  async initialize(): Promise<void> {
    if (this.line.failStarts > 0) {
      this.line.failStarts--;
      throw new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/');
    }
    setImmediate(() => {
      if (this.destroyed) return;
      if (!this.line.linked) {
        this.emit('qr', `2@${randomBytes(24).toString('base64')},${randomBytes(16).toString('base64')}`);
        return;
      }
      this.becomeReady();
    });
  }

  becomeReady(): void {
    this.emit('authenticated');
    this.ready = true;
    this.emit('ready');
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.ready = false;
  }

  async getState(): Promise<WaState | null> {
    if (this.crashed || this.destroyed) throw new Error('Protocol error: Target closed');
    return this.line.linked ? 'CONNECTED' : 'UNPAIRED';
  }

  async getChats(): Promise<WaChat[]> {
    this.assertUsable();
    return [...this.line.chats.keys()].map((jid) => chatOf(this.line, jid));
  }

  async sendMessage(chatId: string, content: string | WA.MessageMedia, options?: Pick<WA.MessageSendOptions, 'caption'>): Promise<unknown> {
    this.assertUsable();
    // Like whatsapp-web.js, a file must be a MessageMedia: here, one made by createMedia.
    if (typeof content !== 'string' && !fakeMedia.has(content)) throw new Error('sendMessage: content must be text or a MessageMedia');
    this.line.sent.push(
      typeof content === 'string'
        ? { line: this.line.name, chatId, text: content }
        : {
            line: this.line.name,
            chatId,
            text: options?.caption ?? '',
            media: { mimetype: content.mimetype, data: content.data, filename: content.filename ?? null },
          },
    );
    // whatsapp-web.js sends with sendSeen: true by default
    this.line.conversation(chatId).unread = 0;
    return { id: { _serialized: `true_${chatId}_${randomBytes(8).toString('hex')}` } };
  }

  async sendSeen(chatId: string): Promise<boolean> {
    this.assertUsable();
    this.line.conversation(chatId).unread = 0;
    this.line.seen.push(chatId);
    return true;
  }

  private assertUsable(): void {
    if (this.destroyed || this.crashed || !this.ready) throw new Error('Session closed. Most likely the page has been closed.');
  }
}

/** The WhatsApp network as the tests see it. */
export class FakeWhatsApp {
  readonly lines = new Map<string, FakeLine>();
  private numbers = 0;

  /** The factory Trustline is given instead of Chromium. */
  readonly createClient: WhatsAppClientFactory = (name) => {
    const line = this.line(name);
    const client = new FakeClient(line);
    line.clients.push(client);
    return client;
  };

  line(name: string): FakeLine {
    let line = this.lines.get(name);
    if (!line) {
      line = new FakeLine(name, `7727${String(++this.numbers).padStart(7, '0')}`);
      this.lines.set(name, line);
    }
    return line;
  }

  /** Someone writes to a line; only a ready client hears of it at once. */
  write(lineName: string, from: string, body: string, opts: { type?: WaMessageType; media?: WaMedia } = {}): FakeMessage {
    const line = this.line(lineName);
    const message = new FakeMessage(line, from, body, opts);
    const conversation = line.conversation(from);
    conversation.messages.push(message);
    conversation.unread++;
    const client = line.client;
    if (client?.ready && !client.destroyed && !client.crashed) client.emit('message', message);
    return message;
  }

  /** The reporter edits a text they sent. */
  edit(lineName: string, message: FakeMessage, newBody: string): void {
    const prev = message.body;
    message.body = newBody;
    const client = this.line(lineName).client;
    if (client?.ready) client.emit('message_edit', message, newBody, prev);
  }

  /** Someone calls a line. */
  call(lineName: string, from: string, opts: { isGroup?: boolean; isVideo?: boolean } = {}): WaCall & { rejected: boolean } {
    const call = {
      id: randomBytes(16).toString('hex').toUpperCase(),
      from,
      timestamp: clock++,
      isVideo: opts.isVideo ?? false,
      isGroup: opts.isGroup ?? false,
      fromMe: false,
      rejected: false,
      async reject() {
        call.rejected = true;
      },
    };
    this.line(lineName).client?.emit('call', call);
    return call;
  }

  /** The number is unlinked on the phone ("Log out from all devices"). */
  logout(lineName: string): void {
    const line = this.line(lineName);
    line.linked = false;
    const client = line.client;
    if (client && !client.destroyed) {
      client.ready = false;
      client.emit('disconnected', 'LOGOUT');
    }
  }

  /** WhatsApp Web drops the session for a reason that is not a logout. */
  drop(lineName: string, reason: WaState = 'CONFLICT'): void {
    const client = this.line(lineName).client;
    if (!client || client.destroyed) return;
    client.ready = false;
    client.emit('disconnected', reason);
  }

  /** Chromium dies silently: no event at all, every call fails. */
  crash(lineName: string): void {
    const client = this.line(lineName).client;
    if (!client) return;
    client.ready = false;
    client.crashed = true;
  }

  /** The phone scans the QR code a client shows. */
  scan(lineName: string): void {
    const line = this.line(lineName);
    line.linked = true;
    const client = line.client;
    if (client && !client.destroyed && !client.ready) client.becomeReady();
  }

  sentTo(lineName: string, jid: string): string[] {
    return this.line(lineName)
      .sent.filter((m) => m.chatId === jid)
      .map((m) => m.text);
  }
}

/** Polls until `predicate` holds: WhatsApp fakes have no event to wait on. */
export async function until<T>(predicate: () => T | Promise<T>, opts: { timeoutMs?: number; label?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${opts.label ?? 'a condition'}${last ? ` (last error: ${last instanceof Error ? last.message : JSON.stringify(last)})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
