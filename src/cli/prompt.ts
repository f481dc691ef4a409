// Asking a person at a terminal for the key passphrase, without echoing it.
import type { Config } from '../config/index.js';
import type { PassphraseSource } from '../keys/index.js';

export class PromptAborted extends Error {
  override readonly name = 'PromptAborted';
}

export interface PromptIO {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  output: NodeJS.WritableStream;
}

const terminal = (): PromptIO => ({ input: process.stdin, output: process.stderr });

/** Reads one line; at a terminal the characters are not shown. */
export function askHidden(question: string, io: PromptIO = terminal()): Promise<string> {
  const { input, output } = io;
  output.write(question);
  const raw = input.isTTY === true && typeof input.setRawMode === 'function';
  if (raw) input.setRawMode!(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = () => {
      input.off('data', onData);
      input.off('end', onEnd);
      if (raw) input.setRawMode!(false);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(answer);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          // Ctrl-C / Ctrl-D: raw mode swallows the signal, so honour it here.
          finish();
          reject(new PromptAborted('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') answer = [...answer].slice(0, -1).join('');
        else answer += ch;
      }
    };
    const onEnd = () => {
      finish();
      reject(new PromptAborted('no passphrase given (input ended)'));
    };
    input.on('data', onData);
    input.on('end', onEnd);
  });
}

/**
 * The passphrase of existing protected files: TRUSTLINE_KEY_PASSPHRASE, else a prompt
 * when there is a terminal, else none (loading then says how to provide one).
 */
export function existingPassphrase(config: Pick<Config, 'keyPassphrase'>, io: PromptIO = terminal()): PassphraseSource | undefined {
  if (config.keyPassphrase !== undefined) {
    const given = config.keyPassphrase;
    return () => Promise.resolve(given);
  }
  if (io.input.isTTY !== true) return undefined;
  return () => askHidden('Passphrase of the key files: ', io);
}

/** A passphrase to protect files with: from the environment, or typed twice. */
export async function newPassphrase(config: Pick<Config, 'keyPassphrase'>, io: PromptIO = terminal()): Promise<string> {
  if (config.keyPassphrase !== undefined) return config.keyPassphrase;
  if (io.input.isTTY !== true) {
    throw new PromptAborted('set TRUSTLINE_KEY_PASSPHRASE, or run this in a terminal to type the passphrase');
  }
  const first = await askHidden('New passphrase for the key files: ', io);
  const second = await askHidden('The same passphrase again: ', io);
  if (first !== second) throw new PromptAborted('the two passphrases differ; nothing was written');
  return first;
}
