// Opening a sealed value costs an X25519 key agreement (~100 µs in libsodium's wasm),
// and every message of a case needs its case key: intake, the staff post, the answer,
// its delivery, and the reporter's return address. Under load that was a tenth of
// Trustline's CPU. This cache keeps what was opened for a short, fixed time.
//
// The cost is exposure: an opened case key or address stays in this process's memory
// for up to `ttlMs` after it was opened (not after it was last used), then is zeroed.
// The process held it in clear anyway while handling the message.
import { open, type SecretKeys } from './sealed.js';

interface Entry {
  plain: Buffer;
  expires: number;
}

export class OpenedCache {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, ttlMs));
    this.sweeper.unref();
  }

  /** Like crypto's open(); returns a copy the caller may zero. */
  open(keys: SecretKeys, sealed: Uint8Array): Buffer {
    const id = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength).toString('base64');
    const hit = this.entries.get(id);
    if (hit && hit.expires > this.now()) return Buffer.from(hit.plain);
    if (hit) this.evict(id, hit);
    const plain = open(keys, sealed);
    this.entries.set(id, { plain: Buffer.from(plain), expires: this.now() + this.ttlMs });
    this.sweep();
    return plain;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Zeroes and drops everything (shutdown, or after shredding a case). */
  clear(): void {
    for (const [id, e] of this.entries) this.evict(id, e);
    clearInterval(this.sweeper);
  }

  /** Entries are in opening order, so expired ones (and the overflow) are at the front. */
  private sweep(): void {
    const now = this.now();
    for (const [id, e] of this.entries) {
      if (e.expires > now && this.entries.size <= this.maxEntries) break;
      this.evict(id, e);
    }
  }

  private evict(id: string, e: Entry): void {
    e.plain.fill(0);
    this.entries.delete(id);
  }
}
