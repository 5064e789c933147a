/**
 * Field-by-field comparison of canhgac's output with the documents Elastic's ingest pipelines
 * produce (`*-expected.json` beside pipeline-test inputs). Used by parsers.conformance.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseCli } from './cli';

/** Fields that are not parsing: set by the agent, the test harness or GeoIP databases (see CONFORMANCE.md). */
export const IGNORED = [
  /^ecs\.version$/, /^tags$/, /^event\.ingested$/, /^event\.created$/, /^_tmp(\.|$)/, /(^|\.)geo\./, /(^|\.)as\./,
  /^input\.type$/, /^agent\./, /^log\.file\./, /^log\.offset$/, /^data_stream\./, /^elastic_agent\./,
];

/** Per-package test configuration Elastic keeps in *-config.yml (not copied): the devices' time zones. */
export const PACKAGE_TIMEZONE: Record<string, string> = {
  snort: 'America/Chicago', pfsense: '-04:00', panw: '+09:30', apache: 'GMT+2', system: '+0000',
};

export interface Pair {
  pkg: string;
  dataStream: string;
  input: string;
  expected: string;
}

export interface FieldDiff {
  file: string;
  doc: number;
  field: string;
  expected: unknown;
  actual: unknown;
  /** the reason, when this difference is a documented deliberate one (DELIBERATE) */
  deliberate?: string;
}

/**
 * A documented deliberate difference: canhgac does not follow Elastic here because doing so would be
 * wrong for a SOC. Each one is a row of the "Deliberate differences" table in CONFORMANCE.md.
 * Every condition given must hold for a differing field to count as deliberate.
 */
export interface Deliberate {
  pkg: string;
  /** the expected field (flattened ECS path) */
  field: string;
  /**
   * Elastic's value matches: a string, or for an array at least one element; without `actual`, the other
   * elements of the array must be what we produce (only the matching values are deliberate)
   */
  expected?: RegExp;
  /** ours: 'absent', or a pattern our value (every element of an array) matches */
  actual?: 'absent' | RegExp;
  /** Elastic's value is ours under this other field (compared ignoring case: hex ids and hashes) */
  keptIn?: string;
  /** the document's event.original */
  original?: RegExp;
  /** the input file (path relative to the corpus package folder) */
  file?: RegExp;
  reason: string;
}

export interface PairResult {
  pair: Pair;
  total: number;
  equal: number;
  /** differing fields that are documented deliberate differences */
  deliberate: number;
  diffs: FieldDiff[];
}

function lowerCase(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(lowerCase);
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function matchesAll(re: RegExp, v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0 && v.every((x) => typeof x === 'string' && re.test(x));
  return typeof v === 'string' && re.test(v);
}

/** The reason when a differing field is one of the documented deliberate differences, else undefined. */
export function deliberateReason(
  list: readonly Deliberate[],
  d: { pkg: string; file: string; field: string; expected: unknown; actual: unknown; original: string; doc: Record<string, unknown> },
  yearLess = false,
): string | undefined {
  for (const e of list) {
    if (e.pkg !== d.pkg || e.field !== d.field) continue;
    if (e.file && !e.file.test(d.file)) continue;
    if (e.original && !e.original.test(d.original)) continue;
    if (e.expected) {
      const re = e.expected;
      if (Array.isArray(d.expected) && !e.actual) {
        // Elastic's array minus the values this entry explains must be what we produce
        if (!d.expected.some((x) => typeof x === 'string' && re.test(x))) continue;
        const rest = d.expected.filter((x) => !(typeof x === 'string' && re.test(x)));
        const ours = d.actual === undefined ? [] : Array.isArray(d.actual) ? d.actual : [d.actual];
        if (!(rest.length === 0 && ours.length === 0) && !sameValue(rest, ours, yearLess)) continue;
      } else if (!matchesAll(re, d.expected)) continue;
    }
    if (e.actual === 'absent' && d.actual !== undefined) continue;
    if (e.actual instanceof RegExp && !matchesAll(e.actual, d.actual)) continue;
    if (e.keptIn && !sameValue(lowerCase(d.expected), lowerCase(d.doc[e.keptIn]), yearLess)) continue;
    return e.reason;
  }
  return undefined;
}

export function findPairs(root: string): Pair[] {
  const out: Pair[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('-expected.json')) {
        const input = p.slice(0, -'-expected.json'.length);
        const m = /packages\/([^/]+)\/data_stream\/([^/]+)\//.exec(p);
        if (m) out.push({ pkg: m[1], dataStream: m[2], input, expected: p });
      }
    }
  };
  walk(root);
  return out.sort((a, b) => a.input.localeCompare(b.input));
}

export function flatten(v: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (!entries.length && prefix) out[prefix] = {};
    for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out[prefix] = v;
  return out;
}

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function canonical(v: unknown): string {
  // Elasticsearch indexes ["x"] and "x" alike
  if (Array.isArray(v) && v.length === 1 && (typeof v[0] !== 'object' || v[0] === null)) return canonical(v[0]);
  if (Array.isArray(v)) return JSON.stringify(v.map(canonical).sort());
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  if (typeof v === 'string' && ISO_LIKE.test(v) && !Number.isNaN(Date.parse(v))) return `t:${Date.parse(v)}`;
  return JSON.stringify(v);
}

