/**
 * The baseline's text beside the text of a change, line by line, with the lines that differ marked.
 * Lines are matched after digits are masked, as the checker compares them, so a new date or visit
 * count is not marked; a line that differs but was seen while the baseline was learned (a news list)
 * or that only moved is marked `volatile`, apart from what is really new or gone.
 */
import { mask } from './baseline';

export type RowMark = 'same' | 'removed' | 'added' | 'changed' | 'volatile';

export interface SideBySideRow {
  baseline: string | null; // the baseline's line, or null where the change added one
  changed: string | null; // the change's line, or null where a baseline line is gone
  mark: RowMark;
}

export interface SideBySide {
  rows: SideBySideRow[];
  added: number; // lines new in the change (never seen while learning)
  removed: number; // baseline lines that never changed while learning, gone
  truncated: boolean; // more lines than MAX_LINES on a side: the rest is not compared
}

/** Bounds the comparison (an LCS table of MAX_LINES² cells). */
export const MAX_LINES = 1500;

const linesOf = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** Longest common subsequence of masked lines: the pairs [i, j] of lines that stay. */
function common(a: string[], b: string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const len = new Uint16Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) len[at(i, j)] = a[i] === b[j] ? len[at(i + 1, j + 1)] + 1 : Math.max(len[at(i + 1, j)], len[at(i, j + 1)]);
  const out: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) (out.push([i, j]), i++, j++);
    else if (len[at(i + 1, j)] >= len[at(i, j + 1)]) i++;
    else j++;
  }
  return out;
}

/** What the baseline learned (Baseline.seen and .stable, masked lines): without it every line counts. */
export interface Learned {
  seen: string[];
  stable: string[];
}

export function sideBySide(baselineText: string, changedText: string, learned?: Learned): SideBySide {
  const left = linesOf(baselineText);
  const right = linesOf(changedText);
  const truncated = left.length > MAX_LINES || right.length > MAX_LINES;
  const a = left.slice(0, MAX_LINES);
  const b = right.slice(0, MAX_LINES);
  const seen = new Set(learned?.seen ?? []);
  const stable = learned ? new Set(learned.stable) : null;
  const [ma, mb] = [a.map(mask), b.map(mask)];
  // a line that only moved is not new, nor gone
  const inLeft = new Set(ma);
  const inRight = new Set(mb);
  const rows: SideBySideRow[] = [];
  let added = 0;
  let removed = 0;
  // between two kept lines: the gone and the new lines, paired side by side
  const gap = (gone: string[], fresh: string[]) => {
    for (let k = 0; k < Math.max(gone.length, fresh.length); k++) {
      const l = gone[k] ?? null;
      const r = fresh[k] ?? null;
      const isNew = r !== null && !seen.has(mask(r)) && !inLeft.has(mask(r));
      const wasStable = l !== null && (!stable || stable.has(mask(l))) && !inRight.has(mask(l));
      if (isNew) added++;
      if (wasStable) removed++;
      // a new line beside a line that only moved or changes routinely is added, not a replacement
      const mark: RowMark = isNew ? (wasStable ? 'changed' : 'added') : wasStable ? 'removed' : 'volatile';
      rows.push({ baseline: l, changed: r, mark });
    }
  };
  let i = 0;
  let j = 0;
  for (const [ci, cj] of [...common(ma, mb), [a.length, b.length] as [number, number]]) {
    gap(a.slice(i, ci), b.slice(j, cj));
    if (ci < a.length) rows.push({ baseline: a[ci], changed: b[cj], mark: 'same' });
    i = ci + 1;
    j = cj + 1;
  }
  return { rows, added, removed, truncated };
}
