// A notice waits for its case's thread, but not forever.
import type { Api } from 'grammy';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStaffNotices } from '../../src/bot/telegram/staff-notices.js';
import { staffDesks } from '../../src/bot/telegram/staff-desks.js';
import { generateKeyRing, newCaseId, seal, sodiumReady } from '../../src/crypto/index.js';
import type { CaseCode, CounsellorId, ReporterKey } from '../../src/shared/ids.js';
import { NotYet } from '../../src/shared/failures.js';
import { CaseStore } from '../../src/store/cases.js';
import { captureLog } from '../support/log-sink.js';
import { redisForFile } from '../support/redis.js';

const r = redisForFile();
beforeAll(async () => {
  await sodiumReady();
});

describe('staff notices', () => {
  it('wait (NotYet) while the case is not posted, and are dropped with a log line after 15 minutes', async () => {
    const keys = generateKeyRing();
    const store = new CaseStore(r.client);
    const id = newCaseId();
    await store.create({
      id,
      code: 'K7Q-4FD' as CaseCode,
      reporterKey: 'rk' as ReporterKey,
      channel: 'telegram',
      lang: 'ru',
      sealedKey: seal(keys.staff.publicKey, 'k'),
      returnAddress: seal(keys.relay.publicKey, 'a'),
      createdAt: 0,
    });
    const captured = captureLog();
    const api = new Proxy({}, { get: () => () => Promise.reject(new Error('no Telegram call expected')) }) as unknown as Api;
    const noticesWith = (extra: { postsWaiting?: () => Promise<boolean> } = {}) =>
      createStaffNotices({
        api,
        store,
        render: async () => [],
        desks: staffDesks(api, [{ name: 'main', chatId: -1, threading: 'topics' }]),
        lang: 'ru',
        timeZone: 'Asia/Almaty',
        log: captured.log,
        ...extra,
      });
    const notices = noticesWith();
    const job = { caseId: id, notice: { kind: 'escalated' as const, who: 'x' as CounsellorId, minutes: 15 } };
    await expect(notices.post(job, Date.now())).rejects.toBeInstanceOf(NotYet);
    await expect(notices.post(job, Date.now() - 16 * 60_000)).resolves.toBeUndefined();
    expect(captured.records().some((l) => l.event === 'staff.notice-dropped')).toBe(true);

    // Case posts in line: an ordinary notice lets them go first; one about an urgent case does not.
    const behind = noticesWith({ postsWaiting: async () => true });
    await expect(behind.post(job, Date.now())).rejects.toThrow('case posts go first');
    const urgent = { caseId: id, notice: { kind: 'turned-urgent' as const, acknowledged: false, alsoNotify: [], slaMinutes: 5 } };
    await expect(behind.post(urgent, Date.now())).rejects.toThrow('the case is not posted yet');
  });
});