/** Equal as Elastic would mean it: same instant for times, same members for arrays. */
export function sameValue(expected: unknown, actual: unknown, yearLess: boolean): boolean {
  if (canonical(expected) === canonical(actual)) return true;
  if (yearLess && typeof expected === 'string' && typeof actual === 'string' && ISO_LIKE.test(expected) && ISO_LIKE.test(actual)) {
    // year-less syslog times take the year of the run that produced the expected file
    const e = new Date(expected);
    const a = new Date(actual);
    if (Number.isNaN(e.getTime()) || Number.isNaN(a.getTime())) return false;
    a.setUTCFullYear(e.getUTCFullYear());
    return a.getTime() === e.getTime();
  }
  return false;
}

/** The device time zone one input's own test configuration (`<input>-config.yml`, `_conf.tz_offset`) sets. */
function inputTimezone(input: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(`${input}-config.yml`, 'utf8');
  } catch {
    return undefined;
  }
  return /^\s*tz_offset:\s*"?([^"\s]+)"?\s*$/m.exec(text)?.[1];
}

const YEARLESS = /^(?:<\d+>)?(?:\d )?[A-Z][a-z]{2}\s+\d{1,2} \d{2}:\d{2}:\d{2} /;

export async function runPair(pair: Pair, opts: { now?: string; deliberate?: readonly Deliberate[] } = {}): Promise<PairResult> {
  const out: string[] = [];
  const argv = ['--input', pair.input, '--dataset', `${pair.pkg}.${pair.dataStream}`, '--timezone', inputTimezone(pair.input) ?? PACKAGE_TIMEZONE[pair.pkg] ?? 'UTC'];
  if (opts.now) argv.push('--now', opts.now);
  await parseCli(argv, { stdout: (s) => out.push(s), stderr: () => undefined });
  const actual = out.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const expected = (JSON.parse(readFileSync(pair.expected, 'utf8')) as { expected: Record<string, unknown>[] }).expected;
  const used = new Set<number>();
  const result: PairResult = { pair, total: 0, equal: 0, deliberate: 0, diffs: [] };
  const fileInPkg = pair.input.slice(pair.input.indexOf(`packages/${pair.pkg}/`) + `packages/${pair.pkg}/`.length);
  expected.forEach((exp, i) => {
    // align by event.original when counts differ (nginx merges continuation lines)
    let j = actual.length === expected.length ? i : -1;
    const eo = (exp.event as Record<string, unknown> | undefined)?.original;
    if (j < 0 && typeof eo === 'string') j = actual.findIndex((a, k) => !used.has(k) && (a.event as Record<string, unknown>)?.original === eo);
    if (j < 0 && i < actual.length && !used.has(i)) j = i;
    if (j >= 0) used.add(j);
    const act = j >= 0 ? flatten(actual[j]) : {};
    const original = String((actual[j]?.event as Record<string, unknown> | undefined)?.original ?? eo ?? '');
    const yearLess = YEARLESS.test(original);
    for (const [field, value] of Object.entries(flatten(exp))) {
      if (IGNORED.some((re) => re.test(field))) continue;
      // an empty object left behind by a pipeline carries no data
      if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
      result.total++;
      if (sameValue(value, act[field], yearLess)) {
        result.equal++;
        continue;
      }
      const why = deliberateReason(opts.deliberate ?? [], { pkg: pair.pkg, file: fileInPkg, field, expected: value, actual: act[field], original, doc: act }, yearLess);
      if (why) result.deliberate++;
      result.diffs.push({ file: relative(process.cwd(), pair.input), doc: i, field, expected: value, actual: act[field], ...(why ? { deliberate: why } : {}) });
    }
  });
  return result;
}

export interface PackageFigure {
  pkg: string;
  files: number;
  docs: number;
  total: number;
  equal: number;
  /** differing fields that are documented deliberate differences */
  deliberate: number;
  /** equal / total */
  ratio: number;
  /** equal / (total - deliberate): the figure thresholds apply to */
  adjusted: number;
}

export function summarize(results: PairResult[]): PackageFigure[] {
  const by = new Map<string, PackageFigure>();
  for (const r of results) {
    const f = by.get(r.pair.pkg) ?? { pkg: r.pair.pkg, files: 0, docs: 0, total: 0, equal: 0, deliberate: 0, ratio: 0, adjusted: 0 };
    f.files++;
    f.total += r.total;
    f.equal += r.equal;
    f.deliberate += r.deliberate;
    f.docs += (JSON.parse(readFileSync(r.pair.expected, 'utf8')) as { expected: unknown[] }).expected.length;
    by.set(r.pair.pkg, f);
  }
  return [...by.values()]
    .map((f) => ({ ...f, ratio: f.total ? f.equal / f.total : 1, adjusted: f.total - f.deliberate ? f.equal / (f.total - f.deliberate) : 1 }))
    .sort((a, b) => a.pkg.localeCompare(b.pkg));
}

/** raw = equal / fields; adjusted = equal / (fields - deliberate), the figure the threshold applies to. */
export function formatTable(figures: PackageFigure[], supported: Record<string, number>): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1).padStart(6)}%`;
  const lines = ['package               files docs  fields equal deliberate     raw  adjusted  threshold'];
  for (const f of figures) {
    const th = supported[f.pkg];
    lines.push(
      `${f.pkg.padEnd(21)} ${String(f.files).padStart(5)} ${String(f.docs).padStart(4)} ${String(f.total).padStart(7)} ${String(f.equal).padStart(5)} ${String(f.deliberate).padStart(10)} ${pct(f.ratio)}  ${pct(f.adjusted)}  ${th === undefined ? '(not supported)' : `${(th * 100).toFixed(0)}%`}`,
    );
  }
  return lines.join('\n');
}
