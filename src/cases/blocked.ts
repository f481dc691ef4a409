// What a reporter blocked for abuse is told (/block): the service will not answer on this
// case, and where else they can turn. The same words from staff's /block and from the
// intake whenever they write on the case again.
import { emergencyList, t } from '../i18n/index.js';
import type { CaseCode, Lang } from '../shared/index.js';

export interface ElsewhereHelp {
  /** EMERGENCY_NUMBERS */
  numbers: readonly string[];
  /** OVERSIGHT_CONTACTS, if set */
  contacts?: string;
}

/** `record` undefined: a new case refused to a blocked account. */
export function blockedNotice(lang: Lang, help: ElsewhereHelp, record?: { code: CaseCode }): string {
  const args = { numbers: emergencyList(lang, help.numbers), contacts: help.contacts ?? 'none' };
  return record ? t(lang, 'reporter-blocked', { ...args, code: record.code }) : t(lang, 'reporter-blocked-new', args);
}
