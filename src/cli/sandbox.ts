// `trustline sandbox`: the whole hotline on this machine with no accounts. A private
// redis-server, the local Bot API server, the real bot and workers, and a prompt
// where you type as reporters and as a counsellor and watch the relay.
//
// Cases persist in the sandbox directory (keys, Redis data), but the emulated Telegram
// starts empty on every run. So that earlier cases keep working, each run rebuilds
// what they point at: reporters get their old user ids back (created in the same
// order, from reporters.json), the staff chat gets the case topics back under their
// old ids, and update ids continue above those the bot has already handled.
import { existsSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { clearLine, createInterface, cursorTo } from 'node:readline';
import { Api } from 'grammy';
import type { Message, User } from 'grammy/types';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { startTrustline } from '../app.js';
import { isInternalNote } from '../bot/staff-chat.js';
import { loadConfig } from '../config.js';
import { initKeys, loadKeys, normalizeCaseCode } from '../crypto/index.js';
import { t } from '../flows/i18n.js';
import { languages, type CaseCode, type CaseId, type Lang } from '../ids.js';
import { createLogger } from '../log.js';
import { startBotApiServer, type BotApiServer, type SimGroup } from '../sandbox/bot-api/index.js';
import { startRedisServer, type RedisServer } from '../sandbox/redis-server.js';
import { CaseStore } from '../store/cases.js';
import { redisKeys } from '../store/keys.js';

const HELP = `
  r1: text        write to the hotline as reporter r1 (r2, r3... are other people)
  r1/kk: text     the same, from a phone set to Kazakh (kk, ru or en; ru if not given)
  s: text         answer as the counsellor, in the latest case (last written or answered in)
  s CODE: text    answer case CODE (e.g. s K7Q-4FD: hello)
  s: //text       an internal note: stays in the staff chat, never sent
  /cases          the cases so far and who wrote them
  /help           this text
  /quit           stop everything (Ctrl-D or Ctrl-C work too)
`;

const USAGE = `Usage: trustline sandbox

Runs the whole hotline on this machine (its own redis-server and a local Telegram
emulator) and opens a prompt where you write as reporters and as a counsellor.
Keys, cases and the log are kept in $TRUSTLINE_SANDBOX_DIR (default ./.sandbox);
set REDIS_URL to use a Redis of your own instead of a private redis-server.
${HELP}`;

/** Case codes as the hotline makes them (see crypto/case-code.ts), found inside a text. */
const CODE_IN_TEXT = /\b([2-9A-HJKMNP-TV-Z]{3}-[2-9A-HJKMNP-TV-Z]{3})\b/;

/** A problem the person can fix; main.ts prints the message without a stack trace. */
export class SandboxError extends Error {
  override name = 'SandboxError';
}

interface Reporter {
  name: string;
  lang: Lang;
  user: User;
  code?: CaseCode;
}

export async function runSandbox(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.length > 0) {
    process.stderr.write(`trustline sandbox takes no arguments.\n\n${USAGE}`);
    return 2;
  }

  const home = resolve(process.env.TRUSTLINE_SANDBOX_DIR || '.sandbox');
  await mkdir(home, { recursive: true, mode: 0o700 });
  const lock = await lockHome(home);
  const unlock = (): void => lock.unlock();

  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const paint = (code: string) => (s: string) => (tty && !process.env.NO_COLOR ? `\x1b[${code}m${s}\x1b[0m` : s);
  const cyan = paint('36');
  const yellow = paint('33');
  const dim = paint('2');

  let ownRedis: RedisServer | undefined;
  const undo: Array<() => Promise<unknown>> = []; // run last-first on the way out
  let rl: ReturnType<typeof createInterface> | undefined;
  let atPrompt = false;
  let stopping = false;

  const say = (line: string): void => {
    if (!rl || !atPrompt || !tty) {
      process.stdout.write(`${line}\n`);
      return;
    }
    // Print above the prompt and redraw it with whatever is half typed.
    clearLine(process.stdout, 0);
    cursorTo(process.stdout, 0);
    process.stdout.write(`${line}\n`);
    rl.prompt(true);
  };

  // First signal: stop cleanly. Second (e.g. Ctrl-C while a stop hangs): stop at once,
  // but still end redis-server, which would otherwise outlive us holding the data dir.
  const onSignal = (): void => {
    if (stopping) {
      process.stdout.write('\nStopped at once.\n');
      void ownRedis?.stop().catch(() => undefined);
      unlock();
      process.exit(130);
    }
    stopping = true;
    if (rl) rl.close();
    else say('Stopping as soon as start-up is done (Ctrl-C again stops at once)…');
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSignal);
  // Under `| tee`, Ctrl-C ends the reader first: keep stopping cleanly instead of dying
  // on EPIPE. Left in place: the error can surface after we return.
  process.stdout.on('error', () => undefined);

  try {
    const keysDir = join(home, 'keys');
    if (!existsSync(join(keysDir, 'staff.key'))) await initKeys(keysDir);
    // No fallback to fresh keys: they could not read the cases already stored.
    const keys = await loadKeys(keysDir);

    if (!process.env.REDIS_URL) {
      ownRedis = await startRedisServer({ dir: await ensure(join(home, 'redis')) });
      const started = ownRedis;
      undo.push(() => started.stop());
      lock.noteRedis(started.port);
    }
    const redisUrl = process.env.REDIS_URL || ownRedis!.url;
    const earlier = await earlierTopics(redisUrl);

    const api = await startBotApiServer({ botUsername: 'trustline_sandbox_bot' });
    undo.push(() => api.close());
    // Created first on every run, so the counsellor keeps the same user id.
    const counsellor = api.addUser({ firstName: 'Dana', username: 'dana_counsellor', languageCode: 'ru' });
    const staff = api.addGroup({ title: 'Trustline staff', forum: true, members: [counsellor.id] });

    const config = loadConfig({
      ...process.env,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_MODE: 'polling',
      STAFF_CHAT_ID: String(staff.id),
      STAFF_USER_IDS: String(counsellor.id),
      STAFF_THREADING: 'topics',
      REDIS_URL: redisUrl,
    });

    const rosterFile = join(home, 'reporters.json');
    const reporters = new Map<string, Reporter>();
    const names = new Map<number, string>();
    const addReporter = (name: string, lang: Lang, code?: CaseCode): Reporter => {
      const user = api.addUser({ firstName: name, languageCode: lang });
      const r: Reporter = { name, lang, user, ...(code ? { code } : {}) };
      reporters.set(name, r);
      names.set(user.id, name);
      return r;
    };
    const saveRoster = (): void =>
      writeAtomic(rosterFile, JSON.stringify([...reporters.values()].map(({ name, lang, code }) => ({ name, lang, code })), null, 1));
    for (const r of readRoster(rosterFile)) addReporter(r.name, r.lang, r.code);

    await restoreTelegram(api, staff, earlier, config.staff.lang);

    const caseOfTopic = new Map<number, CaseCode>(earlier);
    let latestCode: CaseCode | undefined = [...earlier.values()].at(-1);

    api.onTopicCreated((topic) => {
      const code = CODE_IN_TEXT.exec(topic.name)?.[1] as CaseCode | undefined;
      if (code && topic.chat_id === staff.id) caseOfTopic.set(topic.message_thread_id, code);
    });
    api.onBotMessage((message) => {
      const who = names.get(message.chat.id);
      if (who) {
        const reporter = reporters.get(who)!;
        // The first message with a code is the receipt: remember whose case it is.
        const code = CODE_IN_TEXT.exec(message.text ?? '')?.[1] as CaseCode | undefined;
        if (code && !reporter.code) {
          reporter.code = code;
          saveRoster();
        }
        say(`${cyan(`  bot → ${who}:`)} ${indent(contentOf(message))}`);
        return;
      }
      if (message.chat.id !== staff.id) return;
      const thread = message.message_thread_id;
      const code = (thread !== undefined ? caseOfTopic.get(thread) : undefined) ?? (CODE_IN_TEXT.exec(message.text ?? '')?.[1] as CaseCode | undefined);
      if (code) latestCode = code;
      say(`${yellow(`  staff chat${code ? ` · ${code}` : ''}:`)} ${indent(contentOf(message))}`);
    });
    // Follow-up messages get a reaction rather than a reply; show it, or they seem ignored.
    api.on('response', (call) => {
      if (call.method !== 'setMessageReaction' || !call.response?.ok) return;
      const who = names.get(Number(call.params.chat_id));
      if (who) say(`${cyan(`  bot → ${who}:`)} ${emojiOf(call.params.reaction)} ${dim('(a reaction to their message)')}`);
    });

    const logFile = join(home, 'trustline.log');
    // Synchronous, so the log is complete even after a forced stop; owner-only like the keys.
    const log = createLogger({ level: config.logLevel, destination: pino.destination({ dest: logFile, sync: true, mode: 0o600 }) });
    const app = await startTrustline({ config, keys, log });
    undo.push(() => app.stop());

    say(`Trustline sandbox: everything runs on this machine, nothing leaves it.
  Redis: ${ownRedis ? `private redis-server at ${ownRedis.url} (data in ${join(home, 'redis')})` : `${redactUrl(redisUrl)} (from REDIS_URL)`}
  Telegram: local Bot API server at ${api.apiRoot}; staff chat "Trustline staff" (one topic per case)
  Log: ${logFile}${earlier.size > 0 ? `\n  Earlier cases: ${earlier.size} (/cases lists them). Delete ${home} to start afresh.` : ''}
${HELP}`);
    if (stopping) return 0;

    function handle(input: string): void {
      if (input === '') return;
      if (input === '/help' || input === 'help' || input === '?') return say(HELP);
      if (input === '/cases') return listCases();

      const reporter = /^(r\d+)(?:\/(\w+))?\s*:\s?(.*)$/is.exec(input);
      if (reporter) {
        const [, rawName, rawLang, text] = reporter as unknown as [string, string, string | undefined, string];
        const name = rawName.toLowerCase();
        const lang = rawLang?.toLowerCase();
        if (lang !== undefined && !isLang(lang)) return say(`  "${rawLang}" is not a language the hotline speaks: use kk, ru or en`);
        if (text.trim() === '') return say('  nothing to send: write the message after the colon, e.g. r1: hello');
        let r = reporters.get(name);
        if (!r) {
          r = addReporter(name, lang ?? 'ru');
          saveRoster();
        } else if (lang !== undefined && lang !== r.lang) {
          say(dim(`  (${name}'s phone is set to ${r.lang}; a reporter's language is fixed when they first write)`));
        }
        api.sendPrivate(r.user, text);
        return;
      }

      const answer = /^s(?:\s+([^:]*?))?\s*:\s?(.*)$/is.exec(input);
      if (answer) {
        const [, rawCode, text] = answer as unknown as [string, string | undefined, string];
        let code: CaseCode | undefined;
        if (rawCode) {
          code = normalizeCaseCode(rawCode);
          if (!code) return say(`  "${rawCode}" is not a case code; codes look like K7Q-4FD (/cases lists them)`);
        } else code = latestCode;
        if (!code) return say('  no case yet: write as a reporter first, e.g. r1: hello');
        const thread = [...caseOfTopic].find(([, c]) => c === code)?.[0];
        if (thread === undefined) return say(`  no case ${code} in the staff chat; /cases lists the cases`);
        if (text.trim() === '') return say('  nothing to send: write the answer after the colon');
        api.sendGroup(staff, counsellor, text, { threadId: thread });
        latestCode = code;
        if (isInternalNote(text)) say(dim(`  (internal note in ${code}: stays in the staff chat)`));
        else if (!rawCode) say(dim(`  (answering ${code})`));
        return;
      }

      say('  not understood; /help lists what you can type');
    }

    function listCases(): void {
      if (caseOfTopic.size === 0) return say('  no cases yet: write as a reporter first, e.g. r1: hello');
      const lines = [...caseOfTopic.values()].map((code) => {
        const r = [...reporters.values()].find((x) => x.code === code);
        const who = r ? `${r.name} (${r.lang})` : 'an earlier reporter';
        return `  ${code}  ${who}${code === latestCode ? dim('   ← s: answers this one') : ''}`;
      });
      say(lines.join('\n'));
    }

    rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ', terminal: tty });
    // In a terminal readline owns Ctrl-C; treat it like the signal it replaces.
    rl.on('SIGINT', onSignal);
    const prompt = (): void => {
      if (!tty) return;
      atPrompt = true;
      rl!.prompt();
    };
    let quitByCommand = false;
    prompt();
    for await (const line of rl) {
      atPrompt = false;
      if (!process.stdin.isTTY) say(`> ${line}`); // piped input is not echoed; keep the transcript readable
      const input = line.trim();
      if (input === '/quit' || input === '/exit' || input === '/q') {
        quitByCommand = true;
        break;
      }
      try {
        handle(input);
      } catch (err) {
        say(`  could not do that: ${err instanceof Error ? err.message : String(err)}`);
      }
      prompt();
    }
    atPrompt = false;
    rl.close();
    if (tty && !quitByCommand) process.stdout.write('\n'); // Ctrl-D/Ctrl-C leave the cursor after the prompt
    say('Stopping…');
    const slow = setTimeout(() => say('  still finishing work in progress; Ctrl-C stops at once'), 5_000);
    slow.unref();
    stopping = true;
    // Telegram would keep updates the bot has not fetched yet (say, an answer typed just
    // before /quit); the emulator forgets them when it closes, so let the bot take them.
    for (let waited = 0; api.pendingUpdates > 0 && waited < 5_000; waited += 20) await sleep(20);
    while (undo.length > 0) await undo.pop()!();
    clearTimeout(slow);
    const kept = ownRedis ? `Keys, cases and the log stay in ${home}` : `Keys and the log stay in ${home}, cases in the Redis at REDIS_URL`;
    say(`Stopped. ${kept}; run the sandbox again to carry on.`);
    return 0;
  } finally {
    rl?.close();
    // Anything left here means start-up failed or was interrupted: undo it quietly.
    while (undo.length > 0) await undo.pop()!().catch(() => undefined);
    for (const s of signals) process.off(s, onSignal);
    unlock();
  }
}

