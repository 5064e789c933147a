/**
 * The rule collection (pySigma's SigmaCollection): rule files read, every document parsed with its own
 * report, duplicate ids and names refused, correlation references resolved (unknown, filters, cycles).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SigmaCorrelationModel, SigmaDocument } from './model';
import { SigmaError } from './model';
import { parseYamlDocuments } from './yaml';
import { parseDocument } from './parse';
import type { LoadReport, RuleInfo, Source } from './ruleset';

/** A parsed document and its report line. */
export interface Doc {
  m: SigmaDocument;
  rep: LoadReport;
}

function listRuleFiles(p: string, out: string[]): void {
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) {
      if (name.startsWith('.')) continue;
      const full = path.join(p, name);
      const s = fs.statSync(full);
      if (s.isDirectory()) listRuleFiles(full, out);
      else if (/\.ya?ml$/i.test(name)) out.push(full);
    }
  } else out.push(p);
}

/** Reads the rule files under `paths`; what cannot be read is reported, the rest goes on. */
export function readRuleFiles(paths: string[]): { sources: Source[]; report: LoadReport[] } {
  const sources: Source[] = [];
  const report: LoadReport[] = [];
  for (const p of paths) {
    const files: string[] = [];
    try {
      listRuleFiles(p, files);
    } catch (e) {
      report.push({ path: p, ok: false, error: `${p}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, warnings: [] });
      continue;
    }
    for (const f of files) {
      try {
        sources.push({ path: f, text: fs.readFileSync(f, 'utf8') });
      } catch (e) {
        report.push({ path: f, ok: false, error: `${f}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, warnings: [] });
      }
    }
  }
  return { sources, report };
}

export function infoOf(m: SigmaDocument): RuleInfo {
  return {
    id: m.id ?? m.name ?? `${m.path}:${m.line}`,
    title: m.title,
    level: m.level ?? (m.kind === 'filter' ? '' : 'medium'),
    status: m.status,
    author: m.author,
    description: m.description,
    tags: m.tags,
    references: m.references,
    falsepositives: m.falsepositives,
    path: m.path,
    kind: m.kind,
    logsource: m.kind === 'correlation' ? undefined : m.logsource,
    enabled: true,
    name: m.name,
  };
}

export const where = (p: string, line: number | undefined): string => `${p}:${line ?? 1}`;

/** Parses every document (a broken one gets its own report) and refuses duplicate ids or names (the later one). */
export function collect(sources: Source[], report: LoadReport[]): { alive: Doc[]; byRef: Map<string, Doc> } {
  // 1. parse every document; a broken one gets its own report and the rest go on
  const docs: Doc[] = [];
  for (const src of sources) {
    let ydocs;
    try {
      ydocs = parseYamlDocuments(src.text);
    } catch (e) {
      report.push({ path: src.path, ok: false, error: `${src.path}:1: YAML cannot be read: ${(e as Error).message}`, warnings: [] });
      continue;
    }
    if (ydocs.length === 0) report.push({ path: src.path, ok: false, error: `${src.path}:1: no YAML document in the file`, warnings: [] });
    for (const yd of ydocs) {
      if (yd.error) {
        report.push({ path: src.path, ok: false, error: `${where(src.path, yd.error.line)}: YAML error: ${yd.error.message}`, warnings: [] });
        continue;
      }
      try {
        const m = parseDocument(yd, src.path);
        const rep: LoadReport = { path: src.path, ruleId: m.id ?? m.name, title: m.title, ok: true, warnings: [...m.warnings] };
        docs.push({ m, rep });
        report.push(rep);
      } catch (e) {
        const o = yd.value as Record<string, unknown> | null;
        const title = o && typeof o === 'object' && typeof o.title === 'string' ? o.title : undefined;
        const id = o && typeof o === 'object' && o.id !== undefined ? String(o.id) : undefined;
        const line = e instanceof SigmaError ? e.line : undefined;
        report.push({ path: src.path, ruleId: id, title, ok: false, error: `${where(src.path, line ?? yd.line)}: ${(e as Error).message}`, warnings: [] });
      }
    }
  }

  // 2. duplicate ids/names: the later one is rejected
  const byRef = new Map<string, Doc>();
  const alive: Doc[] = [];
  for (const d of docs) {
    const refs = [d.m.id, d.m.name].filter((x): x is string => !!x);
    const dup = refs.find((r) => byRef.has(r));
    if (dup) {
      d.rep.ok = false;
      d.rep.error = `${where(d.m.path, d.m.line)}: id or name '${dup}' is already used by ${byRef.get(dup)!.m.path}`;
      continue;
    }
    refs.forEach((r) => byRef.set(r, d));
    alive.push(d);
  }

  return { alive, byRef };
}

/**
 * Resolves each correlation's references (by id or name): unknown rules, filters, rules that did not
 * load and reference cycles are refused with the reason. Returns the correlations that hold.
 */
export function resolveCorrelations(corrDocs: Array<{ m: SigmaCorrelationModel; rep: LoadReport }>, byRef: Map<string, Doc>, loaded: (m: SigmaDocument) => boolean): Set<SigmaCorrelationModel> {
  const state = new Map<SigmaCorrelationModel, 'visiting' | 'ok' | string>();
  const resolve = (c: SigmaCorrelationModel): string | undefined => {
    const s = state.get(c);
    if (s === 'visiting') return `correlation '${c.title}' is part of a reference cycle`;
    if (s === 'ok') return undefined;
    if (s !== undefined) return s;
    state.set(c, 'visiting');
    for (const ref of c.rules) {
      const t = byRef.get(ref);
      if (!t) return fail(c, `references rule '${ref}', which is not loaded (no rule has this id or name)`);
      if (t.m.kind === 'filter') return fail(c, `references '${ref}', which is a filter, not a rule`);
      if (t.m.kind === 'rule' && !loaded(t.m)) return fail(c, `references rule '${ref}', which did not load: ${t.rep.error ?? ''}`);
      if (t.m.kind === 'correlation') {
        const err = resolve(t.m);
        if (err) return fail(c, `references correlation '${ref}', which did not load: ${err}`);
      }
    }
    state.set(c, 'ok');
    return undefined;
  };
  const fail = (c: SigmaCorrelationModel, msg: string): string => {
    state.set(c, msg);
    return msg;
  };
  for (const d of corrDocs) {
    const err = resolve(d.m);
    if (err) {
      d.rep.ok = false;
      d.rep.error = `${where(d.m.path, d.m.line)}: ${err}`;
    }
  }
  return new Set(corrDocs.filter((d) => state.get(d.m) === 'ok').map((d) => d.m));
}
