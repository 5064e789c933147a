/**
 * Value modifiers, one small function each in one table (as pySigma's modifiers.py does).
 * They run left to right over an item's values; a raw YAML scalar becomes a Sigma string on first use.
 */
import type { Atom, SValue } from './model';
import { SigmaError } from './model';
import { parseSigmaString, hasWildcards, canonical, normalizeAtoms } from './strings';
import { parseCidr } from './cidr';

/** A value before (raw YAML scalar) or after conversion. */
export type Val = { raw: unknown } | SValue;

export interface ItemState {
  field: string | null;
  vals: Val[];
  all: boolean;
  cased: boolean;
  negated: boolean;
  placeholders: Set<string>;
  index: number; // position of the modifier being applied
  names: string[];
}

type Modifier = (st: ItemState) => void;

const isRaw = (v: Val): v is { raw: unknown } => 'raw' in v;

export function toSValue(v: Val): SValue {
  if (!isRaw(v)) return v;
  const r = v.raw;
  if (r === null || r === undefined) return { k: 'null' };
  if (typeof r === 'string') return { k: 'str', atoms: parseSigmaString(r), bytes: false };
  const c = canonical(r);
  if (c === undefined) throw new SigmaError(`value ${JSON.stringify(r)} is not a scalar`);
  return { k: 'str', atoms: c ? [{ t: 'lit', s: c }] : [], bytes: false };
}

/** Applies fn to every string value (recursing into expansions); other kinds are an error naming the modifier. */
function mapStr(st: ItemState, name: string, fn: (v: Extract<SValue, { k: 'str' }>) => SValue, other?: (v: SValue) => SValue | undefined): void {
  const walk = (v: SValue): SValue => {
    if (v.k === 'str') return fn(v);
    if (v.k === 'alt') return { k: 'alt', options: v.options.map(walk) };
    const o = other?.(v);
    if (o) return o;
    if (v.k === 'null') return v;
    throw new SigmaError(`modifier '${name}' cannot apply to a ${v.k === 're' ? 'regular expression' : v.k} value`);
  };
  st.vals = st.vals.map((v) => walk(toSValue(v)));
}

const startsAny = (a: Atom[]): boolean => a.length > 0 && a[0].t === 'any';
const endsAny = (a: Atom[]): boolean => a.length > 0 && a[a.length - 1].t === 'any';

function rawOnly(st: ItemState, name: string): unknown[] {
  return st.vals.map((v) => {
    if (!isRaw(v)) throw new SigmaError(`modifier '${name}' must come first in the chain (after it: ${st.names.slice(st.index + 1).join('|') || 'nothing'})`);
    return v.raw;
  });
}

function encodeText(s: string, enc: 'utf8' | 'utf16le' | 'utf16be' | 'latin1'): string {
  if (enc === 'utf16be') {
    const le = Buffer.from(s, 'utf16le');
    for (let i = 0; i + 1 < le.length; i += 2) {
      const t = le[i];
      le[i] = le[i + 1];
      le[i + 1] = t;
    }
    return le.toString('latin1');
  }
  return Buffer.from(s, enc).toString('latin1');
}

function literalOnly(v: Extract<SValue, { k: 'str' }>, name: string): string {
  if (hasWildcards(v.atoms)) throw new SigmaError(`modifier '${name}' cannot encode a value with wildcards`);
  return v.atoms.map((a) => (a.t === 'lit' ? a.s : '')).join('');
}

const toBytes = (v: Extract<SValue, { k: 'str' }>, text: string): string => (v.bytes ? text : encodeText(text, 'utf8'));

function utf16(name: string, enc: 'utf16le' | 'utf16be', bom: string): Modifier {
  return (st) =>
    mapStr(st, name, (v) => {
      const atoms: Atom[] = v.atoms.map((a) => (a.t === 'lit' ? { t: 'lit', s: encodeText(a.s, enc) } : a));
      if (bom) atoms.unshift({ t: 'lit', s: bom });
      return { k: 'str', atoms: normalizeAtoms(atoms), bytes: true };
    });
}

const WINDASH = ['-', '/', '\u2013', '\u2014', '\u2015'];
const WORD = /[A-Za-z0-9_]/;