/** Staff topics of the cases already in Redis: thread id -> case code, oldest first. */
async function earlierTopics(url: string): Promise<Map<number, CaseCode>> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    retryStrategy: () => null,
  });
  let cause: Error | undefined; // connect() only says "Connection is closed"; the event has the reason
  redis.on('error', (err: Error) => (cause = err));
  try {
    await redis.connect().catch((err: unknown) => {
      const reason = (cause ?? (err instanceof Error ? err : new Error(String(err)))).message.replace(/\.$/, '');
      throw new SandboxError(
        `Cannot reach Redis at REDIS_URL (${redactUrl(url)}): ${reason}. ` +
          'Start it, or unset REDIS_URL so the sandbox runs its own redis-server.',
      );
    });
    const store = new CaseStore(redis);
    const topics = Object.entries(await redis.hgetall(redisKeys.topics)).sort(([a], [b]) => Number(a) - Number(b));
    const found = new Map<number, CaseCode>();
    for (const [thread, id] of topics) {
      const record = await store.get(id as CaseId);
      if (record) found.set(Number(thread), record.code);
    }
    return found;
  } finally {
    redis.disconnect();
  }
}

/**
 * Before the bot starts: recreates the earlier cases' staff topics under their old
 * ids (a topic id is a message id, so gaps are filled with placeholder messages), and
 * moves the update counter past every update an earlier run handled.
 */
