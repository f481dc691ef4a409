// A report about the hotline's own staff: the intake asks, in plain words, and a reporter
// who says yes is told honestly, before anything is sent, that the counselling team on
// duty would read it, and where else they can go, when there is no oversight chat
// (with one, see oversight.e2e.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/i18n.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { fileReport } from '../support/intake-driver.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const T = { timeoutMs: 10_000 };

describe('a report about the service’s own staff', () => {
  it('is told where it would go and the configured alternative, and the report says it is about staff', async () => {
    const contacts = 'the ethics commission, ethics@university.kz, +7 7172 000000';
    const hotline = (h = await startHotline({ threading: 'topics', env: { OVERSIGHT_CONTACTS: contacts } }));
    const user = hotline.api.addUser({ firstName: 'A', languageCode: 'en' });
    const { code } = await fileReport(hotline.api, user, { aboutStaff: 'yes' });
    const told = hotline.api.messagesIn(user.id).find((m) => m.text === t('en', 'about-staff-no-oversight', { contacts }));
    expect(told).toBeDefined();
    expect(told!.text).toContain(contacts);
    const report = await hotline.api.waitFor(
      () => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text?.includes(code) && m.text.includes('📋')),
      T,
    );
    expect(report.text).toContain('О сотрудниках самой службы: Да');
  });

  it('without contacts configured points to the ethics commission in general words; "no" and "rather not say" are told nothing', async () => {
    const hotline = (h = await startHotline({ threading: 'topics' }));
    const yes = hotline.api.addUser({ firstName: 'Y', languageCode: 'ru' });
    await fileReport(hotline.api, yes, { aboutStaff: 'yes' });
    expect(hotline.api.messagesIn(yes.id).some((m) => m.text === t('ru', 'about-staff-no-oversight', { contacts: 'none' }))).toBe(true);
    for (const answer of ['no', 'unsure'] as const) {
      const user = hotline.api.addUser({ firstName: answer, languageCode: 'ru' });
      await fileReport(hotline.api, user, { aboutStaff: answer });
      expect(hotline.api.messagesIn(user.id).some((m) => m.text?.startsWith(t('ru', 'about-staff-no-oversight', { contacts: 'none' }).slice(0, 20)))).toBe(
        false,
      );
    }
  });
});
