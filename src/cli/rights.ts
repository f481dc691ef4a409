// `trustline rights export DIR` writes Trustline's own /rights pages and help contacts as
// the three files an installation edits (rights.kk.yaml, rights.ru.yaml, rights.en.yaml);
// `trustline rights check DIR` reads them as `start` will (RIGHTS_PAGES=DIR), so an admin
// finds a broken link or an over-long page before the hotline refuses to start.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultRightsText, loadRights } from '../rights/index.js';
import { languages } from '../shared/index.js';

const USAGE = `Usage: trustline rights export DIR   write Trustline's pages and contacts to DIR/rights.{kk,ru,en}.yaml to edit
       trustline rights check DIR    check the files in DIR as the hotline will read them (RIGHTS_PAGES=DIR)
`;

export async function rightsCommand(args: string[]): Promise<number> {
  const [sub, dir] = args;
  if (!dir || (sub !== 'export' && sub !== 'check')) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (sub === 'export') {
    await mkdir(dir, { recursive: true });
    for (const lang of languages) {
      const file = join(dir, `rights.${lang}.yaml`);
      // An admin's edits are never overwritten.
      if (existsSync(file)) {
        process.stderr.write(`${file} exists already: left as it is.\n`);
        continue;
      }
      const header = `# The pages a reporter reads with /rights, and the help contacts (${lang}).\n# How to edit them: docs/admin-guide.md, "The reporter's pages".\n`;
      await writeFile(file, header + defaultRightsText(lang).trimStart());
      process.stdout.write(`wrote ${file}\n`);
    }
    process.stdout.write(`Edit them, check them with: trustline rights check ${dir}\nthen set RIGHTS_PAGES=${dir} and restart.\n`);
    return 0;
  }
  loadRights({ dir, emergencyNumbers: ['112'] });
  process.stdout.write(
    `The pages in ${dir} are fine: every link leads to a page, every page fits a Telegram message, the three languages have the same pages.\n`,
  );
  return 0;
}
