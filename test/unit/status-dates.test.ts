// The reporter's /status: where the case stands and, while a stage has a time limit, the
// date its next step is due, in their language (a day that ends the limit is that day).
import { describe, expect, it } from 'vitest';
import { formatDue } from '../../src/i18n/format.js';
import { t } from '../../src/i18n/i18n.js';
import { almaty } from '../support/duty.js';

const due = almaty('2025-05-31T00:00'); // the end of Friday 30 May
const status = (lang: 'kk' | 'ru' | 'en', stage: string) =>
  t(lang, 'status', { code: 'K7Q-4FD', status: 'under-consideration', answers: 1, stage, due: formatDue(due, lang, 'Asia/Almaty', true) });

describe('the reporter’s /status', () => {
  it('says by when the next step is due, in each language', () => {
    expect(status('ru', 'under-consideration')).toContain('Решение по вашей жалобе должно быть принято до 30 мая.');
    expect(status('kk', 'under-consideration')).toContain('Шағымыңыз бойынша шешім 30 мамыр дейін қабылдануы керек.');
    expect(status('en', 'under-consideration')).toContain('A decision on your complaint is due by May 30.');
    expect(status('en', 'new')).toContain('A counsellor will answer you by May 30.');
  });

  it('says nothing of a date where the stage has none', () => {
    const text = status('en', 'none');
    expect(text.split('\n')).toHaveLength(2);
    expect(text).not.toContain('due');
  });

  it('shows an hour, with the zone, for a limit that ends within a day', () => {
    expect(formatDue(almaty('2025-05-30T14:00'), 'en', 'Asia/Almaty', true)).toMatch(/May 30.*14:00.*GMT\+5/);
    expect(formatDue(almaty('2025-05-30T14:00'), 'en', 'Asia/Almaty')).toBe('Fri, May 30 14:00');
  });
});

describe('the reporter’s /help after sending', () => {
  it('names /quiet in each language, for someone who wants quiet hours later', () => {
    for (const lang of ['kk', 'ru', 'en'] as const) expect(t(lang, 'help-after', { code: 'K7Q-4FD', numbers: '112' })).toContain('/quiet 22:00-08:00');
  });
});
