// Roster resolution with an injected instant: time zones, shifts across midnight,
// DST nights, away periods and covers, and the "no rota yet" fallback.
import { describe, expect, it } from 'vitest';
import type { CounsellorId } from '../../src/shared/ids.js';
import { Roster, type Counsellor, type Override, type RosterSnapshot, type Shift } from '../../src/routing/roster.js';
import { HOUR, instantOf, localTimeOf, offsetAt } from '../../src/shared/zoned-time.js';

const ALMATY = 'Asia/Almaty';
const BERLIN = 'Europe/Berlin';
const id = (s: string) => s as CounsellorId;
const dana: Counsellor = { id: id('dana'), role: 'counsellor', langs: ['ru', 'kk'], active: true, escalation: false };
const arman: Counsellor = { id: id('arman'), role: 'counsellor', langs: ['ru', 'en'], active: true, escalation: false };
const aida: Counsellor = { id: id('aida'), role: 'counsellor', langs: ['kk'], active: true, escalation: false };
const boss: Counsellor = { id: id('boss'), role: 'admin', langs: ['ru'], active: true, escalation: false };

const weekdays: Shift = { id: 'S1', counsellor: dana.id, days: [0, 1, 2, 3, 4], start: 9 * 60, end: 18 * 60 };
const nights: Shift = { id: 'S2', counsellor: arman.id, days: [0, 1, 2, 3, 4, 5, 6], start: 18 * 60, end: 9 * 60 };

/** An instant given as local wall time in `tz` (2025-05-12 is a Monday). */
const at = (iso: string, tz = ALMATY) => {
  const [date, time] = iso.split('T') as [string, string];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return instantOf({ y, m, d }, hh * 60 + mm, tz);
};

function roster(over: Partial<RosterSnapshot> = {}, tz = ALMATY): Roster {
  return new Roster({ staff: [dana, arman, aida, boss], shifts: [weekdays, nights], overrides: [], ...over }, tz);
}
const onDuty = (r: Roster, t: number) =>
  r
    .onDuty(t)
    .map((c) => c.id)
    .sort();

describe('zoned time', () => {
  it('converts between local wall time and instants', () => {
    expect(new Date(at('2025-05-12T09:00')).toISOString()).toBe('2025-05-12T04:00:00.000Z'); // Almaty is UTC+5
    expect(localTimeOf(Date.parse('2025-05-11T19:30:00Z'), ALMATY)).toMatchObject({ y: 2025, m: 5, d: 12, weekday: 0, minutes: 30 });
    expect(offsetAt(Date.parse('2025-01-15T12:00:00Z'), BERLIN)).toBe(1 * HOUR);
    expect(offsetAt(Date.parse('2025-07-15T12:00:00Z'), BERLIN)).toBe(2 * HOUR);
  });

  it('moves a time skipped by a DST jump to just after it', () => {
    // 02:30 does not exist in Berlin on 30 March 2025: clocks jump from 02:00 to 03:00.
    expect(new Date(at('2025-03-30T02:30', BERLIN)).toISOString()).toBe('2025-03-30T01:30:00.000Z');
  });
});

