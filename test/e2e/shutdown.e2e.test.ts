// SIGTERM in the middle of a burst: `trustline start` stops taking updates, finishes
// or hands back what it was doing, and exits; started again, it delivers everything
// exactly once, in each case's order, both ways.
import { describe, expect, it } from 'vitest';
import { fileReport } from '../support/intake-driver.js';
import { answerEveryPost, marksIn } from '../support/marked-traffic.js';
import { useProcessHotline } from '../support/trustline-process.js';

const hotline = useProcessHotline();
const { output, start: startTrustlineProcess } = hotline;

/** Holds sendMessage requests until one is a staff post carrying a reporter's message. */
async function holdStaffPost(staffId: number) {
  for (;;) {
    const hold = hotline.api.holdNext('sendMessage');
    const call = await hold.held;
    if (call.params.chat_id === staffId && /\br\d+m\d+\b/.test(String(call.params.text))) return hold;
    hold.release();
  }
}

describe('graceful shutdown', () => {
  it('loses nothing and delivers nothing twice when stopped mid-burst and started again', async () => {
    const { api } = hotline;
    const counsellor = api.addUser({ firstName: 'Dana' });
    const staff = api.addGroup({ title: 'Staff', forum: true, members: [counsellor] });
    api.setProtectedContent(staff, true); // set up as the README asks
    const env = hotline.env(staff, counsellor, {
      // Tight enough that jobs wait for flood-control slots when the signal comes.
      TELEGRAM_CHAT_PER_SECOND: '5',
      TELEGRAM_GROUP_PER_MINUTE: '300',
    });
    const reporters = Array.from({ length: 30 }, (_, i) => api.addUser({ firstName: `R${i}`, languageCode: 'en' }));
    // The counsellor answers every post that carries a reporter's message.
    const counsellorAnswers = answerEveryPost(api, staff, counsellor);
    const send = (n: number) => reporters.forEach((r, i) => api.sendPrivate(r, `r${i}m${n} confidential-detail`));

    const first = startTrustlineProcess(env);
    const exited = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
    // Every case opens with a report through the intake conversation; the burst follows it.
    for (const until = Date.now() + 30_000; !output.join('').includes('"event":"started"');) {
      if (Date.now() > until) throw new Error('Trustline did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const codes = (await Promise.all(reporters.map((r) => fileReport(api, r)))).map((f) => f.code);
    const reportPosts = () => api.messagesIn(staff).filter((m) => codes.some((code) => m.text?.includes(`Обращение · ${code}`)));
    await api.waitFor(() => reportPosts().length >= 30, { timeoutMs: 60_000 });
    send(1);
    send(2);
    send(3);
    await api.waitFor(() => marksIn(api.messagesIn(staff), 'r').length >= 15, { timeoutMs: 30_000 });
    // A staff post is on its way to Telegram when the signal comes: it must complete
    // and move its case's cursor before the process exits, or it would be sent again.
    const inFlight = await holdStaffPost(staff.id);
    first.kill('SIGTERM');
    send(4); // while it stops
    await new Promise((r) => setTimeout(r, 500));
    inFlight.release();
    expect(await exited).toBe(0);
    send(5); // while nothing runs
    const logs = () => output.join('');
    expect(logs()).toContain('"event":"stopped"');

    startTrustlineProcess(env);
    await api.waitFor(() => marksIn(api.messagesIn(staff), 'r').length >= 150, { timeoutMs: 60_000 });
    const delivered = () => reporters.reduce((n, r) => n + marksIn(api.messagesIn(r), 'a').length, 0);
    await api.waitFor(() => delivered() >= counsellorAnswers.answers(), { timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 1_500)); // let a duplicate show itself, if there were one

    const posted = marksIn(api.messagesIn(staff), 'r');
    expect(posted).toHaveLength(150);
    expect(new Set(posted).size).toBe(150);
    reporters.forEach((r, i) => {
      expect(posted.filter((m) => m.startsWith(`${i}:`))).toEqual([1, 2, 3, 4, 5].map((n) => `${i}:${n}`));
      const got = marksIn(api.messagesIn(r), 'a');
      expect(new Set(got).size).toBe(got.length);
      expect(got.every((m) => m.startsWith(`${i}:`))).toBe(true);
      expect(got.map((m) => Number(m.split(':')[1]))).toEqual([...got.map((m) => Number(m.split(':')[1]))].sort((a, b) => a - b));
    });
    expect(delivered()).toBe(counsellorAnswers.answers());
    expect(reportPosts()).toHaveLength(30); // each report once
    expect(logs()).not.toContain('confidential-detail');
  }, 240_000);
});
