// `trustline sandbox`: the whole hotline on this machine with no accounts (src/sandbox/).
import { startTrustline } from '../app/app.js';
import { runSandbox } from '../sandbox/run.js';

export const sandboxCommand = (args: string[]): Promise<number> => runSandbox(args, { startTrustline });
