// Every notice renders in every staff language with the people in their slots.
import { describe, expect, it } from 'vitest';
import { type CounsellorId, languages } from '../../src/shared/ids.js';
import { noticeText, reporterNotices } from '../../src/routing/notices.js';
import type { StaffNotice } from '../../src/queue/jobs.js';
import { skeleton, staffText } from '../../src/routing/staff-text.js';
import { defaultEmergencyNumbers } from '../../src/shared/urgent-help.js';

const dana = 'dana' as CounsellorId;
const arman = 'arman' as CounsellorId;
const at = Date.parse('2025-05-17T13:00:00Z'); // Saturday 18:00 in Almaty

const notices: StaffNotice[] = [
  { kind: 'assigned', who: dana, urgent: false, alsoNotify: [], slaMinutes: 15 },
  { kind: 'assigned', who: dana, urgent: true, alsoNotify: [arman], slaMinutes: 5 },
  { kind: 'assigned', who: dana, urgent: true, alsoNotify: [], slaMinutes: 5 },
  { kind: 'waiting', next: at, urgent: false, alsoNotify: [] },
  { kind: 'waiting', urgent: true, alsoNotify: [arman] },
  { kind: 'escalated', who: arman, minutes: 15 },
  { kind: 'admins-called', who: [dana, arman], minutes: 15 },
  { kind: 'reopened', who: dana },
  { kind: 'reopened' },
  { kind: 'followup-sent' },
  { kind: 'turned-urgent', who: dana, acknowledged: false, alsoNotify: [arman], slaMinutes: 5 },
  { kind: 'turned-urgent', who: dana, acknowledged: true, alsoNotify: [], slaMinutes: 5 },
  { kind: 'turned-urgent', acknowledged: false, alsoNotify: [dana, arman], slaMinutes: 5 },
];

describe('notices', () => {
  it('render in kk, ru and en with a slot for every person', () => {
    for (const lang of languages) {
      for (const n of notices) {
        const text = noticeText(n, lang, 'Asia/Almaty');
        const people = text.parts.filter((p) => typeof p !== 'string');
        const everyoneToo = 'alsoNotify' in n && (n.kind === 'turned-urgent' || n.urgent);
        const expected = [('who' in n ? n.who : undefined) ?? [], everyoneToo ? n.alsoNotify : []].flat();
        expect(people.length, `${lang} ${n.kind}`).toBe(expected.length);
        expect(skeleton(text)).not.toMatch(/[{}]|\uE000/);
      }
    }
    expect(skeleton(noticeText(notices[3]!, 'ru', 'Asia/Almaty'))).toContain('сб, 17 мая 18:00');
  });

  it('mentions are slots, not text: a name is only filled in at the staff edge', () => {
    const text = staffText('en', 'cmd-transferred', { minutes: 15 }, { who: { mention: arman }, by: { name: dana } });
    expect(text.parts).toEqual([
      '✅ ',
      { name: dana },
      ' handed this case to ',
      { mention: arman },
      '. Please acknowledge within 15 min: /take, or simply answer.',
    ]);
  });

  it('tell the reporter the next shift in their language and where urgent help is', () => {
    const kk = reporterNotices.offHours('kk', at, 'Asia/Almaty', defaultEmergencyNumbers);
    expect(kk).toContain('17 мамыр, сенбі, 18:00 GMT+5');
    const en = reporterNotices.offHours('en', undefined, 'Asia/Almaty', defaultEmergencyNumbers);
    expect(en).toMatch(/as soon as possible/);
    for (const n of ['112', '102', '103', '111', '150']) expect(en).toContain(n);
    expect(en).toContain('103: ambulance'); // each number says what it is for, as in the intake
    // EMERGENCY_NUMBERS replaces the list here too, not only in the intake's texts.
    const custom = reporterNotices.offHours('ru', undefined, 'Asia/Almaty', ['112', '1414']);
    expect(custom).toContain('1414');
    expect(custom).not.toContain('150');
  });
});
