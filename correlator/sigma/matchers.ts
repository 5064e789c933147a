/**
 * String matching without backtracking regexes: Sigma wildcards compile to indexOf scans over segments
 * (linear per segment; a segment with '?' or a class is found by one bit-parallel pass, see
 * segment-scan.ts), and long value lists go through one Aho-Corasick automaton.
 */
import type { Atom } from './model';
import { compileSegmentScan, type SegmentScan } from './segment-scan';

export type StrTest = (s: string) => boolean;

type SegAtom = { t: 'lit'; s: string } | { t: 'one' } | { t: 'cls'; chars: string[] };

/** Matches one segment (no '*') at position p; returns the end position or -1. */
function segAt(seg: SegAtom[], s: string, p: number): number {
  for (const a of seg) {
    if (a.t === 'lit') {
      if (!s.startsWith(a.s, p)) return -1;
      p += a.s.length;
    } else if (a.t === 'one') {
      if (p >= s.length) return -1;
      const c = s.charCodeAt(p);
      // '?' is one code point, so a surrogate pair counts once
      p += c >= 0xd800 && c <= 0xdbff && p + 1 < s.length ? 2 : 1;
    } else {
      let hit = -1;
      for (const ch of a.chars) if (s.startsWith(ch, p)) hit = ch.length;
      if (hit < 0) return -1;
      p += hit;
    }
  }
  return p;
}

function segMinLen(seg: SegAtom[]): number {
  let n = 0;
  for (const a of seg) n += a.t === 'lit' ? a.s.length : 1;
  return n;
}

/** Finds the leftmost start >= from where seg matches; returns [start, end] or undefined. */
function segFind(seg: SegAtom[], s: string, from: number): [number, number] | undefined {
  if (seg.length === 1 && seg[0].t === 'lit') {
    const i = s.indexOf(seg[0].s, from);
    return i < 0 ? undefined : [i, i + seg[0].s.length];
  }
  // anchor the scan on the first literal in the segment when there is one
  const firstLitIdx = seg.findIndex((a) => a.t === 'lit');
  const minLen = segMinLen(seg);
  for (let p = from; p + minLen <= s.length; p++) {
    if (firstLitIdx === 0) {
      const i = s.indexOf((seg[0] as { s: string }).s, p);
      if (i < 0) return undefined;
      p = i;
    }
    const e = segAt(seg, s, p);
    if (e >= 0) return [p, e];
  }
  return undefined;
}

export function lowerAtoms(atoms: Atom[]): Atom[] {
  return atoms.map((a) => (a.t === 'lit' ? { t: 'lit', s: a.s.toLowerCase() } : a.t === 'cls' ? { t: 'cls', chars: a.chars.map((c) => c.toLowerCase()) } : a));
}

/** Compiles wildcard atoms (already lowercased when the match is case-insensitive) into a test on one string. */
export function compileGlob(atoms: Atom[]): StrTest {
  if (atoms.length === 0) return (s) => s === '';
  const startAnchored = atoms[0].t !== 'any';
  const endAnchored = atoms[atoms.length - 1].t !== 'any';
  const segs: SegAtom[][] = [];
  let cur: SegAtom[] = [];
  for (const a of atoms) {
    if (a.t === 'any') {
      if (cur.length) segs.push(cur);
      cur = [];
    } else if (a.t === 'ph') throw new Error(`unresolved placeholder %${a.name}%`);
    else cur.push(a);
  }
  if (cur.length) segs.push(cur);
  if (segs.length === 0) return () => true; // '*'
  // a segment that is not one literal: found in one pass, never by trying every start
  const scans: Array<SegmentScan | undefined> = segs.map((g) => (g.length === 1 && g[0].t === 'lit' ? undefined : compileSegmentScan(g)));
  const allLit = segs.every((g) => g.length === 1 && g[0].t === 'lit');
  if (allLit) {
    const lits = segs.map((g) => (g[0] as { s: string }).s);
    if (segs.length === 1) {
      const x = lits[0];
      if (startAnchored && endAnchored) return (s) => s === x;
      if (startAnchored) return (s) => s.startsWith(x);
      if (endAnchored) return (s) => s.endsWith(x);
      return (s) => s.includes(x);
    }
    if (segs.length === 2 && startAnchored && endAnchored) {
      const [a, b] = lits;
      return (s) => s.length >= a.length + b.length && s.startsWith(a) && s.endsWith(b);
    }
  }
  return (s) => {
    let pos = 0;
    let i = 0;
    const n = segs.length;
    if (startAnchored) {
      const e = segAt(segs[0], s, 0);
      if (e < 0) return false;
      pos = e;
      i = 1;
      if (n === 1) return !endAnchored || e === s.length;
    }
    const last = endAnchored ? n - 1 : n;
    for (; i < last; i++) {
      const scan = scans[i];
      if (scan) {
        pos = scan.firstEnd(s, pos);
        if (pos < 0) return false;
        continue;
      }
      const f = segFind(segs[i], s, pos);
      if (!f) return false;
      pos = f[1];
    }
    if (endAnchored && i === n - 1) {
      // the last segment must end exactly at the end: only starts this close to the end could
      const seg = segs[n - 1];
      const min = segMinLen(seg);
      const from = Math.max(pos, s.length - 2 * min);
      const scan = scans[n - 1];
      if (scan) return scan.endsAt(s, from);
      for (let p = from; p <= s.length - min; p++) if (segAt(seg, s, p) === s.length) return true;
      return false;
    }
    return true;
  };
}

