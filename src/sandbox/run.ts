// `trustline sandbox`: the whole hotline on this machine with no accounts. A private
// redis-server, the local Bot API server, the real bot and workers, and a prompt
// where you type as reporters and as staff (two counsellors and an admin, with a demo
// rota) and watch the relay, the routing and, moving the sandbox clock, shift changes
// and escalations.
//
// Cases persist in the sandbox directory (keys, Redis data), but the emulated Telegram
// starts empty on every run. So that earlier cases and the rota keep working, each run
// rebuilds what they point at: everyone gets their old user id back (people.ts),
// the staff chat gets the case topics back under their old ids, and update ids continue
// above those the bot has already handled (restore.ts).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { Message } from 'grammy/types';
import { pino } from 'pino';
import { type Config, loadConfig } from '../config/index.js';
import { type KeyRing, normalizeCaseCode } from '../crypto/index.js';
import { type Clock, type Logger, type CaseCode, isLang, createLogger } from '../shared/index.js';
import { isInternalNote } from '../bot/telegram/index.js';
import { initKeys, loadKeys } from '../keys/index.js';
import { staffCommands, isCommandName } from '../routing/index.js';
import { startBotApiServer } from './bot-api/index.js';
import { reporterInput, shownWithButtons } from './intake-input.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { demoRota, SandboxClock, showTime, timeCommand } from './duty.js';
import { ensure, lockHome, redactUrl } from './home.js';
import { People, type StaffTag } from './people.js';
import { earlierTopics, restoreTelegram } from './restore.js';

export { SandboxError } from './home.js';

const HELP = `
  r1: text        write to the hotline as reporter r1 (r2, r3... are other people)
  r1/kk: text     the same, from a phone set to Kazakh (kk, ru or en; ru if not given)
  r1: !voice      send a voice note (or !photo caption, !document): staff get it cleaned
                  of location and author data, a voice disguised
  s: text         answer as Dana, a counsellor, in the latest case (last written or answered in)
  s CODE: text    answer case CODE (e.g. s K7Q-4FD: hello)
  s: //text       an internal note: stays in the staff chat, never sent
  s2: text        the same as Arman, the night-shift counsellor (s2 CODE: text...)
  s> text         Dana writes to the bot in her private chat (need-to-know mode,
                  STAFF_VISIBILITY=assigned: s> /start first); s CODE> text replies
                  to case CODE there
  a: text         the same as Aliya, the admin
  s: /take        staff commands work the same way: case commands (/take, /status
                  investigation, /transfer @arman_k, /followup 14d...) act on the latest
                  case or CODE's; the others (a: /oncall, s: /roster, a: /staff list,
                  s: /help...) go to the staff chat's general topic
  /time           the sandbox clock and who is on duty; /time +9h moves it and fires the
                  timers that came due (a shift starting, an unacknowledged case
                  escalating, a follow-up)
  /cases          the cases so far and who wrote them
  /help           this text
  /quit           stop everything (Ctrl-D or Ctrl-C work too)
`;

const USAGE = `Usage: trustline sandbox

Runs the whole hotline on this machine (its own redis-server and a local Telegram
emulator) and opens a prompt where you write as reporters and as staff: Dana and
Arman (counsellors) and Aliya (the admin), on a demo rota.
Keys, cases, the people and the log are kept in $TRUSTLINE_SANDBOX_DIR (default
./.sandbox); set REDIS_URL to use a Redis of your own instead of a private redis-server.
${HELP}`;

/** Case codes as the hotline makes them (see crypto/case-code.ts), found inside a text. */
const CODE_IN_TEXT = /\b([2-9A-HJKMNP-TV-Z]{3}-[2-9A-HJKMNP-TV-Z]{3})\b/;

/**
 * What the sandbox runs: the whole hotline, handed in by the `trustline sandbox` command
 * (src/cli/sandbox.ts), because the composition root sits above the sandbox.
 */
export interface SandboxDeps {
  startTrustline(o: { config: Config; keys: KeyRing; log: Logger; clock: Clock }): Promise<{ stop(): Promise<void> }>;
}

