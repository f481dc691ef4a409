// Retryable or not, decided in one place at the queue boundary. What a job stores as
// its failure reason rests in Redis, so it is rebuilt from allow-listed fields only.
import { UnrecoverableError } from 'bullmq';
import { CryptoError } from '../crypto/index.js';

/** A step that cannot progress yet (a lease held elsewhere, a write not landed): retry soon. */
export class NotYet extends Error {
  override name = 'NotYet';
  /** How soon to look again; a channel that is down for a while asks for longer. */
  constructor(
    message: string,
    readonly retryInMs?: number,
  ) {
    super(message);
  }
}

/**
 * The destination has no room now (the staff chat's flood budget is spent): every job
 * of the queue would hit the same wall, so the whole queue waits `waitMs`.
 */
export class RateLimited extends Error {
  override name = 'RateLimited';
  constructor(readonly waitMs: number) {
    super(`no flood-control slot for ${waitMs} ms`);
  }
}

/** Telegram's retry_after (429), in ms, when the error carries one. */
export function retryAfterMs(err: unknown): number | undefined {
  const e = err as { error_code?: unknown; parameters?: { retry_after?: unknown } };
  if (e?.error_code !== 429) return undefined;
  const seconds = typeof e.parameters?.retry_after === 'number' ? e.parameters.retry_after : 1;
  return seconds * 1000;
}

/** The recipient is gone for good (blocked the bot, chat deleted): retrying cannot help. */
export class Undeliverable extends Error {
  override name = 'Undeliverable';
}

export function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown failure';
  const e = err as Error & { error_code?: unknown; description?: unknown; method?: unknown };
  if (typeof e.error_code === 'number') {
    const description = typeof e.description === 'string' ? e.description.replace(/\d{5,}/g, '<n>') : '';
    return `Telegram ${String(e.method ?? 'call')} ${e.error_code}: ${description}`.slice(0, 200);
  }
  if (err instanceof CryptoError) return `CryptoError: ${err.code}`;
  if (err instanceof NotYet || err instanceof Undeliverable || err instanceof RateLimited) return `${err.name}: ${err.message}`;
  return e.name || 'Error';
}

export function isPermanent(err: unknown): boolean {
  if (err instanceof CryptoError || err instanceof Undeliverable) return true;
  const code = (err as { error_code?: unknown }).error_code;
  // Telegram: 400 bad request / 403 forbidden will not change on retry; 429 and 5xx will.
  return code === 400 || code === 403;
}

/** Rethrows as an error whose message is safe to store and whose class tells BullMQ whether to retry. */
export function toJobError(err: unknown): Error {
  const message = describeFailure(err);
  return isPermanent(err) ? new UnrecoverableError(message) : new Error(message);
}
