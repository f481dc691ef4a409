// Only the roster reads the staff chat: someone taken off the roster (by /staff remove or
// a roster import) is removed from the chat, someone who joins without being on it is
// removed at once (or the admins warned), Telegram's refusals are told to the admins, and
// a bot without the rights to do this refuses to start, naming them.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { dutyQueueNames, jobIds } from '../../src/queue/jobs.js';
import { importRoster } from '../../src/routing/roster-import.js';
import { StaffDirectory } from '../../src/routing/staff-directory.js';
import { rosterKeyOf } from '../../src/crypto/index.js';
import { AuditLog } from '../../src/store/audit.js';
import { DutyStore } from '../../src/store/duty.js';
import { queuePrefix } from '../../src/store/redis-keys.js';
import { RosterStore } from '../../src/store/roster.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { dumpRedis } from '../support/redis.js';

let h: Hotline | undefined;
let redis: Redis | undefined;
afterEach(async () => {
  redis?.disconnect();
  await h?.stop();
  h = redis = undefined;
});

async function hotline(env: Record<string, string> = {}): Promise<Hotline> {
  h = await startHotline({ threading: 'topics', env });
  redis = new Redis(h.redis.url, { maxRetriesPerRequest: null });
  // Telegram generates chat_member updates only once the bot has asked for them.
  const hl = h;
  await hl.api.waitFor(() => hl.api.callsTo('getUpdates').some((c) => JSON.stringify(c.params.allowed_updates ?? '').includes('chat_member')), {
    timeoutMs: 10_000,
  });
  return h;
}

const staffTexts = (h: Hotline) => h.api.messagesIn(h.staffGroup.id).map((m) => m.text ?? '');
const said = (h: Hotline, start: string, label: string) => h.api.waitFor(() => staffTexts(h).find((t) => t.startsWith(start)), { timeoutMs: 10_000, label });

