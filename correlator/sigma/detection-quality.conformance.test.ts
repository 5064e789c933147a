/**
 * Question: run over real attack recordings, do SigmaHQ rules fire on the events their logsource
 * names, and do they find the attack? And how noisy are they on benign logs?
 *
 * The OTRF Security-Datasets recordings in ../shared/corpus (NXLog JSON for Windows, raw auditd for
 * Linux) go through the collector's own parsers, then every SigmaHQ rule runs over them. Printed:
 * alerts per rule, alerts on an event outside the rule's logsource (judged against SigmaHQ's own
 * tests/thor.yml, not against canhgac's gates), and per recording whether an alert carries the
 * recording's ATT&CK technique. Then alerts per 10k lines on loghub and Elastic's pipeline-test logs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../collector/parsers';
import { createEvaluator, loadRules, type Detection, type Evaluator, type RuleInfo } from './index';
import { parseYamlDocuments } from './yaml';
import { defaultMappingsDir, gatesFor, loadMapping } from './mapping';

const CORPUS = process.env.CANHGAC_CORPUS ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
const SIGMA = path.join(CORPUS, 'sigma');
const OTRF = path.join(CORPUS, 'logs', 'OTRF-Security-Datasets', 'datasets', 'atomic');
const receivedAt = new Date('2026-12-03T00:00:00Z');

function walk(dir: string, pred: (name: string) => boolean, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const n of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    if (fs.statSync(p).isDirectory()) walk(p, pred, out);
    else if (pred(n)) out.push(p);
  }
  return out;
}

/** What a recorded event truly is, read from the recording itself (not from what canhgac parsed). */
interface Truth {
  os: 'windows' | 'linux';
  channel?: string;
  eventId?: number;
  eventType?: string;
  auditTypes?: string[];
}

interface ThorEntry {
  product?: string;
  category?: string;
  service?: string;
  eventIds?: number[];
  eventType?: string;
  channels?: string[];
}

/** SigmaHQ's logsource → event mapping (tests/thor.yml): categories by EventID on a rewritten service, services by channel. */
function readThor(): ThorEntry[] {
  const doc = parseYamlDocuments(fs.readFileSync(path.join(SIGMA, 'tests', 'thor.yml'), 'utf8'))[0].value as { logsources: Record<string, Record<string, unknown>> };
  const raw = Object.values(doc.logsources);
  const channelsOf = (service: unknown): string[] => {
    const e = raw.find((x) => x.service === service && !x.category && Array.isArray(x.sources));
    return e ? (e.sources as string[]).map((s) => s.replace(/^WinEventLog:/, '')) : [];
  };
  return raw.map((x) => {
    const cond = (x.conditions ?? {}) as Record<string, unknown>;
    const rw = (x.rewrite ?? {}) as Record<string, unknown>;
    const ids = cond.EventID === undefined ? undefined : (Array.isArray(cond.EventID) ? cond.EventID : [cond.EventID]).map(Number);
    const channels = Array.isArray(x.sources) ? (x.sources as string[]).map((s) => s.replace(/^WinEventLog:/, '')) : rw.service ? channelsOf(rw.service) : undefined;
    return { product: (x.product ?? rw.product) as string | undefined, category: x.category as string | undefined, service: x.service as string | undefined, eventIds: ids, eventType: cond.EventType as string | undefined, channels };
  });
}

/** 'in' | 'out' | 'unknown': whether the event is of the rule's logsource by SigmaHQ's own mapping. */
function fits(ls: RuleInfo['logsource'], t: Truth, thor: ThorEntry[]): 'in' | 'out' | 'unknown' {
  const l = ls ?? {};
  const product = l.product?.toLowerCase();
  if (product && product !== t.os) return 'out';
  if (t.os === 'linux') {
    if (l.service && l.service !== 'auditd') return 'out';
    if (!l.category) return 'in';
    if (l.category === 'process_creation') return t.auditTypes?.includes('EXECVE') ? 'in' : 'out';
    return 'out';
  }
  const chan = (t.channel ?? '').toLowerCase();
  const onChannel = (e: ThorEntry): boolean => !e.channels || e.channels.some((c) => c.toLowerCase() === chan);
  if (l.service) {
    const es = thor.filter((e) => e.service === l.service && !e.category && e.channels);
    if (!es.length) return 'unknown';
    if (!es.some(onChannel)) return 'out';
  }
  if (l.category) {
    const es = thor.filter((e) => e.category === l.category && e.eventIds);
    if (!es.length) return product === 'windows' || !product ? (['webserver', 'proxy', 'firewall', 'dns', 'database'].includes(l.category) ? 'out' : 'unknown') : 'out';
    const ok = es.some((e) => e.eventIds!.includes(t.eventId ?? -1) && onChannel(e) && (!e.eventType || e.eventType === t.eventType));
    if (!ok) return 'out';
  }
  return 'in';
}

