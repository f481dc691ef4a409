// Taking updates as a webhook: Telegram POSTs each one to WEBHOOK_URL, with the secret
// token in a header (grammY's webhookCallback checks it). Several processes can run
// this behind one load balancer. An update that could not be stored (Redis unreachable)
// is answered 503, so Telegram sends it again; any other failure is logged and answered
// 200, as polling confirms it, so a poison update is not sent again and again.
import { createServer } from 'node:http';
import { BotError, webhookCallback, type Context } from 'grammy';
import { StorageUnavailable } from '../../shared/index.js';
import { isRedisUnreachable } from '../../store/index.js';
import { allowedUpdates, type TelegramBot } from './bot.js';

export interface Webhook {
  /** Closes the server; kept-alive connections are dropped so close() does not hang. */
  stop(): Promise<void>;
}

export async function startWebhook(bot: TelegramBot, opts: { url: string; secret: string; port: number }): Promise<Webhook> {
  const { url, secret, port } = opts;
  const handle = webhookCallback(bot, 'http', { secretToken: secret });
  const server = createServer((req, res) => {
    handle(req, res).catch(async (err: unknown) => {
      const cause = err instanceof BotError ? (err as BotError<Context>).error : err;
      const held = cause instanceof StorageUnavailable || isRedisUnreachable(cause);
      if (!held && err instanceof BotError) await bot.errorHandler(err as BotError<Context>);
      if (!res.headersSent) res.writeHead(held ? 503 : 200).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`the webhook server cannot listen on port ${port} (${err.code ?? err.message}); set WEBHOOK_PORT to a free port`)),
    );
    server.listen(port, resolve);
  });
  // Every webhook process sets the same URL, secret and update types: the calls agree,
  // so N processes behind one load balancer can each make it at start.
  await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...allowedUpdates] });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
