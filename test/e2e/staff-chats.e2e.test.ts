// Several staff chats (STAFF_CHATS): a team's chat gets the cases of its categories and
// languages, with its own people and duty; the rest go to the staff chat; someone can
// be in several chats. Each chat sees only its own cases.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../src/config/index.js';
import { generateKeyRing, sodiumReady } from '../../src/crypto/index.js';
import { startTrustline } from '../../src/app/app.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { fileReport, upToWhen } from '../support/intake-driver.js';
import { mentions, staffChat } from '../support/duty.js';
import { captureLog } from '../support/log-sink.js';
import { t } from '../../src/i18n/i18n.js';
import { Redis } from 'ioredis';
import { until } from '../support/fake-whatsapp.js';
import { redisKeys, rosterKeys } from '../../src/store/redis-keys.js';
import type { CaseCode, CaseId } from '../../src/shared/ids.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const T = { timeoutMs: 10_000 };

async function withTeams() {
  const hotline = (h = await startHotline({
    threading: 'topics',
    teams: [
      { name: 'disability', categories: ['discrimination.disability'] },
      { name: 'kazakh', languages: ['kk'] },
    ],
  }));
  const { disability, kazakh } = hotline.teams as { disability: { id: number }; kazakh: { id: number } };
  const chat = staffChat(hotline);
  const aigerim = hotline.api.addUser({ firstName: 'Aigerim', username: 'aigerim_d', languageCode: 'kk' });
  const arman = hotline.api.addUser({ firstName: 'Arman', username: 'arman_k', languageCode: 'kk' });
  hotline.api.addMember(disability, aigerim);
  hotline.api.addMember(kazakh, arman);
  hotline.api.addMember(hotline.staffGroup, arman);
  // Seen by the bot, so the admin can name them.
  hotline.api.sendGroup(disability, aigerim, 'Сәлем');
  chat.say(arman, 'Сәлем');
  chat.say(hotline.counsellor, 'Сәлем');
  await chat.ask(hotline.admin, '/staff add @dana_counsellor ru');
  expect((await chat.ask(hotline.admin, '/staff add @aigerim_d kk,ru disability')).text).toContain('Aigerim');
  // Arman works in two chats: the staff chat and the Kazakh team's.
  expect((await chat.ask(hotline.admin, '/staff add @arman_k kk main kazakh')).text).toContain('Arman');
  const ask = async (group: { id: number }, user: { id: number }, text: string, threadId?: number) => {
    const sent = hotline.api.sendGroup(group, user, text, threadId !== undefined ? { threadId } : {});
    return hotline.api.waitFor(() => hotline.api.messagesIn(group.id).find((m) => m.from?.is_bot && m.reply_to_message?.message_id === sent.message_id), T);
  };
  return { hotline, chat, disability, kazakh, aigerim, arman, ask };
}

const topicOf = (hotline: Hotline, group: { id: number }, code: string) =>
  hotline.api.waitFor(() => hotline.api.topics(group.id).find((x) => x.name.includes(code)), T);
const inStaffChat = (hotline: Hotline, needle: string) =>
  [...hotline.api.messagesIn(hotline.staffGroup.id).map((m) => m.text ?? ''), ...hotline.api.topics(hotline.staffGroup.id).map((x) => x.name)].some((s) =>
    s.includes(needle),
  );

