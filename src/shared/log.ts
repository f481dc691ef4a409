// pino, JSON, with two layers of defence against leaking a reporter:
// 1. errors are serialized from an allow-list of fields (grammY's GrammyError.payload
//    holds the text and chat_id of the failed request; ioredis errors carry command
//    arguments; BotError carries the whole update), and
// 2. redaction of every field name that could hold text or an identity, in case a
//    caller logs an object it should not have.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

const SENSITIVE = [
  'text',
  'caption',
  'payload',
  'chat_id',
  'user_id',
  'from',
  'chat',
  'username',
  'first_name',
  'last_name',
  'phone',
  'phone_number',
  'contact',
  'update',
  'ctx',
  'args',
  'command',
];

export const redactPaths = [...SENSITIVE, ...SENSITIVE.map((k) => `*.${k}`), ...SENSITIVE.map((k) => `*.*.${k}`)];

/** Allow-listed error fields. Messages are kept: our own errors never put content in them. */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const e = err as Error & Record<string, unknown>;
  const out: Record<string, unknown> = { type: e.name, message: scrubMessage(e.message) };
  if (typeof e.method === 'string') out.method = e.method; // GrammyError / HttpError
  if (typeof e.error_code === 'number') out.error_code = e.error_code;
  if (typeof e.description === 'string') out.description = scrubMessage(e.description);
  const params = e.parameters as { retry_after?: unknown } | undefined;
  if (params && typeof params.retry_after === 'number') out.retry_after = params.retry_after;
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (e.stack) out.stack = e.stack.split('\n').slice(1, 8).join('\n');
  // BotError / HttpError wrap the real cause; follow one level without its context.
  const inner = e.error ?? e.cause;
  if (inner instanceof Error && inner !== err) out.cause = serializeError(inner);
  return out;
}

/**
 * Error messages of third-party libraries can embed values (Redis replies quote keys,
 * some HTTP errors quote URLs with the bot token). Strip the obvious carriers.
 */
function scrubMessage(message: string): string {
  return message
    .replace(/bot\d+:[\w-]+/g, 'bot<token>')
    .replace(/-?\d{6,}/g, '<number>')
    .slice(0, 300);
}

export interface LogOptions {
  level?: string;
  /** Where to write; tests pass a sink that parses each line. */
  destination?: DestinationStream;
}

export function createLogger(options: LogOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'trustline' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        // pino copies err.message into msg when a call has no message of its own,
        // bypassing the serializer; always supply one.
        logMethod(args, method) {
          if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) {
            const event = (args[0] as { event?: unknown }).event;
            return method.apply(this, [args[0], typeof event === 'string' ? event : 'log'] as never);
          }
          return method.apply(this, args);
        },
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
