// One WhatsApp trust line: its lock, its browser session and that session's life.
// It (re)starts the client with backoff, reads back what arrived while it was down,
// watches the browser, restarts it on a schedule (LocalAuth keeps the login) and
// tells staff when the line needs a person (logged out) or stays down.
import { type Logger, NotYet } from '../../shared/index.js';
import type { Redis } from '../../store/index.js';
import type { WaMediaFactory, WaState, WhatsAppClient, WhatsAppClientFactory } from './client.js';
import { chatKindOf } from './jid.js';
import { InboundOrder } from './inbound-order.js';
import { LineLease } from './line-lease.js';
import { defaultTiming, type LineTiming } from './line-timing.js';
import { processTreeMemory, toMiB, type MemorySample } from './memory.js';
import type { LineInbox } from './reporter.js';
import { jitter, Timers, withTimeout } from './timers.js';

export type { LineTiming } from './line-timing.js';

/** What staff hear about a line. Transitions only: a flapping line does not flood the chat. */
export type LineReport = { type: 'needs-login'; line: string } | { type: 'failing'; line: string; reason: string } | { type: 'restored'; line: string };

export type LineStatus = 'waiting' | 'starting' | 'ready' | 'needs-login' | 'reconnecting' | 'stopped';

/** Failures in a row before staff are told a line is down. */
const FAILURES_BEFORE_REPORT = 3;
const LOGGED_OUT: ReadonlySet<string> = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE']);

/**
 * Not a failure of the answer: it waits (without spending a delivery attempt) until the
 * line is back, however long a re-login takes. Staff were told the line is down.
 */
export class LineUnavailable extends NotYet {
  override name = 'WhatsAppLineDown';
}

export interface WhatsAppLineDeps {
  line: string;
  redis: Redis;
  createClient: WhatsAppClientFactory;
  /** makes the files counsellors send (whatsapp-web.js's MessageMedia) */
  createMedia: WaMediaFactory;
  inbox: LineInbox;
  log: Logger;
  lockMs: number;
  timing?: Partial<LineTiming>;
  report: (report: LineReport) => void;
  measure?: (pid: number) => Promise<MemorySample | undefined>;
}

export class WhatsAppLine {
  readonly name: string;
  private readonly t: LineTiming;
  private readonly lease: LineLease;
  private client: WhatsAppClient | undefined;
  /** Bumped whenever a client is dropped, so late events of an old client are ignored. */
  private gen = 0;
  private state: LineStatus = 'waiting';
  private stopped = false;
  private failures = 0;
  private loginChecks = 0;
  private reportedDown = false;
  private lockBusyLogged = false;
  /** Retries and lock polling: live as long as the line. */
  private readonly timers = new Timers();
  /** Restart schedule, watchdog, memory log, start timeout: live as long as one browser. */
  private readonly sessionTimers = new Timers();
  private restartsDone = 0;
  private readonly order = new InboundOrder((err) => this.deps.log.error({ err, line: this.name }, 'handling a WhatsApp message failed'));

  constructor(private readonly deps: WhatsAppLineDeps) {
    this.name = deps.line;
    this.t = { ...defaultTiming, ...deps.timing };
    this.lease = new LineLease({
      redis: deps.redis,
      line: deps.line,
      ttlMs: deps.lockMs,
      log: deps.log,
      onLost: () => void this.lockLost(),
    });
  }

  get status(): LineStatus {
    return this.state;
  }

  start(): void {
    void this.takeLine();
  }

  /** Sends from this line's number; throws LineUnavailable (retryable) while it is down. */
  async send(jid: string, text: string): Promise<void> {
    const client = this.client;
    if (this.state !== 'ready' || !client) {
      throw new LineUnavailable(`WhatsApp line ${this.name} is not connected`, this.t.answerRetryMs);
    }
    await client.sendMessage(jid, text);
  }

  /** A file from this line's number, with its caption; throws LineUnavailable (retryable) while the line is down. */
  async sendFile(jid: string, file: { bytes: Uint8Array; mime: string; name: string; caption: string }): Promise<void> {
    const client = this.client;
    if (this.state !== 'ready' || !client) {
      throw new LineUnavailable(`WhatsApp line ${this.name} is not connected`, this.t.answerRetryMs);
    }
    await client.sendMessage(jid, await this.deps.createMedia(file.mime, file.bytes, file.name), { caption: file.caption });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clear();
    // Let messages in hand finish (their replies need the browser), but not forever.
    await Promise.race([this.order.settled(), new Promise((r) => setTimeout(r, 5_000).unref())]);
    await this.dropClient();
    await this.lease.release();
    this.state = 'stopped';
    this.deps.log.info({ event: 'whatsapp.line.stopped', line: this.name }, 'WhatsApp line stopped');
  }

  // ---- lock -------------------------------------------------------------------------