describe('membership follows the roster', () => {
  it('/staff remove takes the person out of the staff chat; they can be invited again', async () => {
    const h = await hotline();
    const arman = h.api.addUser({ firstName: 'Arman', username: 'arman_k', languageCode: 'ru' });
    h.api.addMember(h.staffGroup, arman); // there from before (no update)
    h.api.sendGroup(h.staffGroup, arman, 'hello'); // seen, so /staff add finds @arman_k
    await said(h, 'ℹ️', 'the stranger hint');
    h.api.sendGroup(h.staffGroup, h.admin, '/staff add @arman_k ru');
    await said(h, '✅', 'Arman added'); // the admin's command answered
    h.api.sendGroup(h.staffGroup, h.admin, '/staff remove @arman_k');
    const notice = await said(h, '🚪 Arman больше нет в списке сотрудников', 'the removal notice');
    expect(notice).toContain('/staff add');
    expect(h.api.memberStatus(h.staffGroup, arman)).toBe('left'); // removed, not banned
    expect(h.api.callsTo('banChatMember').map((c) => Number(c.params.user_id))).toEqual([arman.id]);
    expect(h.api.callsTo('unbanChatMember').map((c) => c.params.only_if_banned)).toEqual([true]);
    expect(h.captured.lines.join('\n')).not.toContain('Arman');
  });

  it('a roster import that drops someone removes them too', async () => {
    const h = await hotline();
    const arman = h.api.addUser({ firstName: 'Arman', languageCode: 'ru' });
    const dana = h.counsellor;
    const roster = new RosterStore(redis!);
    const directory = new StaffDirectory(roster, h.keys.pepper);
    const queue = new Queue(dutyQueueNames.membership, { connection: redis!, prefix: queuePrefix });
    const deps = {
      roster,
      directory,
      duty: new DutyStore(redis!),
      audit: new AuditLog(redis!, rosterKeyOf(h.keys.pepper)),
      routeAgain: async () => undefined,
      caseDesk: async () => 'main',
      removeFromChat: async (handle: string) => void (await queue.add('remove', { handle }, { jobId: jobIds.membership(handle, Date.now(), 'main') })),
    };
    const person = (id: number, name: string, role: 'admin' | 'counsellor') => ({
      identity: { channel: 'telegram' as const, address: String(id), name },
      role,
      langs: ['ru' as const],
      escalation: false,
      active: true,
      shifts: [],
    });
    const admin = person(h.admin.id, 'Aliya', 'admin');
    const opts = { now: Date.now(), configAdminIds: [h.admin.id], dryRun: false };
    h.api.joinGroup(h.staffGroup, arman, { by: h.admin });
    await importRoster(deps, { staff: [admin, person(dana.id, 'Dana', 'counsellor'), person(arman.id, 'Arman', 'counsellor')] }, opts);
    await importRoster(deps, { staff: [admin, person(dana.id, 'Dana', 'counsellor')] }, { ...opts, now: Date.now() });
    await said(h, '🚪 Arman', 'the removal after the import');
    // He also joined before he was on the roster: that removal (a ban lifted at once) may
    // still be under way when this one is told. Either way he ends up out, not banned.
    await h.api.waitFor(() => h.api.memberStatus(h.staffGroup, arman) === 'left' || undefined, { timeoutMs: 15_000 });
    expect(h.api.memberStatus(h.staffGroup, dana)).toBe('member');
    await queue.close();
    // the job held the handle only
    expect(await dumpRedis(redis!)).not.toContain(String(arman.id));
  });

  it('someone not on the roster who joins is removed at once, and the admins told who added them', async () => {
    const h = await hotline();
    const stranger = h.api.addUser({ firstName: 'Stranger', languageCode: 'ru' });
    h.api.joinGroup(h.staffGroup, stranger, { by: h.counsellor });
    const notice = await said(h, '🚪 Stranger добавлен в чат участником Dana', 'the stranger notice');
    expect(notice).toContain('Бот сразу удалил');
    expect(h.api.memberStatus(h.staffGroup, stranger)).toBe('left');
    // by an invite link, the same
    const other = h.api.addUser({ firstName: 'Linker', languageCode: 'ru' });
    h.api.joinGroup(h.staffGroup, other);
    await said(h, '🚪 Linker вошёл в чат по ссылке-приглашению', 'the invite-link notice');
    // a counsellor on the roster joining again is left alone
    h.api.joinGroup(h.staffGroup, h.counsellor);
    const stay = h.api.addUser({ firstName: 'Later', languageCode: 'ru' });
    h.api.joinGroup(h.staffGroup, stay, { by: h.admin });
    await said(h, '🚪 Later', 'the next notice');
    expect(h.api.memberStatus(h.staffGroup, h.counsellor)).toBe('member');
  });

  it('where Telegram refuses (an administrator the bot did not appoint), the admins are told what to do', async () => {
    const h = await hotline();
    const boss = h.api.addUser({ firstName: 'Boss', languageCode: 'ru' });
    h.api.joinGroup(h.staffGroup, boss, { by: h.admin, status: 'administrator' });
    const notice = await said(h, '⚠️ Boss нет в списке сотрудников, но удалить', 'the refusal notice');
    expect(notice).toContain('это администратор, которого назначил не бот');
    expect(notice).toContain('вручную');
    expect(h.api.memberStatus(h.staffGroup, boss)).toBe('administrator');
  });

  it('STAFF_CHAT_GUARD=warn only warns', async () => {
    const h = await hotline({ STAFF_CHAT_GUARD: 'warn' });
    const stranger = h.api.addUser({ firstName: 'Guest', languageCode: 'ru' });
    h.api.joinGroup(h.staffGroup, stranger, { by: h.admin });
    const notice = await said(h, '⚠️ Guest добавлен в чат участником Aliya', 'the warning');
    expect(notice).toContain('может читать все обращения');
    expect(h.api.memberStatus(h.staffGroup, stranger)).toBe('member');
    expect(h.api.callsTo('banChatMember')).toEqual([]);
  });
});

describe('the bot’s rights in the staff chat', () => {
  it('without “Ban users” and “Delete messages”, Trustline refuses to start and says what to switch on', async () => {
    const err = await startHotline({ threading: 'topics', botRights: { can_restrict_members: false, can_delete_messages: false } }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.name).toBe('StaffRightsMissing');
    expect(err?.message).toContain('“Delete messages”, “Ban users” in the staff chat');
    expect(err?.message).toContain('Administrators');
  });

  it('a right taken away later fails /healthz', async () => {
    const h = await hotline({ HEALTH_PORT: '0' });
    const check = async () => ((await (await fetch(`${h.app.health!.url}/healthz`)).json()) as { checks: Record<string, string> }).checks.staffChat;
    expect(await check()).toBe('ok');
    h.api.setBotRights(h.staffGroup, { can_manage_topics: false });
    expect(await check()).toBe('failing');
  });
});
