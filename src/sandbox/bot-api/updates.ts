// The bot's update queue with getUpdates semantics: `offset` confirms (forgets) earlier
// updates, long polling answers as soon as something arrives, and a newer getUpdates
// terminates a pending one with 409 exactly like Telegram (two bot instances = bug).
import type { Update } from 'grammy/types';

export type PollOutcome = { updates: Update[] } | { conflict: true };

interface Waiter {
  offset: number | undefined;
  limit: number;
  timer: NodeJS.Timeout;
  done: (outcome: PollOutcome) => void;
}

export class UpdateQueue {
  /** Unconfirmed updates in update_id order. */
  private pending: Update[] = [];
  /** Redelivered ids: they survive offset confirmation until handed out once more. */
  private readonly forced = new Set<number>();
  private readonly history = new Map<number, Update>();
  private waiter: Waiter | undefined;
  private wake: NodeJS.Immediate | undefined;
  private nextId: number;

  constructor(
    firstId: number,
    private readonly onQueued: (u: Update) => void,
  ) {
    this.nextId = firstId;
  }

  get size(): number {
    return this.pending.length;
  }

  /** Queues an update, assigning the next update_id unless the caller chose one. */
  push(raw: Omit<Update, 'update_id'> & { update_id?: unknown }): Update {
    const { update_id, ...rest } = raw;
    const id = typeof update_id === 'number' ? update_id : this.nextId;
    this.nextId = Math.max(this.nextId, id + 1);
    const update = { update_id: id, ...rest };
    this.history.set(id, update);
    this.insert(update);
    this.onQueued(update);
    this.scheduleWake();
    return update;
  }

  /** Hands an update out again (same update_id), even if the bot already confirmed it. */
  redeliver(id: number): Update {
    const update = this.history.get(id);
    if (!update) throw new Error(`redeliver: no update with update_id ${id} was ever queued`);
    if (!this.pending.includes(update)) this.insert(update);
    this.forced.add(id);
    this.scheduleWake();
    return update;
  }

  clear(): void {
    this.pending = [];
    this.forced.clear();
  }

  /**
   * One getUpdates call. Terminates any pending poll with a conflict first, then
   * answers now if there is something (or timeout is 0), else when an update arrives
   * or the timeout passes. Returns a cancel function for client disconnects.
   */
  poll(offset: number | undefined, limit: number, timeoutSec: number, done: (o: PollOutcome) => void): () => void {
    const previous = this.waiter;
    if (previous) {
      this.waiter = undefined;
      clearTimeout(previous.timer);
      previous.done({ conflict: true });
    }
    this.confirm(offset);
    const batch = this.take(offset, limit);
    if (batch.length > 0 || timeoutSec <= 0) {
      done({ updates: batch });
      return () => {};
    }
    const waiter: Waiter = {
      offset,
      limit,
      done,
      timer: setTimeout(() => {
        if (this.waiter === waiter) this.waiter = undefined;
        done({ updates: [] });
      }, timeoutSec * 1000),
    };
    this.waiter = waiter;
    return () => {
      if (this.waiter !== waiter) return;
      clearTimeout(waiter.timer);
      this.waiter = undefined;
    };
  }

  /** Ends a pending long poll with an empty batch and stops timers (server shutdown). */
  close(): void {
    if (this.wake) clearImmediate(this.wake);
    const w = this.waiter;
    this.waiter = undefined;
    if (w) {
      clearTimeout(w.timer);
      w.done({ updates: [] });
    }
  }

  private insert(update: Update): void {
    // Appending is the common case; out-of-order ids (injected/redelivered) are placed by id.
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1]!.update_id > update.update_id) i--;
    this.pending.splice(i, 0, update);
  }

  private confirm(offset: number | undefined): void {
    if (offset === undefined) return;
    if (offset < 0) {
      // Telegram: negative offset keeps only the last -offset updates
      this.pending = this.pending.slice(offset);
      return;
    }
    if (this.pending.length === 0 || this.pending[0]!.update_id >= offset) return;
    this.pending = this.pending.filter((u) => u.update_id >= offset || this.forced.has(u.update_id));
  }

  /**
   * Redelivered updates go first: grammY advances its offset to the last update_id it
   * handled, so a low redelivered id after a higher fresh one would re-fetch the fresh one.
   */
  private take(offset: number | undefined, limit: number): Update[] {
    const first = this.pending.filter((u) => this.forced.has(u.update_id));
    const rest = this.pending.filter((u) => !this.forced.has(u.update_id) && (offset === undefined || offset < 0 || u.update_id >= offset));
    const batch = [...first, ...rest].slice(0, limit);
    for (const u of batch) this.forced.delete(u.update_id);
    return batch;
  }

  private scheduleWake(): void {
    // Deferred so updates injected in one synchronous burst go out as one batch.
    if (this.wake || !this.waiter) return;
    this.wake = setImmediate(() => {
      this.wake = undefined;
      const w = this.waiter;
      if (!w) return;
      const batch = this.take(w.offset, w.limit);
      if (batch.length === 0) return;
      this.waiter = undefined;
      clearTimeout(w.timer);
      w.done({ updates: batch });
    });
  }
}
