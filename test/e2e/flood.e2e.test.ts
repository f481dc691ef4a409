// A flood from one reporter (10,000 messages through the Bot API emulator and on
// WhatsApp) is turned away cheaply: the flooder is told once, in their language, what
// was not passed on; what was let in arrives once, in order; other reporters and the
// counsellor carry on; Redis does not grow with the flood; no text or id is kept.
import { Redis } from 'ioredis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TelegramLimits } from '../../src/config/config.js';
import { t } from '../../src/i18n/i18n.js';
import { lineAddress } from '../../src/bot/whatsapp/jid.js';
import { makeCase } from '../support/cases.js';
import { FakeWhatsApp, until, type FakeMessage } from '../support/fake-whatsapp.js';
import { sharedLimits, startHotline, type Hotline } from '../support/hotline.js';
import { botSays, buttonsOf, tap } from '../support/intake-driver.js';
import { dumpRedis } from '../support/redis.js';

let h: Hotline | undefined;
let redis: Redis | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  redis?.disconnect();
  redis = undefined;
  await h?.stop();
  h = undefined;
  for (const c of cleanups.splice(0)) await c();
});

const BURST = 20;
const PER_MINUTE = 30;
const FLOOD = { REPORTER_BURST: String(BURST), REPORTER_PER_MINUTE: String(PER_MINUTE) };
/** Telegram's limits, the group's minute shortened so the test does not wait for it. */
const limits: TelegramLimits = { globalPerSecond: 30, chatPerSecond: 1, groupPerMinute: 20, minuteMs: 4000 };
const SECRET = 'совершенно-секретный-текст';
const MARK = /\bfl(\d+)\b/g;
const marksIn = (texts: string[]) => texts.flatMap((text) => [...text.matchAll(MARK)].map((m) => Number(m[1])));
/** What the limit lets in over `ms`: the burst, then one message per 60/PER_MINUTE s. */
const allowance = (ms: number) => BURST + Math.ceil((ms / 60_000) * PER_MINUTE) + 1;

