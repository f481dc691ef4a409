// Telegram answering 429 and 5xx in bursts: retry_after is honoured without spending
// the job's attempts, 5xx is retried with backoff, and every message arrives once, in order.
import { afterEach, describe, expect, it } from 'vitest';
import { startHotline, type Hotline } from '../support/hotline.js';
import { fileReport } from '../support/intake-driver.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const staffTexts = (hotline: Hotline) => hotline.api.messagesIn(hotline.staffGroup.id).map((m) => m.text ?? '');

describe('Telegram says 429 and 500 in bursts', () => {
  it('waits as told, keeps its attempts, and posts each message once, in order', async () => {
    // Two attempts only: if 429s spent attempts, the burst below would dead-letter the post.
    const hotline = (h = await startHotline({ threading: 'topics', env: { JOB_ATTEMPTS: '2' } }));
    const user = hotline.api.addUser({ firstName: 'F', languageCode: 'en' });
    const { code } = await fileReport(hotline.api, user);
    // The report and routing's notice (who got the case) are posted before Telegram acts up.
    await hotline.api.waitFor(() => staffTexts(hotline).some((t) => t.includes(code) && t.includes('dormitory')), { timeoutMs: 10_000 });
    await hotline.api.waitFor(() => staffTexts(hotline).some((t) => t.startsWith('👤')), { timeoutMs: 10_000 });
    hotline.api.sendPrivate(user, 'part 1');
    await hotline.api.waitFor(() => staffTexts(hotline).includes('part 1'), { timeoutMs: 10_000 });

    // One job meets them all: its in-process retries (auto-retry: 3) run out twice over,
    // which would be both of its attempts; then a 5xx.
    hotline.api.failNext('sendMessage', { error_code: 429, retry_after: 1, times: 8 });
    hotline.api.failNext('sendMessage', { error_code: 502, times: 1 });
    hotline.api.sendPrivate(user, 'part 2');
    await hotline.api.waitFor(() => staffTexts(hotline).includes('part 2'), { timeoutMs: 60_000 });
    for (const n of [3, 4]) hotline.api.sendPrivate(user, `part ${n}`);
    await hotline.api.waitFor(() => staffTexts(hotline).includes('part 4'), { timeoutMs: 20_000 });

    const parts = staffTexts(hotline).filter((t) => t.startsWith('part '));
    expect(parts).toEqual(['part 1', 'part 2', 'part 3', 'part 4']);
    expect(staffTexts(hotline).some((t) => t.startsWith('⚠️'))).toBe(false); // nothing dead-lettered
    const waits = hotline.api
      .callsTo('sendMessage')
      .filter((c) => c.response?.ok === false)
      .map((c) => c.response);
    expect(waits.filter((r) => r && !r.ok && r.error_code === 429)).toHaveLength(8);
    // Retried no sooner than Telegram asked: eight 429s with retry_after 1 take at least 8 s.
    const calls = hotline.api.callsTo('sendMessage').filter((c) => String(c.params.text).startsWith('part 2'));
    expect(calls.at(-1)!.at - calls[0]!.at).toBeGreaterThanOrEqual(8_000);
  }, 90_000);
});
