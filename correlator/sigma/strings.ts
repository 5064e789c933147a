/** Sigma string values: wildcards `*` `?`, escapes `\*` `\?` `\\` (any other `\x` stays as written). */
import type { Atom } from './model';

export function parseSigmaString(s: string): Atom[] {
  const atoms: Atom[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit) atoms.push({ t: 'lit', s: lit });
    lit = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const n = s[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        lit += n;
        i++;
      } else lit += '\\';
    } else if (c === '*') {
      flush();
      atoms.push({ t: 'any' });
    } else if (c === '?') {
      flush();
      atoms.push({ t: 'one' });
    } else lit += c;
  }
  flush();
  return normalizeAtoms(atoms);
}

/** Merges adjacent literals and collapses runs of `*`. */
export function normalizeAtoms(atoms: Atom[]): Atom[] {
  const out: Atom[] = [];
  for (const a of atoms) {
    const prev = out[out.length - 1];
    if (a.t === 'lit') {
      if (a.s === '') continue;
      if (prev && prev.t === 'lit') out[out.length - 1] = { t: 'lit', s: prev.s + a.s };
      else out.push(a);
    } else if (a.t === 'any' && prev && prev.t === 'any') continue;
    else out.push(a);
  }
  return out;
}

export function hasWildcards(atoms: Atom[]): boolean {
  return atoms.some((a) => a.t !== 'lit');
}

/** Plain text of atoms that hold only literals. */
export function literalText(atoms: Atom[]): string {
  return atoms.map((a) => (a.t === 'lit' ? a.s : '')).join('');
}

/** Canonical string of a scalar as Sigma compares it ("All values are treated as case-insensitive strings"). */
export function canonical(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return String(v);
  return undefined;
}
