// A worker killed mid-job (SIGKILL, no clean-up) and started again delivers once.
// The hotline runs as a real `trustline start` child process.
import { t } from '../../src/i18n/i18n.js';
import { describe, expect, it } from 'vitest';
import { fileReport } from '../support/intake-driver.js';
import type { ChildProcess } from 'node:child_process';
import { useProcessHotline } from '../support/trustline-process.js';

const hotline = useProcessHotline();
const { output, start: startTrustlineProcess } = hotline;

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('a worker killed mid-job', () => {
  it('is picked up again after its lock lapses and delivers exactly once', async () => {
    const { api } = hotline;
    const counsellor = api.addUser({ firstName: 'Dana' });
    const staff = api.addGroup({ title: 'Staff', forum: true, members: [counsellor] });
    api.setProtectedContent(staff, true); // set up as the README asks
    const env = hotline.env(staff, counsellor);
    const first = startTrustlineProcess(env);
    const reporter = api.addUser({ firstName: 'Aliya', languageCode: 'ru' });
    await fileReport(api, reporter, { account: ['сначала вопросы'] });
    api.sendPrivate(reporter, 'мне угрожают после жалобы');
    // (under Telegram's limits the case header opens the first post, and waiting messages are joined)
    const posted = await api.waitFor(() => api.messagesIn(staff).find((m) => m.text?.endsWith('мне угрожают после жалобы')), { timeoutMs: 20_000 });
    // routing mentions whoever got the case (in the case's first post, under the limits); hold the delivery only after that
    await api.waitFor(() => api.messagesIn(staff).find((m) => /(^|\n)👤/.test(m.text ?? '')), { timeoutMs: 20_000 });

    // The answer's delivery request reaches "Telegram" but is never applied: the
    // process dies while it waits for the response.
    const hold = api.holdNext('sendMessage');
    api.sendGroup(staff, counsellor, 'Мы с вами. Вы в безопасности?', { threadId: posted.message_thread_id! });
    const held = await hold.held;
    expect(held.params.chat_id).toBe(reporter.id);
    await killed(first);
    hold.drop();

    startTrustlineProcess(env);
    const delivered = await api.waitFor(() => api.messagesIn(reporter).find((m) => m.text?.includes('Мы с вами')), { timeoutMs: 25_000 });
    expect(delivered.text?.split('\n')[0]).toBe(t('ru', 'counsellor-says'));
    // Give a duplicate every chance to show up, then count.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(api.messagesIn(reporter).filter((m) => m.text?.includes('Мы с вами'))).toHaveLength(1);
    expect(api.messagesIn(staff).filter((m) => m.text?.endsWith('мне угрожают после жалобы'))).toHaveLength(1);
    const logs = output.join('');
    expect(logs).toContain('"event":"started"');
    expect(logs).not.toContain('угрожают');
    expect(logs).not.toContain(String(reporter.id));
  }, 60_000);
});
