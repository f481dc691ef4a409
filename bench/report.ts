// Tables for a person reading the terminal.
import type { RunResult } from './measure.js';
import type { RoutingResult } from './routing.js';
import type { GrowthResult, ThrottledResult } from './scenarios.js';

const n = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');

export function table(title: string, header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [`\n${title}`, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function runRow(label: string, r: RunResult): string[] {
  return [
    label,
    `${r.posted}/${r.offered.messages}`,
    n(r.inPerSecond),
    n(r.outPerSecond),
    `${n(r.latencyIn.p50)}/${n(r.latencyIn.p95)}/${n(r.latencyIn.p99)}`,
    `${n(r.latencyOut.p50)}/${n(r.latencyOut.p95)}/${n(r.latencyOut.p99)}`,
    n(r.cpuMicrosPerMessage),
    n(r.redisCpuMicrosPerMessage),
    n(r.redisCommandsPerMessage),
    n(r.peakRssMiB),
    String(r.maxBacklog),
    String(r.duplicates + r.outOfOrder),
  ];
}

export const runHeader = [
  'run',
  'posted',
  'in msg/s',
  'out msg/s',
  'in ms p50/95/99',
  'out ms p50/95/99',
  'CPU µs/msg',
  'Redis µs/msg',
  'Redis cmd/msg',
  'peak RSS MiB',
  'max backlog',
  'dup+disorder',
];

export function ratioLines(label: string, trustline: RunResult, bare: RunResult): string {
  return (
    `${label}: throughput Trustline/bare ${n(trustline.inPerSecond / bare.inPerSecond, 2)}, ` +
    `CPU per message Trustline/bare ${n(trustline.cpuMicrosPerMessage / bare.cpuMicrosPerMessage, 2)} ` +
    `(with Redis's CPU counted for Trustline: ${n((trustline.cpuMicrosPerMessage + trustline.redisCpuMicrosPerMessage) / bare.cpuMicrosPerMessage, 2)})`
  );
}

export function throttledLines(t: ThrottledResult): string {
  const r = t.run;
  return [
    `\nThrottled (emulator enforces 30/s global, 1/s per chat, 20/min per group; ${t.seconds} s of overload)`,
    `  staff-chat sends per whole minute: ${t.perMinute.join(', ') || '(run shorter than a minute)'} -> ${n(t.shareOfLimit * 100, 1)}% of the group limit`,
    `  429s caused by the bot: ${r.tooManyRequests}`,
    `  reporter messages offered ${r.offered.messages}: posted ${r.posted}, waiting in Redis ${t.waitingInRedis}, not yet fetched from Telegram ${t.waitingAsUpdates}, lost ${t.lost}`,
    `  posts that joined several messages: ${n(r.posted / Math.max(1, r.staffSends.length), 2)} reporter messages per staff-chat send`,
    `  longest queueing delay (reporter -> staff): ${n(t.longestDelayMs / 1000, 1)} s; answers delivered ${r.answersDelivered}/${r.answersSent}, p99 ${n(r.latencyOut.p99)} ms`,
    `  duplicates ${r.duplicates}, out of order ${r.outOfOrder}`,
  ].join('\n');
}

export function growthTable(rows: GrowthResult[]): string {
  return table(
    'Growth: the same probe (20 reporters, 200 follow-ups at 100/s, answered; after a warm-up) with K cases open.\nRedis bytes per open case (each with its report): the record and its lookups, the encrypted messages, the redelivery marks',
    ['open cases', 'written in s', 'in ms p50/99', 'out ms p50/99', 'CPU µs/msg', 'used_memory Δ B/case', 'record B', 'messages B', 'update marks B'],
    rows.map((g) => [
      n(g.openCases),
      n(g.openSeconds, 1),
      `${n(g.probe.latencyIn.p50)}/${n(g.probe.latencyIn.p99)}`,
      `${n(g.probe.latencyOut.p50)}/${n(g.probe.latencyOut.p99)}`,
      n(g.probe.cpuMicrosPerMessage),
      n(g.redisBytesPerCase),
      n(g.breakdown.metadata),
      n(g.breakdown.content),
      n(g.breakdown.updateMarks),
    ]),
  );
}

export function routingTable(rows: RoutingResult[]): string {
  return table(
    'Routing as open cases pile up (in-process router, 10 counsellors on duty, 200 new cases routed after K open ones were written)',
    ['open cases', 'route µs p50/99', 'Redis cmd/route', 'Redis B/open case', 'seeded in s'],
    rows.map((r) => [n(r.openCases), `${n(r.p50Micros)}/${n(r.p99Micros)}`, n(r.redisCommandsPerRoute, 1), n(r.redisBytesPerCase), n(r.seedSeconds, 1)]),
  );
}
