// `npm run bench`: Trustline under load, against a bare relay, under Telegram's limits,
// and as open cases accumulate. Prints tables and writes bench/results.json.
//
//   npm run bench -- --reporters 200 --seconds 10 --throttled-seconds 90
//   BENCH_ONLY=throttled npm run bench
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sodiumReady } from '../src/crypto/index.js';
import { initKeys } from '../src/keys/files.js';
import { startRedisServer } from '../src/sandbox/redis-server.js';
import { compileForBench } from './compile.js';
import { ratioLines, routingTable, runHeader, runRow, table, throttledLines, growthTable } from './report.js';
import { routingGrowth } from './routing.js';
import { cleaningCost, cleaningTable } from './cleaning.js';
import { incident, incidentTable } from './incident.js';
import { burstTable, incidentBurst } from './incident-burst.js';
import { growth, throttled, unthrottled, type UnthrottledPlan } from './scenarios.js';

const PARTS = ['burst', 'paced', 'fsync', 'throttled', 'growth', 'routing', 'cleaning', 'incident'] as const;
type Part = (typeof PARTS)[number];

const { values } = parseArgs({
  options: {
    reporters: { type: 'string', default: process.env.BENCH_REPORTERS ?? '200' },
    messages: { type: 'string', default: process.env.BENCH_MESSAGES ?? '5' },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '10' },
    rates: { type: 'string', default: process.env.BENCH_RATES ?? '200,500' },
    'throttled-seconds': { type: 'string', default: process.env.BENCH_THROTTLED_SECONDS ?? '75' },
    growth: { type: 'string', default: process.env.BENCH_GROWTH ?? '10,100,1000' },
    routing: { type: 'string', default: process.env.BENCH_ROUTING ?? '100,1000,10000,100000' },
    incident: { type: 'string', default: process.env.BENCH_INCIDENT ?? '30' },
    'incident-cases': { type: 'string', default: process.env.BENCH_INCIDENT_CASES ?? '300' },
    'incident-scale': { type: 'string', default: process.env.BENCH_INCIDENT_SCALE ?? '6' },
    only: { type: 'string', default: process.env.BENCH_ONLY ?? PARTS.join(',') },
    relays: { type: 'string', default: process.env.BENCH_RELAYS ?? 'bare,trustline' },
    out: { type: 'string', default: new URL('./results.json', import.meta.url).pathname },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(`Usage: npm run bench -- [options]   (each option also as an environment variable)

  --reporters N            simulated reporters in burst/paced runs (BENCH_REPORTERS, 200)
  --messages N             messages per reporter in the burst (BENCH_MESSAGES, 5)
  --seconds N              length of each paced run (BENCH_SECONDS, 10)
  --rates A,B              paced rates, messages/s (BENCH_RATES, 200,500)
  --throttled-seconds N    length of the run under Telegram's limits (BENCH_THROTTLED_SECONDS, 75)
  --growth A,B,C           open-case counts for the growth run (BENCH_GROWTH, 10,100,1000)
  --routing A,B,...        open-case counts for the routing run (BENCH_ROUTING, 100,1000,10000,100000)
  --incident N             reports filed within a minute in the incident run (BENCH_INCIDENT, 30)
  --incident-cases N       new cases in the 5-minute incident burst (BENCH_INCIDENT_CASES, 300)
  --incident-scale F       the burst replayed F times faster, Telegram's limits scaled alike (BENCH_INCIDENT_SCALE, 6)
                           (BENCH_BURST_CHATS=1 or 2 runs the burst with that many staff chats only)
  --only PARTS             any of ${PARTS.join(',')} (BENCH_ONLY, all)
  --relays LIST            bare,trustline (BENCH_RELAYS, both)
  --out FILE               where to write the results (bench/results.json)

Trustline reporters first complete the intake conversation (not measured), so the
measured traffic is follow-up messages in open cases and counsellors' answers.
`);
  process.exit(0);
}
const reporters = Number(values.reporters);
const messages = Number(values.messages);
const seconds = Number(values.seconds);
const rates = values.rates.split(',').map(Number);
const only = new Set(values.only.split(',') as Part[]);
const relays = values.relays.split(',') as ('bare' | 'trustline')[];
const print = (s: string) => process.stdout.write(`${s}\n`);

await sodiumReady();
const redis = await startRedisServer();
const keysDir = await mkdtemp(join(os.tmpdir(), 'trustline-bench-keys-'));
await initKeys(keysDir);
const rig = { redisUrl: redis.url, keysDir, built: await compileForBench() };
// Node flags for the Trustline process: the README's recommended production setting by
// default. Without a cap V8 lets the heap grow to ~120 MiB under load before collecting.
const nodeOptions = process.env.BENCH_NODE_OPTIONS ?? '--max-old-space-size=96';
const env: Record<string, string> = nodeOptions ? { NODE_OPTIONS: nodeOptions } : {};
const results: Record<string, unknown> = {
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, at: new Date().toISOString() },
  options: { reporters, messages, seconds, rates, throttledSeconds: Number(values['throttled-seconds']), growth: values.growth, nodeOptions },
  loadAverageAtStart: os.loadavg(),
};
const started = Date.now();
print(`Trustline benchmark: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, Redis and the Bot API emulator on loopback`);
print(
  `Trustline runs compiled, with NODE_OPTIONS="${nodeOptions}". Load average at start: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
print('Latencies in ms, CPU in µs per relayed message (either direction), Redis CPU separately.');

try {
  const rows: string[][] = [];
  const ratios: string[] = [];
  const plans: { key: string; label: string; short: string; plan: UnthrottledPlan }[] = [];
  if (only.has('burst')) {
    plans.push({
      key: 'burst',
      label: `burst of ${reporters}x${messages}`,
      short: 'burst',
      plan: { reporters, messagesPerReporter: messages, rate: 0, drainTimeoutMs: 120_000 },
    });
  }
  if (only.has('paced')) {
    for (const rate of rates) {
      const plan = { reporters, messagesPerReporter: Math.ceil((rate * seconds) / reporters), rate, drainTimeoutMs: 120_000 };
      plans.push({ key: `paced${rate}`, label: `${rate}/s for ${seconds} s`, short: `${rate}/s`, plan });
    }
  }
  if (plans.length) {
    const runs = await unthrottled(
      rig,
      plans.map((p) => p.plan),
      reporters,
      env,
      relays,
    );
    for (const [i, { key, label, short }] of plans.entries()) {
      const r = runs[i]!;
      results[key] = r;
      if (r.bare) rows.push(runRow(`bare relay, ${label}`, r.bare));
      if (r.trustline) rows.push(runRow(`Trustline, ${label}`, r.trustline));
      if (r.bare && r.trustline) ratios.push(ratioLines(short, r.trustline, r.bare));
    }
    print(table('Unthrottled (no platform limits): follow-ups in open cases, each answered by a counsellor', runHeader, rows));
    for (const line of ratios) print(line);
  }
  if (only.has('fsync')) {
    // What Trustline's requirement of `appendfsync always` costs against `everysec`: the
    // same paced run against two Redis servers, one after the other, in this one run.
    const rate = rates[0]!;
    const plan = { reporters, messagesPerReporter: Math.ceil((rate * seconds) / reporters), rate, drainTimeoutMs: 120_000 };
    const everysecRedis = await startRedisServer({ appendfsync: 'everysec' });
    try {
      const [everysec] = await unthrottled({ ...rig, redisUrl: everysecRedis.url }, [plan], reporters, { ...env, REDIS_ALLOW_EVERYSEC: 'true' }, ['trustline']);
      const [always] = await unthrottled(rig, [plan], reporters, env, ['trustline']);
      results.fsync = { rate, seconds, everysec: everysec!.trustline, always: always!.trustline };
      print(
        table(`Redis appendfsync: everysec against always (Trustline's requirement), ${rate}/s for ${seconds} s`, runHeader, [
          runRow('everysec', everysec!.trustline!),
          runRow('always', always!.trustline!),
        ]),
      );
    } finally {
      await everysecRedis.stop();
    }
  }
  if (only.has('throttled')) {
    const t = await throttled(rig, { seconds: Number(values['throttled-seconds']), reporters: 10, rate: 5 }, env);
    results.throttled = { ...t, run: { ...t.run, staffSends: undefined } };
    print(throttledLines(t));
  }
  if (only.has('growth')) {
    const g = await growth(rig, values.growth.split(',').map(Number), env);
    results.growth = g.map((x) => ({ ...x, probe: { ...x.probe, staffSends: undefined } }));
    print(growthTable(g));
  }
  if (only.has('routing')) {
    const r = await routingGrowth(redis.url, values.routing.split(',').map(Number));
    results.routing = r;
    print(routingTable(r));
  }
  if (only.has('cleaning')) {
    const rounds = 10;
    const c = await cleaningCost(rounds);
    results.cleaning = c;
    print(cleaningTable(c, rounds));
  }
  if (only.has('incident')) {
    const burst = await incidentBurst(
      rig,
      { cases: Number(values['incident-cases']), urgent: 10, conversations: 50, simulatedMs: 5 * 60_000, scale: Number(values['incident-scale']) },
      env,
    );
    print(burstTable(burst));
    const thirty = await incident(rig, { reports: Number(values.incident), withinMs: 60_000 }, env);
    results.incident = { burst, thirty };
    print(incidentTable(thirty));
  }
  results.loadAverageAtEnd = os.loadavg();
  strip(results);
  await writeFile(values.out, `${JSON.stringify(results, null, 2)}\n`);
  print(
    `\nWrote ${values.out} in ${Math.round((Date.now() - started) / 1000)} s. Load average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await redis.stop();
  await rm(keysDir, { recursive: true, force: true });
}

/** staffSends are raw timestamps: useful while computing, noise in the file. */
function strip(o: Record<string, unknown>): void {
  for (const v of Object.values(o)) {
    if (v && typeof v === 'object') {
      if ('staffSends' in v) delete (v as { staffSends?: unknown }).staffSends;
      strip(v as Record<string, unknown>);
    }
  }
}
