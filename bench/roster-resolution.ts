// How long "who is on duty now?" and a routing decision take for a large roster.
// Run: npx tsx bench/roster-resolution.ts
import { performance } from 'node:perf_hooks';
import type { CounsellorId } from '../src/shared/ids.js';
import { chooseCounsellor } from '../src/routing/assignment.js';
import { Roster, type Counsellor, type Override, type Shift } from '../src/routing/roster.js';
import { DAY, HOUR } from '../src/shared/zoned-time.js';

const STAFF = 40;
const staff: Counsellor[] = Array.from({ length: STAFF }, (_, i) => ({
  id: `c${i}` as CounsellorId,
  role: i < 3 ? 'admin' : 'counsellor',
  langs: [(['kk', 'ru', 'en'] as const)[i % 3]!],
  active: true,
  escalation: i === 0,
}));
// two shifts each (a day shift on weekdays, a night shift on two days): 80 shifts
const shifts: Shift[] = staff.flatMap((c, i) => [
  { id: `d${i}`, counsellor: c.id, days: [0, 1, 2, 3, 4], start: 8 * 60 + (i % 4) * 60, end: 17 * 60 + (i % 4) * 60 },
  { id: `n${i}`, counsellor: c.id, days: [(i % 7) as 0, ((i + 3) % 7) as 0], start: 20 * 60, end: 8 * 60 },
]);
const t0 = Date.parse('2025-05-12T05:00:00Z');
const overrides: Override[] = Array.from({ length: 30 }, (_, i) => ({
  id: `o${i}`,
  counsellor: staff[i]!.id,
  kind: i % 2 ? 'away' : 'cover',
  from: t0 + i * 7 * HOUR,
  to: t0 + i * 7 * HOUR + 9 * HOUR,
  via: 'swap',
}));

function time(label: string, n: number, fn: (i: number) => unknown): void {
  for (let i = 0; i < 50; i++) fn(i); // warm up
  const start = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const us = ((performance.now() - start) * 1000) / n;
  console.log(`${label.padEnd(48)} ${us.toFixed(1).padStart(8)} µs/op`);
}

const roster = new Roster({ staff, shifts, overrides }, 'Asia/Almaty');
console.log(`${STAFF} staff, ${shifts.length} weekly shifts, ${overrides.length} overrides, Asia/Almaty`);
time('onDuty(at) (new Roster each time, as routing does)', 2000, (i) => new Roster({ staff, shifts, overrides }, 'Asia/Almaty').onDuty(t0 + i * 611_000));
time('nextStart(at) over 15 days', 500, (i) => roster.nextStart(t0 + i * 611_000));
time('currentSpans(at) (for /oncall)', 500, (i) => roster.currentSpans(t0 + i * 611_000));
time('spans(week) (for /roster)', 500, (i) => roster.spans(t0 + (i % 7) * DAY, t0 + (i % 7) * DAY + 7 * DAY));
const candidates = roster.onDuty(t0);
const load = new Map(candidates.map((c, i) => [c.id, i % 5]));
time(`chooseCounsellor among ${candidates.length} on duty`, 20000, () => chooseCounsellor({ candidates, lang: 'kk', load, lastAssigned: new Map() }));
