// One process per WhatsApp number: two browsers on one session fight and WhatsApp
// logs one of them out. A Redis lease per line, renewing itself while the line runs, released
// on shutdown; after a crash it lapses by itself and another process takes over.
import type { Logger } from '../../shared/index.js';
import { tryLease, type Redis, type Lease } from '../../store/index.js';

export const lineLockName = (line: string) => `whatsapp:${line}`;

export interface LineLeaseOptions {
  redis: Redis;
  line: string;
  ttlMs: number;
  log: Logger;
  /** Called once when the lease is lost while held: the line must stop at once. */
  onLost: () => void;
}

export class LineLease {
  private lease: Lease | undefined;

  constructor(private readonly o: LineLeaseOptions) {}

  get held(): boolean {
    return this.lease !== undefined;
  }

  /** Takes the lease if it is free; it renews itself until released or lost. */
  async tryTake(): Promise<boolean> {
    if (this.lease) return true;
    let taken: Lease | undefined;
    const lease = await tryLease(this.o.redis, lineLockName(this.o.line), this.o.ttlMs, {
      keepAlive: true,
      // Taken over, or Redis unreachable for so long that the lease may have lapsed and
      // another process may have the line: stop before two browsers share the session.
      onLost: () => {
        if (!taken || taken !== this.lease) return; // released meanwhile
        this.lease = undefined;
        this.o.log.error({ event: 'whatsapp.lock.lost', line: this.o.line }, 'lost the WhatsApp line lock; stopping the line');
        this.o.onLost();
      },
    }).catch((err: unknown) => {
      this.o.log.warn({ err, line: this.o.line }, 'could not ask Redis for the WhatsApp line lock');
      return undefined;
    });
    if (!lease) return false;
    taken = lease;
    this.lease = lease;
    return true;
  }

  async release(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    await lease
      ?.release()
      .catch((err: unknown) => this.o.log.warn({ err, line: this.o.line }, 'could not release the WhatsApp line lock; it lapses by itself'));
  }
}
