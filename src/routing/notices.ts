// What routing and the SLA timers announce: in the case's staff thread (StaffNotice,
// carried by a job, rendered in STAFF_LANG) and to the reporter (plain words in their
// language, stored encrypted in the case log like any answer).
import { emergencyList, t, formatDayTime, formatDue, formatWhen } from '../i18n/index.js';
import type { CaseCode, Lang, EmergencyNumbers } from '../shared/index.js';
import type { CaseStatus } from '../store/index.js';
import type { StaffNotice } from '../queue/index.js';
import { mention, staffText, statusName, type StaffText } from './staff-text.js';

export function noticeText(n: StaffNotice, lang: Lang, timeZone: string): StaffText {
  switch (n.kind) {
    case 'assigned':
      return staffText(
        lang,
        n.urgent ? 'duty-assigned-urgent' : 'duty-assigned',
        { minutes: n.slaMinutes, count: n.alsoNotify.length },
        {
          who: mention(n.who),
          others: n.alsoNotify.map(mention),
        },
      );
    case 'turned-urgent':
      return staffText(
        lang,
        'duty-turned-urgent',
        { state: n.who === undefined ? 'nobody' : n.acknowledged ? 'held' : 'open', minutes: n.slaMinutes, count: n.alsoNotify.length },
        { ...(n.who ? { who: mention(n.who) } : {}), others: n.alsoNotify.map(mention) },
      );
    case 'waiting':
      return staffText(
        lang,
        n.next === undefined ? 'duty-waiting-no-shift' : 'duty-waiting',
        { next: n.next === undefined ? '' : formatDayTime(n.next, lang, timeZone), urgent: n.urgent ? 'yes' : 'no' },
        { others: n.alsoNotify.map(mention) },
      );
    case 'escalated':
      return staffText(lang, 'duty-escalated', { minutes: n.minutes }, { who: mention(n.who) });
    case 'admins-called':
      return staffText(lang, 'duty-admins-called', { minutes: n.minutes }, { who: n.who.map(mention) });
    case 'reopened':
      return n.who ? staffText(lang, 'duty-reopened', {}, { who: mention(n.who) }) : staffText(lang, 'duty-reopened-unassigned');
    case 'followup-sent':
      return staffText(lang, 'duty-followup-sent');
    case 'card':
      return { parts: [] };
    case 'needs-private-chat':
      return staffText(lang, 'duty-needs-private-chat', {}, { who: mention(n.who) });
    case 'opened':
      return staffText(lang, 'duty-opened', {}, { who: mention(n.who) });
    case 'quiet-held':
      return staffText(lang, 'duty-quiet-held', { until: formatDayTime(n.until, lang, timeZone) });
    case 'deadline':
      return staffText(
        lang,
        n.passed ? 'duty-deadline-passed' : 'duty-deadline-soon',
        { stage: statusName(lang, n.stage), due: formatDue(n.dueAt, lang, timeZone) },
        { who: n.who.map(mention) },
      );
  }
}

export const reporterNotices = {
  offHours(lang: Lang, next: number | undefined, timeZone: string, numbers: EmergencyNumbers): string {
    return t(lang, next === undefined ? 'reporter-off-hours-unknown' : 'reporter-off-hours', {
      next: next === undefined ? '' : formatWhen(next, lang, timeZone),
      numbers: emergencyList(lang, numbers),
    });
  },
  status(lang: Lang, code: CaseCode, status: CaseStatus): string {
    return t(lang, 'reporter-status', { code, status });
  },
  followup(lang: Lang, code: CaseCode): string {
    return t(lang, 'reporter-followup', { code });
  },
  movedToOversight(lang: Lang, code: CaseCode): string {
    return t(lang, 'reporter-moved-oversight', { code });
  },
};
