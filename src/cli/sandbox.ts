// `trustline sandbox`: the whole hotline on this machine with no accounts. A private
// redis-server, the local Bot API server, the real bot and workers, and a prompt
// where you type as reporters and as a counsellor and watch the relay.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { startTrustline } from '../app.js';
import { loadConfig } from '../config.js';
import { generateKeyRing, initKeys, loadKeys } from '../crypto/index.js';
import { createLogger } from '../log.js';
import { startBotApiServer } from '../sandbox/bot-api/index.js';
import { startRedisServer } from '../sandbox/redis-server.js';
import { existsSync } from 'node:fs';
import { demoRota, onDutyLine, parseTimeStep, runDueTimers, SandboxClock, showTime } from './sandbox-duty.js';

const HELP = `
  r1: text        write to the hotline as reporter r1 (r2, r3... are other people)
  r1/kk: text     the same, from a phone set to Kazakh (kk, ru or en)
  s CODE: text    answer case CODE as Dana, a counsellor (s: text answers the latest case)
  s CODE: //note  an internal note: stays in the staff chat
  s2 CODE: text   the same as Arman, the night-shift counsellor
  a: /oncall      Aliya, the admin, writes in the staff chat (a CODE: ... in a case topic)
  s: /take        any command works the same way (/roster, /status investigation, /help...)
  /time           the sandbox clock; /time +9h moves it and fires timers that came due
                  (next shift starts, unacknowledged cases escalating, follow-ups)
  /cases          cases seen so far
  /help           this text
  /quit           stop everything
`;

