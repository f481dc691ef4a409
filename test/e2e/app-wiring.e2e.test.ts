// The running hotline takes part in key retirement and retention: it records the keys
// it seals to, and registers the daily retention job. It also sets the command menus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Api } from 'grammy';
import { queuePrefix } from '../../src/store/redis-keys.js';
import { RETENTION_SCHEDULER_ID } from '../../src/retention/schedule.js';
import { commandNames } from '../../src/routing/staff-commands.js';
import { startHotline, type Hotline } from '../support/hotline.js';

let h: Hotline;
beforeAll(async () => {
  h = await startHotline({ threading: 'topics' });
});
afterAll(async () => {
  await h.stop();
});

describe('hotline start-up', () => {
  it('records the key ids it seals to and schedules retention once', async () => {
    const redis = new Redis(h.redis.url);
    const queue = new Queue('retention', { connection: redis, prefix: queuePrefix });
    try {
      expect(await redis.hgetall('tl:keys:sealing')).toEqual({ staff: h.keys.staff.kid, relay: h.keys.relay.kid });
      await h.restart();
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([[RETENTION_SCHEDULER_ID, '30 3 * * *', 'Asia/Almaty']]);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });

  it('sets the command menus: reporters in kk, ru and en (ru for other phones), the staff commands in the staff chat', async () => {
    const api = new Api(h.api.token, { apiRoot: h.api.apiRoot });
    const menu = async (scope: Parameters<Api['getMyCommands']>[0]) => (await api.getMyCommands(scope)).map((c) => `${c.command}: ${c.description}`);
    const kk = await menu({ scope: { type: 'all_private_chats' }, language_code: 'kk' });
    const ru = await menu({ scope: { type: 'all_private_chats' }, language_code: 'ru' });
    const en = await menu({ scope: { type: 'all_private_chats' }, language_code: 'en' });
    expect(en).toContain('status: Where my case stands');
    expect(ru).toContain('withdraw: Отозвать обращение');
    expect(kk).toContain('help: Бұл бот не істей алады');
    for (const m of [kk, ru, en])
      expect(m.map((c) => c.split(':')[0])).toEqual([
        'start',
        'help',
        'rights',
        'cancel',
        'language',
        'status',
        'new',
        'report',
        'withdraw',
        'forget',
        'resume',
        'wipe',
        'quiet',
      ]);
    expect(await menu({ scope: { type: 'all_private_chats' } })).toEqual(ru);
    const staff = await menu({ scope: { type: 'chat', chat_id: h.staffGroup.id } });
    expect(staff.map((c) => c.split(':')[0])).toEqual(commandNames);
    expect(staff).toContain('take: Взять обращение (подтверждает его)'); // STAFF_LANG=ru
    for (const line of [...staff, ...kk, ...ru, ...en]) expect(line).not.toMatch(/^(\w+): \1$/); // a description, not the bare name
  });
});
