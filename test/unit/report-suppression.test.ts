// Small-count suppression on crafted tables, and a brute-force check that what the
// report publishes never lets a reader work out a suppressed count.
import { describe, expect, it } from 'vitest';
import { isProtected, suppressTable, type Suppression } from '../../src/report/suppress.js';

const T = 5;
const marks = (values: number[]) => suppressTable(values, T);

describe('primary suppression', () => {
  it('hides 1..4, shows zeros and counts of 5 or more', () => {
    expect(marks([0, 5, 7, 12]).marks).toEqual(['shown', 'shown', 'shown', 'shown']);
    expect(marks([4, 3, 20]).marks).toEqual(['small', 'small', 'shown']);
  });

  it('uses the configured threshold', () => {
    expect(suppressTable([7, 9, 30], 10).marks).toEqual(['small', 'small', 'shown']);
    expect(suppressTable([7, 9, 30], 5).marks).toEqual(['shown', 'shown', 'shown']);
  });
});

describe('complementary suppression', () => {
  it('one small cell next to a shown total hides the next smallest cell too', () => {
    // Without it: 3 = 25 - 10 - 12. With it, "<5" and "x" sum to 13: 1+12 ... 4+9.
    expect(marks([3, 10, 12]).marks).toEqual(['small', 'complementary', 'shown']);
  });

  it('two small cells protect each other: nothing more is hidden', () => {
    expect(marks([2, 3, 20, 30]).marks).toEqual(['small', 'small', 'shown', 'shown']);
  });

  it('goes on while the hidden pair still pins the small cell (1 + 5 = 6 leaves only 1)', () => {
    expect(marks([1, 5, 100]).marks).toEqual(['small', 'complementary', 'complementary']);
  });

  it('prefers a non-zero cell: a hidden zero would pin the small one (3 + 0 = 3)', () => {
    expect(marks([3, 0, 20]).marks).toEqual(['small', 'shown', 'complementary']);
  });

  it('withholds a table that cannot be protected (total 6 = 1 + 5)', () => {
    expect(marks([1, 5])).toEqual({ marks: ['complementary', 'complementary'], withheld: true });
    expect(marks([2, 0])).toMatchObject({ withheld: true });
  });

  it('a table without small cells is untouched, whatever its zeros', () => {
    expect(marks([0, 0, 0])).toEqual({ marks: ['shown', 'shown', 'shown'], withheld: false });
  });
});

/** All values a reader could assign to the hidden cells, by brute force. */
function readerSolutions(values: number[], m: Suppression[]): number[][] {
  const hidden = m.flatMap((x, i) => (x === 'shown' ? [] : [i]));
  const total = hidden.reduce((s, i) => s + values[i]!, 0);
  const out: number[][] = [];
  const allowed = (mark: Suppression, v: number) => (mark === 'small' ? v >= 1 && v < T : v === 0 || v >= T);
  const walk = (k: number, left: number, acc: number[]) => {
    if (k === hidden.length) {
      if (left === 0) out.push([...acc]);
      return;
    }
    for (let v = 0; v <= left; v++) if (allowed(m[hidden[k]!]!, v)) walk(k + 1, left - v, [...acc, v]);
  };
  walk(0, total, []);
  return out.map((sol) => {
    const full = [...values];
    hidden.forEach((i, k) => (full[i] = sol[k]!));
    return full;
  });
}

describe('no published table reveals a suppressed count (brute force over 3000 random tables)', () => {
  it('every small cell keeps at least two possible values, and the truth is among them', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let checked = 0;
    for (let n = 0; n < 3000; n++) {
      const cells = 2 + Math.floor(random() * 4);
      const values = Array.from({ length: cells }, () => (random() < 0.5 ? Math.floor(random() * 5) : Math.floor(random() * 12)));
      const { marks: m, withheld } = marks(values);
      if (withheld) continue;
      expect(isProtected(values, m, T)).toBe(true);
      const solutions = readerSolutions(values, m);
      expect(solutions).toContainEqual(values);
      m.forEach((mark, i) => {
        if (mark !== 'small') return;
        checked++;
        expect(new Set(solutions.map((s) => s[i])).size).toBeGreaterThanOrEqual(2);
      });
    }
    expect(checked).toBeGreaterThan(500);
  });
});
