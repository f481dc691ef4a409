// The pages a reporter can read (/rights): Trustline's own load in all three languages,
// and an installation's file with a mistake refuses start-up naming the file and line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRights, PAGE_MAX_CHARS } from '../../src/rights/index.js';
import en from '../../src/rights/locales/en.js';

const NUMBERS = ['112', '111'];
const dirWith = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'rights-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};
const loading = (files: Record<string, string>) => () => loadRights({ dir: dirWith(files), emergencyNumbers: NUMBERS });
/** The line of `en` where `needle` first appears (1-based). */
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('rights pages', () => {
  it('come with Trustline’s own text in kk, ru and en: the same pages, each fitting a message, links that lead somewhere', () => {
    const rights = loadRights({ emergencyNumbers: NUMBERS });
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const first = rights.page(lang);
      expect(first.id).toBe('index');
      const seen = new Set<string>();
      const walk = (id: string) => {
        if (seen.has(id)) return;
        seen.add(id);
        const page = rights.page(lang, id);
        expect(page.text.length).toBeLessThanOrEqual(PAGE_MAX_CHARS);
        expect(page.text).not.toMatch(/\{\w+\}/);
        for (const link of page.links) walk(link.id);
      };
      walk(first.id);
      // Every page the issue names is reachable from the first one.
      for (const id of [
        'discrimination',
        'harassment',
        'sexual-harassment',
        'online-harassment',
        'bullying',
        'mobbing',
        'victimization',
        'violence',
        'after-report',
        'retaliation',
        'anonymity',
        'help',
        'emergency',
      ])
        expect(seen.has(id), `${lang}: ${id}`).toBe(true);
      expect(rights.page(lang, 'emergency').text).toContain('112');
      expect(rights.page(lang, 'help').text).toContain(rights.contacts(lang));
    }
    // An unknown page (an old button) opens the first one.
    expect(rights.page('en', 'no-such-page').id).toBe('index');
  });

  it('take an installation’s file per language; a language without one keeps Trustline’s', () => {
    const own = en.replace('Your rights and the procedure', 'Our university’s policy');
    const rights = loadRights({ dir: dirWith({ 'rights.en.yaml': own }), emergencyNumbers: NUMBERS });
    expect(rights.page('en').text.split('\n')[0]).toBe('Our university’s policy');
    expect(rights.page('ru').text.split('\n')[0]).toBe('Ваши права и порядок рассмотрения');
  });

  it('refuse a link to a page that is not there, naming the file and the line', () => {
    const broken = en.replace('links: [definitions, after-report, retaliation', 'links: [definitions, after-reprot, retaliation');
    const line = lineOf(broken, 'after-reprot');
    expect(loading({ 'rights.en.yaml': broken })).toThrow(new RegExp(`rights\\.en\\.yaml:${line}: pages\\.index\\.links\\.1: no page "after-reprot"`));
  });

  it('refuse a page missing in one language, an unknown {word}, a page over Telegram’s limit and broken YAML', () => {
    const withoutMobbing = en
      .replace(/ {2}mobbing:\n(?: {4}.*\n)+/, '')
      .replace('bullying, mobbing, victimization, violence, index]', 'bullying, victimization, violence, index]');
    expect(loading({ 'rights.en.yaml': withoutMobbing })).toThrow(/rights\.en\.yaml: page "mobbing" is missing \(Trustline's (kk|ru) pages has it\)/);

    const unknown = en.replace('{contacts}', '{phone}');
    expect(loading({ 'rights.en.yaml': unknown })).toThrow(
      new RegExp(`rights\\.en\\.yaml:${lineOf(unknown, '{phone}')}: pages\\.help\\.text: \\{phone\\} is not something Trustline fills in`),
    );

    const long = en.replace('You do not have to report to get help.', 'x'.repeat(PAGE_MAX_CHARS));
    expect(loading({ 'rights.en.yaml': long })).toThrow(/rights\.en\.yaml: page "help" is \d+ characters .* at most 4096/);

    const yaml = en.replace('  bullying:\n    title:', '  bullying:\n   title:');
    expect(loading({ 'rights.en.yaml': yaml })).toThrow(/rights\.en\.yaml:\d+: not valid YAML/);

    const noTitle = en.replace('    title: Mobbing at work\n', '');
    expect(loading({ 'rights.en.yaml': noTitle })).toThrow(new RegExp(`rights\\.en\\.yaml:${lineOf(noTitle, '  mobbing:')}: pages\\.mobbing\\.title:`));
  });
});
