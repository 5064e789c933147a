/**
 * Wildcard patterns (`*` any run, `?` one UTF-16 unit) matched without a backtracking RegExp: the
 * pattern splits at `*` into segments, each found leftmost-first (which is optimal for globs), so
 * `*a*a*a*a*b` on a long value costs one scan instead of exponential backtracking. Every character
 * compared is counted against a WorkBudget, so one query's cost on one document has a ceiling.
 *
 * Case-insensitive exactly like the RegExp `i` flag without `u`: a character equals another when
 * their upper cases are one character and equal, and a non-ASCII character never folds onto ASCII.
 */

export class QueryTooCostlyError extends Error {
  constructor(
    readonly steps: number,
    readonly limit: number,
  ) {
    super(`query evaluation stopped after ${steps} steps (the limit is ${limit}): the query is too costly for this document; simplify its wildcards or OR-ed terms`);
    this.name = 'QueryTooCostlyError';
  }
}

/** Counts the characters compared while one query runs on one document; throws past the limit. */
export class WorkBudget {
  steps = 0;
  constructor(readonly limit: number) {}
  spend(n: number): void {
    this.steps += n;
    if (this.steps > this.limit) throw new QueryTooCostlyError(this.steps, this.limit);
  }
}

const BMP_FOLD = new Uint16Array(65536); // 0: not computed yet

/** The case-fold of one UTF-16 unit, with the RegExp `i` (non-unicode) rules. */
function foldUnit(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  const known = BMP_FOLD[c];
  if (known !== 0) return known;
  const up = String.fromCharCode(c).toUpperCase();
  const u = up.length === 1 ? up.charCodeAt(0) : c;
  const folded = u < 128 ? c : u;
  BMP_FOLD[c] = folded;
  return folded;
}

/** The text with every unit case-folded; same length, so positions carry over. */
export function foldCase(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(s)) return s.toLowerCase();
  const out = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = foldUnit(s.charCodeAt(i));
  let text = '';
  for (let i = 0; i < out.length; i += 8192) text += String.fromCharCode(...out.subarray(i, i + 8192));
  return text;
}

const ANY_ONE = 0x3f; // '?'

/** One `*`-free piece of a pattern: case-folded units where '?' matches any unit; its longest literal run anchors the search. */
interface Segment {
  units: string;
  anchor: string;
  anchorAt: number;
}

function segment(units: string): Segment {
  let anchor = '';
  let anchorAt = 0;
  for (const m of units.matchAll(/[^?]+/g)) {
    if (m[0].length > anchor.length) {
      anchor = m[0];
      anchorAt = m.index ?? 0;
    }
  }
  return { units, anchor, anchorAt };
}

export interface Wildcard {
  /** Whether the whole of s matches; s must already be folded with foldCase. */
  testFolded(s: string, budget: WorkBudget): boolean;
}

/** Compiles a pattern such as `ad*n?`; the pattern's own case does not matter. */
export function compileWildcard(pattern: string): Wildcard {
  const parts = foldCase(pattern).split('*');
  const starred = parts.length > 1;
  const first = segment(parts[0]);
  const last = segment(parts[parts.length - 1]);
  const middle = parts.slice(1, -1).filter((p) => p !== '').map(segment);
  const fixed = first.units.length + (starred ? last.units.length : 0);
  return {
    testFolded(s: string, budget: WorkBudget): boolean {
      budget.spend(1);
      if (!starred) return s.length === first.units.length && segmentAt(first, s, 0, budget);
      if (s.length < fixed) return false;
      if (!segmentAt(first, s, 0, budget) || !segmentAt(last, s, s.length - last.units.length, budget)) return false;
      let pos = first.units.length;
      const end = s.length - last.units.length;
      for (const seg of middle) {
        const at = findSegment(seg, s, pos, end, budget);
        if (at < 0) return false;
        pos = at + seg.units.length;
      }
      return true;
    },
  };
}

function segmentAt(seg: Segment, s: string, p: number, budget: WorkBudget): boolean {
  const u = seg.units;
  for (let i = 0; i < u.length; i++) {
    const c = u.charCodeAt(i);
    if (c !== ANY_ONE && c !== s.charCodeAt(p + i)) {
      budget.spend(i + 1);
      return false;
    }
  }
  budget.spend(u.length);
  return true;
}

/** The leftmost start in [from, end - length] where seg matches, or -1. */
function findSegment(seg: Segment, s: string, from: number, end: number, budget: WorkBudget): number {
  const last = end - seg.units.length;
  if (seg.anchor === '') return from <= last ? from : -1; // only '?': any position with room
  for (let p = from; p <= last; p++) {
    const hit = s.indexOf(seg.anchor, p + seg.anchorAt);
    budget.spend((hit < 0 ? s.length : hit) - (p + seg.anchorAt) + 1);
    if (hit < 0 || hit - seg.anchorAt > last) return -1;
    p = hit - seg.anchorAt;
    if (segmentAt(seg, s, p, budget)) return p;
  }
  return -1;
}
