// The sandbox's duty roster: a clock you can move (`/time +9h`), a demo rota set up by
// the admin in the staff chat, and timers (SLA, next shift, follow-ups) that fire when
// the moved clock passes them, so a shift change and an escalation can be watched.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { parseDuration, type Clock } from '../shared/index.js';
import { formatDayTime } from '../i18n/index.js';
import { dutyQueueNames, queueNames } from '../queue/index.js';
import { queuePrefix, rosterKeys, RosterStore } from '../store/index.js';
import type { BotApiServer } from './bot-api/index.js';
import type { KeyRing } from '../crypto/index.js';
import { Roster, StaffDirectory } from '../routing/index.js';

export class SandboxClock implements Clock {
  /** `offset`: how far ahead of the real time it runs (kept across runs by the sandbox) */
  constructor(public offset = 0) {}
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

export const showTime = (clock: Clock, tz: string) => `${formatDayTime(clock.now(), 'en', tz)} (${tz})`;

/** Promotes delayed jobs (deferred routing, SLA timers, follow-ups) that are due by the sandbox clock. */
export async function runDueTimers(redisUrl: string, clock: Clock): Promise<number> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  let fired = 0;
  try {
    for (const name of [queueNames.route, dutyQueueNames.escalate, dutyQueueNames.followup]) {
      const queue = new Queue(name, { connection, prefix: queuePrefix });
      for (const job of await queue.getDelayed()) {
        const dueAt = (job.data as { dueAt?: number }).dueAt;
        if (dueAt !== undefined && dueAt <= clock.now()) {
          await job.promote();
          fired++;
        }
      }
      await queue.close();
    }
  } finally {
    connection.disconnect();
  }
  return fired;
}

/**
 * `/time` (the time and who is on duty) and `/time +9h` (moves the clock first, then
 * fires the timers that came due): the line to print. `moved` is told the new offset.
 */
export async function timeCommand(
  arg: string,
  o: { redisUrl: string; keys: KeyRing; timeZone: string; clock: SandboxClock; moved(offset: number): void },
): Promise<string> {
  let fired: number | undefined;
  if (arg.trim() !== '') {
    const step = parseTimeStep(arg);
    if (step === undefined) return '  not understood: /time +30m, /time +9h, /time +2d (forward only)';
    o.clock.advance(step);
    o.moved(o.clock.offset);
    fired = await runDueTimers(o.redisUrl, o.clock);
  }
  const duty = await onDutyLine(o.redisUrl, o.keys, o.timeZone, o.clock);
  const when = showTime(o.clock, o.timeZone);
  if (fired === undefined) return `  ${when}; ${duty}`;
  return `  now ${when}; ${duty}${fired ? `; ${fired} timer${fired === 1 ? '' : 's'} fired` : ''}`;
}

/** `/time +9h`: how far to move; undefined if not understood. */
export function parseTimeStep(arg: string): number | undefined {
  const m = /^\+(\S+)$/.exec(arg.trim());
  return m ? parseDuration(m[1]!) : undefined;
}

/**
 * On a sandbox with no shifts the admin sets up a demo rota in the staff chat, the way
 * a real admin would: Dana weekdays 09-18, Arman every night 18-09. Undefined if there
 * were shifts already; otherwise the answers that were not a success (none, normally).
 * `sent` is told the id of each message it writes, so their answers can be left unprinted.
 */
export async function demoRota(opts: {
  api: BotApiServer;
  redisUrl: string;
  staff: { id: number };
  admin: { id: number };
  dana: { id: number };
  arman: { id: number };
  sent?(messageId: number): void;
}): Promise<string[] | undefined> {
  const redis = new Redis(opts.redisUrl);
  const hasShifts = (await redis.hlen(rosterKeys.shifts).finally(() => redis.disconnect())) > 0;
  if (hasShifts) return undefined;
  const { api, staff, admin } = opts;
  const problems: string[] = [];
  const say = async (who: { id: number }, text: string) => {
    const sent = api.sendGroup(staff, who, text);
    opts.sent?.(sent.message_id);
    if (!text.startsWith('/')) return;
    const answer = await api.waitFor(() => api.messagesIn(staff).find((m) => m.reply_to_message?.message_id === sent.message_id), { timeoutMs: 10_000 });
    if (!answer.text?.startsWith('✅')) problems.push(`${text} → ${answer.text ?? '?'}`);
  };
  // Dana and Arman write first: Trustline learns their @usernames from that.
  await say(opts.dana, 'Сәлеметсіздер ме, мен кезекшілікке дайынмын');
  await say(opts.arman, 'Добрый вечер, я на ночных сменах');
  await say(admin, '/staff add @dana_counsellor ru,kk');
  await say(admin, '/staff add @arman_k ru,en');
  await say(admin, '/shift add @dana_counsellor mon-fri 09:00-18:00');
  await say(admin, '/shift add @arman_k daily 18:00-09:00');
  return problems;
}

/** "Dana (until Thu 18:00)" for whoever is on duty by the sandbox clock. */
export async function onDutyLine(redisUrl: string, keys: KeyRing, tz: string, clock: Clock): Promise<string> {
  const redis = new Redis(redisUrl);
  try {
    const store = new RosterStore(redis);
    const directory = new StaffDirectory(store, keys.pepper);
    const spans = new Roster(await store.snapshot(), tz).currentSpans(clock.now());
    const names = await Promise.all(
      spans.map(async (s) => `${(await directory.identityOf(s.counsellor))?.name ?? '?'} (until ${formatDayTime(s.to, 'en', tz)})`),
    );
    return names.length ? `on duty: ${names.join(', ')}` : 'nobody on duty';
  } finally {
    redis.disconnect();
  }
}