async function redisCalls(client: Redis): Promise<number> {
  const info = await client.info('commandstats');
  return [...info.matchAll(/calls=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
}

describe('a flood from one reporter', () => {
  it('on Telegram: 10,000 messages are turned away cheaply, others go on, the flooder is told once', async () => {
    const hotline = (h = await startHotline({
      threading: 'topics',
      env: FLOOD,
      ...sharedLimits(limits),
    }));
    const { api, staffGroup, counsellor } = hotline;
    const client = (redis = new Redis(hotline.redis.url, { maxRetriesPerRequest: null }));
    const flooder = api.addUser({ firstName: 'Айгерім', username: 'flooding_person', languageCode: 'en' });
    const other = api.addUser({ firstName: 'Other', username: 'calm_person', languageCode: 'en' });
    // Both have an open case (the flooder chose Kazakh); the flood is of later messages.
    const started = Date.now();
    await makeCase(client, hotline.keys, { address: String(flooder.id), lang: 'kk' });
    await makeCase(client, hotline.keys, { address: String(other.id), lang: 'en' });
    api.sendPrivate(flooder, `fl0 ${SECRET}`);
    api.sendPrivate(other, 'B0 hello');
    const staffTexts = () => api.messagesIn(staffGroup.id).map((m) => m.text ?? '');
    const topicOf = (mark: string) =>
      api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text?.includes(mark))?.message_thread_id, { timeoutMs: 20_000, label: mark });
    const [floodTopic, otherTopic] = [await topicOf('fl0'), await topicOf('B0 hello')];

    const keysBefore = await client.dbsize();
    const callsBefore = await redisCalls(client);
    const N = 10_000;
    // One synchronous burst: the other reporter's messages sit among the flooder's in the batches.
    for (let i = 1; i <= N; i++) {
      api.sendPrivate(flooder, `fl${i} ${SECRET}`);
      if (i % 2500 === 0) api.sendPrivate(other, `B${i / 2500} still here`);
    }
    api.sendGroup(staffGroup, counsellor, 'answer for the other reporter', { threadId: otherTopic });
    api.sendGroup(staffGroup, counsellor, 'answer for the flooder', { threadId: floodTopic });

    // Every update is handled and confirmed; the other reporter and both answers get through.
    // (polled: confirming happens inside a getUpdates call, after the event waitFor listens to)
    await until(() => api.pendingUpdates === 0, { timeoutMs: 120_000, label: 'all updates confirmed' });
    await api.waitFor(() => [1, 2, 3, 4].every((k) => staffTexts().some((s) => s.includes(`B${k} still here`))), {
      timeoutMs: 30_000,
      label: 'the other reporter',
    });
    await api.waitFor(() => api.messagesIn(other.id).some((m) => m.text?.endsWith('answer for the other reporter')), { timeoutMs: 30_000 });
    await api.waitFor(() => api.messagesIn(flooder.id).some((m) => m.text?.endsWith('answer for the flooder')), { timeoutMs: 30_000 });
    // What was let in (acknowledged with 👌) reaches the staff chat.
    const acked = () => api.callsTo('setMessageReaction').filter((c) => Number(c.params.chat_id) === flooder.id).length;
    await api.waitFor(() => marksIn(staffTexts()).length >= acked(), { timeoutMs: 30_000, label: 'accepted flood messages posted' });
    const elapsed = Date.now() - started;

    const relayed = marksIn(staffTexts());
    expect(relayed.length).toBe(acked());
    expect(relayed).toEqual([...relayed].sort((a, b) => a - b)); // in order, each once
    expect(new Set(relayed).size).toBe(relayed.length);
    expect(relayed.length).toBeGreaterThanOrEqual(BURST); // the burst itself is let in
    expect(relayed.length).toBeLessThanOrEqual(allowance(elapsed));
    // the other reporter's messages all arrived, once each
    for (const k of [1, 2, 3, 4]) expect(staffTexts().filter((s) => s.includes(`B${k} still here`))).toHaveLength(1);

    // Told once (a second time only if the run outlasted the one-minute window), in Kazakh.
    const notices = api.messagesIn(flooder.id).filter((m) => m.text === t('kk', 'too-fast'));
    expect(notices.length).toBeGreaterThanOrEqual(1);
    expect(notices.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / 60_000));
    // and nothing else: no reply per turned-away message, only the notice and the answer
    expect(api.messagesIn(flooder.id)).toHaveLength(1 + notices.length);
    expect(api.messagesIn(other.id).some((m) => m.text === t('en', 'too-fast'))).toBe(false);
    // every send kept to Telegram's limits, the notice included
    expect(api.stats.tooManyRequests).toBe(0);

    // Cheap and bounded: a few Redis commands per flood message (EXISTS, EVALSHA and the
    // script's own TIME and HMGET; a relayed message costs about 60), no key per message.
    expect((await redisCalls(client)) - callsBefore).toBeLessThan(8 * N);
    expect((await client.dbsize()) - keysBefore).toBeLessThan(300);
    expect(await client.pttl((await client.keys('tl:flood:*'))[0]!)).toBeLessThanOrEqual(60_000);
    expect(hotline.captured.records().filter((r) => r.event === 'intake.too-fast')).toHaveLength(notices.length);

    // Nothing of the text or the people in Redis or the log.
    const dump = await dumpRedis(client);
    const log = hotline.captured.lines.join('\n');
    for (const secret of [SECRET, 'fl9999', 'still here', String(flooder.id), String(other.id), 'flooding_person', 'calm_person', 'Айгерім']) {
      expect(dump.includes(secret), secret).toBe(false);
      expect(log.includes(secret), secret).toBe(false);
    }
  }, 240_000);

  it('in the questions: the flooder is told in the language they chose, and the draft is kept', async () => {
    const hotline = (h = await startHotline({ threading: 'topics', env: FLOOD }));
    const { api } = hotline;
    const user = api.addUser({ firstName: 'Intake', languageCode: 'en' });
    api.sendPrivate(user, '/start');
    await tap(api, user, 'language', 'kk');
    await tap(api, user, 'consent', 'continue');
    await tap(api, user, 'way', 'report');
    await api.waitFor(() => api.messagesIn(user.id).some((m) => buttonsOf(m).includes('danger:no')), { timeoutMs: 10_000 });
    for (let i = 1; i <= 1_000; i++) api.sendPrivate(user, `fl${i} ${SECRET}`);
    await until(() => api.pendingUpdates === 0, { timeoutMs: 60_000, label: 'all updates confirmed' });
    const notices = () => api.messagesIn(user.id).filter((m) => m.text === t('kk', 'too-fast'));
    await api.waitFor(() => notices().length === 1, { timeoutMs: 10_000 });
    // those let in were kept with the draft: the first told so (with the question), the
    // others acknowledged with a 👌 only; the rest were not taken
    expect(api.messagesIn(user.id).filter((m) => m.text?.startsWith(t('kk', 'noted-choose')))).toHaveLength(1);
    const acked = api.callsTo('setMessageReaction').filter((c) => Number(c.params.chat_id) === user.id).length;
    expect(acked).toBeGreaterThan(0);
    expect(acked).toBeLessThan(BURST);

    // After a pause (one message refills in 2 s), the conversation goes on where it was.
    await new Promise((r) => setTimeout(r, 60_000 / PER_MINUTE + 100));
    await tap(api, user, 'danger', 'no');
    await botSays(api, user, t('kk', 'ask-category'));
    expect(notices()).toHaveLength(1);
  });

  it('on WhatsApp: 10,000 messages on a line are turned away, the line and other chats go on', async () => {
    const fake = new FakeWhatsApp();
    const dataDir = await mkdtemp(join(tmpdir(), 'trustline-wa-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const hotline = (h = await startHotline({
      threading: 'topics',
      env: { ...FLOOD, WHATSAPP_NUMBERS: 'line1', WHATSAPP_DATA_DIR: dataDir, WHATSAPP_LOCK_MS: '2000' },
      platform: { whatsapp: { createClient: fake.createClient, timing: { memoryMs: 0, restartMs: 0 } } },
    }));
    await until(() => fake.line('line1').client?.ready, { label: 'line ready' });
    const client = (redis = new Redis(hotline.redis.url, { maxRetriesPerRequest: null }));
    const flooder = '77015550101@c.us';
    const other = '77015550102@c.us';
    const started = Date.now();
    await makeCase(client, hotline.keys, { channel: 'whatsapp', address: lineAddress('line1', flooder), lang: 'ru' });
    await makeCase(client, hotline.keys, { channel: 'whatsapp', address: lineAddress('line1', other), lang: 'en' });
    const staffTexts = () => hotline.api.messagesIn(hotline.staffGroup.id).map((m) => m.text ?? '');
    const keysBefore = await client.dbsize();

    const N = 10_000;
    const sent: FakeMessage[] = [];
    for (let i = 1; i <= N; i++) {
      sent.push(fake.write('line1', flooder, `fl${i} ${SECRET}`));
      if (i % 2500 === 0) fake.write('line1', other, `W${i / 2500} still here`);
    }
    await until(() => [1, 2, 3, 4].every((k) => staffTexts().some((s) => s.includes(`W${k} still here`))), { timeoutMs: 60_000, label: 'the other chat' });
    const reacted = () => new Set(fake.line('line1').reactions.map((r) => r.messageId));
    const acked = () => sent.filter((m) => reacted().has(m.id._serialized)).map((m) => Number(/^fl(\d+)/.exec(m.body)![1]));
    await until(() => fake.line('line1').seen.filter((jid) => jid === flooder).length === N, { timeoutMs: 60_000, label: 'every flood message handled' });
    await until(() => marksIn(staffTexts()).length >= acked().length, { timeoutMs: 30_000, label: 'accepted flood messages posted' });
    const elapsed = Date.now() - started;

    const relayed = marksIn(staffTexts());
    expect(relayed).toEqual(acked()); // what was acknowledged, in order, once each
    expect(relayed.length).toBeGreaterThanOrEqual(BURST);
    expect(relayed.length).toBeLessThanOrEqual(allowance(elapsed));
    const notices = fake.sentTo('line1', flooder).filter((text) => text === t('ru', 'too-fast'));
    expect(notices.length).toBeGreaterThanOrEqual(1);
    expect(notices.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / 60_000));
    expect(fake.sentTo('line1', other)).toEqual([]); // quiet reactions only, no notice
    expect((await client.dbsize()) - keysBefore).toBeLessThan(300);
    const dump = await dumpRedis(client);
    for (const secret of [SECRET, '77015550101', '77015550102']) {
      expect(dump.includes(secret), secret).toBe(false);
      expect(hotline.captured.lines.join('\n').includes(secret), secret).toBe(false);
    }
  }, 180_000);
});
