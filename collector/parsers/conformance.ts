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
}

export interface PairResult {
  pair: Pair;
  total: number;
  equal: number;
  diffs: FieldDiff[];
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

const YEARLESS = /^(?:<\d+>)?(?:\d )?[A-Z][a-z]{2}\s+\d{1,2} \d{2}:\d{2}:\d{2} /;

export async function runPair(pair: Pair, opts: { now?: string } = {}): Promise<PairResult> {
  const out: string[] = [];
  const argv = ['--input', pair.input, '--dataset', `${pair.pkg}.${pair.dataStream}`, '--timezone', PACKAGE_TIMEZONE[pair.pkg] ?? 'UTC'];
  if (opts.now) argv.push('--now', opts.now);
  await parseCli(argv, { stdout: (s) => out.push(s), stderr: () => undefined });
  const actual = out.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const expected = (JSON.parse(readFileSync(pair.expected, 'utf8')) as { expected: Record<string, unknown>[] }).expected;
  const used = new Set<number>();
  const result: PairResult = { pair, total: 0, equal: 0, diffs: [] };
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
      if (sameValue(value, act[field], yearLess)) result.equal++;
      else result.diffs.push({ file: relative(process.cwd(), pair.input), doc: i, field, expected: value, actual: act[field] });
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
  ratio: number;
}

export function summarize(results: PairResult[]): PackageFigure[] {
  const by = new Map<string, PackageFigure>();
  for (const r of results) {
    const f = by.get(r.pair.pkg) ?? { pkg: r.pair.pkg, files: 0, docs: 0, total: 0, equal: 0, ratio: 0 };
    f.files++;
    f.total += r.total;
    f.equal += r.equal;
    f.docs += (JSON.parse(readFileSync(r.pair.expected, 'utf8')) as { expected: unknown[] }).expected.length;
    by.set(r.pair.pkg, f);
  }
  return [...by.values()].map((f) => ({ ...f, ratio: f.total ? f.equal / f.total : 1 })).sort((a, b) => a.pkg.localeCompare(b.pkg));
}

export function formatTable(figures: PackageFigure[], supported: Record<string, number>): string {
  const lines = ['package               files docs  fields equal  agreement  threshold'];
  for (const f of figures) {
    const th = supported[f.pkg];
    lines.push(`${f.pkg.padEnd(21)} ${String(f.files).padStart(5)} ${String(f.docs).padStart(4)} ${String(f.total).padStart(7)} ${String(f.equal).padStart(5)}  ${(f.ratio * 100).toFixed(1).padStart(8)}%  ${th === undefined ? '(not supported)' : `${(th * 100).toFixed(0)}%`}`);
  }
  return lines.join('\n');
}
