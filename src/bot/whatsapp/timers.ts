// Timers that can all be cancelled at once: a line's retries, and a session's
// scheduled restart, watchdog and memory log (cancelled whenever the browser goes).

export class Timers {
  private readonly all = new Set<NodeJS.Timeout>();

  once(ms: number, run: () => unknown): void {
    const timer = setTimeout(() => {
      this.all.delete(timer);
      void run();
    }, ms);
    this.all.add(timer);
  }

  /** Every ms; a run still busy when the next is due is not overlapped. */
  every(ms: number, run: () => Promise<void>, onError: (err: unknown) => void): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      run()
        .catch(onError)
        .finally(() => (busy = false));
    }, ms);
    this.all.add(timer);
  }

  clear(): void {
    for (const timer of this.all) clearTimeout(timer);
    this.all.clear();
  }
}

/** ±20 %, so lines that failed together do not retry together. */
export function jitter(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error('failed'));
      },
    );
  });
}
