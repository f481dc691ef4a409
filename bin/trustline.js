#!/usr/bin/env node
// Runs the compiled CLI; `npm run build` produces dist/.
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('trustline is not built yet: run `npm run build` (or use `npm run trustline -- <command>`).\n');
    process.exit(1);
  }
  throw err;
});