describe('who is on duty', () => {
  const r = roster();

  it('follows weekly shifts, including one that runs past midnight', () => {
    expect(onDuty(r, at('2025-05-12T08:59'))).toEqual(['arman']); // Sunday's night shift, still running Monday morning
    expect(onDuty(r, at('2025-05-12T09:00'))).toEqual(['dana']); // ends exactly when the day shift starts
    expect(onDuty(r, at('2025-05-12T17:59'))).toEqual(['dana']);
    expect(onDuty(r, at('2025-05-12T18:00'))).toEqual(['arman']);
    expect(onDuty(r, at('2025-05-12T23:59'))).toEqual(['arman']);
    expect(onDuty(r, at('2025-05-13T00:00'))).toEqual(['arman']);
    expect(onDuty(r, at('2025-05-13T03:00'))).toEqual(['arman']);
    expect(onDuty(r, at('2025-05-17T12:00'))).toEqual([]); // Saturday daytime: nobody
  });

  it('tells when the next shift starts, and who comes on', () => {
    expect(r.nextStart(at('2025-05-17T12:00'))).toEqual({ at: at('2025-05-17T18:00'), counsellors: ['arman'] });
    expect(r.nextStart(at('2025-05-12T10:00'))).toEqual({ at: at('2025-05-12T18:00'), counsellors: ['arman'] });
    // someone who must not get the case is skipped
    expect(r.nextStart(at('2025-05-17T12:00'), new Set([arman.id]))).toEqual({ at: at('2025-05-19T09:00'), counsellors: ['dana'] });
  });

  it('reads the same rota in the hotline time zone, not UTC', () => {
    const instant = Date.parse('2025-05-12T04:30:00Z'); // 09:30 in Almaty, 06:30 in Berlin
    expect(onDuty(roster({}, ALMATY), instant)).toEqual(['dana']);
    expect(onDuty(roster({}, BERLIN), instant)).toEqual(['arman']);
  });

  it('keeps wall-clock shift times over a DST night', () => {
    const berlin = roster({}, BERLIN);
    const night = berlin.spans(at('2025-03-29T20:00', BERLIN), at('2025-03-29T20:01', BERLIN)).find((s) => s.counsellor === arman.id)!;
    expect(new Date(night.from).toISOString()).toBe('2025-03-29T17:00:00.000Z'); // 18:00 CET
    expect(new Date(night.to).toISOString()).toBe('2025-03-30T07:00:00.000Z'); // 09:00 CEST: 14 h, not 15
    expect(onDuty(berlin, at('2025-03-30T08:30', BERLIN))).toEqual(['arman']);
    expect(onDuty(berlin, at('2025-03-31T09:30', BERLIN))).toEqual(['dana']);
  });

  it('applies away periods (sick leave) and covers (an extra duty)', () => {
    const sick: Override = { id: 'O1', counsellor: dana.id, kind: 'away', from: at('2025-05-13T12:00'), to: at('2025-05-15T00:00'), via: 'away' };
    const cover: Override = { id: 'O2', counsellor: aida.id, kind: 'cover', from: at('2025-05-17T09:00'), to: at('2025-05-17T18:00'), via: 'swap' };
    const r2 = roster({ overrides: [sick, cover] });
    expect(onDuty(r2, at('2025-05-13T11:59'))).toEqual(['dana']);
    expect(onDuty(r2, at('2025-05-13T12:00'))).toEqual([]);
    expect(onDuty(r2, at('2025-05-14T10:00'))).toEqual([]);
    expect(onDuty(r2, at('2025-05-15T10:00'))).toEqual(['dana']);
    expect(onDuty(r2, at('2025-05-17T12:00'))).toEqual(['aida']);
    expect(r2.nextStart(at('2025-05-13T13:00'))).toEqual({ at: at('2025-05-13T18:00'), counsellors: ['arman'] });
    // Dana's span that day now ends when she went home
    expect(r2.currentSpans(at('2025-05-13T10:00'))).toEqual([{ counsellor: dana.id, from: at('2025-05-13T09:00'), to: at('2025-05-13T12:00') }]);
  });

  it('merges back-to-back duty of one person ("until 09:00", not "until midnight")', () => {
    const split: Shift[] = [
      { id: 'A', counsellor: arman.id, days: [0], start: 18 * 60, end: 1440 },
      { id: 'B', counsellor: arman.id, days: [1], start: 0, end: 9 * 60 },
    ];
    const r2 = roster({ shifts: split });
    expect(r2.currentSpans(at('2025-05-12T20:00'))).toEqual([{ counsellor: arman.id, from: at('2025-05-12T18:00'), to: at('2025-05-13T09:00') }]);
  });

  it('never puts removed staff on duty', () => {
    const r2 = roster({ staff: [{ ...dana, active: false }, arman, aida, boss] });
    expect(onDuty(r2, at('2025-05-12T10:00'))).toEqual([]);
  });

  it('without any shift, every active counsellor is on duty (admins only if there are none)', () => {
    const r2 = roster({ shifts: [] });
    expect(r2.hasRota).toBe(false);
    expect(onDuty(r2, at('2025-05-17T03:00'))).toEqual(['aida', 'arman', 'dana']);
    expect(r2.nextStart(at('2025-05-17T03:00'))).toBeUndefined();
    expect(onDuty(roster({ shifts: [], staff: [boss] }), at('2025-05-17T03:00'))).toEqual(['boss']);
  });

  it('calls flagged escalation contacts, or the admins when nobody is flagged', () => {
    expect(
      roster()
        .escalationContacts()
        .map((c) => c.id),
    ).toEqual(['boss']);
    const flagged = roster({ staff: [dana, { ...arman, escalation: true }, boss] });
    expect(flagged.escalationContacts().map((c) => c.id)).toEqual(['arman']);
  });
});