/** `\B[-/]\b` inside each literal part: a dash or slash at a word start becomes any of five dashes. */
function windashAtoms(atoms: Atom[]): Atom[] {
  const out: Atom[] = [];
  for (const a of atoms) {
    if (a.t !== 'lit') {
      out.push(a);
      continue;
    }
    let lit = '';
    for (let i = 0; i < a.s.length; i++) {
      const c = a.s[i];
      const prevWord = i > 0 && WORD.test(a.s[i - 1]);
      const nextWord = i + 1 < a.s.length && WORD.test(a.s[i + 1]);
      if ((c === '-' || c === '/') && !prevWord && nextWord) {
        if (lit) out.push({ t: 'lit', s: lit });
        lit = '';
        out.push({ t: 'cls', chars: WINDASH });
      } else lit += c;
    }
    if (lit) out.push({ t: 'lit', s: lit });
  }
  return out;
}

function base64offsets(bytes: string): string[] {
  const start = [0, 2, 3];
  const endOff = [0, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const b = Buffer.from(' '.repeat(i) + bytes, 'latin1').toString('base64');
    const e = endOff[(bytes.length + i) % 3];
    out.push(e === 0 ? b.slice(start[i]) : b.slice(start[i], b.length + e));
  }
  return out;
}

function cmp(op: 'gt' | 'gte' | 'lt' | 'lte'): Modifier {
  return (st) => {
    st.vals = rawOnly(st, op).map((r) => {
      const n = typeof r === 'number' ? r : typeof r === 'string' && r.trim() !== '' ? Number(r) : NaN;
      if (!Number.isFinite(n)) throw new SigmaError(`modifier '${op}' needs a number, got ${JSON.stringify(r)}`);
      return { k: 'cmp', op, n } as SValue;
    });
  };
}

function timePart(part: 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year'): Modifier {
  return (st) => {
    st.vals = rawOnly(st, part).map((r) => {
      const n = typeof r === 'number' ? r : Number(r);
      if (!Number.isInteger(n)) throw new SigmaError(`modifier '${part}' needs an integer, got ${JSON.stringify(r)}`);
      return { k: 'time', part, n } as SValue;
    });
  };
}

function reFlag(flag: 'i' | 'm' | 's', name: string): Modifier {
  return (st) => {
    let seen = false;
    st.vals = st.vals.map((v) => {
      if (isRaw(v) || v.k !== 're') return v;
      seen = true;
      return { ...v, [flag]: true };
    });
    if (!seen) throw new SigmaError(`modifier '${name}' is a regular-expression flag and must follow 're'`);
  };
}

function anchor(name: 'contains' | 'startswith' | 'endswith'): Modifier {
  return (st) =>
    mapStr(
      st,
      name,
      (v) => {
        let atoms = v.atoms;
        if (name !== 'startswith' && !startsAny(atoms)) atoms = [{ t: 'any' }, ...atoms];
        if (name !== 'endswith' && !endsAny(atoms)) atoms = [...atoms, { t: 'any' }];
        return { k: 'str', atoms, bytes: v.bytes };
      },
      (v) => {
        if (v.k === 're') return v; // an unanchored search already; ^ and $ keep their meaning
        if (v.k === 'fieldref') return { ...v, mode: name };
        return undefined;
      },
    );
}

