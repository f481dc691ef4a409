// One process per WhatsApp number: two browsers on one session fight and WhatsApp
// logs one of them out. A Redis lease per line, renewed while the line runs, released
// on shutdown; after a crash it lapses by itself and another process takes over.
import type { Logger } from '../../log.js';
import { tryLease, type Lease } from '../../store/lock.js';
import type { Redis } from '../../store/redis.js';

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
  private renewTimer: NodeJS.Timeout | undefined;
  private confirmedAt = 0;

  constructor(private readonly o: LineLeaseOptions) {}

  get held(): boolean {
    return this.lease !== undefined;
  }

  /** Takes the lease if it is free; starts renewing it. */
  async tryTake(): Promise<boolean> {
    if (this.lease) return true;
    const lease = await tryLease(this.o.redis, lineLockName(this.o.line), this.o.ttlMs).catch((err: unknown) => {
      this.o.log.warn({ err, line: this.o.line }, 'could not ask Redis for the WhatsApp line lock');
      return undefined;
    });
    if (!lease) return false;
    this.lease = lease;
    this.confirmedAt = Date.now();
    this.renewTimer = setInterval(() => void this.renew(), Math.max(200, Math.floor(this.o.ttlMs / 3)));
    this.renewTimer.unref();
    return true;
  }

  private async renew(): Promise<void> {
    const lease = this.lease;
    if (!lease) return;
    let ours: boolean | undefined;
    try {
      ours = await lease.renew(this.o.ttlMs);
    } catch (err) {
      // Redis unreachable: the lease may still be ours, but once it could have lapsed
      // another process may have taken the line, so stop before that moment.
      if (Date.now() - this.confirmedAt < this.o.ttlMs * 0.8) return;
      this.o.log.warn({ err, line: this.o.line }, 'could not renew the WhatsApp line lock');
      ours = false;
    }
    if (lease !== this.lease) return; // released meanwhile
    if (ours) {
      this.confirmedAt = Date.now();
      return;
    }
    this.drop();
    this.o.log.error({ event: 'whatsapp.lock.lost', line: this.o.line }, 'lost the WhatsApp line lock; stopping the line');
    this.o.onLost();
  }

  private drop(): Lease | undefined {
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    const lease = this.lease;
    this.lease = undefined;
    return lease;
  }

  async release(): Promise<void> {
    await this.drop()
      ?.release()
      .catch((err: unknown) => this.o.log.warn({ err, line: this.o.line }, 'could not release the WhatsApp line lock; it lapses by itself'));
  }
}
