// Request parameters as the real Bot API accepts them. JSON bodies carry typed values,
// but multipart and query-string requests carry everything as strings (grammY sends
// multipart whenever a file is uploaded, JSON-encoding nested objects), so every read
// goes through these coercing accessors, the same leniency Telegram shows.
import type { ResponseParameters } from 'grammy/types';

export type Params = Record<string, unknown>;

/** A Telegram-shaped failure; the server turns it into `{ ok: false, error_code, description }`. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
  }
}

export const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);
export const forbidden = (what: string): ApiError => new ApiError(403, `Forbidden: ${what}`);

export function tooManyRequests(retryAfter: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfter));
  return new ApiError(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
}

/** Integer parameter; numeric strings are accepted like Telegram does. */
export function int(p: Params, key: string): number | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(`invalid ${key} specified`);
  return n;
}

export function requireInt(p: Params, key: string): number {
  const n = int(p, key);
  if (n === undefined) throw badRequest(`${key} is empty`);
  return n;
}

export function str(p: Params, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

export function bool(p: Params, key: string): boolean {
  const v = p[key];
  return v === true || v === 'true' || v === 1 || v === '1';
}

/** Object/array parameter; multipart and query strings carry these JSON-encoded. */
export function json<T>(p: Params, key: string): T | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch {
    throw badRequest(`can't parse ${key} JSON object`);
  }
}

/** `chat_id` may be an integer, a numeric string or an `@username`. */
export function chatRef(p: Params, key = 'chat_id'): number | string {
  const v = p[key];
  if (v === undefined || v === null || v === '') throw badRequest(`${key} is empty`);
  if (typeof v === 'string' && v.startsWith('@')) return v;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw badRequest('chat not found');
  return n;
}