interface Recording {
  file: string;
  technique: string;
  events: Array<{ ev: Record<string, unknown>; truth: Truth }>;
}

/** The recording's ATT&CK technique, from its dataset's metadata (SOURCE.txt names the dataset under each file). */
function techniqueOf(file: string): string {
  const source = fs.readFileSync(path.join(OTRF, '..', '..', 'SOURCE.txt'), 'utf8');
  const at = source.indexOf(path.relative(path.join(OTRF, '..', '..'), file));
  const id = /dataset (SD(?:WIN|LIN)-\d+)/.exec(source.slice(at))![1];
  const meta = parseYamlDocuments(fs.readFileSync(path.join(OTRF, '_metadata', `${id}.yaml`), 'utf8'))[0].value as { attack_mappings: Array<{ technique: string; 'sub-technique'?: string }> };
  const a = meta.attack_mappings[0];
  return (a['sub-technique'] ? `${a.technique}.${a['sub-technique']}` : a.technique).toLowerCase();
}

function readRecordings(): Recording[] {
  const out: Recording[] = [];
  for (const f of walk(path.join(OTRF, 'windows'), (n) => n.endsWith('.json'))) {
    const events = fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim().startsWith('{')).map((line) => {
      const raw = JSON.parse(line) as Record<string, unknown>;
      const truth: Truth = { os: 'windows', channel: String(raw.Channel ?? ''), eventId: Number(raw.EventID), eventType: typeof raw.EventType === 'string' ? raw.EventType : undefined };
      return { ev: parse(line, { receivedAt, timezone: 'UTC' }) as unknown as Record<string, unknown>, truth };
    });
    out.push({ file: f, technique: techniqueOf(f), events });
  }
  for (const f of walk(path.join(OTRF, 'linux'), (n) => n.endsWith('.log'))) {
    // the records of one audit serial travel as one message, as Auditbeat and audisp-syslog send them
    const bySerial = new Map<string, string[]>();
    for (const line of fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim())) {
      const serial = /msg=audit\(([\d.]+:\d+)\)/.exec(line)?.[1] ?? line;
      bySerial.set(serial, [...(bySerial.get(serial) ?? []), line]);
    }
    const events = [...bySerial.values()].map((recs) => ({
      ev: parse(recs.join('\n'), { receivedAt, timezone: 'UTC' }) as unknown as Record<string, unknown>,
      truth: { os: 'linux' as const, auditTypes: recs.map((r) => /type=(\S+)/.exec(r)?.[1] ?? '') },
    }));
    out.push({ file: f, technique: techniqueOf(f), events });
  }
  return out;
}

/** A rule carries the technique when it is tagged with it, or with its parent technique. */
function carries(rule: RuleInfo, technique: string): boolean {
  const parent = technique.split('.')[0];
  return rule.tags.some((t) => t.toLowerCase() === `attack.${technique}` || t.toLowerCase() === `attack.${parent}`);
}

let ev: Evaluator;
let rules: RuleInfo[];

beforeAll(() => {
  const dirs = fs.readdirSync(SIGMA).filter((d) => d.startsWith('rules')).map((d) => path.join(SIGMA, d));
  const { ruleset } = loadRules({ paths: dirs });
  rules = ruleset.rules;
  ev = createEvaluator(ruleset);
});

test('every category and service a SigmaHQ rule names has a gate of its own in rules/mappings/logsources.yml', () => {
  const mapping = loadMapping(defaultMappingsDir());
  const ungated = new Set<string>();
  for (const r of rules) {
    const ls = r.logsource ?? {};
    const gates = gatesFor(mapping, ls).map((i) => mapping.gates[i].logsource);
    for (const k of ['category', 'service'] as const) {
      if (ls[k] && !gates.some((g) => g[k]?.toLowerCase() === ls[k]!.toLowerCase())) ungated.add(`${ls.product ?? '-'}/${k}:${ls[k]}`);
    }
    if (ls.product && !gates.some((g) => g.product?.toLowerCase() === ls.product!.toLowerCase())) ungated.add(`product:${ls.product}`);
  }
  expect([...ungated].sort()).toEqual([]);
});

