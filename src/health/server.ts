// /healthz and /metrics over plain node:http. Not authenticated: it listens on
// loopback unless told otherwise, and says nothing a passer-by could use (no ids, no
// names, no configuration). Its one count of people is what an operator must act on:
// how many staff chat administrators post anonymously (and so cannot answer a case).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '../shared/index.js';
import { withinMs } from './deadline.js';

/** Each check answers whether its part works; one false (or a throw) makes /healthz 503. */
export type HealthChecks = Record<string, () => Promise<boolean> | boolean>;

/** Figures /healthz shows beside the checks, without failing it; one that cannot be read is left out. */
export type HealthInfo = Record<string, () => Promise<number>>;

export interface HealthServer {
  /** where it listens, e.g. http://127.0.0.1:9464 */
  readonly url: string;
  close(): Promise<void>;
}

export async function startHealthServer(o: {
  host: string;
  port: number;
  registry: Registry;
  checks: HealthChecks;
  info?: HealthInfo;
  log: Logger;
}): Promise<HealthServer> {
  async function healthz(res: ServerResponse): Promise<void> {
    const names = Object.keys(o.checks);
    const results = await Promise.all(
      names.map(async (name) => {
        try {
          return await o.checks[name]!();
        } catch {
          return false;
        }
      }),
    );
    const ok = results.every(Boolean);
    const info = Object.entries(o.info ?? {});
    const figures = await Promise.all(info.map(async ([name, read]) => [name, await withinMs(2_000, read()).catch(() => undefined)] as const));
    const body = {
      status: ok ? 'ok' : 'unavailable',
      checks: Object.fromEntries(names.map((n, i) => [n, results[i] ? 'ok' : 'failing'])),
      ...(info.length ? { info: Object.fromEntries(figures.filter(([, v]) => v !== undefined)) } : {}),
    };
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(`${JSON.stringify(body)}\n`);
  }

  async function metrics(res: ServerResponse): Promise<void> {
    try {
      const text = await o.registry.metrics();
      res.writeHead(200, { 'content-type': o.registry.contentType, 'cache-control': 'no-store' });
      res.end(text);
    } catch (err) {
      o.log.warn({ event: 'metrics.failed', err }, 'metrics could not be collected');
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('metrics unavailable\n');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/healthz') {
      await healthz(res);
    } else if (path === '/metrics') {
      await metrics(res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`the health server cannot listen on ${o.host}:${o.port} (${err.code ?? err.message}); set HEALTH_PORT to a free port`)),
    );
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
  o.log.info({ event: 'health.listening', url }, 'serving /healthz and /metrics');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a scraper's kept-alive connection would hold close() open
      }),
  };
}
