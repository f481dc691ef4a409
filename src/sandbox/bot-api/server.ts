// A local Telegram Bot API server on loopback: the real HTTP protocol, so an unmodified
// grammY bot runs against it with `new Bot(token, { client: { apiRoot: server.apiRoot } })`.
// This file is the HTTP front (routing, auth, faults, flood control, recording) and the
// test-facing API; Telegram semantics live in world.ts and the methods-*.ts handlers.
import { randomBytes, randomInt } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message, Update, User } from 'grammy/types';
import { Faults, RateLimiter } from './faults.js';
import { parseParams, readBody, sendJson } from './http.js';
import { CHAT_METHODS } from './methods-chats.js';
import { FILE_METHODS } from './methods-files.js';
import { MESSAGE_METHODS, RATE_LIMITED, type Handler } from './methods-messages.js';
import { ApiError, type Params } from './params.js';
import { addBotToGroup, editAs, idOf, inject, postAs, pressButton, type SendOptions } from './people.js';
import type {
  MemberStatus,
  ApiResponse,
  BotApiServerOptions,
  CallRecord,
  ChatRef,
  CreatedTopic,
  FailSpec,
  HoldHandle,
  MessageContent,
  ServerEvents,
  SimGroup,
  Stats,
  TopicInfo,
  UserRef,
} from './types.js';
import { waitFor, type Truthy, type WaitOptions } from './wait.js';
import { World, type BotRights } from './world.js';

const METHODS = new Map<string, { name: string; fn: Handler }>(
  Object.entries({ ...MESSAGE_METHODS, ...CHAT_METHODS, ...FILE_METHODS }).map(([name, fn]) => [name.toLowerCase(), { name, fn }]),
);
const PATH = /^\/bot([^/]+)\/(?:test\/)?([^/]+)\/?$/;
const FILE_PATH = /^\/file\/bot([^/]+)\/(.+)$/;

function makeToken(): string {
  return `${randomInt(1_000_000_000, 8_000_000_000)}:AA${randomBytes(27).toString('base64url').slice(0, 33)}`;
}

const NEVER = new AbortController().signal;

/**
 * Tells a long poll that its client hung up (grammY's bot.stop() aborts its poll). Other
 * methods are applied regardless, as Telegram applies a request whose response got lost.
 */
function hangUpSignal(res: ServerResponse): AbortSignal {
  const hungUp = new AbortController();
  if (res.destroyed) hungUp.abort();
  else res.once('close', () => !res.writableFinished && hungUp.abort());
  return hungUp.signal;
}

export async function startBotApiServer(options: BotApiServerOptions = {}): Promise<BotApiServer> {
  const server = new BotApiServer(options);
  await server.listen(options.port ?? 0);
  return server;
}

export class BotApiServer {
  readonly token: string;
  readonly botId: number;
  readonly stats: Stats = { requests: 0, tooManyRequests: 0, updatesDelivered: 0 };
  private readonly world: World;
  private readonly faults = new Faults();
  private readonly limiter: RateLimiter;
  private readonly http: Server;
  private readonly log: CallRecord[] = [];
  private root = '';
  private closing: Promise<void> | undefined;

