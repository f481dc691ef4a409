// Nothing of a chat platform leaks into the domain: src/flows, src/routing, src/store,
// src/queue and src/crypto never import grammY or whatsapp-web.js.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

describe('layering', () => {
  it('keeps platform SDKs out of the domain', async () => {
    const offenders: string[] = [];
    let checked = 0;
    for (const dir of ['src/flows', 'src/routing', 'src/store', 'src/queue', 'src/crypto']) {
      for (const file of await sources(dir)) {
        checked++;
        const text = await readFile(file, 'utf8');
        if (/from ['"](grammy|@grammyjs\/[^'"]+|whatsapp-web\.js)(\/[^'"]*)?['"]|import\(['"]grammy/.test(text)) offenders.push(file);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });
});
