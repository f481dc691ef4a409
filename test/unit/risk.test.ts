import { describe, expect, it } from 'vitest';
import { WORDS } from '../../src/crypto/wordlist.js';
import { riskDetector } from '../../src/flows/risk.js';
import { languages } from '../../src/shared/ids.js';
import { catalogIds, t, type CatalogId } from '../../src/i18n/i18n.js';

describe('risk words', () => {
  const risky = riskDetector();

  it('catch danger in Kazakh, Russian and English, in any inflection and case', () => {
    for (const text of [
      'Ол мені өлтіремін деп қорқытты',
      'жатақханада мені ұрып-соғады',
      'Он сказал, что убьёт меня',
      'меня ИЗНАСИЛОВАЛИ вчера',
      'он пришёл с ножом',
      'I think he will kill me',
      'I want to die',
      'he hits me every day',
      'я в опасности, помогите',
    ]) {
      expect(risky(text), text).toBe(true);
    }
  });

  it('leave ordinary reports alone', () => {
    for (const text of [
      'Преподаватель занижает оценки за то, что я из села',
      'Мені топта мазақ етеді',
      'My supervisor gives me too much work and shouts',
      'I need new skills', // "skills" does not start with "kill"
    ]) {
      expect(risky(text), text).toBe(false);
    }
  });

  it('never fire on the passphrase words or on the bot’s own option labels', () => {
    expect(WORDS.filter((w) => risky(w))).toEqual([]);
    for (const lang of languages) {
      const labels = catalogIds(lang).filter((id) => id.startsWith('opt-') && id !== 'opt-danger-yes');
      expect(
        labels.filter((id) => risky(t(lang, id as CatalogId, { code: 'K7Q-4FD' }))),
        lang,
      ).toEqual([]);
    }
  });

  it('can be replaced per language from the configuration', () => {
    const custom = riskDetector({ en: ['fire alarm'], ru: ['пожар*'] });
    expect(custom('there is a fire alarm')).toBe(true);
    expect(custom('ПОЖАРНАЯ тревога')).toBe(true);
    expect(custom('he will kill me')).toBe(false); // the English default list was replaced
    expect(custom('он убьет меня')).toBe(false);
    expect(custom('ол мені өлтіреді')).toBe(true); // Kazakh keeps its defaults
  });
});
