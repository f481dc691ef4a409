// One contract, every ReporterChannel: what the reporter relay relies on from a channel,
// checked against Telegram (local Bot API server) and WhatsApp (real lines, fake WhatsApp).
import { Api } from 'grammy';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReporterChannel } from '../../src/relay/channel.js';
import { telegramChannel } from '../../src/bot/telegram/channel.js';
import { whatsappChannel } from '../../src/bot/whatsapp/channel.js';
import { lineAddress, parseLineAddress } from '../../src/bot/whatsapp/jid.js';
import { WhatsAppLine } from '../../src/bot/whatsapp/line.js';
import { isPermanent } from '../../src/queue/failures.js';
import { Undeliverable } from '../../src/shared/failures.js';
import { startBotApiServer, type BotApiServer } from '../../src/sandbox/bot-api/index.js';
import type { RedisServer } from '../../src/sandbox/redis-server.js';
import { createFakeMedia, FakeWhatsApp, until } from '../support/fake-whatsapp.js';
import { captureLog } from '../support/log-sink.js';
import { useRedis } from '../support/redis.js';

interface ChannelHarness {
  channel: ReporterChannel;
  expectedName: string;
  /** A reachable reporter's address. */
  newReporter(): string;
  /** Texts that reached the reporter, in order. */
  received(address: string): string[];
  /** An address no retry will ever reach (blocked the bot, line retired). */
  goneForGood(address: string): string;
  /** The platform fails for a while; delivery must be retryable. */
  failForNow(): Promise<void>;
  recover(): Promise<void>;
  close(): Promise<void>;
}

async function telegramHarness(): Promise<ChannelHarness> {
  const server: BotApiServer = await startBotApiServer();
  const api = new Api(server.token, { apiRoot: server.apiRoot });
  return {
    channel: telegramChannel(api),
    expectedName: 'telegram',
    newReporter: () => String(server.addUser({ firstName: 'R', wroteToBot: true }).id),
    received: (address) => server.messagesIn(Number(address)).map((m) => m.text ?? ''),
    goneForGood(address) {
      server.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
      return address;
    },
    async failForNow() {
      server.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    },
    async recover() {},
    close: () => server.close(),
  };
}

async function whatsappHarness(): Promise<ChannelHarness> {
  const { server, client: redis }: { server: RedisServer; client: Redis } = await useRedis();
  const fake = new FakeWhatsApp();
  const lines = new Map<string, WhatsAppLine>();
  for (const name of ['line1', 'line2']) {
    const line = new WhatsAppLine({
      line: name,
      redis,
      createClient: fake.createClient,
      createMedia: createFakeMedia,
      inbox: { message: async () => {}, edit: async () => {}, call: async () => {} },
      log: captureLog().log,
      lockMs: 2_000,
      timing: { backoffBaseMs: 30, backoffMaxMs: 100, watchdogMs: 0, memoryMs: 0, restartMs: 0 },
      report: () => {},
    });
    lines.set(name, line);
    line.start();
  }
  await until(() => [...lines.values()].every((l) => l.status === 'ready'));
  let n = 0;
  return {
    channel: whatsappChannel(lines),
    expectedName: 'whatsapp',
    newReporter: () => lineAddress(++n % 2 ? 'line1' : 'line2', `7701${String(7000000 + n)}@c.us`),
    received(address) {
      const { line, jid } = parseLineAddress(address)!;
      return fake.sentTo(line, jid);
    },
    goneForGood: (address) => lineAddress('retired', parseLineAddress(address)!.jid),
    async failForNow() {
      fake.line('line1').failStarts = 1;
      fake.line('line2').failStarts = 1;
      fake.drop('line1');
      fake.drop('line2');
    },
    async recover() {
      await until(() => [...lines.values()].every((l) => l.status === 'ready'), { label: 'lines back' });
    },
    async close() {
      await Promise.all([...lines.values()].map((l) => l.stop()));
      redis.disconnect();
      await server.stop();
    },
  };
}

for (const [name, make] of [
  ['Telegram', telegramHarness],
  ['WhatsApp', whatsappHarness],
] as const) {
  describe(`ReporterChannel contract: ${name}`, () => {
    let h: ChannelHarness;
    beforeAll(async () => {
      h = await make();
    });
    afterAll(async () => {
      await h.close();
    });

    it('is named after its channel', () => {
      expect(h.channel.name).toBe(h.expectedName);
    });

    it('delivers texts in order to the addressed reporter only', async () => {
      const a = h.newReporter();
      const b = h.newReporter();
      await h.channel.deliver(a, 'first answer');
      await h.channel.deliver(a, 'second answer');
      await h.channel.deliver(b, 'for b');
      expect(h.received(a)).toEqual(['first answer', 'second answer']);
      expect(h.received(b)).toEqual(['for b']);
    });

    it('delivers a long answer whole', async () => {
      const a = h.newReporter();
      const long = Array.from({ length: 800 }, (_, i) => `слово${i}`)
        .join(' ')
        .slice(0, 4096);
      await h.channel.deliver(a, long);
      expect(h.received(a).join(' ').replace(/\s+/g, ' ')).toBe(long.replace(/\s+/g, ' '));
    });

    it('fails permanently (Undeliverable) when no retry can reach the reporter', async () => {
      const gone = h.goneForGood(h.newReporter());
      const err = await h.channel.deliver(gone, 'x').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Undeliverable);
      expect(isPermanent(err)).toBe(true);
    });

    it('fails retryably while the platform is down, and delivers after it is back', async () => {
      const a = h.newReporter();
      await h.failForNow();
      const err = await h.channel.deliver(a, 'during the outage').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(isPermanent(err)).toBe(false);
      await h.recover();
      await h.channel.deliver(a, 'after the outage');
      expect(h.received(a)).toEqual(['after the outage']);
    });
  });
}
