// The failures every layer raises and the queue boundary classifies (queue/failures.ts):
// a step that cannot progress yet, a destination with no room, a recipient gone for good.
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

/**
 * Trustline's storage (Redis) cannot be reached, and the message was not stored: it is
 * not confirmed to the platform either, so it is taken again when storage is back.
 */
export class StorageUnavailable extends Error {
  override name = 'StorageUnavailable';
}