export const MODIFIERS: Record<string, Modifier> = {
  contains: anchor('contains'),
  startswith: anchor('startswith'),
  endswith: anchor('endswith'),
  all: (st) => {
    st.all = true;
  },
  cased: (st) => {
    st.cased = true;
  },
  neq: (st) => {
    st.negated = true;
  },
  base64: (st) => mapStr(st, 'base64', (v) => ({ k: 'str', atoms: [{ t: 'lit', s: Buffer.from(toBytes(v, literalOnly(v, 'base64')), 'latin1').toString('base64') }], bytes: false })),
  base64offset: (st) =>
    mapStr(st, 'base64offset', (v) => ({
      k: 'alt',
      options: base64offsets(toBytes(v, literalOnly(v, 'base64offset'))).map((s) => ({ k: 'str', atoms: [{ t: 'lit', s }], bytes: false }) as SValue),
    })),
  wide: utf16('wide', 'utf16le', ''),
  utf16le: utf16('utf16le', 'utf16le', ''),
  utf16be: utf16('utf16be', 'utf16be', ''),
  utf16: utf16('utf16', 'utf16le', '\xff\xfe'),
  windash: (st) => mapStr(st, 'windash', (v) => ({ k: 'str', atoms: windashAtoms(v.atoms), bytes: v.bytes })),
  re: (st) => {
    st.vals = rawOnly(st, 're').map((r) => {
      if (typeof r !== 'string') throw new SigmaError(`modifier 're' needs a string pattern, got ${JSON.stringify(r)}`);
      return { k: 're', source: r, i: false, m: false, s: false } as SValue;
    });
  },
  i: reFlag('i', 'i'),
  ignorecase: reFlag('i', 'ignorecase'),
  m: reFlag('m', 'm'),
  multiline: reFlag('m', 'multiline'),
  s: reFlag('s', 's'),
  dotall: reFlag('s', 'dotall'),
  cidr: (st) => {
    st.vals = rawOnly(st, 'cidr').map((r) => {
      if (typeof r !== 'string' || !parseCidr(r)) throw new SigmaError(`modifier 'cidr' needs an IPv4/IPv6 network like 10.0.0.0/8, got ${JSON.stringify(r)}`);
      return { k: 'cidr', cidr: r } as SValue;
    });
  },
  gt: cmp('gt'),
  gte: cmp('gte'),
  lt: cmp('lt'),
  lte: cmp('lte'),
  exists: (st) => {
    if (st.field === null) throw new SigmaError(`modifier 'exists' needs a field`);
    if (st.names.length !== 1) throw new SigmaError(`modifier 'exists' must be the only modifier`);
    st.vals = rawOnly(st, 'exists').map((r) => {
      if (typeof r !== 'boolean') throw new SigmaError(`modifier 'exists' needs true or false, got ${JSON.stringify(r)}`);
      return { k: 'exists', want: r } as SValue;
    });
  },
  fieldref: (st) => {
    st.vals = rawOnly(st, 'fieldref').map((r) => {
      if (typeof r !== 'string' || r === '') throw new SigmaError(`modifier 'fieldref' needs a field name, got ${JSON.stringify(r)}`);
      return { k: 'fieldref', field: r, mode: 'eq' } as SValue;
    });
  },
  expand: (st) =>
    mapStr(st, 'expand', (v) => {
      const atoms: Atom[] = [];
      for (const a of v.atoms) {
        if (a.t !== 'lit') {
          atoms.push(a);
          continue;
        }
        // %name% is a placeholder, \% a literal percent sign
        let lit = '';
        let i = 0;
        while (i < a.s.length) {
          if (a.s[i] === '\\' && a.s[i + 1] === '%') {
            lit += '%';
            i += 2;
          } else if (a.s[i] === '%') {
            const end = a.s.indexOf('%', i + 1);
            if (end < 0) {
              lit += a.s.slice(i);
              break;
            }
            if (lit) atoms.push({ t: 'lit', s: lit });
            lit = '';
            const name = a.s.slice(i + 1, end);
            st.placeholders.add(name);
            atoms.push({ t: 'ph', name });
            i = end + 1;
          } else lit += a.s[i++];
        }
        if (lit) atoms.push({ t: 'lit', s: lit });
      }
      return { k: 'str', atoms, bytes: v.bytes };
    }),
  minute: timePart('minute'),
  hour: timePart('hour'),
  day: timePart('day'),
  week: timePart('week'),
  month: timePart('month'),
  year: timePart('year'),
};

/** Runs a modifier chain over raw YAML values; bool values without a modifier compare as strings. */
export function applyModifiers(field: string | null, names: string[], raws: unknown[]): { values: SValue[]; all: boolean; cased: boolean; negated: boolean; placeholders: string[] } {
  const st: ItemState = { field, vals: raws.map((raw) => ({ raw })), all: false, cased: false, negated: false, placeholders: new Set(), index: 0, names };
  for (let i = 0; i < names.length; i++) {
    const fn = MODIFIERS[names[i]];
    if (!fn) throw new SigmaError(`unknown modifier '${names[i]}' (known: ${Object.keys(MODIFIERS).join(', ')})`);
    st.index = i;
    fn(st);
  }
  return { values: st.vals.map(toSValue), all: st.all, cased: st.cased, negated: st.negated, placeholders: [...st.placeholders] };
}
