// Process roles in-process, several `startTrustline`s sharing one Redis, Bot API
// server and key ring: WhatsApp lines run in a process of their own while Telegram and
// the queues are elsewhere, and several webhook processes sit behind one load balancer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Update } from 'grammy/types';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/i18n.js';
import { FAST_LINE_TIMING } from '../support/whatsapp-hotline.js';
import { freePort } from '../../src/sandbox/redis-server.js';
import { jobIds, queueNames, type IntakeTimerJob } from '../../src/queue/jobs.js';
import { queuePrefix, redisKeys } from '../../src/store/redis-keys.js';
import type { CaseCode, CaseId } from '../../src/shared/ids.js';
import { FakeWhatsApp, until } from '../support/fake-whatsapp.js';
import { startBeside, startHotline, type Hotline } from '../support/hotline.js';
import { fileReport } from '../support/intake-driver.js';
import { dumpRedis } from '../support/redis.js';
import { fileReportOnWhatsApp } from '../support/whatsapp-intake.js';

/** Stopped last to first after each test: the extra processes, then the hotline. */
const running: { stop(): Promise<void> }[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
  for (const c of cleanups.splice(0).reverse()) await c();
});
const keep = <T extends { stop(): Promise<void> }>(x: T): T => (running.push(x), x);
const besides = (h: Hotline, env: Record<string, string>) => startBeside(h, { env }).then((b) => (keep(b.app), b));
const eventsOf = (records: Record<string, unknown>[], name: string) => records.filter((r) => r.event === name);

