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
import { reporterInput, shownWithButtons } from '../sandbox/intake-input.js';
import { existsSync } from 'node:fs';

const HELP = `
  r1: text        write to the hotline as reporter r1 (r2, r3... are other people)
  r1/kk: text     the same, from a phone set to Kazakh (kk, ru or en)
  r1: 2 / r1: #2  answer a question: type the option's number (or words), or tap its button
  r1: !photo cap  send evidence: !photo, !document or !voice, with an optional caption
  s CODE: text    answer case CODE as the counsellor (s: text answers the latest case)
  s CODE: //note  an internal note: stays in the staff chat
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
  const staff = api.addGroup({ title: 'Trustline staff', forum: true, members: [counsellor.id] });

  const config = loadConfig({
    ...process.env,
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_MODE: 'polling',
    STAFF_CHAT_ID: String(staff.id),
    STAFF_USER_IDS: String(counsellor.id),
    REDIS_URL: process.env.REDIS_URL ?? ownRedis!.url,
  });
  const logFile = join(home, 'trustline.log');
  const log = createLogger({ level: config.logLevel, destination: (await import('pino')).pino.destination(logFile) });
  const app = await startTrustline({ config, keys, log });

  const reporters = new Map<string, { id: number }>();
  const names = new Map<number, string>();
  const caseOfTopic = new Map<number, string>();
  let latestCode: string | undefined;
  const say = (line: string) => process.stdout.write(`${line}\n`);

  api.onBotMessage((message) => {
    const who = names.get(message.chat.id);
    if (who) {
      say(`\x1b[36m  bot → ${who}:\x1b[0m ${indent(shownWithButtons(message))}`);
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

  say(`Trustline sandbox: everything runs on this machine, nothing leaves it.
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
    else if (input) handle(input);
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
      const done = reporterInput(api, user, text);
      if (done === 'no-button') say('  no such button under the latest question');
      else if (!done) api.sendPrivate(user, text);
      return;
    }
    const counsellorLine = /^s(?:\s+([0-9A-Za-z]{3}-?[0-9A-Za-z]{3}))?:\s?(.*)$/s.exec(input);
    if (counsellorLine) {
      const code = (counsellorLine[1] ?? latestCode)?.toUpperCase();
      const thread = [...caseOfTopic].find(([, c]) => c === code)?.[0];
      if (thread === undefined) {
        say('  no such case yet: write as a reporter first, or check /cases');
        return;
      }
      api.sendGroup(staff, counsellor, counsellorLine[2] ?? '', { threadId: thread });
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
