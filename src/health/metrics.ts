// Trustline's metrics, on a registry of its own (not prom-client's global one), so two
// hotlines in one process (tests) never share a series. Labels are fixed words only:
// queue names and states, directions, channels, Bot API methods and error codes;
// never a case, a person, a chat or a text.
import type { ConnectionOptions } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChannelName, DeskName } from '../shared/index.js';
import type { SlaBreach } from '../routing/index.js';
import type { Redis } from '../store/index.js';
import { caseGauges } from './case-counts.js';
import { withinMs } from './deadline.js';
import { queueDepthGauge } from './queue-depths.js';

/** How long a scrape waits for Redis before it reports what it has. */
const REDIS_TIMEOUT_MS = 2_000;
/** Cases by status are counted with a SCAN: at most this often. */
const COUNT_CASES_EVERY_MS = 60_000;

/** From under a second (idle hotline) to an hour (staff chat at its 20 a minute, or a long outage). */
const DELIVERY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

export interface HotlineMetrics {
  readonly registry: Registry;
  /** a reporter's message (stored at `storedAt`, ms) was posted to the staff chat */
  readonly postedToStaff: (channel: ChannelName, storedAt: number) => void;
  /** a counsellor's answer (stored at `storedAt`, ms) was delivered to the reporter */
  readonly deliveredToReporter: (channel: ChannelName, storedAt: number) => void;
  readonly slaBreached: (breach: SlaBreach) => void;
  /** the Bot API refused a request (`code`: its error_code) or could not be reached */
  readonly telegramFailed: (method: string, code: number | 'network') => void;
  /** someone read a page of /rights (counted per page, never per reader) */
  readonly rightsPageRead: (page: string) => void;
  close(): Promise<void>;
}

/** `desks`: every staff chat's name (their posts' queues are watched too). */
export function createHotlineMetrics(deps: { redis: Redis; queueConnection: ConnectionOptions; desks?: readonly DeskName[] }): HotlineMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const redisUp = new Gauge({
    name: 'trustline_redis_up',
    help: '1 when Redis answered PING during this scrape, else 0.',
    registers: [registry],
    async collect() {
      const ok = await withinMs(REDIS_TIMEOUT_MS, deps.redis.ping()).then(
        () => true,
        () => false,
      );
      redisUp.set(ok ? 1 : 0);
    },
  });
  const queues = queueDepthGauge(registry, deps.queueConnection, REDIS_TIMEOUT_MS, deps.desks);
  caseGauges(registry, deps.redis, { countEveryMs: COUNT_CASES_EVERY_MS, timeoutMs: REDIS_TIMEOUT_MS });

  const delivery = new Histogram({
    name: 'trustline_delivery_seconds',
    help: 'Time from a message being stored to it leaving Trustline: to_staff (posted to the staff chat), to_reporter (a counsellor answer delivered).',
    labelNames: ['direction', 'channel'] as const,
    buckets: DELIVERY_BUCKETS,
    registers: [registry],
  });
  const breaches = new Counter({
    name: 'trustline_sla_breaches_total',
    help: 'Assignments not acknowledged within the SLA, by urgency and by whom the case passed to (the next counsellor, or admins when nobody else was on duty).',
    labelNames: ['urgent', 'passed_to'] as const,
    registers: [registry],
  });
  const telegramErrors = new Counter({
    name: 'trustline_telegram_errors_total',
    help: 'Bot API requests that failed, each attempt counted: by method and error code (429 = flood control; "network" = no answer).',
    labelNames: ['method', 'code'] as const,
    registers: [registry],
  });
  const pagesRead = new Counter({
    name: 'trustline_rights_pages_read_total',
    help: 'Pages of /rights shown to reporters, by page: how much each is read (a day: increase over 1d). Nothing says who read them.',
    labelNames: ['page'] as const,
    registers: [registry],
  });
  // Every series an alert may name exists from the start, at zero, rather than appearing
  // with its first event (a rate over a series that is absent is absent, not 0).
  for (const channel of ['telegram', 'whatsapp'] as const) {
    for (const direction of ['to_staff', 'to_reporter']) delivery.zero({ direction, channel });
  }
  for (const urgent of ['yes', 'no']) for (const passed_to of ['counsellor', 'admins']) breaches.inc({ urgent, passed_to }, 0);
  const seconds = (storedAt: number) => Math.max(0, Date.now() - storedAt) / 1000;

  return {
    registry,
    postedToStaff: (channel, storedAt) => delivery.observe({ direction: 'to_staff', channel }, seconds(storedAt)),
    deliveredToReporter: (channel, storedAt) => delivery.observe({ direction: 'to_reporter', channel }, seconds(storedAt)),
    slaBreached: (b) => breaches.inc({ urgent: b.urgent ? 'yes' : 'no', passed_to: b.passedTo }),
    telegramFailed: (method, code) => telegramErrors.inc({ method, code: String(code) }),
    rightsPageRead: (page) => pagesRead.inc({ page }),
    close: () => queues.close(),
  };
}
