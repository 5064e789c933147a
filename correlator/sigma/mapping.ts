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

export interface FieldMapEntry {
  logsource: LogSource;
  fields: Record<string, string[]>;
}

export interface GateEntry {
  logsource: LogSource;
  pred: Pred;
  line: number;
}

export interface Mapping {
  common: Record<string, string[]>;
  entries: FieldMapEntry[];
  gates: GateEntry[];
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

export function loadMapping(dir: string): Mapping {
  const m: Mapping = { common: {}, entries: [], gates: [], source: dir };
  const fieldsFile = path.join(dir, 'fields.yml');
  if (fs.existsSync(fieldsFile)) {
    const docs = parseYamlDocuments(fs.readFileSync(fieldsFile, 'utf8'));
    const d = docs[0];
    if (!d || d.error || !isObj(d.value)) throw new SigmaError(`${fieldsFile}:${d?.error?.line ?? 1}: ${d?.error?.message ?? 'must be a map with fields and logsources'}`);
    const o = d.value;
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
    const ctx: FieldContext = { key: 'gate', map: m.common, placeholders: {} };
    for (const e of d.value.logsources as unknown[]) {
      const line = d.nodeLine(e as object) ?? 0;
      if (!isObj(e) || !isObj(e.logsource) || e.match === undefined) throw new SigmaError(`${gatesFile}:${line}: each entry needs logsource and match`);
      // reuse the rule parser: a gate is a one-selection detection
      const parsed = parseDocument({ ...d, value: { title: 'gate', logsource: e.logsource, detection: { match: e.match, condition: 'match' } } }, gatesFile);
      if (parsed.kind !== 'rule') continue;
      const det = parsed.detections.get('match') as Detection;
      m.gates.push({ logsource: e.logsource as LogSource, pred: compileDetection(det, ctx), line });
    }
  }
  return m;
}

/** The field map a rule of this logsource uses, and a key naming it (rules sharing a key share cached lookups). */
export function fieldMapFor(m: Mapping, ls: LogSource): { key: string; map: Record<string, string[]> } {
  const map: Record<string, string[]> = { ...m.common };
  const idx: number[] = [];
  m.entries.forEach((e, i) => {
    if (!logsourceContains(e.logsource, ls)) return;
    idx.push(i);
    for (const [k, v] of Object.entries(e.fields)) map[k] = [...v, ...(m.common[k] ?? [])];
  });
  return { key: 'm' + idx.join(','), map };
}

/** Indices of the gates a rule of this logsource must pass (all of them). */
export function gatesFor(m: Mapping, ls: LogSource): number[] {
  const out: number[] = [];
  m.gates.forEach((g, i) => {
    if (logsourceContains(g.logsource, ls)) out.push(i);
  });
  return out;
}
