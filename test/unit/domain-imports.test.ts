// The domain never sees a platform SDK: src/flows and src/routing import neither grammY
// nor whatsapp-web.js, so the intake works unchanged on every channel.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const PLATFORM = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](grammy|@grammyjs\/[^'"]+|whatsapp-web\.js)(?:\/[^'"]*)?['"]/;

describe('domain modules', () => {
  it('import no platform SDK', () => {
    const files = [...sources('src/flows'), ...sources('src/routing')];
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => PLATFORM.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the check itself catches such imports', () => {
    for (const line of ["import { Bot } from 'grammy';", "import type { Message } from 'grammy/types';", "const w = await import('whatsapp-web.js')", "import { autoRetry } from '@grammyjs/auto-retry'"]) {
      expect(PLATFORM.test(line), line).toBe(true);
    }
    expect(PLATFORM.test("import { t } from './i18n.js'; // not grammy")).toBe(false);
  });
});