  private async takeLine(): Promise<void> {
    if (this.stopped) return;
    this.state = 'waiting';
    if (!(await this.lease.tryTake())) {
      if (!this.lockBusyLogged) {
        this.deps.log.warn({ event: 'whatsapp.line.busy', line: this.name }, 'another process runs this WhatsApp line; waiting for its lock');
        this.lockBusyLogged = true;
      }
      this.later(Math.max(100, Math.floor(this.deps.lockMs / 2)), () => this.takeLine());
      return;
    }
    this.lockBusyLogged = false;
    if (this.stopped) {
      await this.lease.release(); // stop() ran while the lock was being taken
      return;
    }
    await this.connect();
  }

  private async lockLost(): Promise<void> {
    this.state = 'waiting';
    await this.dropClient();
    this.later(0, () => this.takeLine());
  }

  // ---- session ------------------------------------------------------------------------

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const gen = ++this.gen;
    this.state = this.failures > 0 ? 'reconnecting' : 'starting';
    this.deps.log.info({ event: 'whatsapp.line.starting', line: this.name, attempt: this.failures + 1 }, 'starting WhatsApp session');
    let client: WhatsAppClient;
    try {
      client = await this.deps.createClient(this.name);
    } catch (err) {
      await this.fail(gen, 'client', err);
      return;
    }
    if (gen !== this.gen) {
      await client.destroy().catch(() => undefined);
      return;
    }
    this.client = client;
    this.listen(client, gen);
    this.sessionTimers.once(this.t.startTimeoutMs, () => {
      if (this.state !== 'ready') void this.fail(gen, 'start timed out');
    });
    try {
      await client.initialize();
    } catch (err) {
      await this.fail(gen, 'initialize', err);
    }
  }

  private listen(client: WhatsAppClient, gen: number): void {
    const log = this.deps.log;
    const live = () => gen === this.gen && !this.stopped;
    client.on('qr', () => {
      if (live()) void this.needsLogin(gen, 'qr');
    });
    client.on('auth_failure', () => {
      if (live()) void this.needsLogin(gen, 'auth_failure');
    });
    client.on('authenticated', () => {
      if (live()) log.info({ event: 'whatsapp.line.authenticated', line: this.name }, 'WhatsApp session restored');
    });
    client.on('ready', () => {
      if (live()) void this.ready(client, gen);
    });
    client.on('disconnected', (reason) => {
      if (!live()) return;
      if (LOGGED_OUT.has(reason)) void this.needsLogin(gen, reason);
      else void this.fail(gen, `disconnected: ${safeReason(reason)}`);
    });
    client.on('change_state', (state) => {
      if (live()) log.info({ event: 'whatsapp.line.state', line: this.name, state: safeReason(state) }, 'WhatsApp connection state');
    });
    client.on('message', (message) => {
      if (live()) this.order.live(message.from, () => this.deps.inbox.message(client, message));
    });
    client.on('message_edit', (message, newBody) => {
      if (live()) this.order.live(message.from, () => this.deps.inbox.edit(client, message, newBody));
    });
    client.on('call', (call) => {
      if (!live()) return;
      this.deps.inbox.call(client, call).catch((err: unknown) => log.warn({ err, line: this.name }, 'handling a call failed'));
    });
  }

  private async ready(client: WhatsAppClient, gen: number): Promise<void> {
    this.sessionTimers.clear();
    this.state = 'ready';
    this.failures = 0;
    this.loginChecks = 0;
    this.deps.log.info({ event: 'whatsapp.line.ready', line: this.name }, 'WhatsApp line is ready');
    if (this.reportedDown) {
      this.reportedDown = false;
      this.deps.report({ type: 'restored', line: this.name });
    }
    this.scheduleSessionWork(client, gen);
    await this.reconcile(client, gen);
  }

  /**
   * whatsapp-web.js fires no `message` event for messages synced after downtime; they
   * only show as unread chats. Read them back; intake's delivery ids drop any already handled.
   */
  private async reconcile(client: WhatsAppClient, gen: number): Promise<void> {
    this.order.hold();
    let chats = 0;
    let messages = 0;
    try {
      for (const chat of await client.getChats()) {
        if (gen !== this.gen) return;
        if (chat.unreadCount <= 0 || chatKindOf(chat.id._serialized) !== 'private') continue;
        chats++;
        const unread = await chat.fetchMessages({ limit: chat.unreadCount });
        for (const message of unread) {
          if (message.fromMe) continue;
          messages++;
          this.order.run(message.from, () => this.deps.inbox.message(client, message));
        }
      }
      await this.order.settled();
      this.deps.log.info({ event: 'whatsapp.line.reconciled', line: this.name, chats, messages }, 'unread chats read back');
    } catch (err) {
      // Unread messages stay unread in WhatsApp: a new session reads them back.
      this.deps.log.warn({ err, line: this.name }, 'reading back unread chats failed');
      void this.fail(gen, 'reconcile');
    } finally {
      this.order.release();
    }
  }

  private scheduleSessionWork(client: WhatsAppClient, gen: number): void {
    const onError = (err: unknown) => this.deps.log.warn({ err, line: this.name }, 'periodic WhatsApp check failed');
    if (this.t.restartMs > 0) {
      const first = this.restartsDone === 0 ? this.t.restartOffsetMs : 0;
      this.sessionTimers.once(this.t.restartMs + first, () => this.restart(gen, 'scheduled'));
    }
    if (this.t.memoryMs > 0) this.sessionTimers.every(this.t.memoryMs, () => this.logMemory(client, gen), onError);
    if (this.t.watchdogMs > 0) this.sessionTimers.every(this.t.watchdogMs, () => this.checkAlive(client, gen), onError);
  }

  private async checkAlive(client: WhatsAppClient, gen: number): Promise<void> {
    let state: WaState | null;
    try {
      state = await withTimeout(client.getState(), Math.max(1_000, Math.floor(this.t.watchdogMs / 2)));
    } catch (err) {
      if (gen === this.gen) await this.fail(gen, 'unresponsive', err);
      return;
    }
    if (gen !== this.gen) return;
    if (state && LOGGED_OUT.has(state)) await this.needsLogin(gen, state);
    else if (state === null) await this.fail(gen, 'no state');
  }

  private async logMemory(client: WhatsAppClient, gen: number): Promise<void> {
    const pid = client.pupBrowser?.process()?.pid;
    const chromium = pid ? await (this.deps.measure ?? processTreeMemory)(pid) : undefined;
    if (gen !== this.gen) return;
    this.deps.log.info(
      {
        event: 'whatsapp.memory',
        line: this.name,
        chromiumRssMiB: toMiB(chromium?.rssBytes),
        chromiumPssMiB: toMiB(chromium?.pssBytes),
        chromiumProcesses: chromium?.processes,
        nodeRssMiB: toMiB(process.memoryUsage.rss()),
      },
      'WhatsApp session memory',
    );
    const used = chromium?.pssBytes ?? chromium?.rssBytes;
    if (this.t.restartAboveBytes > 0 && used !== undefined && used > this.t.restartAboveBytes) {
      await this.restart(gen, 'memory');
    }
  }

  /** A fresh browser for the same session: the login stays, the memory goes. */
  private async restart(gen: number, why: 'scheduled' | 'memory'): Promise<void> {
    if (gen !== this.gen || this.stopped) return;
    this.restartsDone++;
    this.deps.log.info({ event: 'whatsapp.line.restart', line: this.name, why }, 'restarting WhatsApp session');
    await this.dropClient();
    await this.connect();
  }

  private async fail(gen: number, what: string, err?: unknown): Promise<void> {
    if (gen !== this.gen || this.stopped) return;
    this.failures++;
    const delay = Math.min(this.t.backoffMaxMs, this.t.backoffBaseMs * 2 ** (this.failures - 1));
    this.deps.log.warn(
      { event: 'whatsapp.line.failed', line: this.name, what, failures: this.failures, retryInMs: delay, ...(err ? { err } : {}) },
      'WhatsApp session failed; will retry',
    );
    this.state = 'reconnecting';
    await this.dropClient();
    if (this.failures >= FAILURES_BEFORE_REPORT && !this.reportedDown) {
      this.reportedDown = true;
      const kind = failureKind(err);
      this.deps.report({ type: 'failing', line: this.name, reason: kind ? `${what}: ${kind}` : what });
    }
    this.later(jitter(delay), () => this.connect());
  }

  /**
   * The session is not linked (QR shown, logged out on the phone, broken profile). A
   * person must run `trustline whatsapp login`, which needs the lock: let go of it and
   * look again later.
   */
  private async needsLogin(gen: number, why: string): Promise<void> {
    if (gen !== this.gen || this.stopped) return;
    this.deps.log.error({ event: 'whatsapp.line.needs-login', line: this.name, why: safeReason(why) }, 'WhatsApp line needs to be linked again');
    this.state = 'needs-login';
    await this.dropClient();
    await this.lease.release();
    if (!this.reportedDown) {
      this.reportedDown = true;
      this.deps.report({ type: 'needs-login', line: this.name });
    }
    const delay = Math.min(this.t.backoffMaxMs, this.t.loginRetryMs * 2 ** this.loginChecks++);
    this.later(delay, () => this.takeLine());
  }

  private async dropClient(): Promise<void> {
    this.sessionTimers.clear();
    this.gen++;
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.destroy().catch((err: unknown) => this.deps.log.warn({ err, line: this.name }, 'closing the WhatsApp browser failed'));
    client.removeAllListeners();
  }

  private later(ms: number, run: () => Promise<void>): void {
    if (!this.stopped) this.timers.once(ms, run);
  }
}

/** Disconnect reasons are library constants, but one is free text: keep only a safe token. */
function safeReason(reason: string): string {
  return /^[A-Za-z_ :-]{1,40}$/.test(reason) ? reason : 'other';
}

/** A short, content-free name for why a start failed, for the staff chat. */
export function failureKind(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err.name === 'ChromiumMissing') return 'Chromium not found at CHROMIUM_PATH';
  return /net::ERR_[A-Z_]+/.exec(err.message)?.[0] ?? (/timeout/i.test(err.message) ? 'timeout' : undefined);
}
