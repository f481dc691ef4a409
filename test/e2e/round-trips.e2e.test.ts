// Redis round trips are what a relayed message costs the process most (each one a
// socket write and a read; see the README's Performance section). This counts the
// writes on the hotline's own Redis connection for one follow-up message, from the
// reporter to the staff chat, and for one answer back: a change that adds round trips
// to these paths shows up here as a number, not as a flaky timing.
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hotline } from '../support/hotline.js';
import { fileReport, tap } from '../support/intake-driver.js';
import { t } from '../../src/i18n/i18n.js';
import { staffSide, startInMode, type StaffMode } from '../support/staff-side.js';

let h: Hotline;
let appPort: number;
async function start(mode: StaffMode): Promise<void> {
  h = await startInMode(mode);
  const admin = new Redis(h.redis.url);
  const clients = String(await admin.call('client', 'list'));
  admin.disconnect();
  const app = clients.split('\n').find((line) => / name=trustline-app /.test(line));
  appPort = Number(/ addr=[\d.]+:(\d+) /.exec(app ?? '')?.[1]);
  expect(appPort).toBeGreaterThan(0);
}

/** Writes to Redis from the hotline's own connection while `work` runs. */
async function writesDuring(work: () => Promise<unknown>): Promise<number> {
  let writes = 0;
  const proto = net.Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
  const original = { write: proto._write, writev: proto._writev };
  const counted = (f: (...args: unknown[]) => unknown) =>
    function (this: net.Socket, ...args: unknown[]) {
      if (this.localPort === appPort) writes++;
      return f.apply(this, args);
    };
  proto._write = counted(original.write);
  proto._writev = counted(original.writev);
  try {
    await work();
    // Whatever the last step set off (a lease let go after the send) lands too.
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    proto._write = original.write;
    proto._writev = original.writev;
  }
  return writes;
}

// Need-to-know mode costs three more on the way in and two on the way out: every private
// message is first looked up in the staff directory (a counsellor writes privately too),
// the holder's chat is looked up, and each message posted there is recorded for deletion;
// an answer is matched to its case by the message it replies to.
for (const [mode, limits] of [
  ['topics', { followUp: 11, reply: 7 }],
  ['assigned', { followUp: 14, reply: 9 }],
] as const) {
  describe(`Redis round trips of a relayed message (${mode})`, () => {
    beforeAll(() => start(mode));
    afterAll(() => h.stop());

    it('a follow-up reaches the staff chat, and an answer the reporter, in a handful of round trips each', async () => {
      const staff = staffSide(h, mode);
      const user = h.api.addUser({ firstName: 'Madina', username: 'madina_t', languageCode: 'ru' });
      await fileReport(h.api, user, { lang: 'ru', account: ['Преподаватель кричит на меня на каждом занятии'] });
      // The receipt's question about quiet hours, answered: "any time" (else the first message after it clears it: one more write).
      await tap(h.api, user, 'quiet', 'any');
      await h.api.waitFor(() => h.api.messagesIn(user.id).find((m) => m.text === t('ru', 'quiet-off')), { timeoutMs: 10_000 });
      const report = await staff.waitForPost((m) => m.text?.includes('кричит') ?? false);
      const answer = async (text: string) => {
        staff.answer(report, text);
        await h.api.waitFor(() => h.api.messagesIn(user.id).find((m) => m.text?.includes(text)), { timeoutMs: 10_000 });
      };
      await answer('Здравствуйте, я вас слышу.'); // the first answer also acknowledges the case
      await new Promise((r) => setTimeout(r, 300));

      const followUp = await writesDuring(async () => {
        h.api.sendPrivate(user, 'Сегодня это повторилось');
        await staff.waitForPost((m) => m.text?.includes('повторилось') ?? false);
      });
      const reply = await writesDuring(() => answer('Спасибо, что написали.'));
      // Intake (the budget, lease + redelivery check, state + case lookups, the case, the
      // append, the lease let go), the message's id kept for /wipe (one script call, not
      // waited for), and the staff flush (claim + case, the message, the cursor, the
      // lease): 11. The answer: 3 in the staff chat handler, 4 in the flush (the answer's
      // id for /wipe rides along with the cursor).
      expect(followUp).toBeLessThanOrEqual(limits.followUp);
      expect(reply).toBeLessThanOrEqual(limits.reply);
    });
  });
}
