/**
 * Conformance over the SigmaHQ corpus (CANHGAC_CORPUS, default ../shared/corpus):
 * every rule file loads, every regression case matches its rule at least match_count times.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRules, createEvaluator, loadRulesFromText, Ruleset, LoadReport } from './index';
import { parseYamlDocuments } from './yaml';
import { readEvents } from './event-reader';

const CORPUS = process.env.CANHGAC_CORPUS ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
const SIGMA = path.join(CORPUS, 'sigma');

function walk(dir: string, pred: (name: string) => boolean, out: string[] = []): string[] {
  for (const n of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    if (fs.statSync(p).isDirectory()) walk(p, pred, out);
    else if (pred(n)) out.push(p);
  }
  return out;
}

let ruleset: Ruleset;
let report: LoadReport[];

beforeAll(() => {
  const dirs = fs.readdirSync(SIGMA).filter((d) => d.startsWith('rules')).map((d) => path.join(SIGMA, d));
  const res = loadRules({ paths: dirs });
  ruleset = res.ruleset;
  report = res.report;
});

test('every SigmaHQ rule file loads (placeholder rules load disabled with a named warning)', () => {
  const files = fs.readdirSync(SIGMA).filter((d) => d.startsWith('rules')).flatMap((d) => walk(path.join(SIGMA, d), (n) => n.endsWith('.yml')));
  const failed = report.filter((r) => !r.ok);
  const disabled = ruleset.rules.filter((r) => !r.enabled);
  console.log(`sigma conformance: ${files.length} rule files, ${report.length} documents, ${report.length - failed.length} loaded, ${failed.length} failed, ${disabled.length} disabled for want of placeholder values`);
  expect(failed.map((f) => f.error)).toEqual([]);
  expect(report.length).toBe(files.length);
  for (const d of disabled) {
    const rep = report.find((r) => r.path === d.path)!;
    expect(rep.warnings.join(' ')).toMatch(/placeholder %[^%]+%/);
  }
});

test('every regression case matches its rule (>= match_count); exact counts printed', () => {
  const infos = walk(path.join(SIGMA, 'regression_data'), (n) => n === 'info.yml');
  const byId = new Map(ruleset.rules.map((r) => [r.id, r]));
  const ev = createEvaluator(ruleset);
  let cases = 0;
  let events = 0;
  const misses: string[] = [];
  const above: string[] = [];
  for (const info of infos) {
    const meta = parseYamlDocuments(fs.readFileSync(info, 'utf8'))[0].value as { rule_metadata: Array<{ id: string }>; regression_tests_info?: Array<{ path: string; match_count?: number }> };
    const ruleId = meta.rule_metadata[0].id;
    for (const t of meta.regression_tests_info ?? []) {
      const jsonFile = path.join(SIGMA, t.path.replace(/\.evtx$/, '.json'));
      if (!fs.existsSync(jsonFile)) continue;
      cases++;
      expect(byId.has(ruleId)).toBe(true);
      const evs = readEvents(fs.readFileSync(jsonFile, 'utf8'));
      let n = 0;
      for (const e of evs) {
        events++;
        if (ev.evaluate(e).some((d) => d.rule.id === ruleId)) n++;
      }
      const want = t.match_count ?? 1;
      if (n < want) misses.push(`${byId.get(ruleId)?.path}: matched ${n} of ${evs.length} events, want >= ${want}`);
      else if (n > want && t.match_count !== undefined) above.push(`${path.basename(path.dirname(info))}: ${n} vs ${want}`);
    }
  }
  console.log(`sigma regression: ${cases} cases, ${events} events, ${cases - misses.length} pass, ${misses.length} miss; above match_count: ${above.join('; ') || 'none'}`);
  expect(cases).toBeGreaterThan(100);
  expect(misses).toEqual([]);
});

test('the specification examples parse; correlations and filters only miss their (dangling) referenced rules', () => {
  const files = walk(path.join(SIGMA, 'sigma-specification', 'tests'), (n) => n.endsWith('.yml'));
  expect(files.length).toBeGreaterThanOrEqual(12);
  for (const f of files) {
    const { report: rep } = loadRulesFromText(fs.readFileSync(f, 'utf8'), f);
    for (const r of rep) {
      if (!r.ok) expect(r.error).toMatch(/references rule '[^']+', which is not loaded/);
    }
  }
});

test('the index never loses a detection: indexed and naive evaluators agree on the corpus logs', () => {
  const events: Array<Record<string, unknown>> = [];
  for (const f of walk(path.join(SIGMA, 'regression_data'), (n) => n.endsWith('.json'))) events.push(...readEvents(fs.readFileSync(f, 'utf8')));
  const logs = path.join(CORPUS, 'logs');
  const jsonl = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const f of walk(dir, (n) => n.endsWith('.json'))) {
      for (const l of fs.readFileSync(f, 'utf8').split('\n')) if (l.trim().startsWith('{')) events.push(JSON.parse(l));
    }
  };
  jsonl(path.join(logs, 'OTRF-Security-Datasets', 'datasets', 'atomic', 'windows'));
  jsonl(path.join(logs, 'alaajili-EVE-Json-Parser'));
  for (const f of walk(path.join(logs, 'elastic-integrations'), (n) => n.endsWith('-expected.json'))) events.push(...((JSON.parse(fs.readFileSync(f, 'utf8')).expected ?? []) as Array<Record<string, unknown>>));
  const indexed = createEvaluator(ruleset);
  const naive = createEvaluator(ruleset, { useIndex: false });
  const diffs: string[] = [];
  let detections = 0;
  events.forEach((e, i) => {
    const a = indexed.evaluate(e).map((d) => d.rule.id).join(',');
    const b = naive.evaluate(e).map((d) => d.rule.id).join(',');
    if (a) detections += a.split(',').length;
    if (a !== b && diffs.length < 20) diffs.push(`event ${i}: indexed [${a}] naive [${b}]`);
  });
  console.log(`sigma index: ${events.length} corpus events, ${detections} detections, indexed and naive differ on ${diffs.length}`);
  expect(events.length).toBeGreaterThan(1000);
  expect(diffs).toEqual([]);
});
