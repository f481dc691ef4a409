// How many messages one reporter may hand in: a burst, then a steady rate. A flood
// (a script, a stuck client, 10,000 pasted messages) is turned away here with one
// Redis call per message, before anything is decrypted, locked or stored, so it
// costs little and cannot crowd out other reporters. The count lives in Redis so
// every process (pollers, webhook servers, WhatsApp lines) shares it.
import type { Redis } from 'ioredis';
import type { ReporterKey } from '../shared/index.js';
import { redisKeys } from './redis-keys.js';
import { script } from './scripts.js';

/**
 * GCRA (a token bucket kept as one "theoretical arrival time"): a message is let in
 * if it is at most `burst - 1` intervals ahead of schedule. Turned-away messages cost
 * nothing, so a reporter who slows down gets through again at once.
 * KEYS[1]: the reporter's budget, a hash { tat, told } that expires when it is full
 * again and no notice is pending (so an idle reporter leaves no key behind).
 * ARGV: burst, ms per message, ms between two "too fast" notices.
 * Returns 0 (let in), 1 (turned away: tell them) or 2 (turned away: already told).
 * The time is Redis's, so processes with skewed clocks still agree.
 */
const TAKE = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local burst = tonumber(ARGV[1])
local every = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tat', 'told')
local tat = math.max(tonumber(state[1]) or now, now)
local told = tonumber(state[2]) or 0
local verdict = 0
if tat - now <= (burst - 1) * every then
  tat = tat + every
  redis.call('HSET', KEYS[1], 'tat', string.format('%d', tat))
elseif told > now then
  return 2
else
  told = now + tonumber(ARGV[3])
  redis.call('HSET', KEYS[1], 'told', string.format('%d', told))
  verdict = 1
end
redis.call('PEXPIRE', KEYS[1], math.max(tat, told) - now)
return verdict
`);

export interface InboundLimits {
  /** messages a reporter may send at once */
  burst: number;
  /** messages a minute, sustained */
  perMinute: number;
}

/** let in; turned away and to be told so; turned away, already told in this window */
export type InboundVerdict = 'pass' | 'tell' | 'quiet';

const VERDICTS: readonly InboundVerdict[] = ['pass', 'tell', 'quiet'];

export class InboundBudget {
  private readonly everyMs: number;

  /** @param noticeEveryMs a flooding reporter is told at most once in this long */
  constructor(
    private readonly redis: Redis,
    private readonly limits: InboundLimits,
    private readonly noticeEveryMs = 60_000,
  ) {
    if (!(limits.burst >= 1 && limits.perMinute > 0)) throw new RangeError('burst must be at least 1 and perMinute above 0');
    this.everyMs = Math.max(1, Math.round(60_000 / limits.perMinute));
  }

  /** Counts one message of this reporter, if there is room for it. */
  async take(rk: ReporterKey): Promise<InboundVerdict> {
    const verdict = await TAKE.run(this.redis, [redisKeys.inboundBudget(rk)], [this.limits.burst, this.everyMs, this.noticeEveryMs]);
    return VERDICTS[Number(verdict)] ?? 'pass';
  }
}