async function restoreTelegram(api: BotApiServer, staff: SimGroup, topics: ReadonlyMap<number, CaseCode>, lang: Lang): Promise<void> {
  const tg = new Api(api.token, { apiRoot: api.apiRoot });
  let last = 0;
  for (const id of topics.keys()) last = Math.max(last, id);
  for (let id = 1; id <= last; id++) {
    const code = topics.get(id);
    const made = code
      ? (await tg.createForumTopic(staff.id, t(lang, 'staff-topic-name', { code }))).message_thread_id
      : (await tg.sendMessage(staff.id, '(from an earlier sandbox run)')).message_id;
    if (made !== id) throw new Error(`could not restore staff topic ${id} (the emulator gave ${made})`);
  }
  // The bot remembers handled update ids (in Redis) to drop redeliveries, and Telegram's
  // ids only grow; a fresh emulator counting from its usual start would have every
  // message dropped as already seen. Milliseconds stay above an earlier run's ids
  // unless it handled over a thousand updates a second.
  const floor = Date.now();
  api.injectUpdate({ update_id: floor });
  await tg.getUpdates({ offset: floor + 1, timeout: 0 });
}

/**
 * One sandbox per directory: two would run two redis-servers on the same data. The
 * lock file also names our redis-server's port, so that if this process is killed
 * outright, the next run can stop the redis-server it left behind.
 */