export async function runSandbox(_args: string[]): Promise<number> {
  const home = resolve(process.env.TRUSTLINE_SANDBOX_DIR ?? '.sandbox');
  await mkdir(home, { recursive: true, mode: 0o700 });
  const keysDir = join(home, 'keys');
  if (!existsSync(join(keysDir, 'staff.key'))) await initKeys(keysDir);
  const keys = await loadKeys(keysDir).catch(() => generateKeyRing());

  const ownRedis = process.env.REDIS_URL ? undefined : await startRedisServer({ dir: await ensure(join(home, 'redis')) });
  const api = await startBotApiServer({ botUsername: 'trustline_sandbox_bot' });
  const counsellor = api.addUser({ firstName: 'Dana', username: 'dana_counsellor', languageCode: 'ru' });
  const arman = api.addUser({ firstName: 'Arman', username: 'arman_k', languageCode: 'ru' });
  const admin = api.addUser({ firstName: 'Aliya', username: 'aliya_admin', languageCode: 'ru' });
  const staff = api.addGroup({ title: 'Trustline staff', forum: true, members: [counsellor.id, arman.id, admin.id] });
  const people: Record<string, { id: number }> = { s: counsellor, s2: arman, a: admin };
  const clock = new SandboxClock();

  const config = loadConfig({
    ...process.env,
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_MODE: 'polling',
    STAFF_CHAT_ID: String(staff.id),
    STAFF_ADMIN_IDS: String(admin.id),
    STAFF_USER_IDS: String(counsellor.id),
    REDIS_URL: process.env.REDIS_URL ?? ownRedis!.url,
  });
  const logFile = join(home, 'trustline.log');
  const log = createLogger({ level: config.logLevel, destination: (await import('pino')).pino.destination(logFile) });
  const app = await startTrustline({ config, keys, log, clock });

  const reporters = new Map<string, { id: number }>();
  const names = new Map<number, string>();
  const caseOfTopic = new Map<number, string>();
  let latestCode: string | undefined;
  const say = (line: string) => process.stdout.write(`${line}\n`);

  api.onBotMessage((message) => {
    const who = names.get(message.chat.id);
    if (who) {
      say(`\x1b[36m  bot → ${who}:\x1b[0m ${indent(message.text ?? '')}`);
      return;
    }
    if (message.chat.id !== staff.id) return;
    const thread = message.message_thread_id;
    const topicCode = thread !== undefined ? caseOfTopic.get(thread) : undefined;
    const code = topicCode ?? /([0-9A-Z]{3}-[0-9A-Z]{3})/.exec(message.text ?? '')?.[1];
    if (code) latestCode = code;
    say(`\x1b[33m  staff chat${code ? ` · ${code}` : ''}:\x1b[0m ${indent(message.text ?? '')}`);
  });
  api.onTopicCreated((topic) => {
    const code = /([0-9A-Z]{3}-[0-9A-Z]{3})/.exec(topic.name)?.[1];
    if (code) caseOfTopic.set(topic.message_thread_id, code);
  });

  if (await demoRota({ api, redisUrl: config.redis.url!, staff, admin, dana: counsellor, arman })) {
    say('  (the admin set up a demo rota: Dana weekdays 09:00-18:00, Arman every night 18:00-09:00)');
  }
  say(`Trustline sandbox: everything runs on this machine, nothing leaves it.
  Time: ${showTime(clock, config.timeZone)}; move it with /time +9h to watch a shift change or an escalation
  Redis: ${ownRedis ? `private redis-server at ${ownRedis.url} (data in ${join(home, 'redis')})` : config.redis.url}
  Telegram: local Bot API server at ${api.apiRoot}; staff chat "Trustline staff" (one topic per case)
  Log: ${logFile}
${HELP}`);

  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
  rl.prompt();
  for await (const line of rl) {
    const input = line.trim();
    if (input === '/quit' || input === '/exit') break;
    if (input === '/help') say(HELP);
    else if (input === '/cases') say([...new Set(caseOfTopic.values())].join('  ') || '  no cases yet');
    else if (input === '/time') say(`  ${showTime(clock, config.timeZone)}; ${await onDutyLine(config.redis.url!, keys, config.timeZone, clock)}`);
    else if (input.startsWith('/time ')) {
      const step = parseTimeStep(input.slice(6));
      if (step === undefined) say('  not understood: /time +30m, /time +9h, /time +2d');
      else {
        clock.advance(step);
        const fired = await runDueTimers(config.redis.url!, clock);
        const duty = await onDutyLine(config.redis.url!, keys, config.timeZone, clock);
        say(`  now ${showTime(clock, config.timeZone)}; ${duty}${fired ? `; ${fired} timer(s) fired` : ''}`);
      }
    } else if (input) handle(input);
    rl.prompt();
  }
  rl.close();

  function handle(input: string): void {
    const reporter = /^(r\d+)(?:\/(kk|ru|en))?:\s?(.*)$/s.exec(input);
    if (reporter) {
      const [, name, lang, text] = reporter as unknown as [string, string, string | undefined, string];
      let user = reporters.get(name);
      if (!user) {
        user = api.addUser({ firstName: name, languageCode: lang ?? 'ru' });
        reporters.set(name, user);
        names.set(user.id, name);
      }
      api.sendPrivate(user, text);
      return;
    }
    const staffLine = /^(s2|s|a)(?:\s+([0-9A-Za-z]{3}-?[0-9A-Za-z]{3}))?:\s?(.*)$/s.exec(input);
    if (staffLine) {
      const [, who, rawCode, text] = staffLine as unknown as [string, string, string | undefined, string];
      const person = people[who]!;
      // The admin writes in the general chat unless a case is named; counsellors answer the latest case.
      const code = (rawCode ?? (who === 'a' ? undefined : latestCode))?.toUpperCase();
      if (code === undefined) {
        api.sendGroup(staff, person, text ?? '');
        return;
      }
      const thread = [...caseOfTopic].find(([, c]) => c === code.replace(/^(...)-?(...)$/, '$1-$2'))?.[0];
      if (thread === undefined) {
        say('  no such case yet: write as a reporter first, or check /cases');
        return;
      }
      api.sendGroup(staff, person, text ?? '', { threadId: thread });
      return;
    }
    say('  not understood; /help lists what you can type');
  }

  await app.stop();
  await api.close();
  await ownRedis?.stop();
  return 0;
}

async function ensure(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function indent(text: string): string {
  return text.replace(/\n/g, '\n      ');
}