  /** Prefer startBotApiServer(); the server is usable once listen() resolved. */
  constructor(options: BotApiServerOptions = {}) {
    this.token = options.token ?? makeToken();
    const id = /^(\d+):[\w-]+$/.exec(this.token)?.[1];
    if (!id) throw new Error(`token must look like "123456:ABC-DEF…", got ${JSON.stringify(this.token)}`);
    this.botId = Number(id);
    const bot = {
      id: this.botId,
      is_bot: true,
      first_name: options.botFirstName ?? 'Trustline',
      username: options.botUsername ?? 'trustline_sandbox_bot',
    } as const;
    this.world = new World(bot, options.privacyMode ?? true);
    this.world.events.setMaxListeners(0);
    this.limiter = new RateLimiter(options.rateLimits);
    // A throwing 'call' listener must not leave the request hanging without an answer.
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => sendJson(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(e)}` }));
    });
    // Longer than grammY's idle keep-alive reuse window, so it never reuses a socket we just closed.
    this.http.keepAliveTimeout = 60_000;
  }

  async listen(port: number): Promise<void> {
    this.http.listen(port, '127.0.0.1');
    await once(this.http, 'listening');
    this.root = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** 'http://127.0.0.1:PORT', for grammY's `client.apiRoot`. */
  get apiRoot(): string {
    return this.root;
  }

  get botUser(): User {
    return this.world.bot;
  }

  // ---------- people and chats ----------

  /** A person; `wroteToBot`: they wrote to the bot before, so it may write to them first. */
  addUser(o: { firstName: string; lastName?: string; username?: string; languageCode?: string; isPremium?: boolean; wroteToBot?: boolean }): User {
    return this.world.addUser(o);
  }

  /** A supergroup (forum if asked); the bot is an administrator unless botStatus says otherwise. */
  addGroup(o: {
    title: string;
    forum?: boolean;
    members?: UserRef[];
    admins?: UserRef[];
    owner?: UserRef;
    username?: string;
    botStatus?: 'administrator' | 'member' | 'left';
  }): SimGroup {
    const { owner, ...rest } = o;
    return this.world.addGroup({
      ...rest,
      members: o.members?.map(idOf),
      admins: o.admins?.map(idOf),
      ...(owner !== undefined ? { owner: idOf(owner) } : {}),
    });
  }

  /** Changes what the bot may do as an administrator of a group (e.g. no "Ban users"). */
  setBotRights(group: ChatRef, rights: Partial<BotRights>): void {
    const state = this.world.chatState(idOf(group));
    if (!state.group) throw new Error('setBotRights: not a group');
    Object.assign(state.group.botRights, rights);
  }

  /**
   * Someone joins a group (by link, or added by `by`): a chat_member update for a bot
   * that asked for them, as on Telegram (and no service message: groups often hide them).
   */
  joinGroup(group: ChatRef, user: UserRef, o: { by?: UserRef; status?: 'member' | 'administrator' } = {}): void {
    const state = this.world.chatState(idOf(group));
    if (!state.group) throw new Error('joinGroup: not a group');
    this.world.changeMember(state, idOf(user), o.status ?? 'member', this.world.user(idOf(o.by ?? user)));
  }

  /** Every message the chat still holds, whoever wrote it (what a member scrolling through it would see). */
  allMessagesIn(chat: ChatRef): Message[] {
    return [...this.world.chatState(idOf(chat)).messages.values()].sort((a, b) => a.message_id - b.message_id);
  }

  /** A group admin switches "Restrict saving content" on or off. */
  setProtectedContent(group: ChatRef, on: boolean): void {
    const state = this.world.chatState(idOf(group));
    if (!state.group) throw new Error('setProtectedContent: not a group');
    state.group.protectedContent = on;
  }

  /** Time passes for a chat: every message in it becomes `seconds` older (Telegram's 48-hour rules). */
  backdate(chat: ChatRef, seconds: number): void {
    const state = this.world.chatState(idOf(chat));
    for (const [id, m] of state.messages) state.messages.set(id, { ...m, date: m.date - seconds });
  }

  /** A member's status as Telegram knows it ('left' once removed). */
  memberStatus(group: ChatRef, user: UserRef): MemberStatus {
    return this.world.memberStatus(this.world.chatState(idOf(group)), idOf(user));
  }

  /** Someone joins a group later (no service message: tests only need the membership). */
  addMember(group: ChatRef, user: UserRef, status: 'member' | 'administrator' = 'member'): void {
    const state = this.world.chatState(idOf(group));
    if (!state.group) throw new Error('addMember: not a group');
    state.group.members.set(idOf(user), status);
  }

  /**
   * An administrator (or the creator) switches "Remain anonymous" on or off for
   * themselves; `title` is their custom title, shown as the signature of what they post.
   */
  setAnonymous(group: ChatRef, user: UserRef, on: boolean, title?: string): void {
    const state = this.world.chatState(idOf(group));
    const status = state.group?.members.get(idOf(user));
    if (status !== 'administrator' && status !== 'creator') throw new Error('setAnonymous: only administrators can remain anonymous');
    if (on) state.group!.anonymous.set(idOf(user), title);
    else state.group!.anonymous.delete(idOf(user));
  }

  /** A member posts on behalf of a channel (Telegram's "send as" a channel they own). */
  sendGroupAsChannel(group: ChatRef, user: UserRef, channel: { id: number; title: string }, text: string, opts: SendOptions = {}): Message {
    return postAs(this.world, group, user, { text }, { ...opts, asChannel: { id: channel.id, title: channel.title, type: 'channel' } });
  }

  sendPrivate(user: UserRef, text: string, opts: Pick<SendOptions, 'replyTo'> = {}): Message {
    return postAs(this.world, user, user, { text }, opts);
  }

  sendPrivateMessage(user: UserRef, content: MessageContent, opts: Pick<SendOptions, 'replyTo'> = {}): Message {
    return postAs(this.world, user, user, content, opts);
  }

  /** A person sends a file whose bytes matter (a JPEG with GPS tags, a PDF with an author), with its name and type as their app would give them. */
  sendPrivateFile(
    user: UserRef,
    kind: 'photo' | 'document' | 'voice' | 'audio' | 'video' | 'video_note',
    data: Buffer,
    extra: { file_name?: string; mime_type?: string; caption?: string; duration?: number; length?: number } = {},
  ): Message {
    const { caption, ...file } = extra;
    const media = kind === 'photo' ? [{ width: 800, height: 600, data }] : { ...file, data };
    return postAs(this.world, user, user, { [kind]: media, ...(caption ? { caption } : {}) }, {});
  }

  /** A person sends a file whose bytes matter in a group (a counsellor's leaflet, in a case's topic). */
  sendGroupFile(
    group: ChatRef,
    user: UserRef,
    kind: 'photo' | 'document',
    data: Buffer,
    extra: { file_name?: string; mime_type?: string; caption?: string } = {},
    opts: SendOptions = {},
  ): Message {
    const { caption, ...file } = extra;
    const media = kind === 'photo' ? [{ width: 800, height: 600, data }] : { ...file, data };
    return postAs(this.world, group, user, { [kind]: media, ...(caption ? { caption } : {}) }, opts);
  }

  sendGroup(group: ChatRef, user: UserRef, text: string, opts: SendOptions = {}): Message {
    return postAs(this.world, group, user, { text }, opts);
  }

  sendGroupMessage(group: ChatRef, user: UserRef, content: MessageContent, opts: SendOptions = {}): Message {
    return postAs(this.world, group, user, content, opts);
  }

  editPrivate(user: UserRef, messageId: number, newText: string): Message {
    return editAs(this.world, user, user, messageId, newText);
  }

  editGroup(group: ChatRef, user: UserRef, messageId: number, newText: string): Message {
    return editAs(this.world, group, user, messageId, newText);
  }

  injectUpdate(raw: Record<string, unknown>): Update {
    return inject(this.world, raw);
  }

  redeliver(updateId: number): Update {
    return this.world.updates.redeliver(updateId);
  }

  addBotToGroup(group: ChatRef, byUser: UserRef, opts: { status?: 'member' | 'administrator' } = {}): Update {
    return addBotToGroup(this.world, group, byUser, opts.status ?? 'administrator');
  }

  pressButton(user: UserRef, message: Pick<Message, 'chat' | 'message_id'>, callbackData: string): Update {
    return pressButton(this.world, user, message, callbackData);
  }

  // ---------- observing the bot ----------

  get calls(): readonly CallRecord[] {
    return this.log;
  }

  callsTo(method: string): CallRecord[] {
    const m = method.toLowerCase();
    return this.log.filter((c) => c.method.toLowerCase() === m);
  }

  /** Messages the bot sent to a chat (current versions; deleted ones omitted), in order. */
  messagesIn(chat: ChatRef, opts: { threadId?: number } = {}): Message[] {
    return this.world.messagesIn(idOf(chat), opts.threadId);
  }

  /** The bytes of a file by file_id: what a person sent (drawn at random) or what the bot uploaded. */
  fileContent(fileId: string): Buffer | undefined {
    return this.world.files.content(fileId);
  }

  topics(chat: ChatRef): TopicInfo[] {
    return [...(this.world.chatState(idOf(chat)).group?.topics.values() ?? [])].map((t) => ({ ...t }));
  }

  get leftChats(): readonly number[] {
    return this.world.leftChats;
  }

  /** Updates queued and not yet confirmed by the bot's getUpdates offset. */
  get pendingUpdates(): number {
    return this.world.updates.size;
  }

  on<E extends keyof ServerEvents>(event: E, listener: (...args: ServerEvents[E]) => void): this {
    this.world.events.on(event, listener as (...a: unknown[]) => void);
    return this;
  }

  off<E extends keyof ServerEvents>(event: E, listener: (...args: ServerEvents[E]) => void): this {
    this.world.events.off(event, listener as (...a: unknown[]) => void);
    return this;
  }

  /** Every message the bot sends (not edits or deletions), e.g. to print a live transcript. Returns an unsubscribe function. */
  onBotMessage(listener: (message: Message) => void): () => void {
    const l = (e: ServerEvents['botMessage'][0]): void => {
      if (e.kind === 'sent') listener(e.message);
    };
    this.on('botMessage', l);
    return () => this.off('botMessage', l);
  }

  /** Every forum topic the bot creates. Returns an unsubscribe function. */
  onTopicCreated(listener: (topic: CreatedTopic) => void): () => void {
    this.on('topicCreated', listener);
    return () => this.off('topicCreated', listener);
  }

  /**
   * Resolves with the predicate's first truthy value, re-checked on every request,
   * response, update and bot message (no polling). A throwing predicate counts as
   * "not yet". On timeout, rejects listing the most recent calls.
   */
  waitFor<T>(predicate: (api: this) => T, opts: WaitOptions = {}): Promise<Truthy<T>> {
    return waitFor(this.world.events, this.log, () => predicate(this), opts);
  }

  // ---------- fault injection ----------

  failNext(method: string, spec: FailSpec): void {
    this.faults.failNext(method, spec);
  }

  holdNext(method: string): HoldHandle {
    return this.faults.holdNext(method);
  }

  // ---------- HTTP ----------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const download = FILE_PATH.exec(url.pathname);
    if (download) return this.download(res, download[1]!, decodeURIComponent(download[2]!));
    const route = PATH.exec(url.pathname);
    let params: Params = {};
    let parseError: unknown;
    try {
      params = parseParams(await readBody(req), req.headers['content-type'], url.searchParams);
    } catch (e) {
      if (e instanceof RangeError) return void res.writeHead(413).end();
      parseError = e;
    }
    if (!route) return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, rawMethod = ''] = route;
    const method = METHODS.get(rawMethod.toLowerCase());
    const call: CallRecord = { method: method?.name ?? rawMethod, params, at: Date.now() };
    this.log.push(call);
    this.stats.requests++;
    this.world.events.emit('call', call);
    if (token !== this.token) return this.answer(res, call, new ApiError(401, 'Unauthorized'));
    if (!method) return this.answer(res, call, new ApiError(404, 'Not Found: method not found'));
    if (parseError) return this.answer(res, call, parseError);
    const failure = this.faults.takeFailure(method.name);
    if (failure) return this.answer(res, call, failure);
    const run = (): void => this.run(method.name, method.fn, call, res);
    if (this.faults.tryHold(method.name, call, { proceed: run, destroy: () => req.socket.destroy() })) return;
    run();
  }

  /**
   * File downloads are plain GETs, outside the JSON protocol (and not recorded as calls);
   * `holdNext('download')` holds the next one, like a 20 MB file on a slow line.
   */
  private download(res: ServerResponse, token: string, path: string): void {
    const data = token === this.token ? this.world.files.contentAt(path) : undefined;
    if (!data) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    const send = () => void res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length }).end(data);
    const call: CallRecord = { method: 'download', params: { path }, at: Date.now() };
    if (this.faults.tryHold('download', call, { proceed: send, destroy: () => res.socket?.destroy() })) return;
    send();
  }

  private run(name: string, fn: Handler, call: CallRecord, res: ServerResponse): void {
    try {
      const chatId = this.chatIdOf(call.params);
      // An album is counted per message once the method knows how many it holds.
      const album = name === 'sendMediaGroup';
      if (this.limiter.enabled && RATE_LIMITED.has(name.toLowerCase()) && !album) this.limiter.check(chatId);
      const room = (items: number) => (this.limiter.enabled ? this.limiter.takeAlbum(chatId, items) : { sent: items, waitMs: 0 });
      const result = fn(call.params, this.world, name === 'getUpdates' ? hangUpSignal(res) : NEVER, room);
      if (result instanceof Promise) {
        result.then(
          (r) => this.answer(res, call, undefined, r),
          (e: unknown) => this.answer(res, call, e),
        );
      } else this.answer(res, call, undefined, result);
    } catch (e) {
      this.answer(res, call, e);
    }
  }

  private chatIdOf(params: Params): number | undefined {
    try {
      const ref = params.chat_id;
      return typeof ref === 'string' && ref.startsWith('@') ? this.world.resolveChat(ref).chat.id : Number(ref);
    } catch {
      return undefined;
    }
  }

  private answer(res: ServerResponse, call: CallRecord, error: unknown, result?: unknown): void {
    let response: ApiResponse;
    if (error === undefined) response = { ok: true, result };
    else {
      // Anything but an ApiError is a simulator bug: surface it loudly as a 500.
      const e =
        error instanceof ApiError
          ? error
          : new ApiError(500, `Internal Server Error: ${error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error)}`);
      response = { ok: false, error_code: e.code, description: e.description, ...(e.parameters ? { parameters: e.parameters } : {}) };
      if (e.code === 429) this.stats.tooManyRequests++;
    }
    call.response = response;
    if (call.method === 'getUpdates' && response.ok) this.stats.updatesDelivered += (result as unknown[]).length;
    sendJson(res, response.ok ? 200 : response.error_code, response);
    this.world.events.emit('response', call);
  }

  /** Stops listening and cuts every connection (held requests and long polls included). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.world.updates.close();
      const closed = once(this.http, 'close');
      this.http.close();
      this.http.closeAllConnections();
      await closed;
    })();
    return this.closing;
  }
}
