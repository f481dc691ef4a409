// The configuration reference is generated from the schema: every variable is described,
// and docs/configuration.md is what `npm run docs` writes today.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configVariables, variableReference } from '../../src/config/config.js';
import { CONFIGURATION_DOC, configurationReference, generatedDocs } from '../../src/cli/docs.js';

describe('the configuration reference', () => {
  it('describes every variable the config reads, with its section', () => {
    const undocumented = variableReference()
      .filter((v) => !v.doc?.description || !v.doc.group)
      .map((v) => v.name);
    expect(undocumented).toEqual([]);
    expect(variableReference().map((v) => v.name)).toEqual([...configVariables]);
  });

  it('docs/configuration.md is up to date (run `npm run docs` after changing a variable)', () => {
    expect(readFileSync(CONFIGURATION_DOC, 'utf8')).toBe(configurationReference());
    for (const name of configVariables) expect(configurationReference()).toContain(`| \`${name}\` |`);
  });

  it('every generated document is up to date (run `npm run docs` after changing a catalog)', () => {
    const docs = generatedDocs();
    expect([...docs.keys()]).toEqual(expect.arrayContaining(['docs/staff-messages.kk.md', 'docs/staff-messages.ru.md', 'docs/staff-messages.en.md']));
    for (const [path, text] of docs) expect(readFileSync(path, 'utf8'), path).toBe(text);
    // the examples are the catalogs' words, not English everywhere
    expect(docs.get('docs/staff-messages.kk.md')).toContain('Тағайындалды');
  });

  it('shows defaults as they are typed, not as parsed', () => {
    const md = configurationReference();
    expect(md).toContain('| `INTAKE_REMIND_AFTER` | `1h` |');
    expect(md).toContain('| `TRUSTLINE_ROLES` | `telegram,whatsapp,workers` |');
    expect(md).toContain('| `STAFF_ADMIN_IDS` | — |');
  });
});
