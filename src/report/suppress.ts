// Small-count suppression for the public report's tables.
//
// Every table of the report splits the same published total into cells. A cell
// counting 1 to (threshold-1) cases could point at a person, so it is shown as "<5"
// (primary suppression). Hiding it is not enough when the total and the other cells
// are shown: the reader subtracts. So more cells are hidden, shown as "x"
// (complementary suppression), until no hidden small cell can be worked out exactly.
//
// "Worked out" is checked, not assumed: the reader knows the total, every shown cell,
// that a "<5" cell holds 1..threshold-1 and that an "x" cell holds 0 or at least the
// threshold (a smaller non-zero one would have been "<5"). A table is safe when every
// "<5" cell still has at least two values consistent with all of that. A table that
// cannot be made safe (e.g. total 6 = 1 + 5) is withheld as a whole.
//
// Zeros are shown: "nobody" identifies no one. Cells are checked per table; the tables
// partition the same cases in different ways, so no cell of one is a sum of another's.

export type Suppression = 'shown' | 'small' | 'complementary';

export interface SuppressedTable {
  /** per cell, in the order given */
  marks: Suppression[];
  /** true when no choice of hidden cells protects the small ones: publish no cell */
  withheld: boolean;
}

type Interval = readonly [number, number];

/** Values the reader considers possible for a hidden cell. */
function domain(mark: Exclude<Suppression, 'shown'>, threshold: number, hiddenSum: number): Interval[] {
  return mark === 'small'
    ? [[1, threshold - 1]]
    : [
        [0, 0],
        [threshold, hiddenSum],
      ];
}

/** possible[s]: some choice of values from the domains sums to s (0 <= s <= max). */
function reachableSums(domains: Interval[][], max: number): boolean[] {
  let possible = Array.from({ length: max + 1 }, (_, s) => s === 0);
  for (const intervals of domains) {
    // prefix[s] = number of reachable sums below s, so "any reachable in [a, b]" is O(1).
    const prefix = [0];
    for (let s = 0; s <= max; s++) prefix.push(prefix[s]! + (possible[s] ? 1 : 0));
    const anyIn = (a: number, b: number) => {
      const lo = Math.max(0, a);
      const hi = Math.min(max, b);
      return lo <= hi && prefix[hi + 1]! - prefix[lo]! > 0;
    };
    possible = possible.map((_, s) => intervals.some(([lo, hi]) => anyIn(s - hi, s - lo)));
  }
  return possible;
}

/** True when every small cell has at least two values consistent with what is shown. */
export function isProtected(values: readonly number[], marks: readonly Suppression[], threshold: number): boolean {
  const hidden = marks.flatMap((m, i) => (m === 'shown' ? [] : [i]));
  const hiddenSum = hidden.reduce((sum, i) => sum + values[i]!, 0);
  for (const i of hidden) {
    if (marks[i] !== 'small') continue;
    const others = hidden.filter((j) => j !== i).map((j) => domain(marks[j] as 'small' | 'complementary', threshold, hiddenSum));
    const sums = reachableSums(others, hiddenSum);
    let candidates = 0;
    for (let v = 1; v <= threshold - 1 && v <= hiddenSum; v++) if (sums[hiddenSum - v]) candidates++;
    if (candidates < 2) return false;
  }
  return true;
}

/**
 * Marks cells to hide in a table whose cells sum to a published total. Adds
 * complementary cells smallest first (least information lost), non-zero before zero
 * (a hidden zero protects little), until every small cell is protected.
 */
export function suppressTable(values: readonly number[], threshold: number): SuppressedTable {
  if (values.some((v) => !Number.isInteger(v) || v < 0)) throw new RangeError('cell counts must be non-negative integers');
  const marks: Suppression[] = values.map((v) => (v > 0 && v < threshold ? 'small' : 'shown'));
  while (!isProtected(values, marks, threshold)) {
    const next = marks
      .map((m, i) => ({ m, i, v: values[i]! }))
      .filter((c) => c.m === 'shown')
      .sort((a, b) => (a.v === 0 ? 1 : 0) - (b.v === 0 ? 1 : 0) || a.v - b.v || a.i - b.i)[0];
    if (next === undefined) return { marks: values.map(() => 'complementary'), withheld: true };
    marks[next.i] = 'complementary';
  }
  return { marks, withheld: false };
}