describe('several staff chats', () => {
  it('routes by category and language to each team, with its own people; the rest to the staff chat', async () => {
    const { hotline, disability, kazakh, aigerim, arman, ask } = await withTeams();
    // Disability discrimination, in Russian: the disability team.
    const r1 = hotline.api.addUser({ firstName: 'R1', languageCode: 'ru' });
    const { code: c1 } = await fileReport(hotline.api, r1, {
      category: 'discrimination',
      subcategory: 'disability',
      account: ['Мне не дают доступ к аудитории.'],
    });
    const t1 = await topicOf(hotline, disability, c1);
    const assigned1 = await hotline.api.waitFor(
      () => hotline.api.messagesIn(disability.id).find((m) => m.message_thread_id === t1.message_thread_id && m.text?.startsWith('👤')),
      T,
    );
    expect(mentions(assigned1, aigerim)).toBe(true);
    // In Kazakh, bullying: the Kazakh team, where Arman is the one on duty.
    const r2 = hotline.api.addUser({ firstName: 'R2', languageCode: 'kk' });
    const { code: c2 } = await fileReport(hotline.api, r2, { account: ['Мені топта мазақтайды.'] });
    const t2 = await topicOf(hotline, kazakh, c2);
    const assigned2 = await hotline.api.waitFor(
      () => hotline.api.messagesIn(kazakh.id).find((m) => m.message_thread_id === t2.message_thread_id && m.text?.startsWith('👤')),
      T,
    );
    expect(mentions(assigned2, arman)).toBe(true);
    // In Russian, bullying: the staff chat.
    const r3 = hotline.api.addUser({ firstName: 'R3', languageCode: 'ru' });
    const { code: c3 } = await fileReport(hotline.api, r3, { account: ['Меня травят в общежитии.'] });
    await topicOf(hotline, hotline.staffGroup, c3);
    expect(inStaffChat(hotline, c1) || inStaffChat(hotline, c2)).toBe(false);

    // Aigerim answers in her chat; it reaches the reporter.
    hotline.api.sendGroup(disability, aigerim, 'Спасибо, мы разберёмся.', { threadId: t1.message_thread_id });
    await hotline.api.waitFor(() => hotline.api.messagesIn(r1.id).find((m) => m.text?.includes('мы разберёмся')), T);
    // Each chat lists its own cases; Arman, in two chats, sees each chat's in that chat.
    const listDisability = await ask(disability, aigerim, '/cases');
    expect(listDisability.text).toContain(c1);
    expect(listDisability.text).not.toContain(c3);
    const listMain = await ask(hotline.staffGroup, arman, '/cases');
    expect(listMain.text).toContain(c3);
    expect(listMain.text).not.toContain(c1);
    expect(listMain.text).not.toContain(c2);
    expect((await ask(kazakh, arman, '/cases')).text).toContain(c2);
    // The staff chat's admins see each chat's counts, never their content.
    const health = await ask(hotline.staffGroup, hotline.admin, '/health');
    for (const chat of ['main', 'disability', 'kazakh']) {
      expect(health.text).toContain(t('ru', 'health-line', { chat, open: 1, unassigned: 0, urgent: 0 }).slice(2));
    }
    expect(health.text).not.toContain(c1);
    expect(health.text).toContain(t('ru', 'health-oversight', { configured: 'no' }));
    // Dana is only in the staff chat: a stranger in the disability chat, her commands refused.
    hotline.api.addMember(disability, hotline.counsellor);
    expect((await ask(disability, hotline.counsellor, '/cases')).text).toBe(t('ru', 'cmd-not-staff'));
    // On duty per chat: Aigerim is nobody's duty in the staff chat.
    const onCall = await ask(hotline.staffGroup, hotline.counsellor, '/oncall');
    expect(onCall.text).not.toContain('Aigerim');
    expect((await ask(disability, aigerim, '/oncall')).text).toContain('Aigerim');
  });

  it('an urgent report, opened at "yes, I am in danger", goes to the team of its language too', async () => {
    const { hotline, kazakh } = await withTeams();
    const r = hotline.api.addUser({ firstName: 'U', languageCode: 'kk' });
    await upToWhen(hotline.api, r, { danger: 'yes' });
    const opened = await hotline.api.waitFor(() => hotline.api.messagesIn(r.id).find((m) => /кодыңыз: [0-9A-Z]{3}-[0-9A-Z]{3}/.test(m.text ?? '')), T);
    const code = /([0-9A-Z]{3}-[0-9A-Z]{3})/.exec(opened.text!)![1]!;
    await topicOf(hotline, kazakh, code);
    expect(inStaffChat(hotline, code)).toBe(false);
  });

  it('taking someone out of a team’s chat passes its cases on and removes them from it', async () => {
    const { hotline, chat, kazakh, arman } = await withTeams();
    const r = hotline.api.addUser({ firstName: 'R', languageCode: 'kk' });
    const { code } = await fileReport(hotline.api, r, { account: ['Мені топта мазақтайды.'] });
    const topic = await topicOf(hotline, kazakh, code);
    await hotline.api.waitFor(() => hotline.api.messagesIn(kazakh.id).find((m) => m.message_thread_id === topic.message_thread_id && mentions(m, arman)), T);
    // Arman stays in the staff chat only.
    expect((await chat.ask(hotline.admin, '/staff add @arman_k kk main')).text).toContain('Arman');
    await hotline.api.waitFor(() => (hotline.api.memberStatus(kazakh, arman) === 'left' ? true : undefined), T);
    expect(hotline.api.memberStatus(hotline.staffGroup, arman)).toBe('member');
    // Nobody holds the case any more: with nobody left in the team, it waits for one.
    const redis = new Redis(hotline.redis.url);
    try {
      const caseId = (await redis.get(redisKeys.code(code as CaseCode)))!;
      await until(async () => ((await redis.sismember(rosterKeys.waiting, caseId)) === 1 ? true : undefined), { ...T, label: 'the case waiting for the team' });
      expect(await redis.hget(redisKeys.case(caseId as CaseId), 'assignee')).toBeNull();
    } finally {
      redis.disconnect();
    }
  });

  it('a chat taken out of STAFF_CHATS hands its cases to the staff chat at the next start', async () => {
    const { hotline, kazakh } = await withTeams();
    const r = hotline.api.addUser({ firstName: 'R', languageCode: 'kk' });
    const account = 'Мені жатақханада қорлайды.';
    const { code } = await fileReport(hotline.api, r, { account: [account] });
    await topicOf(hotline, kazakh, code);
    await hotline.app.stop();
    const { STAFF_CHATS: _gone, ...env } = hotline.env;
    hotline.app = await startTrustline({ config: loadConfig(env), keys: hotline.keys, log: hotline.captured.log });
    const topic = await topicOf(hotline, hotline.staffGroup, code);
    await hotline.api.waitFor(
      () => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.message_thread_id === topic.message_thread_id && m.text?.includes(account)),
      T,
    );
    expect(hotline.captured.records().some((x) => x.event === 'staff.chat-gone' && x.moved === 1)).toBe(true);
    // The reporter writes on; it reaches the staff chat, and an answer from there reaches them.
    hotline.api.sendPrivate(r, 'Тағы бір нәрсе.');
    await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text?.includes('Тағы бір нәрсе.')), T);
    hotline.api.sendGroup(hotline.staffGroup, hotline.counsellor, 'Біз көмектесеміз.', { threadId: topic.message_thread_id });
    await hotline.api.waitFor(() => hotline.api.messagesIn(r.id).find((m) => m.text?.includes('Біз көмектесеміз.')), T);
  });

  it('a STAFF_CHATS file with a mistake stops the start with what to fix', async () => {
    await sodiumReady();
    const dir = mkdtempSync(join(tmpdir(), 'trustline-chats-'));
    const bad = join(dir, 'chats.yaml');
    writeFileSync(bad, 'chats:\n  - name: kk\n    chatId: 5\n');
    const env = { TELEGRAM_BOT_TOKEN: '1:x'.padEnd(40, 'x'), STAFF_CHAT_ID: '-100', STAFF_ADMIN_IDS: '1', STAFF_CHATS: bad };
    const err = (() => {
      try {
        loadConfig(env);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err?.problems.join('\n')).toMatch(/STAFF_CHATS: .*name: is a word Trustline uses already.*chatId: must be a group id/);
    // A category no report can have.
    writeFileSync(bad, 'chats:\n  - name: disability\n    chatId: -200\n    categories: [discrimination.disabled]\n');
    const config = loadConfig(env);
    await expect(startTrustline({ config, keys: generateKeyRing(), log: captureLog().log })).rejects.toThrow(/unknown category discrimination\.disabled/);
  });
});
