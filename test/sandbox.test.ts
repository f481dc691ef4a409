// `trustline sandbox` as a person uses it, through the real CLI with piped stdin: a
// report, an answer, /quit; staff commands and the sandbox clock; then another run on
// the same directory, where the earlier case must still carry messages both ways and
// the staff must still be the people on the roster.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'trustline-sandbox-test-'));
const running = new Set<ChildProcess>();

// Only after a failure (a passing run has exited): SIGTERM lets the sandbox stop its
// redis-server, which SIGKILL would leave running.
afterEach(async () => {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => (clearTimeout(force), resolve()));
          child.kill('SIGTERM');
        }),
    ),
  );
  running.clear();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Cli {
  write(line: string): void;
  /** Resolves with the match once the output (from `from` on) matches. */
  waitFor(pattern: RegExp, from?: number): Promise<RegExpExecArray>;
  readonly output: string;
  exited: Promise<number | null>;
}

function sandbox(): Cli {
  const { REDIS_URL: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandbox'], {
    cwd: root,
    env: { ...env, TRUSTLINE_SANDBOX_DIR: dir, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const w of waiters) w();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (running.delete(child), resolve(code))));
  return {
    write: (line) => child.stdin.write(`${line}\n`),
    get output() {
      return output;
    },
    exited,
    waitFor(pattern, from = 0) {
      return new Promise((resolve, reject) => {
        const fail = (why: string) => {
          if (!waiters.delete(check)) return;
          clearTimeout(timer);
          reject(new Error(`${why} ${pattern}; the sandbox printed:\n${output}`));
        };
        const check = () => {
          const m = pattern.exec(output.slice(from));
          if (!m) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m);
        };
        // Not a timing assertion: a bound, so a failure shows the transcript.
        const timer = setTimeout(() => fail('gave up waiting for'), 30_000);
        waiters.add(check);
        void exited.then(() => fail('exited before printing'));
        check();
      });
    },
  };
}

describe.skipIf(!hasRedis)('trustline sandbox', () => {
  let code = '';

  it('relays a report and an answer, and quits cleanly', async () => {
    const cli = sandbox();
    await cli.waitFor(/Trustline sandbox:/);
    await cli.waitFor(/Rota: Aliya has just set up a demo rota/);
    cli.write('r1: hello, I need help');
    code = (await cli.waitFor(/bot → r1:[^]*?\b([2-9A-Z]{3}-[2-9A-Z]{3})\b/))[1]!;
    await cli.waitFor(new RegExp(`staff chat · ${code}: hello, I need help`));

    let mark = cli.output.length;
    cli.write('s: we are here to help');
    await cli.waitFor(/bot → r1:.*\n\s+we are here to help/, mark);

    mark = cli.output.length;
    cli.write('s: // internal: call back tomorrow');
    await cli.waitFor(/internal note/, mark);
    cli.write('/quit');
    expect(await cli.exited).toBe(0);
    expect(cli.output.slice(mark)).not.toMatch(/bot → r1:.*\n\s+\/\/ internal/);
  }, 60_000);

  it("answers the admin's commands in the staff chat, and /time +9h moves the clock", async () => {
    const cli = sandbox();
    await cli.waitFor(/Rota: as earlier runs left it/);

    let mark = cli.output.length;
    cli.write('a: /oncall');
    // Staff chat in Russian (STAFF_LANG's default): "on duty now:" or "nobody is on duty".
    await cli.waitFor(/staff chat: (Сейчас дежурят|Сейчас никто не дежурит)/, mark);

    mark = cli.output.length;
    cli.write('/time +9h');
    await cli.waitFor(/^ {2}now \w{3}, .+ \(.+\); (on duty: .+|nobody on duty)/m, mark);
    cli.write('/quit');
    expect(await cli.exited).toBe(0);
  }, 60_000);

  it('keeps the earlier case, the staff and the clock in another run on the same directory', async () => {
    expect(code).not.toBe('');
    const cli = sandbox();
    await cli.waitFor(/Earlier cases: 1/);
    expect(cli.output).toMatch(/Time: .+, 9h( \d+m)? ahead: moved on in earlier runs/);
    cli.write('r1: back again');
    await cli.waitFor(new RegExp(`staff chat · ${code}: back again`));

    const mark = cli.output.length;
    cli.write(`s ${code.toLowerCase().replace('-', '')}: welcome back`);
    await cli.waitFor(/bot → r1:.*\n\s+welcome back/, mark);

    // Arman got on the roster by /staff add in the first run: only if he has the same
    // Telegram id again is he still staff (not told "only Trustline staff can...").
    const before = cli.output.length;
    cli.write('s2: /roster');
    await cli.waitFor(/staff chat: .*\n(.*\n)*.*Arman 18:00/, before);
    cli.write('/quit');
    expect(await cli.exited).toBe(0);

    // The log is for operators: case codes and events, never what people wrote.
    const log = readFileSync(join(dir, 'trustline.log'), 'utf8');
    expect(log).toContain(code);
    for (const typed of ['hello, I need help', 'we are here to help', 'call back tomorrow', 'back again', 'welcome back']) {
      expect(log).not.toContain(typed);
    }
  }, 60_000);
});
