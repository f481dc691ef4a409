// `trustline sandbox` as a person uses it, through the real CLI with piped stdin: a
// report through the intake questions (answered by tapping `#n`, typing the number or
// the option's words, with a photo as evidence), an answer, /quit; staff commands and
// the sandbox clock; then another run on the same directory, where the earlier case
// must still carry messages both ways and the staff must still be the people on the
// roster.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
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

function sandbox(extra: Record<string, string> = {}, home = dir): Cli {
  const { REDIS_URL: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandbox'], {
    cwd: root,
    env: { ...env, TRUSTLINE_SANDBOX_DIR: home, NO_COLOR: '1', ...extra },
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

/** Writes as reporter r1, then waits for the bot's next question (a message with buttons) to match `question`. */
async function reporterSays(cli: Cli, text: string, question: RegExp): Promise<void> {
  const mark = cli.output.length;
  cli.write(`r1: ${text}`);
  // the question's own lines (indented under "bot → r1:"), then its first button
  const asked = await cli.waitFor(/bot → r1: (.*\n(?: {6}(?! {2}\[).*\n)*) {8}\[1\] /, mark);
  expect(asked[1], `the question after "${text}"`).toMatch(question);
}

/** Reporter r1 answers every question, up to the review before sending. Each answer waits for the question it answers, as a person reads before tapping. */
async function throughIntake(cli: Cli): Promise<void> {
  await reporterSays(cli, 'hello, I need help', /^Выберите язык:/); // the first message is kept as a note
  await reporterSays(cli, '#2', /конфиденциальная линия доверия/); // Русский
  await reporterSays(cli, '1', /Что вы хотите сделать\?/); // continue, by its number
  await reporterSays(cli, 'сообщить', /Вы сейчас в опасности\?/); // report what happened, by its word
  await reporterSays(cli, 'нет', /Что произошло\?/); // no, by its words
  await reporterSays(cli, '#3', /в самой службе психологической помощи\?/); // bullying
  await reporterSays(cli, '#2', /Кто пострадал\?/); // not about the service's own staff
  await reporterSays(cli, '#1', /когда это случилось/); // me
  await reporterSays(cli, '#2', /Где это случилось/); // this week
  await reporterSays(cli, 'в общежитии', /продолжается до сих пор/); // dormitory, by its words
  await reporterSays(cli, '#1', /опишите своими словами/); // ongoing
  await reporterSays(cli, 'he shouts at me every evening', /Получено \(1\)/);
  await reporterSays(cli, '#1', /Если есть доказательства/); // done
  await reporterSays(cli, '!photo screenshot of his messages', /Файл получен и зашифрован \(1 из \d+\)/);
  await reporterSays(cli, '#1', /остаться анонимным/); // continue
  await reporterSays(cli, '#1', /Проверьте, пожалуйста, ваше обращение/); // anonymous
}

describe.skipIf(!hasRedis)('trustline sandbox', () => {
  let code = '';
  let passphrase = '';

  it('relays a report and an answer, and quits cleanly', async () => {
    const cli = sandbox();
    await cli.waitFor(/Trustline sandbox:/);
    await cli.waitFor(/Rota: Aliya has just set up a demo rota/);
    await throughIntake(cli);
    let mark = cli.output.length;
    cli.write('r1: #1'); // send
    const receipt = await cli.waitFor(/bot → r1: ✅.*\n {6}.*\b([2-9A-Z]{3}-[2-9A-Z]{3})\b\n {6}.*: ([a-z]+(?: [a-z]+){3})\n/, mark);
    [, code, passphrase] = receipt as unknown as [string, string, string];
    // One report in the case's topic: the answers, the account and the first message, then the photo.
    const report = await cli.waitFor(new RegExp(`staff chat · ${code}: 📋.*${code}\\n((?: {6}.*\\n)+)`), mark);
    expect(report[1]).toContain('Травля среди студентов');
    expect(report[1]).toContain('В общежитии');
    expect(report[1]).toContain('he shouts at me every evening');
    expect(report[1]).toContain('• hello, I need help');
    await cli.waitFor(new RegExp(`staff chat · ${code}: \\[photo\\] .*\\n {6}screenshot of his messages\\n`), mark);

    mark = cli.output.length;
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
    for (const typed of [
      'hello, I need help',
      'he shouts at me every evening',
      'screenshot of his messages',
      passphrase,
      'we are here to help',
      'call back tomorrow',
      'back again',
      'welcome back',
    ]) {
      expect(log).not.toContain(typed);
    }
  }, 60_000);

  it('in need-to-know mode, lets a counsellor write to the bot privately and shows what the bot sends her there', async () => {
    const home = mkdtempSync(join(tmpdir(), 'trustline-sandbox-assigned-'));
    try {
      const cli = sandbox({ STAFF_VISIBILITY: 'assigned' }, home);
      await cli.waitFor(/Trustline sandbox:/);
      const mark = cli.output.length;
      cli.write('s> /start');
      await cli.waitFor(/bot → Dana \(private\): 🔒/, mark);
      // A case has a card in the staff chat, no topic: /cases still lists it.
      await throughIntake(cli);
      cli.write('r1: #1'); // send
      const [, code] = (await cli.waitFor(/staff chat · ([2-9A-Z]{3}-[2-9A-Z]{3}): 🗂/, mark)) as unknown as [string, string];
      const listed = cli.output.length;
      cli.write('/cases');
      await cli.waitFor(new RegExp(`^ {2}${code} {2}r1`, 'm'), listed);
      cli.write('/quit');
      expect(await cli.exited).toBe(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
