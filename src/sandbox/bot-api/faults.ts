// Fault injection (scripted failures, held requests) and Telegram-like flood control.
// Keys are lower-cased method names because Telegram method names are case-insensitive.
import type { ResponseParameters } from 'grammy/types';
import { ApiError, tooManyRequests } from './params.js';
import type { CallRecord, FailSpec, HoldHandle, RateLimits } from './types.js';

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found',
  409: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

/** What to do with a held request once the test decides. */
export interface HeldRequest {
  proceed(): void;
  destroy(): void;
}

class Hold implements HoldHandle {
  private resolveHeld!: (c: CallRecord) => void;
  readonly held = new Promise<CallRecord>((r) => (this.resolveHeld = r));
  private request: HeldRequest | undefined;
  /** Decision taken before the request arrived. */
  private early: 'drop' | undefined;
  private settled = false;

  constructor(
    readonly method: string,
    private readonly unqueue: (h: Hold) => void,
  ) {}

  /** Takes over the request: holds it, or destroys it if drop() came first. */
  catch(call: CallRecord, request: HeldRequest): void {
    this.resolveHeld(call);
    if (this.early === 'drop') request.destroy();
    else this.request = request;
  }

  release(): void {
    this.settle('release', (r) => r.proceed());
  }

  drop(): void {
    this.settle('drop', (r) => r.destroy());
  }

  private settle(how: 'release' | 'drop', act: (r: HeldRequest) => void): void {
    if (this.settled) return;
    this.settled = true;
    if (this.request) act(this.request);
    else if (how === 'release') this.unqueue(this);
    else this.early = 'drop';
  }
}

export class Faults {
  private readonly failQueue = new Map<string, (FailSpec & { times: number })[]>();
  private readonly holds = new Map<string, Hold[]>();

  failNext(method: string, spec: FailSpec): void {
    const key = method.toLowerCase();
    const queue = this.failQueue.get(key) ?? [];
    queue.push({ ...spec, times: spec.times ?? 1 });
    this.failQueue.set(key, queue);
  }

  /** The scripted failure for this request, if any (consumes one `times`). */
  takeFailure(method: string): ApiError | undefined {
    const queue = this.failQueue.get(method.toLowerCase());
    const spec = queue?.[0];
    if (!queue || !spec) return undefined;
    if (--spec.times <= 0) queue.shift();
    if (spec.error_code === 429) {
      const e = tooManyRequests(spec.retry_after ?? 1);
      return spec.description ? new ApiError(429, spec.description, e.parameters) : e;
    }
    const parameters: ResponseParameters | undefined = spec.retry_after !== undefined ? { retry_after: spec.retry_after } : undefined;
    const description = spec.description ?? DEFAULT_DESCRIPTIONS[spec.error_code] ?? `Error ${spec.error_code}`;
    return new ApiError(spec.error_code, description, parameters);
  }

  holdNext(method: string): HoldHandle {
    const key = method.toLowerCase();
    const hold: Hold = new Hold(method, (h) => {
      const list = this.holds.get(key);
      if (list) list.splice(list.indexOf(h), 1);
    });
    this.holds.set(key, [...(this.holds.get(key) ?? []), hold]);
    return hold;
  }

  /** Offers a request to the oldest hold for its method; true if it was held or dropped. */
  tryHold(method: string, call: CallRecord, request: HeldRequest): boolean {
    const hold = this.holds.get(method.toLowerCase())?.shift();
    hold?.catch(call, request);
    return hold !== undefined;
  }
}

interface Window {
  limit: number;
  ms: number;
  hits: number[];
}

/** Sliding-window flood control; only accepted requests count, like Telegram. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limits: RateLimits | undefined) {}

  get enabled(): boolean {
    return !!this.limits && Object.values(this.limits).some((v) => typeof v === 'number');
  }

  /** Throws a 429 ApiError if sending to `chatId` now would exceed a limit. */
  check(chatId: number | undefined, now = Date.now()): void {
    const l = this.limits;
    if (!l) return;
    const windows = [
      l.globalPerSecond && this.window('global', l.globalPerSecond, 1000),
      chatId !== undefined && l.perChatPerSecond && this.window(`chat:${chatId}`, l.perChatPerSecond, 1000),
      chatId !== undefined && chatId < 0 && l.perGroupPerMinute && this.window(`group:${chatId}`, l.perGroupPerMinute, l.minuteMs ?? 60_000),
    ].filter((w): w is Window => !!w);
    let waitMs = 0;
    for (const w of windows) {
      while (w.hits.length > 0 && w.hits[0]! <= now - w.ms) w.hits.shift();
      if (w.hits.length >= w.limit) waitMs = Math.max(waitMs, w.hits[w.hits.length - w.limit]! + w.ms - now);
    }
    if (waitMs > 0) throw tooManyRequests(waitMs / 1000);
    for (const w of windows) w.hits.push(now);
  }

  /**
   * An album (sendMediaGroup) of `items`: Telegram sends it as one request but as
   * `items` messages, so each counts in the global and group windows, the request once
   * in the chat's. Returns how many of the first items go now (at least 1) and, when not
   * all, the ms until the next would; with room for none, throws the 429.
   */
  takeAlbum(chatId: number | undefined, items: number, now = Date.now()): { sent: number; waitMs: number } {
    const l = this.limits;
    if (!l) return { sent: items, waitMs: 0 };
    const each = [
      l.globalPerSecond && this.window('global', l.globalPerSecond, 1000),
      chatId !== undefined && chatId < 0 && l.perGroupPerMinute && this.window(`group:${chatId}`, l.perGroupPerMinute, l.minuteMs ?? 60_000),
    ].filter((w): w is Window => !!w);
    const once = chatId !== undefined && l.perChatPerSecond ? this.window(`chat:${chatId}`, l.perChatPerSecond, 1000) : undefined;
    const waitFor = (w: Window, need: number) => w.hits[w.hits.length + need - 1 - w.limit]! + w.ms - now;
    let sent = items;
    let waitMs = 0;
    for (const w of [...each, ...(once ? [once] : [])]) {
      while (w.hits.length > 0 && w.hits[0]! <= now - w.ms) w.hits.shift();
      if (w.hits.length >= w.limit) waitMs = Math.max(waitMs, waitFor(w, 1));
    }
    if (waitMs > 0) throw tooManyRequests(waitMs / 1000);
    for (const w of each) sent = Math.min(sent, w.limit - w.hits.length);
    const next = sent < items ? Math.max(...each.map((w) => (w.limit - w.hits.length <= sent ? waitFor(w, sent + 1) : 0))) : 0;
    for (const w of each) for (let i = 0; i < sent; i++) w.hits.push(now);
    once?.hits.push(now);
    return { sent, waitMs: next };
  }

  private window(key: string, limit: number, ms: number): Window {
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = { limit, ms, hits: [] }));
    return w;
  }
}
