// The command menus Telegram shows next to the text field ("/" button): reporters see
// theirs in their phone's language, counsellors see the staff commands in the staff
// chat. On a phone at 2 a.m. nobody remembers /followup or /withdraw.
import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { commands as reporterCommands } from '../../flows/index.js';
import { attribute } from '../../i18n/index.js';
import { languages, type Logger, type Lang } from '../../shared/index.js';
import { commandNames } from '../../routing/index.js';

/** /rights sits after /help: it is answered before the intake (flows/rights.ts), so it is not one of the intake's commands. */
const reporterMenuCommands = reporterCommands.flatMap((command) => (command === 'help' ? [command, 'rights'] : [command]));

export function reporterMenu(lang: Lang): BotCommand[] {
  return reporterMenuCommands.map((command) => ({ command, description: attribute(lang, `command-${command}`, 'menu') ?? command }));
}

export function staffMenu(lang: Lang): BotCommand[] {
  return commandNames.map((command) => ({ command, description: attribute(lang, 'staff-menu', command) ?? command }));
}

/**
 * Sets both menus. A failure is logged and left: the commands work typed out, and the
 * next start tries again.
 */
export async function registerCommandMenus(api: Api, staffChatId: number, staffLang: Lang, log: Logger): Promise<void> {
  try {
    for (const lang of languages) {
      await api.setMyCommands(reporterMenu(lang), { scope: { type: 'all_private_chats' }, language_code: lang });
    }
    // Phones in any other language: Russian, the language most people on campus share.
    await api.setMyCommands(reporterMenu('ru'), { scope: { type: 'all_private_chats' } });
    await api.setMyCommands(staffMenu(staffLang), { scope: { type: 'chat', chat_id: staffChatId } });
  } catch (err) {
    log.warn({ err, event: 'commands.menu-failed' }, 'could not set the command menus; commands still work when typed');
  }
}
