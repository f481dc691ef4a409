// A message too long for one Telegram message goes out in parts, each waiting for its
// flood-control slot. If the process stops between the parts, the rest is still sent:
// given up, the job would come back after the restart and send the first part again.
import { afterAll, describe, expect, it } from 'vitest';
import type { TelegramLimits } from '../../src/config/config.js';
import { TELEGRAM_TEXT_LIMIT } from '../../src/bot/telegram/text.js';
import { sharedLimits, startHotline, type Hotline } from '../support/hotline.js';
import { fileReport } from '../support/intake-driver.js';

let h: Hotline;
afterAll(() => h?.stop());

const limits: TelegramLimits = { globalPerSecond: 30, chatPerSecond: 1, groupPerMinute: 20, minuteMs: 60_000 };

describe('stopping between the parts of a long message', () => {
  it('sends the rest before it stops, and nothing twice after the restart', async () => {
    h = await startHotline({
      threading: 'topics',
      ...sharedLimits(limits),
    });
    const { api, staffGroup, counsellor } = h;
    const reporter = api.addUser({ firstName: 'Saule', languageCode: 'en' });
    await fileReport(api, reporter, { lang: 'en', account: ['My supervisor threatens to fail me'] });
    const report = await api.waitFor(() => api.messagesIn(staffGroup.id).find((m) => m.text?.includes('threatens')), { timeoutMs: 15_000 });
    const answer = (text: string) => api.sendGroup(staffGroup, counsellor, text, { threadId: report.message_thread_id! });
    const received = (pattern: string) => api.messagesIn(reporter.id).filter((m) => m.text?.includes(pattern));

    // As long as Telegram allows a counsellor's message: with "Counsellor:" before it, two parts.
    const long = `START-OF-ANSWER ${'we will help you through this '.repeat(200)}`.slice(0, TELEGRAM_TEXT_LIMIT - 14) + ' END-OF-ANSWER';
    expect(long.length).toBe(TELEGRAM_TEXT_LIMIT);
    // The first part is held on its way to Telegram; the process is told to stop meanwhile.
    let first;
    for (;;) {
      const hold = api.holdNext('sendMessage');
      if (!first) answer(long);
      first = hold;
      const call = await hold.held;
      if (Number(call.params.chat_id) === reporter.id && String(call.params.text).includes('START-OF-ANSWER')) break;
      hold.release();
    }
    // (Held this long, the first part reaches the emulator late enough that the second,
    // sent on time by the budget, may draw a 429: auto-retry waits it out.)
    const stopped = h.app.stop();
    await new Promise((r) => setTimeout(r, 200));
    first.release();
    await stopped;
    // The second part waited for its slot (a second after the first) through the stop.
    expect(received('START-OF-ANSWER')).toHaveLength(1);
    expect(received('END-OF-ANSWER')).toHaveLength(1);

    // Started again, the answer is not sent again: the next one comes right after it.
    await h.restart();
    answer('A second answer after the restart.');
    await api.waitFor(() => received('second answer').length > 0, { timeoutMs: 15_000 });
    expect(received('START-OF-ANSWER')).toHaveLength(1);
    expect(received('END-OF-ANSWER')).toHaveLength(1);
  }, 90_000); // the intake's replies keep to one a second, like everything else here
});
