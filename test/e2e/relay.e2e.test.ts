// End to end through real parts: redis-server, the local Bot API server, the real
// grammY bot and BullMQ workers.
import { afterEach, describe, expect, it } from 'vitest';
import { dumpRedis } from '../support/redis.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { Redis } from 'ioredis';
import { fileReport } from '../support/intake-driver.js';

let hotline: Hotline | undefined;
afterEach(async () => {
  await hotline?.stop();
  hotline = undefined;
});

for (const threading of ['topics', 'replies'] as const) {
  describe(`relay in ${threading} mode`, () => {
    it('reporter -> staff under a pseudonym -> counsellor answer -> reporter', async () => {
      const h = (hotline = await startHotline({ threading }));
      const aigerim = h.api.addUser({ firstName: 'Aigerim', username: 'aigerim_k', languageCode: 'kk' });
      const report = 'Менің жетекшім маған қысым көрсетіп жүр';
      const { code, passphrase } = await fileReport(h.api, aigerim, { lang: 'kk', account: [report] });
      expect(h.api.messagesIn(aigerim.id).at(-1)!.text).toContain('Өтініш коды'); // answered in Kazakh

      const posted = await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.includes(report)), { timeoutMs: 10_000 });
      const staffText = h.api
        .messagesIn(h.staffGroup.id)
        .map((m) => m.text)
        .join('\n');
      expect(staffText).toContain(code);
      expect(staffText).not.toContain('Aigerim');
      expect(staffText).not.toContain('aigerim_k');
      expect(staffText).not.toContain(String(aigerim.id));
      if (threading === 'topics') {
        expect(posted.message_thread_id).toBeDefined();
        expect(h.api.topics(h.staffGroup.id).map((t) => t.name)).toEqual([expect.stringContaining(code)]);
      }

      const answer = 'Сізге көмектесеміз. Қауіпсізсіз бе?';
      h.api.sendGroup(h.staffGroup, h.counsellor, answer, threading === 'topics' ? { threadId: posted.message_thread_id! } : { replyTo: posted.message_id });
      const delivered = await h.api.waitFor(() => h.api.messagesIn(aigerim.id).find((m) => m.text?.includes(answer)), { timeoutMs: 10_000 });
      expect(delivered.text).toMatch(/^Кеңесші:/);

      // an internal note stays in the staff chat
      h.api.sendGroup(
        h.staffGroup,
        h.counsellor,
        '// she sounds scared, call tomorrow',
        threading === 'topics' ? { threadId: posted.message_thread_id! } : { replyTo: posted.message_id },
      );
      // a second message joins the same case
      h.api.sendPrivate(aigerim, 'Иә, қауіпсізмін');
      await h.api.waitFor(() => h.api.messagesIn(h.staffGroup.id).find((m) => m.text?.includes('Иә, қауіпсізмін')), { timeoutMs: 10_000 });
      expect(h.api.topics(h.staffGroup.id).length).toBe(threading === 'topics' ? 1 : 0);
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
