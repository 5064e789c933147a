/**
 * Finding a wildcard segment with '?' or character classes (`a?b`, windash) in one pass over the value:
 * a bit-parallel scan (Shift-And) keeps every partial match at once, so 'a?a?a?…c' on a long run of 'a'
 * costs n × (segment length / 32) word operations instead of n × segment length comparisons from
 * every start. A character is a UTF-16 unit, or a high surrogate with the unit after it, as segAt reads it.
 */

export type ScanAtom = { t: 'lit'; s: string } | { t: 'one' } | { t: 'cls'; chars: string[] };

/** The symbol at unit i and its width, read like segAt: a high surrogate takes the next unit with it. */
function symbolAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? c * 0x10000 + s.charCodeAt(i + 1) : c;
}
const widthOf = (sym: number): number => (sym > 0xffff ? 2 : 1);

function symbols(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; ) {
    const sym = symbolAt(text, i);
    out.push(sym);
    i += widthOf(sym);
  }
  return out;
}

export interface SegmentScan {
  /** Unit index just past the earliest-ending match starting at or after `from`, or -1. */
  firstEnd(s: string, from: number): number;
  /** Whether a match starting at or after `from` ends exactly at the end of s. */
  endsAt(s: string, from: number): boolean;
}

/** A scanner for a segment, or undefined when a class holds a multi-character string (segAt then stays in charge). */
export function compileSegmentScan(seg: ScanAtom[]): SegmentScan | undefined {
  const positions: Array<number[] | null> = []; // the symbols a position accepts; null: any
  for (const a of seg) {
    if (a.t === 'lit') for (const sym of symbols(a.s)) positions.push([sym]);
    else if (a.t === 'one') positions.push(null);
    else {
      const syms = a.chars.map(symbols);
      if (syms.some((x) => x.length !== 1)) return undefined;
      positions.push(syms.map((x) => x[0]));
    }
  }
  const P = positions.length;
  if (P === 0) return undefined;
  const W = Math.ceil(P / 32);
  const wild = new Uint32Array(W);
  const masks = new Map<number, Uint32Array>();
  positions.forEach((accepts, p) => {
    const bit = 1 << (p & 31);
    if (accepts === null) wild[p >>> 5] |= bit;
    else
      for (const sym of accepts) {
        let m = masks.get(sym);
        if (!m) masks.set(sym, (m = new Uint32Array(W)));
        m[p >>> 5] |= bit;
      }
  });
  for (const m of masks.values()) for (let k = 0; k < W; k++) m[k] |= wild[k];
  const lastWord = (P - 1) >>> 5;
  const lastBit = (1 << ((P - 1) & 31)) >>> 0;
  const first = seg[0].t === 'lit' ? (seg[0] as { s: string }).s : '';
  const D = new Uint32Array(W);

  /** Runs the scan from `from`; calls onEnd(end) at each unit index where a match ends, stopping when it returns true. */
  const run = (s: string, from: number, onEnd: (end: number) => boolean): boolean => {
    D.fill(0);
    let hi = 0; // words of D that may be non-zero
    for (let i = from; i < s.length; ) {
      if (hi === 0 && first) {
        // no partial match alive: jump to the next place the segment's leading text occurs
        const j = s.indexOf(first, i);
        if (j < 0) return false;
        i = j;
      }
      const sym = symbolAt(s, i);
      const mask = masks.get(sym) ?? wild;
      const top = Math.min(W, hi + 1);
      let carry = 1;
      for (let k = 0; k < top; k++) {
        const d = D[k];
        D[k] = (((d << 1) | carry) & mask[k]) >>> 0;
        carry = d >>> 31;
      }
      hi = top;
      while (hi > 0 && D[hi - 1] === 0) hi--;
      i += widthOf(sym);
      if (hi > lastWord && (D[lastWord] & lastBit) !== 0 && onEnd(i)) return true;
    }
    return false;
  };

  return {
    firstEnd(s, from) {
      let end = -1;
      run(s, from, (e) => ((end = e), true));
      return end;
    },
    endsAt(s, from) {
      return run(s, from, (e) => e === s.length);
    },
  };
}
