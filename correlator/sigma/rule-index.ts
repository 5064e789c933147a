/**
 * Which rules an event can possibly match, so each event is tested only against those.
 *
 * For every rule we derive a necessary condition from its detection: a disjunction of probes, each
 * "field F is present" or "field F contains literal L" (the longest literal of a value, lowercased).
 * At evaluation the event's own field paths say which fields are present, and one DFA per field
 * (Aho-Corasick over the literals of all rules on that field) finds the literals in one pass.
 * Rules whose condition yields no probe (only negations, null checks) are always candidates.
 * The index over-approximates (a candidate may still not match); the rule's predicate decides.
 */
import type { Atom, CondNode, Detection, DetectionItem, SValue } from './model';
import type { EventView } from './event-view';
import { resolvePattern } from './condition';
import { lookupKey } from './compile';
import { LiteralDfa } from './matchers';

/**
 * What the index reads of a rule or of a logsource gate: its detections, condition and field map.
 * Rules and gates are both entries (gates after the rules), so one pass finds both.
 */
export interface IndexEntry {
  enabled: boolean;
  detections: ReadonlyMap<string, Detection>;
  conditions: readonly CondNode[];
  map: Readonly<Record<string, readonly string[]>>;
  placeholders: Readonly<Record<string, string[]>>;
  /** the gate a rule's keyword literals are scanned under: only events passing it run them (-1: every event) */
  keywordGate: number;
  /** a rule's logsource gates (indices among the gates): each must pass, so a gate's probe can stand for a rule with none */
  gates?: readonly number[];
}

export interface RuleIndex {
  /** gatePass(i): whether the event passes logsource gate i (cached by the caller) */
  candidates(view: EventView, gatePass?: (gate: number) => boolean, afterFields?: (found: ArrayLike<number>) => void): ArrayLike<number>;
  describe(): IndexStats;
}

/** alwaysCandidates: rules listed for every event; gatesWithoutProbe: gates judged only when a candidate rule needs them. */
export interface IndexStats {
  rules: number;
  alwaysCandidates: number;
  gatesWithoutProbe: number;
  probeFields: number;
  literals: number;
  dfaStates: number;
}

/** A probe: field key ('' + keyword marker '*' for keyword searches) and an optional literal. */
interface Probe {
  field: string;
  mapped: readonly string[];
  lit: string | null;
}

type Anchor = Probe[] | null; // null: no necessary condition found

const MAX_LIT = 24; // a substring of a necessary literal is still necessary; shorter keeps the DFA small

function longestLiteral(atoms: Atom[]): string {
  let best = '';
  for (const a of atoms) if (a.t === 'lit' && a.s.length > best.length) best = a.s;
  const l = best.toLowerCase();
  // a hash: 8 hex digits are selective enough, and a short trie keeps hex text from walking deep
  const hex = /[0-9a-f]{16,}/.exec(l);
  if (hex) return hex[0].slice(0, 8);
  if (l.length <= MAX_LIT) return l;
  // the end of a long literal is usually the distinctive part (a file name after a common folder path)
  return l.slice(l.length - MAX_LIT);
}

function flatten(v: SValue, ph: Readonly<Record<string, string[]>>): SValue[] {
  if (v.k === 'alt') return v.options.flatMap((o) => flatten(o, ph));
  if (v.k === 'str' && v.atoms.some((a) => a.t === 'ph')) {
    // placeholders: literal parts outside them are still necessary
    const vals = v.atoms.filter((a) => a.t !== 'ph');
    return [{ k: 'str', atoms: vals.length === v.atoms.length ? v.atoms : [{ t: 'any' }, ...vals.map((a) => a as Atom), { t: 'any' }], bytes: v.bytes }];
  }
  return [v];
}

/**
 * A literal every match of the regex must contain, or '' when none is certain: the longest run of plain
 * characters outside groups and classes, with no alternation at the top level; a character followed by
 * a quantifier that allows zero (`?` `*` `{0`) is dropped from the run.
 */
