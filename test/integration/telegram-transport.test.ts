// The node:http transport under the real grammY Api, against the local Bot API server:
// grammY must not be able to tell it from its own node-fetch.
import { Api, GrammyError, HttpError, InputFile } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../src/bot/telegram/bot.js';
import { telegramTransport, type TelegramTransport } from '../../src/bot/telegram/transport.js';
import { createLogger } from '../../src/shared/log.js';
import { startBotApiServer, type BotApiServer } from '../../src/sandbox/bot-api/index.js';

let server: BotApiServer;
let transport: TelegramTransport;
let api: Api;

beforeEach(async () => {
  server = await startBotApiServer();
  transport = telegramTransport(server.apiRoot);
  api = new Api(server.token, { apiRoot: server.apiRoot, fetch: transport.fetch as typeof fetch });
});

afterEach(async () => {
  await transport.close();
  await server.close();
});

describe('the Bot API transport', () => {
  it('carries JSON calls and their answers', async () => {
    const user = server.addUser({ firstName: 'A', wroteToBot: true });
    const sent = await api.sendMessage(user.id, 'привет');
    expect(server.messagesIn(user.id).map((m) => m.text)).toEqual(['привет']);
    expect(sent.chat.id).toBe(user.id);
  });

  it('carries multipart uploads (evidence re-posted to staff)', async () => {
    const user = server.addUser({ firstName: 'A', wroteToBot: true });
    const sent = await api.sendDocument(user.id, new InputFile(Buffer.from('%PDF-1.4 evidence'), 'statement.pdf'));
    expect(server.fileContent(sent.document.file_id)?.toString()).toBe('%PDF-1.4 evidence');
  });

  it("passes Telegram's refusals on as GrammyError, with their description", async () => {
    const err = await api.sendMessage(123456789, 'x').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(400);
  });

  it('gives up a long poll when it is aborted (shutdown does not wait 30 s)', async () => {
    const abort = new AbortController();
    const poll = api.getUpdates({ timeout: 30 }, abort.signal as Parameters<Api['getUpdates']>[1]);
    setTimeout(() => abort.abort(), 50);
    await expect(poll).rejects.toBeInstanceOf(HttpError);
  });

  it("is what the hotline's bot sends through", async () => {
    const calls: string[] = [];
    const counting = {
      ...transport,
      fetch: (url: string | URL, init?: Parameters<TelegramTransport['fetch']>[1]) => (calls.push(String(url).split('/').pop()!), transport.fetch(url, init)),
    };
    const bot = createTelegramBot({ token: server.token, apiRoot: server.apiRoot, log: createLogger({ level: 'silent' }), transport: counting });
    await bot.api.getMe();
    expect(calls).toEqual(['getMe']);
  });
});
