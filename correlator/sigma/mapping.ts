/**
 * Field mapping and logsource gates, as data under rules/mappings/:
 *  - fields.yml: Sigma field names → ECS paths, common and per logsource;
 *  - logsources.yml: for a logsource, which events belong to it (Sigma selections, ORed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LogSource, Detection } from './model';
import { SigmaError } from './model';
import { parseYamlDocuments } from './yaml';
import { compileDetection, FieldContext, Pred } from './compile';
import { parseDocument } from './parse';
import { DEFAULT_RAW_CONTAINERS } from './event-view';
import type { IndexEntry } from './rule-index';

export interface FieldMapEntry {
  logsource: LogSource;
  fields: Record<string, string[]>;
}

export interface GateEntry {
  logsource: LogSource;
  pred: Pred;
  /** the parsed selection (null for `any`), so gates can be indexed like rules */
  det: Detection | null;
  line: number;
}

/** A gate written once for every value of a key (`service: '*'`), with %product%/%category%/%service% in its match. */
export interface GateTemplate {
  logsource: LogSource;
  match: unknown;
  line: number;
  instances: Map<string, number>; // logsource key -> gate index
}

export interface Mapping {
  /** objects holding raw source field names, tried before the ECS paths (e.g. winlog.event_data) */
  rawContainers: string[];
  /** fields that gates resolve through the mapping (the Windows envelope); others are raw */
  gateMapped: string[];
  common: Record<string, string[]>;
  entries: FieldMapEntry[];
  gates: GateEntry[];
  templates: GateTemplate[];
  source: string;
}

/** pySigma's containment: every key the entry sets equals the rule's value (case-insensitively). */
export function logsourceContains(entry: LogSource, rule: LogSource): boolean {
  for (const k of ['product', 'category', 'service'] as const) {
    const e = entry[k];
    if (e === undefined) continue;
    if (rule[k] === undefined || rule[k]!.toLowerCase() !== e.toLowerCase()) return false;
  }
  return true;
}

export function defaultMappingsDir(): string {
  // works from the source tree and from dist/
  for (const up of ['../..', '../../..']) {
    const p = path.resolve(__dirname, up, 'rules', 'mappings');
    if (fs.existsSync(path.join(p, 'fields.yml'))) return p;
  }
  return path.resolve(__dirname, '../../rules/mappings');
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function toPaths(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x) => typeof x === 'string') as string[];
}

const cache = new Map<string, { stamp: string; mapping: Mapping }>();

/** Loads (once per directory and file version) the field mapping and logsource gates. */
export function loadMapping(dir: string): Mapping {
  const stamp = ['fields.yml', 'logsources.yml']
    .map((f) => {
      try {
        const st = fs.statSync(path.join(dir, f));
        return `${st.mtimeMs}:${st.size}`;
      } catch {
        return '-';
      }
    })
    .join('|');
  const hit = cache.get(dir);
  if (hit && hit.stamp === stamp) return hit.mapping;
  const mapping = readMapping(dir);
  cache.set(dir, { stamp, mapping });
  return mapping;
}

function readMapping(dir: string): Mapping {
  const m: Mapping = { rawContainers: [...DEFAULT_RAW_CONTAINERS], gateMapped: ['EventID', 'Channel', 'Provider_Name', 'Computer'], common: {}, entries: [], gates: [], templates: [], source: dir };
  const fieldsFile = path.join(dir, 'fields.yml');
  if (fs.existsSync(fieldsFile)) {
    const docs = parseYamlDocuments(fs.readFileSync(fieldsFile, 'utf8'));
    const d = docs[0];
    if (!d || d.error || !isObj(d.value)) throw new SigmaError(`${fieldsFile}:${d?.error?.line ?? 1}: ${d?.error?.message ?? 'must be a map with fields and logsources'}`);
    const o = d.value;
    if (o.raw_containers !== undefined) {
      if (!Array.isArray(o.raw_containers) || !o.raw_containers.every((x) => typeof x === 'string')) throw new SigmaError(`${fieldsFile}:${d.keyLine(o, 'raw_containers') ?? 1}: raw_containers must be a list of paths`);
      m.rawContainers = o.raw_containers as string[];
    }
    if (isObj(o.fields)) for (const [k, v] of Object.entries(o.fields)) m.common[k] = toPaths(v);
    if (Array.isArray(o.logsources)) {
      for (const e of o.logsources) {
        if (!isObj(e) || !isObj(e.logsource) || !isObj(e.fields)) throw new SigmaError(`${fieldsFile}:${d.nodeLine(e as object) ?? '?'}: each logsources entry needs logsource and fields maps`);
        m.entries.push({ logsource: e.logsource as LogSource, fields: Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, toPaths(v)])) });
      }
    }
  }
  const gatesFile = path.join(dir, 'logsources.yml');
  if (fs.existsSync(gatesFile)) {
    const docs = parseYamlDocuments(fs.readFileSync(gatesFile, 'utf8'));
    const d = docs[0];
    if (!d || d.error || !isObj(d.value) || !Array.isArray(d.value.logsources)) throw new SigmaError(`${gatesFile}:${d?.error?.line ?? 1}: ${d?.error?.message ?? "must be a map with a 'logsources' list"}`);
    const mf = d.value.mapped_fields;
    if (mf !== undefined) {
      if (!Array.isArray(mf) || !mf.every((x) => typeof x === 'string')) throw new SigmaError(`${gatesFile}:${d.keyLine(d.value, 'mapped_fields') ?? 1}: mapped_fields must be a list of field names`);
      m.gateMapped = mf as string[];
    }
    for (const e of d.value.logsources as unknown[]) {
      const line = d.nodeLine(e as object) ?? 0;
      if (!isObj(e) || !isObj(e.logsource) || e.match === undefined) throw new SigmaError(`${gatesFile}:${line}: each entry needs logsource and match`);
      const ls = e.logsource as LogSource;
      if (Object.values(ls).includes('*')) m.templates.push({ logsource: ls, match: e.match, line, instances: new Map() });
      else m.gates.push({ logsource: ls, ...compileGate(m, e.match, gatesFile, line), line });
    }
  }
  return m;
}