function unreadable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      if ('xucpPQ0123456789'.includes(s[i + 1] ?? '_')) return true;
      i++; // an escaped character, e.g. the second backslash of \\
    } else if (s[i] === '[' && s[i + 1] === '[' && s[i + 2] === ':') return true;
  }
  return false;
}

export function regexLiteral(src: string): string {
  const s = src.replace(/^\(\?[imsx]+\)/, '');
  // escapes whose payload reads like plain text (\x41, \u0041, \101, \pL, \Q..\E) and POSIX classes: the
  // index cannot read them, so no literal is required and the rule is tried whenever the field is there
  if (unreadable(s)) return '';
  let depth = 0;
  let best = '';
  let run = '';
  const flush = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    let lit: string | null = null;
    if (c === '\\') {
      const n = s[i + 1];
      i++;
      if (n !== undefined && /[^A-Za-z0-9]/.test(n)) lit = n;
      else {
        flush();
        continue;
      }
    } else if (c === '[') {
      flush();
      // skip the class
      let j = i + 1;
      if (s[j] === '^') j++;
      if (s[j] === ']') j++;
      while (j < s.length && s[j] !== ']') j += s[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    } else if (c === '(') {
      flush();
      depth++;
      continue;
    } else if (c === ')') {
      flush();
      depth--;
      continue;
    } else if (c === '|') {
      if (depth === 0) return '';
      flush();
      continue;
    } else if ('.^$*+?{}'.includes(c)) {
      flush();
      if (c === '{') while (i < s.length && s[i] !== '}') i++;
      continue;
    } else lit = c;
    if (depth > 0) continue;
    const q = s[i + 1];
    if (q === '?' || q === '*' || (q === '{' && /^\{0[,}]/.test(s.slice(i + 1)))) {
      flush();
      continue;
    }
    run += lit;
    if (q === '+' || q === '{') flush();
  }
  flush();
  return best.toLowerCase();
}

function valueProbe(field: string, mapped: readonly string[], v: SValue): Probe | null {
  switch (v.k) {
    case 're': {
      const lit = regexLiteral(v.source);
      return { field, mapped, lit: lit.length >= 3 ? lit.slice(0, MAX_LIT) : null };
    }
    case 'str': {
      const lit = longestLiteral(v.atoms);
      // one non-ASCII character is selective enough: ASCII text never contains it
      return { field, mapped, lit: lit.length >= 2 || /[^\x00-\x7f]/.test(lit) ? lit : null };
    }
    case 'null':
      return null;
    case 'exists':
      return v.want ? { field, mapped, lit: null } : null;
    case 'alt':
      return null; // flattened before
    default:
      return { field, mapped, lit: null };
  }
}

function score(a: Probe[]): number {
  // lower is better: presence probes are weak, short literals are weak, many probes cost more
  let s = 0;
  for (const p of a) s += p.lit ? 1 + 8 / p.lit.length : 20;
  return s;
}

function better(a: Anchor, b: Anchor): Anchor {
  if (!a) return b;
  if (!b) return a;
  return score(a) <= score(b) ? a : b;
}

function union(a: Anchor, b: Anchor): Anchor {
  return a && b ? [...a, ...b] : null;
}

function itemAnchor(item: DetectionItem, map: Readonly<Record<string, readonly string[]>>, ph: Readonly<Record<string, string[]>>): Anchor {
  if (item.negated) return null;
  const field = item.field ?? '*';
  const mapped = item.field ? (map[item.field] ?? []) : [];
  const perValue = (v: SValue): Anchor => {
    const opts = flatten(v, ph);
    let out: Probe[] = [];
    for (const o of opts) {
      const p = valueProbe(field, mapped, o);
      if (!p) return null;
      out.push(p);
    }
    if (item.field === null) out = out.filter((p) => p.lit !== null).length === out.length ? out : [];
    return out.length ? out : null;
  };
  if (item.all) {
    let best: Anchor = null;
    for (const v of item.values) best = better(best, perValue(v));
    return best;
  }
  let acc: Anchor = [];
  for (const v of item.values) {
    acc = union(acc, perValue(v));
    if (!acc) return null;
  }
  return acc.length ? acc : null;
}

