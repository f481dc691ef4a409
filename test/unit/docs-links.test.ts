// The docs must match the code: every relative link in README.md, SECURITY.md and docs/
// leads to a file that exists (and to a heading that exists, for links with #), and every
// source path they name is still there after a move.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const pages = [
  'README.md',
  'SECURITY.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];

/** Files a command writes (and .gitignore keeps out of a checkout). */
const WRITTEN_LATER = new Set(['bench/results.json']);

/** GitHub's anchor for a heading. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');

function anchorsOf(page: string): Set<string> {
  const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]!)));
}

describe('the documentation', () => {
  it('links only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
        const [file, anchor] = target!.split('#');
        const path = file ? normalize(join(dirname(page), file)) : page;
        if (!existsSync(path)) broken.push(`${page}: ${target}`);
        else if (anchor && path.endsWith('.md') && !anchorsOf(path).has(anchor)) broken.push(`${page}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('names only source files and folders that exist', () => {
    const missing: string[] = [];
    for (const page of pages) {
      for (const [path] of readFileSync(page, 'utf8').matchAll(/\b(?:src|test|bench)\/[A-Za-z0-9_./{},*-]*[A-Za-z0-9_/]/g)) {
        if (/[{*]/.test(path)) continue; // a pattern such as src/i18n/locales/{kk,ru,en}/
        if (WRITTEN_LATER.has(path)) continue;
        if (!existsSync(path)) missing.push(`${page}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps the README a start page', () => {
    const words = readFileSync('README.md', 'utf8').split(/\s+/).length;
    expect(words).toBeLessThan(1_600);
  });
});
