// What the bot must be allowed to do in the staff chat to keep it private: remove people
// who are not on the roster, delete a case's messages when the case is erased, and (in
// topics mode) create and delete the case topics. Checked at start-up, where a missing
// right stops Trustline with the list and how to grant it, and by /healthz afterwards.
import type { Api } from 'grammy';
import type { Threading } from '../../config/index.js';
import { t } from '../../i18n/index.js';
import type { DeskName, Lang, Logger } from '../../shared/index.js';

export type StaffRight = 'administrator' | 'can_delete_messages' | 'can_restrict_members' | 'can_manage_topics';

/** As Telegram's group settings name them, for the admin who has to switch them on. */
const LABELS: Record<StaffRight, string> = {
  administrator: 'be an administrator',
  can_delete_messages: '“Delete messages”',
  can_restrict_members: '“Ban users”',
  can_manage_topics: '“Manage topics”',
};

export async function missingStaffRights(api: Api, chatId: number, botId: number, mode: Threading): Promise<StaffRight[]> {
  const me = await api.getChatMember(chatId, botId);
  if (me.status === 'creator') return [];
  if (me.status !== 'administrator') return ['administrator'];
  const missing: StaffRight[] = [];
  if (!me.can_delete_messages) missing.push('can_delete_messages');
  if (!me.can_restrict_members) missing.push('can_restrict_members');
  if (mode === 'topics' && !me.can_manage_topics) missing.push('can_manage_topics');
  return missing;
}

export class StaffRightsMissing extends Error {
  override name = 'StaffRightsMissing';
  constructor(
    readonly missing: readonly StaffRight[],
    readonly desk: DeskName = 'main',
  ) {
    const chat = desk === 'main' ? 'the staff chat' : `the ${desk} chat`;
    super(
      `The bot cannot keep ${chat} private: it must ${missing.map((r) => LABELS[r]).join(', ')} in ${chat} ` +
        `(to remove people who are not on the roster and to delete erased cases). In Telegram, open the ${desk === 'main' ? 'staff' : desk} group → ` +
        'Administrators → the bot (add it as an administrator if it is not one) and switch on “Delete messages”, “Ban users”' +
        ' and, with topics, “Manage topics”; then start Trustline again.',
    );
  }
}

/**
 * "Restrict saving content" on the group protects what counsellors write too, not only
 * the bot's posts (which carry protect_content anyway). Off, the admins are told at start.
 */
export async function warnUnprotectedChat(api: Api, o: { chatId: number; lang: Lang; log: Logger }): Promise<void> {
  const chat = await api.getChat(o.chatId).catch(() => undefined);
  if (!chat || chat.has_protected_content) return;
  o.log.warn({ event: 'staff.chat-unprotected' }, 'the staff chat lets members save and forward what is posted');
  await api.sendMessage(o.chatId, t(o.lang, 'staff-chat-unprotected')).catch(() => undefined);
}