function detectionAnchor(d: Detection, map: Readonly<Record<string, readonly string[]>>, ph: Readonly<Record<string, string[]>>): Anchor {
  if (d.k === 'and') {
    let best: Anchor = null;
    for (const it of d.items) best = better(best, itemAnchor(it, map, ph));
    return best;
  }
  let acc: Anchor = [];
  for (const p of d.parts) {
    acc = union(acc, detectionAnchor(p, map, ph));
    if (!acc) return null;
  }
  return acc;
}

function condAnchor(n: CondNode, dets: Map<string, Anchor>): Anchor {
  switch (n.k) {
    case 'id':
      return dets.get(n.name) ?? null;
    case 'of': {
      const names = resolvePattern(n.pattern, [...dets.keys()]);
      if (n.quant === 'all') {
        let best: Anchor = null;
        for (const x of names) best = better(best, dets.get(x) ?? null);
        return best;
      }
      let acc: Anchor = [];
      for (const x of names) {
        acc = union(acc, dets.get(x) ?? null);
        if (!acc) return null;
      }
      return acc;
    }
    case 'and':
      return better(condAnchor(n.a, dets), condAnchor(n.b, dets));
    case 'or':
      return union(condAnchor(n.a, dets), condAnchor(n.b, dets));
    default:
      return null;
  }
}

export function entryAnchor(r: IndexEntry): Anchor {
  const dets = new Map<string, Anchor>();
  for (const [name, d] of r.detections) dets.set(name, detectionAnchor(d, r.map, r.placeholders));
  let acc: Anchor = [];
  for (const c of r.conditions) {
    acc = union(acc, condAnchor(c, dets));
    if (!acc) return null;
  }
  return acc && acc.length ? acc : null;
}

/**
 * Each entry's necessary condition. A rule whose detection gives none (only negations, such as 'not
 * filter_*') takes the best of its logsource gates' instead: the rule cannot match an event that fails
 * a gate, so e.g. process_creation's EventID/Channel literals keep it off every other event.
 */
export function entryAnchors(entries: readonly IndexEntry[], gatesFrom = entries.length): Anchor[] {
  const out = entries.map((e) => (e.enabled ? entryAnchor(e) : null));
  for (let ri = 0; ri < gatesFrom; ri++) {
    if (out[ri] || !entries[ri].enabled) continue;
    let best: Anchor = null;
    for (const g of entries[ri].gates ?? []) best = better(best, out[gatesFrom + g] ?? null);
    out[ri] = best;
  }
  return out;
}

interface ProbeField {
  field: string;
  key: string;
  mapped: readonly string[];
  presenceRules: number[];
  lits: string[];
  litRules: Int32Array[];
  dfa: LiteralDfa | null;
  kwGate: number; // keyword probes: the gate their family shares (-1: none)
}

/** Field paths as a trie of key segments, so the event is walked without building path strings. */
interface PathNode {
  kids: Map<string, PathNode> | null;
  fields: number[] | null;
}

