import { defineConfig } from 'vitest/config';

// Tests by speed: `unit` is pure (no Redis, no server, no child process) and runs in
// seconds (`npm run test:unit`, the loop while editing); `integration` uses a real
// redis-server or one part against the local Bot API server; `e2e` runs whole hotlines,
// child processes and the sandbox. `npm test` runs all three.
export default defineConfig({
  test: {
    // Integration tests start real redis-server processes; two cores, so keep it modest.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});