export type LitMode = 'eq' | 'contains' | 'startswith' | 'endswith';

/** Shape of a pure-literal pattern, or undefined when it has '?', classes or inner '*'. */
export function literalShape(atoms: Atom[]): { mode: LitMode; lit: string } | undefined {
  const inner = atoms.filter((a) => a.t !== 'any');
  if (inner.length !== 1 || inner[0].t !== 'lit') {
    if (atoms.length === 0) return { mode: 'eq', lit: '' };
    return undefined;
  }
  const lit = inner[0].s;
  const s = atoms[0].t === 'any';
  const e = atoms[atoms.length - 1].t === 'any';
  if (atoms.length - (s ? 1 : 0) - (e ? 1 : 0) !== 1) return undefined;
  return { mode: s && e ? 'contains' : s ? 'endswith' : e ? 'startswith' : 'eq', lit };
}

/**
 * Many literals with a mode each; answers "does any pattern match s under its mode". ASCII literals
 * compile to one case-folded DFA run on the raw value; others to an Aho-Corasick over lowercased text.
 */
export class LiteralSet {
  /** cased: literals match exactly (|cased); else the values tested are lowercased and the DFA folds case */
  constructor(private readonly cased = false) {}
  private eq = new Set<string>();
  private lits: string[] = [];
  private modes: Array<{ len: number; mode: LitMode }> = [];
  private anyEmptyContains = false;
  private dfa: LiteralDfa | null | undefined;
  private goto: Array<Map<number, number>> = [];
  private fail: number[] = [];
  private out: number[][] = [];

  add(lit: string, mode: LitMode): void {
    if (mode === 'eq') this.eq.add(lit);
    else if (lit === '') this.anyEmptyContains = true;
    else {
      this.lits.push(lit);
      this.modes.push({ len: lit.length, mode });
    }
  }

  private build(): void {
    if (this.dfa !== undefined) return;
    const ascii = this.lits.every((l) => !/[^\x00-\x7f]/.test(l));
    if (ascii && this.lits.length && !this.cased) {
      this.dfa = new LiteralDfa(this.lits);
      this.lits = [];
      return;
    }
    this.dfa = null;
    this.goto = [new Map()];
    this.fail = [0];
    this.out = [[]];
    this.lits.forEach((lit, id) => {
      let node = 0;
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        let nx = this.goto[node].get(c);
        if (nx === undefined) {
          nx = this.goto.length;
          this.goto.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.goto[node].set(c, nx);
        }
        node = nx;
      }
      this.out[node].push(id);
    });
    const queue: number[] = [...this.goto[0].values()];
    for (let qi = 0; qi < queue.length; qi++) {
      const r = queue[qi];
      for (const [c, u] of this.goto[r]) {
        queue.push(u);
        let f = this.fail[r];
        while (f !== 0 && !this.goto[f].has(c)) f = this.fail[f];
        const g = this.goto[f].get(c);
        this.fail[u] = g !== undefined && g !== u ? g : 0;
        if (this.out[this.fail[u]].length) this.out[u] = this.out[u].concat(this.out[this.fail[u]]);
      }
    }
    this.lits = [];
  }

  private hit(id: number, i: number, n: number): boolean {
    const m = this.modes[id];
    return m.mode === 'contains' || (m.mode === 'startswith' && m.len === i + 1) || (m.mode === 'endswith' && i === n - 1);
  }

  /** Whether testRaw may be used: ASCII literals only and no equality values. */
  usesRaw(): boolean {
    this.build();
    return this.dfa !== null && this.eq.size === 0;
  }

  /** On the raw (not lowercased) value; only when usesRaw(). */
  testRaw(s: string): boolean {
    if (this.anyEmptyContains) return true;
    const dfa = this.dfa!;
    const { table, cols } = dfa;
    const n = s.length;
    let st = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      st = table[st + (c < 128 ? cols[c] : 1)];
      if (st >= 0) continue;
      st = ~st; // a state where literals end
      const o = dfa.outAt(st);
      for (let k = 0; k < o.length; k++) if (this.hit(o[k], i, n)) return true;
    }
    return false;
  }

  /** On the lowercased value. */
  test(s: string): boolean {
    if (this.eq.has(s)) return true;
    if (this.anyEmptyContains) return true;
    this.build();
    if (this.dfa) return this.testRaw(s);
    if (this.goto.length === 0) return false;
    let node = 0;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      let nx = this.goto[node].get(c);
      while (nx === undefined && node !== 0) {
        node = this.fail[node];
        nx = this.goto[node].get(c);
      }
      node = nx ?? 0;
      const outs = this.out[node];
      for (let k = 0; k < outs.length; k++) if (this.hit(outs[k], i, n)) return true;
    }
    return false;
  }
}

