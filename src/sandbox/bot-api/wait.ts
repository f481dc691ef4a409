// waitFor: event-driven (no polling) waiting on the simulated world, with a timeout
// message that shows what the bot actually did, which is what you need when it fails.
import type { EventEmitter } from 'node:events';
import type { CallRecord } from './types.js';

export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export interface WaitOptions {
  /** Default 5000. */
  timeoutMs?: number;
  /** Named in the timeout error: "waiting for <label>". */
  label?: string;
}

const EVENTS = ['call', 'response', 'update', 'botMessage', 'topicCreated'] as const;

export function waitFor<T>(events: EventEmitter, log: readonly CallRecord[], predicate: () => T, opts: WaitOptions): Promise<Truthy<T>> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    let lastError: unknown;
    const check = (): void => {
      let value: T | undefined;
      try {
        value = predicate();
      } catch (e) {
        lastError = e;
      }
      if (!value) return;
      stop();
      resolve(value as Truthy<T>);
    };
    const stop = (): void => {
      clearTimeout(timer);
      for (const e of EVENTS) events.off(e, check);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(describeTimeout(log, timeoutMs, opts.label, lastError)));
    }, timeoutMs);
    for (const e of EVENTS) events.on(e, check);
    check();
  });
}

function describeTimeout(log: readonly CallRecord[], ms: number, label: string | undefined, lastError: unknown): string {
  const recent = log.slice(-15).map((c) => {
    const params = JSON.stringify(c.params);
    const r = c.response;
    const outcome = !r ? 'no response yet' : r.ok ? 'ok' : `${r.error_code} ${r.description}`;
    return `  ${c.method} ${params.length > 160 ? `${params.slice(0, 157)}...` : params} -> ${outcome}`;
  });
  return [
    `waitFor timed out after ${ms}ms${label ? ` waiting for ${label}` : ''}`,
    ...(lastError ? [`last predicate error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)}`] : []),
    `last ${recent.length} of ${log.length} calls to the Bot API server:`,
    ...(recent.length ? recent : ['  (none: is the bot running and pointed at this apiRoot?)']),
  ].join('\n');
}