/** Gates read raw names as written; only the envelope fields listed in `mapped_fields` go through the ECS mapping. */
export function gateFieldMap(m: Mapping): Record<string, string[]> {
  return Object.fromEntries(m.gateMapped.filter((f) => m.common[f]).map((f) => [f, m.common[f]]));
}

function compileGate(m: Mapping, match: unknown, file: string, line: number): { pred: Pred; det: Detection | null } {
  if (match === 'any') return { pred: () => true, det: null };
  const ctx: FieldContext = { key: 'gate', map: gateFieldMap(m), placeholders: {} };
  try {
    // reuse the rule parser: a gate is a one-selection detection
    const parsed = parseDocument({ value: { title: 'gate', logsource: {}, detection: { match, condition: 'match' } }, line, keyLine: () => line, nodeLine: () => line }, file);
    if (parsed.kind !== 'rule') throw new SigmaError('not a selection');
    const det = parsed.detections.get('match') as Detection;
    return { pred: compileDetection(det, ctx), det };
  } catch (e) {
    throw new SigmaError(`${file}:${line}: bad gate: ${(e as Error).message}`);
  }
}

/** A gate as the rule index sees it: its selection under the gate field map (`any`: always a candidate). */
export function gateEntry(m: Mapping, g: GateEntry): IndexEntry {
  return {
    enabled: true,
    detections: g.det ? new Map([['match', g.det]]) : new Map(),
    conditions: [g.det ? { k: 'id', name: 'match' } : { k: 'const', v: true }],
    map: gateFieldMap(m),
    placeholders: {},
    keywordGate: -1,
  };
}

function substitute(v: unknown, ls: LogSource): unknown {
  if (typeof v === 'string') return v.replace(/%(product|category|service)%/g, (_, k: keyof LogSource) => ls[k] ?? '');
  if (Array.isArray(v)) return v.map((x) => substitute(x, ls));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, ls)]));
  return v;
}

/** The field map a rule of this logsource uses, and a key naming it (rules sharing a key share cached lookups). */
export function fieldMapFor(m: Mapping, ls: LogSource): { key: string; map: Record<string, string[]> } {
  const map: Record<string, string[]> = { ...m.common };
  const idx: number[] = [];
  m.entries.forEach((e, i) => {
    if (!logsourceContains(e.logsource, ls)) return;
    idx.push(i);
    for (const [k, v] of Object.entries(e.fields)) map[k] = [...new Set([...v, ...(m.common[k] ?? [])])];
  });
  return { key: 'm' + idx.join(','), map };
}

/**
 * Indices of the gates a rule of this logsource must pass (all of them). A template applies where no
 * explicit entry covers the same keys for this logsource (an explicit `{product: linux}` beats `{product: '*'}`).
 */
export function gatesFor(m: Mapping, ls: LogSource): number[] {
  const out: number[] = [];
  const keysOf = (l: LogSource): string => (['product', 'category', 'service'] as const).filter((k) => l[k] !== undefined).join(',');
  const explicitKeys = new Set<string>();
  m.gates.forEach((g, i) => {
    if (logsourceContains(g.logsource, ls)) {
      out.push(i);
      explicitKeys.add(keysOf(g.logsource));
    }
  });
  // of templates with the same keys, the most specific (fewest '*') applies
  const stars = (t: GateTemplate): number => Object.values(t.logsource).filter((v) => v === '*').length;
  for (const t of [...m.templates].sort((a, b) => stars(a) - stars(b))) {
    let ok = true;
    const inst: LogSource = {};
    for (const k of ['product', 'category', 'service'] as const) {
      const want = t.logsource[k];
      if (want === undefined) continue;
      const have = ls[k];
      if (have === undefined || (want !== '*' && want.toLowerCase() !== have.toLowerCase())) ok = false;
      else inst[k] = have;
    }
    if (!ok || explicitKeys.has(keysOf(t.logsource))) continue;
    const key = JSON.stringify(inst);
    let gi = t.instances.get(key);
    if (gi === undefined) {
      gi = m.gates.length;
      m.gates.push({ logsource: inst, ...compileGate(m, substitute(t.match, inst), 'logsources.yml', t.line), line: t.line });
      t.instances.set(key, gi);
    }
    explicitKeys.add(keysOf(t.logsource));
    out.push(gi);
  }
  return out;
}