/** A WhatsApp line in a process of its own; Telegram and the queues in another given the same WHATSAPP_NUMBERS. */
async function whatsappSplit(env: Record<string, string> = {}) {
  const fake = new FakeWhatsApp();
  const dataDir = await mkdtemp(join(tmpdir(), 'trustline-wa-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const h = keep(
    await startHotline({
      threading: 'topics',
      env: { TRUSTLINE_ROLES: 'whatsapp', WHATSAPP_NUMBERS: 'line1', WHATSAPP_DATA_DIR: dataDir, WHATSAPP_LOCK_MS: '2000', ...env },
      platform: { whatsapp: { createClient: fake.createClient, timing: FAST_LINE_TIMING } },
    }),
  );
  const workers = await besides(h, { TRUSTLINE_ROLES: 'telegram,workers' });
  await until(() => fake.line('line1').client?.ready, { label: 'line1 ready' });
  return { h, fake, workers };
}

describe('WhatsApp lines in a process of their own', () => {
  it('answers a WhatsApp reporter from the process holding the line, handed over by the worker that took the job', async () => {
    const { h, fake, workers } = await whatsappSplit();
    const jid = '77015550101@c.us';
    await fileReportOnWhatsApp(fake, 'line1', jid, { lang: 'ru', first: 'Мне пишут угрозы', account: ['Это повторяется каждый день'] });
    const posted = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.includes('Это повторяется каждый день')), {
      timeoutMs: 10_000,
      label: 'the report in the staff chat',
    });
    h.api.sendGroup(h.staffGroup, h.counsellor, 'Мы рядом, расскажите больше', { threadId: posted.message_thread_id! });
    await until(() => fake.sentTo('line1', jid).some((text) => text.includes('Мы рядом')), { label: 'the answer on WhatsApp' });

    // Everything worked that was queued: the delivery was marked done where it was sent.
    const redis = new Redis(h.redis.url);
    keep({ stop: async () => redis.disconnect() });
    await until(async () => (await redis.scard(redisKeys.pending('out'))) === 0, { label: 'the delivery to be marked done' });

    // The worker process has no line: it passed the case on instead of failing it.
    expect(eventsOf(workers.captured.records(), 'staff.answer')).toHaveLength(1);
    expect(eventsOf(h.captured.records(), 'staff.answer')).toHaveLength(0);
    expect(eventsOf(workers.captured.records(), 'reporter.handed-over').length).toBeGreaterThan(0);
    expect(eventsOf(workers.captured.records(), 'reporter.delivered')).toHaveLength(0);
    expect(eventsOf(workers.captured.records(), 'whatsapp.started')).toHaveLength(0);
    const delivered = eventsOf(h.captured.records(), 'reporter.delivered');
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.every((r) => r.channel === 'whatsapp')).toBe(true);
    expect(fake.sentTo('line1', jid).filter((text) => text.includes('Мы рядом'))).toHaveLength(1);
    expect(workers.captured.lines.join('\n')).not.toMatch(/77015550101|Мы рядом|угрозы/);
  });

  it('reminds an unfinished WhatsApp conversation through the line, not from the workers process', async () => {
    const { h, fake, workers } = await whatsappSplit({ INTAKE_REMIND_AFTER: '1s', INTAKE_EXPIRE_AFTER: '1h' });
    const jid = '77015550102@c.us';
    fake.write('line1', jid, 'Здравствуйте');
    const reminder = t('ru', 'reminder', { hours: 1 }).slice(0, 30);
    await until(() => fake.sentTo('line1', jid).some((text) => text.startsWith(reminder)), { label: 'the reminder on WhatsApp' });
    // (logged once the reminder is recorded, just after it was sent)
    await until(() => eventsOf(h.captured.records(), 'intake.reminded').length === 1, { label: 'the reminder recorded' });
    expect(eventsOf(workers.captured.records(), 'intake.reminded')).toHaveLength(0);
  });
  it('moves a WhatsApp timer found in the shared timer queue (queued before an upgrade) to the line, which reminds', async () => {
    const { h, fake, workers } = await whatsappSplit({ INTAKE_REMIND_AFTER: '3s', INTAKE_EXPIRE_AFTER: '1h' });
    const jid = '77015550103@c.us';
    fake.write('line1', jid, 'Здравствуйте');
    // Where an older version queued every conversation's timer: the shared queue.
    const connection = { url: h.redis.url };
    const lineTimers = new Queue<IntakeTimerJob>(queueNames.intakeTimerWhatsApp, { connection, prefix: queuePrefix });
    const sharedTimers = new Queue<IntakeTimerJob>(queueNames.intakeTimer, { connection, prefix: queuePrefix });
    keep({ stop: () => Promise.all([lineTimers.close(), sharedTimers.close()]).then(() => undefined) });
    const [timer] = await until(
      async () => {
        const delayed = await lineTimers.getDelayed();
        return delayed.length ? delayed : undefined;
      },
      { label: "the conversation's timer" },
    );
    await timer!.remove();
    await sharedTimers.add('idle', timer!.data, { jobId: jobIds.intakeTimer(timer!.data.cid), delay: 500 });

    const reminder = t('ru', 'reminder', { hours: 1 }).slice(0, 30);
    await until(() => fake.sentTo('line1', jid).some((text) => text.startsWith(reminder)), { label: 'the reminder on WhatsApp' });
    expect(eventsOf(workers.captured.records(), 'intake.timer-moved')).toHaveLength(1);
    await until(() => eventsOf(h.captured.records(), 'intake.reminded').length === 1, { label: 'the reminder recorded' });
    expect(workers.captured.lines.join('\n')).not.toContain('dead-lettered');
  });
});

