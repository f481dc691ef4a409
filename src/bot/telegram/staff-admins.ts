// Who among the staff chat's administrators has "Remain anonymous" on. What they write
// reaches the bot without a name (see staff-chat.ts), so it can never be relayed; the
// admin who runs the hotline hears the count at start-up (in the chat) and from
// /healthz. Only the count leaves this module: no names, no ids, not in the log either.
import type { Api } from 'grammy';
import { t } from '../../i18n/index.js';
import type { Lang, Logger } from '../../shared/index.js';

export interface StaffAdmins {
  /** How many administrators (people, not bots) post anonymously, as Telegram says now. */
  anonymous(): Promise<number>;
}

export function staffAdmins(api: Api, chatId: number): StaffAdmins {
  // Asked anew each time (a health check every 30 s costs nothing); callers at the same moment share one call.
  let asking: Promise<number> | undefined;
  return {
    anonymous() {
      asking ??= api
        .getChatAdministrators(chatId)
        .then((admins) => admins.filter((m) => !m.user.is_bot && 'is_anonymous' in m && m.is_anonymous).length)
        .finally(() => (asking = undefined));
      return asking;
    },
  };
}

/** At start-up: a warning in the log, and in the staff chat where an admin will see it. */
export async function warnAnonymousAdmins(api: Api, admins: StaffAdmins, o: { chatId: number; lang: Lang; log: Logger }): Promise<void> {
  let count: number;
  try {
    count = await admins.anonymous();
  } catch (err) {
    o.log.warn({ err, event: 'staff.admins-unknown' }, 'could not read the staff chat administrators');
    return;
  }
  o.log[count > 0 ? 'warn' : 'info']({ event: 'staff.anonymous-admins', count }, 'staff chat administrators posting anonymously');
  if (count > 0) await api.sendMessage(o.chatId, t(o.lang, 'staff-anonymous-admins', { count })).catch(() => undefined);
}
