// /rights, end to end against the real bot, Redis and the local Bot API server: the pages
// in the reporter's language, navigated with buttons that replace the page in place;
// from the middle of the questions and back to the same question; and, after browsing,
// nothing in Redis or the log tied to the reader, only a count per page in /metrics.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { reporterKeyOf } from '../../src/crypto/index.js';
import { t } from '../../src/i18n/i18n.js';
import { loadRights } from '../../src/rights/index.js';
import { buttonsOf, botSays, currentStep, tap, write } from '../support/intake-driver.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { dumpRedis } from '../support/redis.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const T = { timeoutMs: 15_000 };
const rights = loadRights({ emergencyNumbers: ['112'] });

describe('/rights', () => {
  it('shows the pages in the reader’s language, one message replaced as they go; nothing in Redis or the log is tied to them, only counts per page', async () => {
    const hotline = (h = await startHotline({ threading: 'topics', env: { HEALTH_PORT: '0' } }));
    const { api } = hotline;
    const reader = api.addUser({ firstName: 'Aliya', languageCode: 'ru' });
    const logBefore = hotline.captured.lines.length;

    const first = await write(api, reader, '/rights');
    expect(first.text).toBe(rights.page('ru').text);
    const index = rights.page('ru');
    expect(buttonsOf(first)).toEqual([...index.links.map((l) => `rights-ru:${l.id}`), 'rights-ru:continue']);
    expect(first.reply_markup?.inline_keyboard.flat().at(-1)?.text).toBe(t('ru', 'rights-continue'));

    for (const id of ['definitions', 'mobbing']) {
      api.pressButton(reader, api.messagesIn(reader.id).at(-1)!, `rights-ru:${id}`);
      await api.waitFor(() => api.messagesIn(reader.id).find((m) => m.message_id === first.message_id && m.text === rights.page('ru', id).text), T);
    }
    // One page message, replaced: the chat holds the reader's /rights and that one message.
    expect(api.messagesIn(reader.id).filter((m) => m.from?.is_bot)).toHaveLength(1);
    // A word instead of the command works too, in any of the three languages.
    const byWord = await write(api, reader, 'құқықтар');
    expect(byWord.text).toBe(index.text);

    const redis = new Redis(hotline.redis.url);
    try {
      const rk = reporterKeyOf(hotline.keys.pepper, 'telegram', String(reader.id));
      const dump = await dumpRedis(redis);
      expect(dump).not.toContain(rk);
      expect(dump).not.toContain(String(reader.id));
      expect(await redis.keys('tl:conv:*')).toEqual([]);
      expect(await redis.keys('tl:flood:*')).toEqual([]);
      expect(await redis.keys('tl:chat:*')).toEqual([]);
      const logs = hotline.captured.lines.slice(logBefore);
      expect(logs.filter((l) => l.includes(rk) || l.includes(String(reader.id)) || /"event":"(intake|reporter|update)\./.test(l))).toEqual([]);
    } finally {
      redis.disconnect();
    }
    const metrics = await (await fetch(`${hotline.app.health!.url}/metrics`)).text();
    expect(metrics).toMatch(/trustline_rights_pages_read_total\{page="index"\} 2/);
    expect(metrics).toMatch(/trustline_rights_pages_read_total\{page="mobbing"\} 1/);

    // "Back to the report" from a first visit starts the report, as /start does.
    const since = api.messagesIn(reader.id).length;
    api.pressButton(reader, byWord, 'rights-ru:continue');
    await api.waitFor(
      () =>
        api
          .messagesIn(reader.id)
          .slice(since)
          .find((m) => buttonsOf(m).includes('language:ru')),
      T,
    );
    expect(buttonsOf(api.messagesIn(reader.id).find((m) => m.message_id === byWord.message_id)!)).toEqual([]);
  });

  it('opens in the middle of the questions, in the language chosen there, and returns to the same question', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const { api } = hotline;
    const reporter = api.addUser({ firstName: 'Dias', languageCode: 'ru' });
    api.sendPrivate(reporter, '/start');
    await tap(api, reporter, 'language', 'kk');
    await tap(api, reporter, 'consent', 'continue');
    await tap(api, reporter, 'way', 'report');
    await tap(api, reporter, 'danger', 'no');
    await api.waitFor(() => currentStep(api, reporter) === 'category', T);

    const page = await write(api, reporter, '/rights', rights.page('kk').text.split('\n')[0]);
    expect(page.text).toBe(rights.page('kk').text);
    api.pressButton(reporter, page, 'rights-kk:after-report');
    await api.waitFor(() => api.messagesIn(reporter.id).find((m) => m.message_id === page.message_id && m.text === rights.page('kk', 'after-report').text), T);

    const since = api.messagesIn(reporter.id).length;
    api.pressButton(
      reporter,
      api.messagesIn(reporter.id).find((m) => m.message_id === page.message_id)!,
      'rights-kk:continue',
    );
    await botSays(api, reporter, t('kk', 'continue'), since);
    await api.waitFor(() => currentStep(api, reporter) === 'category', T);
    // The questions go on where they were.
    await tap(api, reporter, 'category', 'mobbing');
    await api.waitFor(() => currentStep(api, reporter) === 'about-staff', T);
  });
});
