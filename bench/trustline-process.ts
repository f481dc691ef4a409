// The real Trustline, all roles in one process, as the bench's child: configuration
// from the environment like `trustline start`, plus the IPC probe.
import { startTrustline } from '../src/app/app.js';
import { loadConfig } from '../src/config/config.js';
import { sodiumReady } from '../src/crypto/index.js';
import { loadKeys } from '../src/keys/loading.js';
import { createLogger } from '../src/shared/log.js';
import { answerProbes } from './probe.js';

await sodiumReady();
const config = loadConfig();
// Logs go to stdout, which the bench discards: formatting them is part of the real cost.
const log = createLogger({ level: config.logLevel });
const app = await startTrustline({ config, keys: await loadKeys(config.keysDir), log });
answerProbes(async () => {
  await app.stop();
  log.flush();
});
