// End to end through real parts: redis-server, the local Bot API server, the real
// grammY bot and BullMQ workers.
import { afterEach, describe, expect, it } from 'vitest';
import { dumpRedis } from '../support/redis.js';
import type { Hotline } from '../support/hotline.js';
import { Redis } from 'ioredis';
import { fileReport } from '../support/intake-driver.js';
import { staffModes, staffSide, startInMode } from '../support/staff-side.js';

let hotline: Hotline | undefined;
afterEach(async () => {
  await hotline?.stop();
  hotline = undefined;
});

for (const mode of staffModes) {
  describe(`relay in ${mode} mode`, () => {
    it('reporter -> staff under a pseudonym -> counsellor answer -> reporter', async () => {
      const h = (hotline = await startInMode(mode));
      const staff = staffSide(h, mode);
      const aigerim = h.api.addUser({ firstName: 'Aigerim', username: 'aigerim_k', languageCode: 'kk' });
      const report = 'Менің жетекшім маған қысым көрсетіп жүр';
      const { code, passphrase } = await fileReport(h.api, aigerim, { lang: 'kk', account: [report] });
      expect(h.api.messagesIn(aigerim.id).at(-1)!.text).toContain('Өтініш коды'); // answered in Kazakh

      const posted = await staff.waitForPost((m) => m.text?.includes(report) ?? false);
      const staffText = staff.texts().join('\n');
      expect(staffText).toContain(code);
      expect(staffText).not.toContain('Aigerim');
      expect(staffText).not.toContain('aigerim_k');
      expect(staffText).not.toContain(String(aigerim.id));
      if (mode === 'topics') {
        expect(posted.message_thread_id).toBeDefined();
        expect(h.api.topics(h.staffGroup.id).map((t) => t.name)).toEqual([expect.stringContaining(code)]);
      }

      const answer = 'Сізге көмектесеміз. Қауіпсізсіз бе?';
      staff.answer(posted, answer);
      const delivered = await h.api.waitFor(() => h.api.messagesIn(aigerim.id).find((m) => m.text?.includes(answer)), { timeoutMs: 10_000 });
      expect(delivered.text).toMatch(/^Кеңесші:/);

      // an internal note stays in the staff chat
      staff.answer(posted, '// she sounds scared, call tomorrow');
      // a second message joins the same case
      h.api.sendPrivate(aigerim, 'Иә, қауіпсізмін');
      await staff.waitForPost((m) => m.text?.includes('Иә, қауіпсізмін') ?? false);
      expect(h.api.topics(h.staffGroup.id).length).toBe(mode === 'topics' ? 1 : 0);
      // need-to-know mode: the shared chat has not a word of it
      if (mode === 'assigned') expect(h.api.allMessagesIn(h.staffGroup.id).filter((m) => /қысым|қауіпсіз/.test(m.text ?? ''))).toEqual([]);
      expect(h.api.messagesIn(aigerim.id).some((m) => m.text?.includes('call tomorrow'))).toBe(false);

      // privacy: nothing of the reporter in Redis or in the log
      const client = new Redis(h.redis.url);
      const dump = await dumpRedis(client);
      client.disconnect();
      const logs = h.captured.lines.join('\n');
      for (const secret of [
        report,
        answer,
        passphrase,
        'Иә, қауіпсізмін',
        'call tomorrow',
        'Aigerim',
        'aigerim_k',
        'dana_counsellor',
        String(aigerim.id),
        String(h.counsellor.id),
      ]) {
        expect(dump, `Redis holds ${secret}`).not.toContain(secret);
        expect(logs, `log holds ${secret}`).not.toContain(secret);
      }
      expect(dump.length).toBeGreaterThan(1000); // the scan really read something
      expect(h.captured.lines.length).toBeGreaterThan(3);
    });
  });
}
