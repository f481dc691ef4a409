// Starts a benchmarked process (Trustline or the bare relay) as a child with IPC, so
// its CPU time and memory are its own and not mixed with the load generator's or the
// Bot API emulator's.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ProbeReply, ProbeRequest, Usage } from './probe.js';

export interface BenchChild {
  usage(opts?: { reset?: boolean }): Promise<Usage>;
  stop(): Promise<void>;
  kill(): void;
  readonly stderr: string[];
}

export type ChildKind = 'trustline' | 'bare';

const entries: Record<ChildKind, string> = {
  trustline: 'bench/trustline-process.js',
  bare: 'bench/bare-relay-process.js',
};

/** `built` is the directory compileForBench() wrote. */
export async function startChild(kind: ChildKind, built: string, env: Record<string, string>): Promise<BenchChild> {
  const stderr: string[] = [];
  const child: ChildProcess = fork(join(built, entries[kind]), [], {
    // BENCH_PROFILE=dir writes a V8 CPU profile of the child there when it exits.
    execArgv: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
    env: { ...process.env, ...env },
    stdio: ['ignore', process.env.BENCH_CHILD_LOG ? 'pipe' : 'ignore', 'pipe', 'ipc'],
  });
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  // BENCH_CHILD_LOG=path keeps the relay's log (no content in it, by design) for a closer look.
  if (process.env.BENCH_CHILD_LOG) {
    const { createWriteStream } = await import('node:fs');
    child.stdout!.pipe(createWriteStream(`${process.env.BENCH_CHILD_LOG}.${kind}.${child.pid}.log`));
  }
  const replies: ((m: ProbeReply) => void)[] = [];
  child.on('message', (m: ProbeReply) => replies.shift()?.(m));
  const next = (expect: ProbeReply['type'], timeoutMs = 60_000) =>
    new Promise<ProbeReply>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} did not answer "${expect}" in time:\n${stderr.join('')}`)), timeoutMs);
      const exited = (code: number | null) => reject(new Error(`${kind} exited (${code}) waiting for "${expect}":\n${stderr.join('')}`));
      child.once('exit', exited);
      replies.push((m) => {
        clearTimeout(timer);
        child.off('exit', exited);
        if (m.type !== expect) reject(new Error(`${kind} answered ${m.type}, expected ${expect}`));
        else resolve(m);
      });
    });
  const send = (m: ProbeRequest) => child.send(m);
  await next('ready');
  return {
    stderr,
    async usage(opts = {}) {
      const reply = next('usage');
      send({ type: 'usage', ...opts });
      const { type: _type, ...usage } = (await reply) as Extract<ProbeReply, { type: 'usage' }>;
      return usage;
    },
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const stopped = next('stopped', 30_000);
      send({ type: 'stop' });
      await stopped;
      await exited;
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
}