describe('several webhook processes behind a load balancer', () => {
  it('registers the same webhook from each, and takes a reporter’s updates spread over both exactly once', async () => {
    const ports = [await freePort(), await freePort()];
    const secret = 'lb-secret-0123456789';
    const webhook = { TELEGRAM_MODE: 'webhook', WEBHOOK_URL: 'https://hotline.example.org/telegram', WEBHOOK_SECRET: secret };
    const h = keep(await startHotline({ threading: 'topics', env: { ...webhook, TRUSTLINE_ROLES: 'telegram', WEBHOOK_PORT: String(ports[0]) } }));
    await besides(h, { WEBHOOK_PORT: String(ports[1]) });
    const workers = await besides(h, { TRUSTLINE_ROLES: 'workers' });
    const { api } = h;

    // Setting the webhook from every process is idempotent: the same URL, secret and update types.
    const registered = api.callsTo('setWebhook').map((c) => c.params);
    expect(registered).toHaveLength(2);
    expect(registered[1]).toEqual(registered[0]);
    expect(workers.config.telegram.webhook).toBeUndefined();

    // The load balancer: takes what Telegram would push and spreads it round-robin.
    // Telegram pushes different chats side by side, and one chat's updates one after
    // another (the next once the previous was answered), so the balancer does too.
    await fetch(`${api.apiRoot}/bot${api.token}/deleteWebhook`, { method: 'POST' });
    const post = (port: number, update: Update) =>
      fetch(`http://127.0.0.1:${port}/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(update),
      }).then((r) => expect(r.status).toBe(200));
    const sentTo = new Map<number, { port: number; update: Update }>();
    let balancing = true;
    let next = 0;
    const balancer = (async () => {
      let offset = 0;
      while (balancing) {
        const res = await fetch(`${api.apiRoot}/bot${api.token}/getUpdates`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ offset, timeout: 1 }),
        });
        const updates = ((await res.json()) as { result: Update[] }).result;
        const chats = new Map<number | undefined, Update[]>();
        for (const u of updates) {
          const chat = u.message?.chat.id ?? u.callback_query?.from.id;
          chats.set(chat, [...(chats.get(chat) ?? []), u]);
        }
        await Promise.all(
          [...chats.values()].map(async (ofChat) => {
            for (const update of ofChat) {
              const port = ports[next++ % ports.length]!;
              sentTo.set(update.update_id, { port, update });
              await post(port, update);
            }
          }),
        );
        if (updates.length) offset = updates.at(-1)!.update_id + 1;
      }
    })();
    keep({
      async stop() {
        balancing = false;
        await balancer;
      },
    });

    const reporter = api.addUser({ firstName: 'W', languageCode: 'en' });
    const { code } = await fileReport(api, reporter, { account: ['Spread over two processes'] });
    // Quick messages of one reporter, alternately taken by the two processes: each joins
    // the case once and in order (each process finishes an update before it answers).
    for (let i = 0; i < 6; i++) api.sendPrivate(reporter, `quick note w${i}x`);
    const staffText = () =>
      api
        .messagesIn(h.staffGroup.id)
        .filter((m) => m.from?.is_bot)
        .map((m) => m.text ?? '')
        .join('\n');
    await api.waitFor(() => [0, 1, 2, 3, 4, 5].every((i) => staffText().includes(`w${i}x`)), { timeoutMs: 15_000, label: 'the quick notes in the staff chat' });
    for (let i = 0; i < 6; i++) expect(staffText().split(`w${i}x`)).toHaveLength(2);
    expect([...staffText().matchAll(/w(\d)x/g)].map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4, 5]);
    const forwarded = [...sentTo.values()];
    expect(new Set(forwarded.slice(-6).map((f) => f.port)).size).toBe(2);

    // Telegram redelivers an update it is unsure of, maybe to the other process: dropped.
    const redis = new Redis(h.redis.url);
    keep({ stop: async () => redis.disconnect() });
    const caseId = (await redis.get(redisKeys.code(code as CaseCode))) as CaseId;
    const before = await redis.hget(redisKeys.case(caseId), 'n_in');
    const last = forwarded.at(-1)!;
    await post(
      ports.find((p) => p !== last.port)!,
      last.update,
    );
    expect(await redis.hget(redisKeys.case(caseId), 'n_in')).toBe(before);
    expect(await dumpRedis(redis)).not.toContain('quick note');
  }, 60_000);
});