// event ids, ports and pids are small integers: their strings are made once
const SMALL = Array.from({ length: 65536 }, (_, i) => String(i));
const numStr = (n: number): string => (n >= 0 && n < 65536 && Number.isInteger(n) ? SMALL[n] : String(n));

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** gatesFrom: entries from this index on are logsource gates (they come after the rules). */
export function buildIndex(rules: readonly IndexEntry[], enabled = true, rawContainers: readonly string[] = ['winlog.event_data'], gatesFrom = rules.length): RuleIndex {
  const all = rules.map((_, i) => i);
  if (!enabled) {
    return { candidates: () => all, describe: () => ({ rules: rules.length, alwaysCandidates: rules.length, gatesWithoutProbe: 0, probeFields: 0, literals: 0, dfaStates: 0 }) };
  }
  const anchors = entryAnchors(rules, gatesFrom);
  const always: number[] = [];
  // gates with no probe are only reported as possible (afterFields), never listed: callers stop at the first gate
  const alwaysGates: number[] = [];
  const fields = new Map<string, ProbeField>();
  const litRulesTmp = new Map<ProbeField, number[][]>();
  const litIndex = new Map<ProbeField, Map<string, number>>();
  rules.forEach((r, ri) => {
    if (!r.enabled) return; // never matches
    const a = anchors[ri];
    if (!a) {
      (ri >= gatesFrom ? alwaysGates : always).push(ri);
      return;
    }
    for (const p of a) {
      // keyword literals get one small automaton per logsource family (the rule's first gate), scanned
      // only for events of that family: a Windows event never runs the Linux keyword lists
      const kwGate = p.field === '*' ? r.keywordGate : -1;
      const key = p.field + '\u0000' + p.mapped.join('\u0000') + (p.field === '*' ? '\u0000' + kwGate : '');
      let pf = fields.get(key);
      if (!pf) {
        pf = { field: p.field, key: lookupKey(p.field, p.mapped), mapped: p.mapped, presenceRules: [], lits: [], litRules: [], dfa: null, kwGate };
        fields.set(key, pf);
        litRulesTmp.set(pf, []);
      }

      const lr = litRulesTmp.get(pf)!;
      if (p.lit === null) {
        if (pf.presenceRules[pf.presenceRules.length - 1] !== ri) pf.presenceRules.push(ri);
      }
      else {
        let idx = litIndex.get(pf);
        if (!idx) litIndex.set(pf, (idx = new Map()));
        let li = idx.get(p.lit);
        if (li === undefined) {
          li = pf.lits.length;
          idx.set(p.lit, li);
          pf.lits.push(p.lit);
          lr.push([]);
        }
        if (!lr[li].includes(ri)) lr[li].push(ri);
      }
    }
  });
  const pfs = [...fields.values()];
  let dfaStates = 0;
  let literals = 0;
  for (const pf of pfs) {
    pf.litRules = litRulesTmp.get(pf)!.map((x) => Int32Array.from(x));
    if (pf.lits.length) {
      pf.dfa = new LiteralDfa(pf.lits);
      dfaStates += pf.dfa.states;
      literals += pf.lits.length;
    }
  }
  // which event paths can supply each probe field (the lookups EventView.get tries)
  const root: PathNode = { kids: new Map(), fields: null };
  const keywordFields: number[] = [];
  const addPath = (path: string, fi: number): void => {
    let node = root;
    for (const seg of path.split('.')) {
      node.kids ??= new Map();
      let next = node.kids.get(seg);
      if (!next) {
        next = { kids: null, fields: null };
        node.kids.set(seg, next);
      }
      node = next;
    }
    node.fields ??= [];
    if (!node.fields.includes(fi)) node.fields.push(fi);
  };
  pfs.forEach((pf, i) => {
    if (pf.field === '*') keywordFields.push(i);
    else for (const p of new Set([pf.field, ...rawContainers.map((c) => `${c}.${pf.field}`), ...pf.mapped])) addPath(p, i);
  });

  const mark = new Uint8Array(rules.length);
  // the candidates of one event; each entry is marked once, so the buffer never overflows
  const out = new Int32Array(rules.length);
  let nOut = 0;
  const views: Int32Array[] = []; // out's first n entries, one view per n, made once (no allocation per event)
  const head = (n: number): Int32Array => (views[n] ??= out.subarray(0, n));

  const markRule = (ri: number): void => {
    if (mark[ri] === 0) {
      mark[ri] = 1;
      out[nOut++] = ri;
    }
  };
  const scan = (dfa: LiteralDfa, lr: Int32Array[], s: string): void => {
    const { table, cols } = dfa;
    let st = 0;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      st = table[st + (c < 128 ? cols[c] : 1)];
      if (st < 0) {
        st = ~st; // a state where literals end (LiteralDfa stores it complemented)
        const o = dfa.outAt(st);
        for (let j = 0; j < o.length; j++) {
          const rs = lr[o[j]];
          for (let k = 0; k < rs.length; k++) markRule(rs[k]);
        }
      }
    }
  };
  const scanValue = (dfa: LiteralDfa, lr: Int32Array[], v: unknown, depth: number): void => {
    if (typeof v === 'string') scan(dfa, lr, v);
    else if (typeof v === 'number') scan(dfa, lr, numStr(v));
    else if (depth < 32 && v !== null && typeof v === 'object') {
      if (Array.isArray(v)) for (const x of v) scanValue(dfa, lr, x, depth + 1);
      else for (const k in v as Record<string, unknown>) scanValue(dfa, lr, (v as Record<string, unknown>)[k], depth + 1);
    }
  };
  /** Scans a value found at one of the field's paths (over-approximates when several paths exist). */
  const probeValue = (fi: number, v: unknown): void => {
    const pf = pfs[fi];
    const pr = pf.presenceRules;
    for (let i = 0; i < pr.length; i++) markRule(pr[i]);
    const dfa = pf.dfa;
    if (dfa === null) return;
    if (typeof v === 'string') scan(dfa, pf.litRules, v);
    else if (typeof v === 'number') scan(dfa, pf.litRules, numStr(v));
    else if (typeof v === 'boolean') scan(dfa, pf.litRules, v ? 'true' : 'false');
    else if (Array.isArray(v)) {
      for (const x of v) {
        if (typeof x === 'string') scan(dfa, pf.litRules, x);
        else if (typeof x === 'number') scan(dfa, pf.litRules, numStr(x));
        else if (typeof x === 'boolean') scan(dfa, pf.litRules, x ? 'true' : 'false');
        else if (isObj(x) && '#text' in x) scan(dfa, pf.litRules, String(x['#text']));
      }
    } else if (isObj(v) && '#text' in v) scan(dfa, pf.litRules, String(v['#text']));
  };
  const walk = (o: Record<string, unknown>, node: PathNode, depth: number): void => {
    const kids = node.kids!;
    for (const k in o) {
      let n = kids.get(k);
      if (n === undefined) {
        if (k.indexOf('.') < 0) continue;
        // a literal dotted key: follow its segments
        let cur: PathNode | undefined = node;
        for (const seg of k.split('.')) {
          cur = cur?.kids?.get(seg);
          if (!cur) break;
        }
        if (!cur) continue;
        n = cur;
      }
      const v = o[k];
      if (n.fields !== null) for (const fi of n.fields) probeValue(fi, v);
      // arrays too: a mapping may name an element (auditd's a0 is process.args.0)
      if (n.kids !== null && depth < 8 && v !== null && typeof v === 'object') walk(v as Record<string, unknown>, n, depth + 1);
    }
  };

  return {
    candidates(view, gatePass, afterFields) {
      nOut = 0;
      walk(view.doc, root, 0);
      if (view.flat) walk(view.flat, root, 0);
      for (const ri of always) out[nOut++] = ri;
      afterFields?.(head(nOut));
      afterFields?.(alwaysGates);
      for (const fi of keywordFields) {
        const pf = pfs[fi];
        if (gatePass && pf.kwGate >= 0 && !gatePass(pf.kwGate)) continue;
        for (const ri of pf.presenceRules) markRule(ri);
        if (!pf.dfa) continue;
        const orig = view.rawMessage();
        if (orig !== undefined) scan(pf.dfa, pf.litRules, orig);
        else scanValue(pf.dfa, pf.litRules, view.flat ?? view.doc, 0);
      }
      const found = head(nOut);
      for (let i = 0; i < nOut; i++) mark[found[i]] = 0;
      // rule order, so detections come out in load order whatever the index found first (a typed
      // array sorts numerically without a comparator call per pair)
      if (nOut > 1) found.sort();
      // the buffer is reused by the next call: callers consume it before evaluating another event
      return found;
    },
    describe: () => ({ rules: rules.length, alwaysCandidates: always.length, gatesWithoutProbe: alwaysGates.length, probeFields: pfs.length, literals, dfaStates }),
  };
}
