import { describe, expect, it } from 'vitest';
import { catalogIds, t } from '../../src/i18n/i18n.js';
import { languages } from '../../src/shared/ids.js';
import { dutyMessageIds } from '../../src/i18n/staff-ids.js';
import { reportMessageIds } from '../../src/i18n/report-ids.js';

describe('message catalogs', () => {
  it('have the same messages in Kazakh, Russian and English', () => {
    const en = catalogIds('en').sort();
    expect(en.length).toBeGreaterThan(10);
    for (const lang of languages) expect(catalogIds(lang).sort()).toEqual(en);
  });

  it('parse every duty and report message in every language (a syntax error would silently drop one)', () => {
    for (const lang of languages)
      expect(
        [...dutyMessageIds, ...reportMessageIds].filter((id) => !catalogIds(lang).includes(id)),
        lang,
      ).toEqual([]);
  });

  it('tell the reporter about every status in plain words, in their language', () => {
    for (const lang of languages) {
      const other = t(lang, 'reporter-status', { code: 'K7Q-4FD', status: 'something-else' });
      for (const status of ['acknowledged', 'under-consideration', 'investigation', 'measures-taken', 'closed']) {
        const text = t(lang, 'reporter-status', { code: 'K7Q-4FD', status });
        expect(text).toContain('K7Q-4FD');
        expect(text, `${lang} ${status}`).not.toBe(other);
        if (status.includes('-')) expect(text).not.toContain(status); // plain words, not the status id
      }
    }
  });

  it('fill in variables without bidi isolation marks', () => {
    const text = t('kk', 'receipt', { code: 'K7Q-4FD', passphrase: 'one two three four' });
    expect(text).toContain('Өтініш коды: K7Q-4FD');
    expect(text).not.toMatch(/[\u2068\u2069]/);
    expect(t('en', 'evidence-unsupported', { kind: 'hologram' })).toMatch(/^Messages of this kind/);
  });

  it('name the kind of media that cannot be passed on, in every language', () => {
    expect(t('kk', 'evidence-unsupported', { kind: 'photo' })).toMatch(/^Суреттерді/);
    expect(t('ru', 'evidence-unsupported', { kind: 'voice' })).toMatch(/^Голосовые сообщения/);
    expect(t('en', 'evidence-unsupported', { kind: 'document' })).toMatch(/^Files/);
  });
});
