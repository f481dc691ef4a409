// The relays run as plain JavaScript, as in production (`npm run build`), not under
// tsx: tsx's loader adds about 30 MiB of RSS and CPU of its own to whatever it runs.
// Each file is transpiled on its own (no type check; `tsc --noEmit` does that).
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Transpiles src/ and bench/ into bench/.build/ (inside the checkout, so packages resolve); returns that directory. */
export async function compileForBench(): Promise<string> {
  const out = join(root, 'bench', '.build');
  await rm(out, { recursive: true, force: true });
  for (const top of ['src', 'bench']) {
    for await (const file of tsFiles(join(root, top))) {
      if (file.startsWith(out)) continue;
      const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true, verbatimModuleSyntax: false },
      });
      const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, outputText);
    }
  }
  // ESM for Node, whatever the checkout's package.json says about the parent directory.
  await writeFile(join(out, 'package.json'), '{ "type": "module" }\n');
  return out;
}