test('OTRF recordings: alerts fire on events of the rule\'s logsource (<= 2%), and the recorded technique is found', () => {
  const thor = readThor();
  const recordings = readRecordings();
  expect(recordings.length).toBeGreaterThanOrEqual(10);
  const perRule = new Map<string, { title: string; n: number; out: number }>();
  let alerts = 0;
  let outside = 0;
  let unknown = 0;
  const recall: string[] = [];
  let found = 0;
  for (const rec of recordings) {
    let hit = false;
    for (const { ev: e, truth } of rec.events) {
      for (const d of ev.evaluate(e) as Detection[]) {
        alerts++;
        const f = fits(d.rule.logsource, truth, thor);
        if (f === 'out') outside++;
        if (f === 'unknown') unknown++;
        const r = perRule.get(d.rule.id) ?? { title: d.rule.title, n: 0, out: 0 };
        r.n++;
        if (f === 'out') r.out++;
        perRule.set(d.rule.id, r);
        if (carries(d.rule, rec.technique)) hit = true;
      }
    }
    if (hit) found++;
    recall.push(`  ${hit ? 'found ' : 'missed'} ${rec.technique.toUpperCase().padEnd(10)} ${path.basename(rec.file)} (${rec.events.length} events)`);
  }
  const rows = [...perRule.values()].sort((a, b) => b.n - a.n);
  console.log(
    [
      `OTRF: ${recordings.length} recordings, ${recordings.reduce((s, r) => s + r.events.length, 0)} events, ${alerts} alerts from ${perRule.size} rules; ` +
        `outside the rule's logsource: ${outside} (${alerts ? ((100 * outside) / alerts).toFixed(1) : '0'}%), logsource not in SigmaHQ's mapping: ${unknown}`,
      'alerts per rule (alerts / outside logsource / title):',
      ...rows.map((r) => `  ${String(r.n).padStart(5)} ${String(r.out).padStart(5)}  ${r.title}`),
      `recall: ${found} of ${recordings.length} recordings have an alert carrying their ATT&CK technique`,
      ...recall,
    ].join('\n'),
  );
  expect(alerts).toBeGreaterThan(0);
  expect(outside / alerts).toBeLessThanOrEqual(0.02);
  // what is found today: a floor. The 3 misses hold none of the events their technique's SigmaHQ rules read (no PowerShell log, no 4661/5829, no LDAP client log)
  expect(found).toBeGreaterThanOrEqual(8);
});

test('benign logs (loghub, Elastic pipeline tests): alerts per 10k lines', () => {
  const files = [...walk(path.join(CORPUS, 'logs', 'logpai-loghub'), (n) => n.endsWith('.log')), ...walk(path.join(CORPUS, 'logs', 'elastic-integrations'), (n) => /^test-.*\.log$/.test(n))];
  const rows: string[] = [];
  let lines = 0;
  let alerts = 0;
  const byRule = new Map<string, number>();
  for (const f of files) {
    const ls = fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim());
    let n = 0;
    for (const line of ls) {
      for (const d of ev.evaluate(parse(line, { receivedAt, timezone: 'UTC' }) as unknown as Record<string, unknown>)) {
        n++;
        byRule.set(d.rule.title, (byRule.get(d.rule.title) ?? 0) + 1);
      }
    }
    lines += ls.length;
    alerts += n;
    if (n) rows.push(`  ${String(n).padStart(5)} alerts in ${ls.length} lines  ${path.relative(path.join(CORPUS, 'logs'), f)}`);
  }
  console.log(
    [
      `benign: ${files.length} files, ${lines} lines, ${alerts} alerts = ${((alerts * 10000) / Math.max(lines, 1)).toFixed(1)} per 10k lines`,
      ...rows,
      'by rule:',
      ...[...byRule].sort((a, b) => b[1] - a[1]).map(([t, n]) => `  ${String(n).padStart(5)}  ${t}`),
    ].join('\n'),
  );
  expect(lines).toBeGreaterThan(1000);
});
