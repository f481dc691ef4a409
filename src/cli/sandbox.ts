// `trustline sandbox`: the whole hotline on this machine with no accounts (src/sandbox/).
import { startTrustline } from '../app/index.js';
import { runSandbox } from '../sandbox/index.js';

export const sandboxCommand = (args: string[]): Promise<number> => runSandbox(args, { startTrustline });
