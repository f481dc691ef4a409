// Captures what pino really wrote, line by line, like pino's own tests do.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/shared/log.js';

export interface CapturedLog {
  log: Logger;
  lines: string[];
  records: () => Record<string, unknown>[];
}

export function captureLog(level = 'trace'): CapturedLog {
  const lines: string[] = [];
  let partial = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      partial += chunk.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
      done();
    },
  });
  const log = createLogger({ level, destination: sink });
  return { log, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
