import { describe, expect, it } from 'vitest';
import { catalogIds, t } from '../src/flows/i18n.js';
import { languages } from '../src/ids.js';

describe('message catalogs', () => {
  it('have the same messages in Kazakh, Russian and English', () => {
    const en = catalogIds('en').sort();
    expect(en.length).toBeGreaterThan(10);
    for (const lang of languages) expect(catalogIds(lang).sort()).toEqual(en);
  });

  it('fill in variables without bidi isolation marks', () => {
    const text = t('kk', 'received-first', { code: 'K7Q-4FD' });
    expect(text).toContain('K7Q-4FD');
    expect(text).not.toMatch(/[\u2068\u2069]/);
    expect(t('ru', 'unsupported', { kind: 'voice' })).toMatch(/^Голосовые сообщения/);
    expect(t('en', 'unsupported', { kind: 'hologram' })).toMatch(/^Messages of this kind/);
  });
});
