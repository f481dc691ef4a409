// Staff commands without a chat: who may run what, and how a Telegram message becomes
// a command with its people.
import type { Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { commandOf } from '../../src/bot/telegram/staff-commands.js';
import type { CaseId, CounsellorId } from '../../src/shared/ids.js';
import { authorize, staffCommands, entryOf, type CommandName } from '../../src/routing/staff-commands.js';
import type { StaffRecord } from '../../src/store/roster.js';

const member = (role: StaffRecord['role'], active = true): StaffRecord => ({
  id: role as CounsellorId,
  role,
  langs: [],
  active,
  escalation: false,
  identity: '',
  addedAt: 0,
});
const caseId = 'case1' as CaseId;
const names = Object.keys(staffCommands) as CommandName[];

describe('authorisation of every command', () => {
  it('refuses everything to people who are not active staff', () => {
    for (const name of names) {
      expect(authorize({ name, text: '', caseId }), name).toBe('not-staff');
      expect(authorize({ name, text: '', caseId, actor: member('admin', false) }), name).toBe('not-staff');
    }
    expect(authorize({ name: 'nonsense', text: '' })).toBe('not-staff');
  });

  it('keeps admin commands and roster-changing sub-commands to admins, and /open to supervisors', () => {
    const counsellor = member('counsellor');
    const supervisor = member('supervisor');
    const admin = member('admin');
    for (const name of names) {
      const { access } = entryOf(name);
      expect(authorize({ name, text: '', caseId, actor: counsellor }), name).toBe(access === 'staff' ? undefined : `not-${access}`);
      expect(authorize({ name, text: '', caseId, actor: supervisor }), name).toBe(access === 'admin' ? 'not-admin' : undefined);
      // Need-to-know: an admin runs the roster, and reads no case they do not hold.
      expect(authorize({ name, text: '', caseId, actor: admin }), name).toBe(access === 'supervisor' ? 'not-supervisor' : undefined);
    }
    expect(names.filter((n) => entryOf(n).access === 'supervisor')).toEqual(['open']);
    for (const text of ['add @x mon 9-18', 'remove K7Q4']) expect(authorize({ name: 'shift', text, actor: counsellor })).toBe('not-admin');
    for (const text of ['set hi ru Привет', 'remove hi']) expect(authorize({ name: 'templates', text, actor: counsellor })).toBe('not-admin');
    expect(authorize({ name: 'shift', text: 'list', actor: counsellor })).toBeUndefined();
    expect(authorize({ name: 'templates', text: '', actor: counsellor })).toBeUndefined();
  });

  it('needs a case for case commands, for admins too', () => {
    for (const name of names.filter((n) => entryOf(n).inCase)) {
      expect(authorize({ name, text: '', actor: member('admin') }), name).toBe('needs-case');
    }
    expect(names.filter((n) => entryOf(n).inCase)).toContain('take');
  });
});

function message(text: string, extra: Partial<Message> = {}): Message {
  const entities: Message['entities'] = [];
  const command = /^\/\S+/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const m of text.matchAll(/@[a-z_]{5,}/g)) entities.push({ type: 'mention', offset: m.index, length: m[0].length });
  return { message_id: 5, date: 0, chat: { id: -1, type: 'supergroup', title: 'staff' }, text, entities, ...extra };
}

describe('reading a command from a Telegram message', () => {
  it('finds the command, its arguments and the people it names', () => {
    const c = commandOf(message('/transfer@trustline_bot @arman_k не мой язык'), 'trustline_bot')!;
    expect(c).toEqual({ name: 'transfer', text: '@#0  не мой язык', people: [{ username: 'arman_k', text: '@arman_k' }] });
  });

  it('turns a mention without username (text_mention) into an identity', () => {
    const text = '/staff add Aida Sultan kk';
    const m = message(text);
    m.entities!.push({ type: 'text_mention', offset: 11, length: 11, user: { id: 700000042, is_bot: false, first_name: 'Aida', last_name: 'Sultan' } });
    const c = commandOf(m, 'trustline_bot')!;
    expect(c.text).toBe('add  @#0  kk');
    expect(c.people).toEqual([{ identity: { channel: 'telegram', address: '700000042', name: 'Aida Sultan' }, text: 'Aida Sultan' }]);

    const botMention = message('/staff add Helper');
    botMention.entities!.push({ type: 'text_mention', offset: 11, length: 6, user: { id: 5, is_bot: true, first_name: 'Helper' } });
    expect(commandOf(botMention, 'trustline_bot')?.people).toEqual([]);
  });

  it('takes the author of a replied-to message, but not the bot or a topic’s opening message', () => {
    const person = { id: 7, is_bot: false, first_name: 'Erlan', username: 'erlan_it' };
    const bot = { id: 1, is_bot: true, first_name: 'Trustline' };
    const replied = (from: typeof person | typeof bot, extra = {}) =>
      message('/staff add', {
        reply_to_message: { message_id: 2, date: 0, chat: { id: -1, type: 'supergroup', title: 's' }, from, ...extra } as Message['reply_to_message'],
      });
    expect(commandOf(replied(person), 'trustline_bot')?.replyTo).toEqual({ channel: 'telegram', address: '7', name: 'Erlan', username: 'erlan_it' });
    expect(commandOf(replied(bot), 'trustline_bot')?.replyTo).toBeUndefined();
    expect(commandOf(replied(bot, { forum_topic_created: { name: 'x', icon_color: 0 } }), 'trustline_bot')?.replyTo).toBeUndefined();
  });

  it('ignores plain text and other bots’ commands', () => {
    expect(commandOf(message('just talking /take'), 'trustline_bot')).toBeUndefined();
    expect(commandOf(message('/take@other_bot'), 'trustline_bot')).toBeUndefined();
  });
});

describe('every staff command is documented where staff look', () => {
  it('has a menu entry, a help line and (if it takes arguments) a usage line in kk, ru and en', async () => {
    const { attribute, t } = await import('../../src/i18n/i18n.js');
    const { languages } = await import('../../src/shared/ids.js');
    const missing: string[] = [];
    for (const lang of languages) {
      const help = `${t(lang, 'help-staff')}\n${t(lang, 'help-supervisor')}\n${t(lang, 'help-admin')}`;
      for (const name of names) {
        if (name !== 'help' && !new RegExp(`/${name}(?![a-z])`).test(help)) missing.push(`${lang}: /${name} not in /help`);
        if (!attribute(lang, 'staff-menu', name)) missing.push(`${lang}: /${name} not in the command menu`);
        const usage = attribute(lang, 'staff-usage', name, { statuses: 'x' });
        if (entryOf(name).usage && !usage?.includes(`/${name}`)) missing.push(`${lang}: /${name} has no usage line`);
      }
    }
    expect(missing).toEqual([]);
    expect(names.filter((n) => entryOf(n).usage).length).toBeGreaterThan(5);
  });
});