/**
 * The trie renumbered in breadth-first order: the shallow states, where a scan spends nearly all its
 * steps, get neighbouring rows of the transition table, which then stay in the CPU cache instead of
 * being spread over megabytes (a trie numbered by literal puts 'c' and '\\' rows far apart).
 */
function breadthFirst(kids: Array<Map<number, number>>, outs: number[][]): { kids: Array<Map<number, number>>; outs: number[][] } {
  const order = [0];
  for (let i = 0; i < order.length; i++) for (const t of kids[order[i]].values()) order.push(t);
  const renum = new Int32Array(kids.length);
  order.forEach((old, i) => (renum[old] = i));
  return {
    kids: order.map((old) => new Map([...kids[old]].map(([k, t]) => [k, renum[t]]))),
    outs: order.map((old) => outs[old]),
  };
}

/**
 * A DFA over text, case-folded: ASCII characters used by some literal get a column (upper and lower
 * case share one), every other character shares one column. Over-approximates for non-ASCII text,
 * which is fine for an index.
 */
export class LiteralDfa {
  readonly cols = new Uint8Array(128); // a column per ASCII character (at most 2 + 128 columns)
  readonly nCols: number;
  readonly table: Int32Array;
  readonly out: Array<Int32Array | null>;
  readonly states: number;

  constructor(lits: string[]) {
    let nCols = 2; // 0: characters in no literal, 1: any non-ASCII character
    for (const l of lits)
      for (let i = 0; i < l.length; i++) {
        const c = l.charCodeAt(i);
        if (c < 128 && this.cols[c] === 0) {
          this.cols[c] = nCols;
          const up = String.fromCharCode(c).toUpperCase().charCodeAt(0);
          if (up !== c && up < 128) this.cols[up] = nCols;
          nCols++;
        }
      }
    this.nCols = nCols;
    const col = (c: number): number => (c < 128 ? this.cols[c] : 1);
    let kids: Array<Map<number, number>> = [new Map()];
    let outs: number[][] = [[]];
    lits.forEach((l, id) => {
      let st = 0;
      for (let i = 0; i < l.length; i++) {
        const k = col(l.charCodeAt(i));
        let n = kids[st].get(k);
        if (n === undefined) {
          n = kids.length;
          kids.push(new Map());
          outs.push([]);
          kids[st].set(k, n);
        }
        st = n;
      }
      outs[st].push(id);
    });
    ({ kids, outs } = breadthFirst(kids, outs));
    const n = kids.length;
    this.states = n;
    const C = nCols;
    const table = new Int32Array(n * C);
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (let k = 1; k < C; k++) {
      const t = kids[0].get(k);
      if (t !== undefined) {
        table[k] = t;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const st = queue[qi];
      if (outs[fail[st]].length) outs[st] = outs[st].concat(outs[fail[st]]);
      for (let k = 0; k < C; k++) {
        const t = k === 0 ? undefined : kids[st].get(k);
        if (t !== undefined) {
          table[st * C + k] = t;
          fail[t] = table[fail[st] * C + k];
          queue.push(t);
        } else table[st * C + k] = table[fail[st] * C + k];
      }
    }
    // premultiplied: an entry is the next state's row offset, so the scan loop does no multiplication;
    // a state where literals end is stored complemented (negative), so the loop reads no second table
    for (let i = 0; i < table.length; i++) table[i] = outs[table[i]].length ? ~(table[i] * C) : table[i] * C;
    this.table = table;
    this.out = outs.map((o) => (o.length ? Int32Array.from(o) : null));
  }

  /** Literal ids ending at a state reached by the scan (given as its row offset). */
  outAt(row: number): Int32Array {
    return this.out[row / this.nCols]!;
  }
}