export async function runSandbox(args: string[], deps: SandboxDeps): Promise<number> {
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
    // Everyone from earlier runs, in the same order, so each keeps their user id: Redis
    // knows reporters and the roster knows staff by it.
    const people = People.restore(api, home);
    const { s: dana, s2: arman, a: aliya } = people.staff;
    const staff = api.addGroup({ title: 'Trustline staff', forum: true, members: [dana.id, arman.id, aliya.id] });
    api.setProtectedContent(staff, true); // set up as docs/operations.md asks: "Restrict saving content" on
    const clock = new SandboxClock(people.clockOffset);

    const config = loadConfig({
      ...process.env,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_MODE: 'polling',
      STAFF_CHAT_ID: String(staff.id),
      STAFF_ADMIN_IDS: String(aliya.id),
      STAFF_USER_IDS: String(dana.id),
      STAFF_THREADING: 'topics',
      REDIS_URL: redisUrl,
      // The local Bot API server has no flood control; neither need the sandbox's sends.
      TELEGRAM_RATE_LIMITS: 'off',
    });

    await restoreTelegram(api, staff, earlier, config.staff.lang);

    const caseOfTopic = new Map<number, CaseCode>(earlier);
    let latestCode: CaseCode | undefined = [...earlier.values()].at(-1);
    const demo = new Set<number>(); // the demo rota's messages: their answers are summed up in one line
    const carded = new Set<CaseCode>(); // need-to-know mode: cases known by their card, having no topic

    api.onTopicCreated((topic) => {
      const code = CODE_IN_TEXT.exec(topic.name)?.[1] as CaseCode | undefined;
      if (code && topic.chat_id === staff.id) caseOfTopic.set(topic.message_thread_id, code);
    });
    api.onBotMessage((message) => {
      const who = people.names.get(message.chat.id);
      if (who) {
        const code = CODE_IN_TEXT.exec(message.text ?? '')?.[1] as CaseCode | undefined;
        if (code) people.noteCode(people.reporters.get(who)!, code);
        say(`${cyan(`  bot → ${who}:`)} ${indent(shownWithButtons(message))}`);
        return;
      }
      const staffer = Object.values(people.staff).find((u) => u.id === message.chat.id);
      if (staffer) {
        say(`${yellow(`  bot → ${staffer.first_name} (private):`)} ${indent(contentOf(message))}`);
        return;
      }
      if (message.chat.id !== staff.id || demo.has(message.reply_to_message?.message_id ?? 0)) return;
      const thread = message.message_thread_id;
      const code = (thread !== undefined ? caseOfTopic.get(thread) : undefined) ?? (CODE_IN_TEXT.exec(message.text ?? '')?.[1] as CaseCode | undefined);
      if (code) latestCode = code;
      if (code && message.text?.startsWith('🗂')) carded.add(code);
      say(`${yellow(`  staff chat${code ? ` · ${code}` : ''}:`)} ${indent(contentOf(message))}`);
    });
    // Follow-up messages get a reaction rather than a reply; show it, or they seem ignored.
    api.on('response', (call) => {
      if (call.method !== 'setMessageReaction' || !call.response?.ok) return;
      const who = people.names.get(Number(call.params.chat_id));
      if (who) say(`${cyan(`  bot → ${who}:`)} ${emojiOf(call.params.reaction)} ${dim('(a reaction to their message)')}`);
    });

    const logFile = join(home, 'trustline.log');
    // Synchronous, so the log is complete even after a forced stop; owner-only like the keys.
    const log = createLogger({ level: config.logLevel, destination: pino.destination({ dest: logFile, sync: true, mode: 0o600 }) });
    const app = await deps.startTrustline({ config, keys, log, clock });
    undo.push(() => app.stop());

    // With no shifts yet, Aliya sets up the demo rota in the staff chat, as an admin would.
    const rota = stopping ? undefined : await demoRota({ api, redisUrl, staff, admin: aliya, dana, arman, sent: (id) => demo.add(id) });
    const rotaLine =
      rota === undefined
        ? 'as earlier runs left it (s: /roster shows it)'
        : rota.length === 0
          ? 'Aliya has just set up a demo rota: Dana weekdays 09:00-18:00, Arman every night 18:00-09:00'
          : `Aliya could not set up all of the demo rota:\n    ${rota.map(indent).join('\n    ')}`;

    say(`Trustline sandbox: everything runs on this machine, nothing leaves it.
  Redis: ${ownRedis ? `private redis-server at ${ownRedis.url} (data in ${join(home, 'redis')})` : `${redactUrl(redisUrl)} (from REDIS_URL)`}
  Telegram: local Bot API server at ${api.apiRoot}; staff chat "Trustline staff" (one topic per case)
  Staff: Dana and Arman, counsellors (s:, s2:); Aliya, the admin (a:)
  Rota: ${rotaLine}
  Time: ${showTime(clock, config.timeZone)}${clock.offset > 0 ? `, ${span(clock.offset)} ahead: moved on in earlier runs` : ''}; /time +9h moves the clock on
  Log: ${logFile}${earlier.size > 0 ? `\n  Earlier cases: ${earlier.size} (/cases lists them). Delete ${home} to start afresh.` : ''}
${HELP}`);
    if (stopping) return 0;

    async function handle(input: string): Promise<void> {
      if (input === '') return;
      if (input === '/help' || input === 'help' || input === '?') return say(HELP);
      if (input === '/cases') return listCases();
      const time = /^\/time\b\s*(.*)$/is.exec(input);
      if (time) {
        const moved = (offset: number): void => {
          people.clockOffset = offset; // kept, so the next run goes on from here
        };
        return say(await timeCommand(time[1]!, { redisUrl, keys, timeZone: config.timeZone, clock, moved }));
      }

      const reporter = /^(r\d+)(?:\/(\w+))?\s*:\s?(.*)$/is.exec(input);
      if (reporter) {
        const [, rawName, rawLang, text] = reporter as unknown as [string, string, string | undefined, string];
        const name = rawName.toLowerCase();
        const lang = rawLang?.toLowerCase();
        if (lang !== undefined && !isLang(lang)) return say(`  "${rawLang}" is not a language the hotline speaks: use kk, ru or en`);
        if (text.trim() === '') return say('  nothing to send: write the message after the colon, e.g. r1: hello');
        let r = people.reporters.get(name);
        if (!r) {
          r = people.addReporter(name, lang ?? 'ru');
          people.save();
        } else if (lang !== undefined && lang !== r.lang) {
          say(dim(`  (${name}'s phone is set to ${r.lang}; a reporter's language is fixed when they first write)`));
        }
        const done = reporterInput(api, r.user, text);
        if (done === 'no-button') say('  no such button under the latest question');
        else if (!done) api.sendPrivate(r.user, text);
        return;
      }

      // Need-to-know mode: a counsellor writes to the bot in their private chat, replying
      // to the latest message there of case CODE when one is named.
      const privateLine = /^(s2|s|a)(?:\s+([^>]*?))?\s*>\s?(.*)$/is.exec(input);
      if (privateLine) {
        const [, rawWho, rawCode, text] = privateLine as unknown as [string, string, string | undefined, string];
        const who = people.staff[rawWho.toLowerCase() as StaffTag];
        if (text.trim() === '') return say('  nothing to send: write the message after the >');
        const code = rawCode ? normalizeCaseCode(rawCode) : undefined;
        if (rawCode && !code) return say(`  "${rawCode}" is not a case code; codes look like K7Q-4FD`);
        const of = code
          ? api
              .messagesIn(who.id)
              .filter((m) => (m.text ?? m.caption ?? '').includes(code))
              .at(-1)
          : undefined;
        if (code && !of) return say(`  no message of ${code} in ${who.first_name}'s private chat yet`);
        api.sendPrivate(who, text, of ? { replyTo: of.message_id } : {});
        return;
      }

      const staffLine = /^(s2|s|a)(?:\s+([^:]*?))?\s*:\s?(.*)$/is.exec(input);
      if (staffLine) {
        const [, rawWho, rawCode, text] = staffLine as unknown as [string, string, string | undefined, string];
        const who = people.staff[rawWho.toLowerCase() as StaffTag];
        if (text.trim() === '') return say('  nothing to send: write the message after the colon');
        // Commands for the whole chat (/oncall, /roster...) go to its general topic.
        const command = /^\/([a-z]+)(?:@\w+)?(?:\s|$)/i.exec(text.trim())?.[1]?.toLowerCase();
        const general = command !== undefined && (!isCommandName(command) || !staffCommands[command].inCase);
        let code: CaseCode | undefined;
        if (rawCode) {
          code = normalizeCaseCode(rawCode);
          if (!code) return say(`  "${rawCode}" is not a case code; codes look like K7Q-4FD (/cases lists them)`);
        } else if (general) {
          api.sendGroup(staff, who, text);
          return;
        } else code = latestCode;
        if (!code) return say('  no case yet: write as a reporter first, e.g. r1: hello');
        const thread = [...caseOfTopic].find(([, c]) => c === code)?.[0];
        if (thread === undefined) return say(`  no case ${code} in the staff chat; /cases lists the cases`);
        api.sendGroup(staff, who, text, { threadId: thread });
        latestCode = code;
        if (isInternalNote(text)) say(dim(`  (internal note in ${code}: stays in the staff chat)`));
        else if (!rawCode) say(dim(command ? `  (in ${code})` : `  (answering ${code})`));
        return;
      }

      if (input.startsWith('/'))
        return say(`  ${input.split(/\s/)[0]} is not a sandbox command; staff commands go after s:, s2: or a: (e.g. a: /oncall); /help lists the rest`);
      say('  not understood; /help lists what you can type');
    }

    function listCases(): void {
      const codes = new Set([...caseOfTopic.values(), ...carded]);
      if (codes.size === 0) return say('  no cases yet: write as a reporter first, e.g. r1: hello');
      const lines = [...codes].map((code) => {
        const who = people.ownerOf(code) ?? 'an earlier reporter';
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
        await handle(input);
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

function contentOf(message: Message): string {
  if (message.text !== undefined) return message.text;
  const kind = Object.keys(message).find(
    (k) => !['message_id', 'message_thread_id', 'from', 'chat', 'date', 'is_topic_message', 'reply_to_message', 'caption', 'caption_entities'].includes(k),
  );
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

/** "2d 3h 5m" */
function span(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const parts = [
    [Math.floor(minutes / 1440), 'd'],
    [Math.floor(minutes / 60) % 24, 'h'],
    [minutes % 60, 'm'],
  ] as const;
  return (
    parts
      .filter(([n]) => n > 0)
      .map(([n, unit]) => `${n}${unit}`)
      .join(' ') || 'under a minute'
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