async function lockHome(home: string): Promise<{ unlock(): void; noteRedis(port: number): void }> {
  const file = join(home, 'sandbox.pid');
  for (;;) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid }), { flag: 'wx', mode: 0o600 });
      let held = true;
      return {
        unlock() {
          if (held) rmSync(file, { force: true });
          held = false;
        },
        noteRedis(port) {
          if (held) writeAtomic(file, JSON.stringify({ pid: process.pid, redisPort: port }));
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let held: { pid?: unknown; redisPort?: unknown } = {};
    try {
      held = JSON.parse(readFileSync(file, 'utf8')) as typeof held;
    } catch {
      // unreadable: treat as stale
    }
    if (typeof held.pid === 'number' && isAlive(held.pid)) {
      throw new SandboxError(
        `Another sandbox is already running from ${home} (process ${held.pid}). Stop it first, or set ` +
          `TRUSTLINE_SANDBOX_DIR to another directory. (If none is running, delete ${file}.)`,
      );
    }
    if (typeof held.redisPort === 'number') await stopOrphanRedis(held.redisPort, join(home, 'redis'));
    rmSync(file, { force: true });
  }
}

/** Shuts down a redis-server on `port` if it is the one serving our data directory. */
async function stopOrphanRedis(port: number, dir: string): Promise<void> {
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, enableOfflineQueue: false, connectTimeout: 1_000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const [, served] = (await redis.config('GET', 'dir')) as [string, string];
    if (realpathSync(served) !== realpathSync(dir)) return;
    process.stdout.write(`Stopping the redis-server (port ${port}) that a killed sandbox left running…\n`);
    await redis.shutdown().catch(() => undefined); // the connection drops as it exits
  } catch {
    // nothing listening there any more, or not a Redis we can ask: leave it be
  } finally {
    redis.disconnect();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRoster(file: string): Array<{ name: string; lang: Lang; code?: CaseCode }> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return []; // none yet (or unreadable): reporters start afresh
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((r: { name?: unknown; lang?: unknown; code?: unknown }) =>
    typeof r?.name === 'string' && /^r\d+$/.test(r.name) && typeof r.lang === 'string' && isLang(r.lang)
      ? [{ name: r.name, lang: r.lang, ...(typeof r.code === 'string' ? { code: r.code as CaseCode } : {}) }]
      : [],
  );
}

/** Write then rename, so a stop mid-write never leaves half a file. */
function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

async function ensure(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function isLang(s: string): s is Lang {
  return (languages as readonly string[]).includes(s);
}

/** A Redis URL without its password, fit to print. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'an unparsable URL';
  }
}

function contentOf(message: Message): string {
  if (message.text !== undefined) return message.text;
  const kind = Object.keys(message).find((k) => !['message_id', 'message_thread_id', 'from', 'chat', 'date', 'is_topic_message', 'reply_to_message', 'caption', 'caption_entities'].includes(k));
  return `[${kind ?? 'message'}]${message.caption ? ` ${message.caption}` : ''}`;
}

function emojiOf(reaction: unknown): string {
  let list = reaction;
  try {
    if (typeof reaction === 'string') list = JSON.parse(reaction);
  } catch {
    return '(a reaction)';
  }
  const first = Array.isArray(list) ? (list[0] as { emoji?: string } | undefined) : undefined;
  return first?.emoji ?? '(reaction removed)';
}

function indent(text: string): string {
  return text.replace(/\n/g, '\n      ');
}
