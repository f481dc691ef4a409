// Lint, run by `npm test` (`npm run lint` alone). Type-checked typescript-eslint rules,
// and the layout's guardrails (docs/architecture.md): layers, the SDK boundary, and
// folders reached only through their index.ts.
import eslint from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Layers, top to bottom: a folder imports only from its own layer or lower ones. */
const layers = [
  ['cli', 'app'],
  ['bot', 'sandbox'],
  ['flows', 'routing', 'relay', 'keys', 'health', 'report', 'retention', 'backup'],
  ['cases', 'queue', 'evidence', 'rights'],
  ['store'],
  ['crypto', 'i18n', 'config'],
  ['shared'],
];

const layerZones = layers
  .flatMap((folders, level) =>
    folders.map((folder) => ({
      target: `./src/${folder}`,
      from: layers
        .slice(0, level)
        .flat()
        .map((above) => `./src/${above}`),
      message: `src/${folder} sits below these folders and must not import them (layers: docs/architecture.md).`,
    })),
  )
  .filter((zone) => zone.from.length > 0);

const sdks = ['grammy', 'grammy/*', '@grammyjs/*', 'whatsapp-web.js'];
const sdkMessage = 'Only src/bot/ talks to a chat platform SDK; give the domain what it needs through an interface.';
const indexOnly = {
  regex: '^(\\.\\./)+([^/]+/)+(?!index\\.js$)[^/]+$',
  message: 'Import another folder through its index.ts (its public surface), not one of its files.',
};

export default tseslint.config(
  { ignores: ['.puppeteerrc.cjs', 'dist/', 'node_modules/', 'bench/.build/', '.sandbox/', 'coverage/', 'bin/'] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      // `let` assigned once but read by a closure made earlier (e.g. a health check before the bot exists).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'import-x/no-duplicates': ['error', { 'prefer-inline': true }],
      // Unused names are an error, except a leading underscore marks one kept on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Fakes implement the async interfaces of the real clients (whatsapp-web.js, Redis) without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      // vitest's asymmetric matchers (expect.any, expect.stringMatching) are typed any.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [...layerZones, { target: ['./src/app', './src/bot'], from: './src/sandbox', message: 'Only the CLI, tests and the bench use the sandbox.' }],
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: sdks, message: sdkMessage }, indexOnly],
        },
      ],
      // no-restricted-imports does not see import(): the same rule for dynamic imports.
      'no-restricted-syntax': ['error', { selector: 'ImportExpression[source.value=/^(grammy|@grammyjs\\/|whatsapp-web\\.js)/]', message: sdkMessage }],
    },
  },
  {
    files: ['src/bot/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [indexOnly] }],
      'no-restricted-syntax': 'off',
    },
  },
  {
    // The sandbox is Telegram's side of the wire: its Bot API emulator speaks the Bot
    // API's own types, and it calls the emulator as any Bot API client would.
    files: ['src/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [indexOnly] }],
      'no-restricted-syntax': 'off',
    },
  },
);
