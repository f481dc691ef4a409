// Retryable or not, decided in one place at the queue boundary. What a job stores as
// its failure reason rests in Redis, so it is rebuilt from allow-listed fields only.
import { UnrecoverableError } from 'bullmq';
import { CryptoError } from '../crypto/index.js';
import { NotYet, RateLimited, Undeliverable } from '../shared/index.js';

export function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown failure';
  const e = err as Error & { error_code?: unknown; description?: unknown; method?: unknown };
  if (typeof e.error_code === 'number') {
    const description = typeof e.description === 'string' ? e.description.replace(/\d{5,}/g, '<n>') : '';
    return `Telegram ${typeof e.method === 'string' ? e.method : 'call'} ${e.error_code}: ${description}`.slice(0, 200);
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
