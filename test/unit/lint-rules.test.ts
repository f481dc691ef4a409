// The layout's guardrails are ESLint rules (eslint.config.js): each is shown here to
// refuse the import it exists for, so a config change that silently drops one fails.
// The code is linted as if it were an existing file of that folder.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function rulesBroken(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('lint guardrails', () => {
  it('a lower layer cannot import a higher one', async () => {
    expect(await rulesBroken('src/store/cases.ts', "import { flowOf } from '../flows/index.js';\nvoid flowOf;")).toContain('import-x/no-restricted-paths');
    expect(await rulesBroken('src/shared/ids.ts', "import type { Config } from '../config/index.js';\nexport type C = Config;")).toContain(
      'import-x/no-restricted-paths',
    );
    // ...while a higher layer may import a lower one
    expect(await rulesBroken('src/flows/intake.ts', "import type { Lang } from '../shared/index.js';\nexport type L = Lang;")).toEqual([]);
  }, 60_000);

  it('only src/bot imports a chat platform SDK, statically or dynamically', async () => {
    expect(await rulesBroken('src/routing/router.ts', "import type { Bot } from 'grammy';\nexport type B = Bot;")).toContain('no-restricted-imports');
    expect(await rulesBroken('src/flows/intake.ts', "import type { Message } from 'grammy/types';\nexport type M = Message;")).toContain(
      'no-restricted-imports',
    );
    expect(await rulesBroken('src/relay/channel.ts', "export const load = () => import('whatsapp-web.js');")).toContain('no-restricted-syntax');
    expect(await rulesBroken('src/bot/telegram/bot.ts', "import type { Bot } from 'grammy';\nexport type B = Bot;")).toEqual([]);
  }, 60_000);

  it('other folders are reached through their index.ts only', async () => {
    expect(await rulesBroken('src/flows/intake.ts', "import type { CaseStore } from '../store/cases.js';\nexport type S = CaseStore;")).toContain(
      'no-restricted-imports',
    );
    expect(await rulesBroken('src/bot/telegram/bot.ts', "import type { CaseStore } from '../../store/cases.js';\nexport type S = CaseStore;")).toContain(
      'no-restricted-imports',
    );
    expect(await rulesBroken('src/app/roles/telegram.ts', "import type { HotlineParts } from '../parts.js';\nexport type P = HotlineParts;")).toEqual([]);
  }, 60_000);

  it('the app and the adapters do not import the sandbox', async () => {
    expect(await rulesBroken('src/app/app.ts', "import { startBotApiServer } from '../sandbox/index.js';\nvoid startBotApiServer;")).toContain(
      'import-x/no-restricted-paths',
    );
  }, 60_000);
});
