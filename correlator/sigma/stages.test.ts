/**
 * Detection split in two stages: Evaluator.match (stateless, per event) emits arrivals, and
 * WindowEvaluators (one per partition of the correlation topic) feed them into windows. Over a mixed
 * stream with the shipped rules, the split gives exactly the detections of evaluate().
 */
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { loadRules, loadRulesFromText, createEvaluator, createWindowEvaluator, checkArrival, type Arrival, type Detection, type Ruleset, type WindowEvaluator } from './index';

const rules: Ruleset = (() => {
  const { ruleset, report } = loadRules({ paths: [path.resolve(__dirname, '..', '..', 'rules', 'sigma')] });
  const bad = report.filter((r) => !r.ok);
  if (bad.length) throw new Error(bad.map((b) => b.error).join('\n'));
  return ruleset;
})();

const T0 = Date.parse('2026-11-28T01:00:00Z');
let seed = 42;
const rnd = (n: number): number => {
  // mulberry32: a seeded stream, so the test sees the same traffic every run
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) % n;
};

function sshd(sec: number, outcome: 'failure' | 'success', ip: string, user: string, host: string, tenant: string, i: number): Record<string, unknown> {
  return {
    '@timestamp': new Date(T0 + sec * 1000).toISOString(),
    event: { id: `ssh-${i}`, category: ['authentication'], outcome, action: 'ssh_login', dataset: 'system.auth' },
    source: { ip, port: 40000 + i },
    user: { name: user },
    process: { name: 'sshd' },
    host: { hostname: host },
    organization: { id: tenant },
  };
}
function deny(sec: number, src: string, dst: string, port: number, tenant: string, i: number): Record<string, unknown> {
  return {
    '@timestamp': new Date(T0 + sec * 1000).toISOString(),
    event: { id: `deny-${i}`, kind: 'event', category: ['network'], type: ['connection', 'denied'], outcome: 'failure', action: 'firewall-rule', dataset: 'cisco_asa.log' },
    source: { ip: src, port: 40000 + port },
    destination: { ip: dst, port },
    network: { transport: 'tcp' },
    observer: { vendor: 'Cisco', product: 'ASA' },
    organization: { id: tenant },
  };
}
function malware(sec: number, host: string, name: string, tenant: string, i: number): Record<string, unknown> {
  return {
    '@timestamp': new Date(T0 + sec * 1000).toISOString(),
    event: { id: `av-${i}`, kind: 'alert', category: ['malware'], type: ['info'], action: 'Quarantined', dataset: 'cef.log', severity: 8 },
    rule: { name },
    threat: { software: { name } },
    file: { path: `C:\\Users\\x\\f${i}.exe`, name: `f${i}.exe` },
    host: { hostname: host },
    organization: { id: tenant },
  };
}

/** A day's worth of mixed traffic in a few thousand events: brute forces, sprays, scans, outbreaks, noise. */
function stream(n: number): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const tenants = ['so-a', 'so-b'];
  for (let i = 0; i < n; i++) {
    const sec = i + rnd(3);
    const tenant = tenants[rnd(2)];
    const k = rnd(10);
    if (k < 5) out.push(sshd(sec, rnd(6) ? 'failure' : 'success', `203.0.113.${rnd(4)}`, ['root', 'admin', 'deploy', 'an', 'binh', 'chi'][rnd(6)], `web-${rnd(5)}`, tenant, i));
    else if (k < 7) out.push(deny(sec, `45.33.1.${rnd(3)}`, `10.0.0.${rnd(20)}`, 20 + rnd(40), tenant, i));
    else if (k < 8 && rnd(4) === 0) {
      // a scan: one source, many ports and hosts within seconds
      const src = `45.33.2.${rnd(3)}`;
      for (let j = 0; j < 16; j++) out.push(deny(sec, src, `10.0.1.${j}`, 1000 + j, tenant, i * 100 + j));
    }
    else out.push(malware(sec, `pc-${rnd(6)}`, ['Worm.Conficker', 'Trojan.Agent'][rnd(2)], tenant, i));
  }
  return out;
}

const show = (d: Detection): string => `${d.rule.title} ${d.tenant} ${JSON.stringify(d.groupBy)} ${d.timestamp} ${d.eventIds.join(',')}`;
const partitionOf = (route: string, n: number): number => createHash('md5').update(route).digest().readUInt32BE(0) % n;

test('match + one window evaluator per partition give exactly the detections of evaluate(), chains included', () => {
  const events = stream(3000);
  const whole = events.flatMap((e) => createEvaluatorOnce().evaluate(e)).map(show).sort();

  const m = createEvaluator(rules);
  const single: Detection[] = [];
  const queues: Arrival[][] = [[], [], [], []];
  for (const e of events) {
    const r = m.match(e);
    single.push(...r.detections);
    // as the bus carries them: JSON, one partition per route
    for (const a of r.arrivals) queues[partitionOf(a.route, 4)].push(JSON.parse(JSON.stringify(a)) as Arrival);
  }
  expect(single.every((d) => d.kind === 'rule')).toBe(true);
  expect(m.stats().groups).toBe(0); // match() keeps no windows
  // partitions are consumed independently: here one after the other, newest partition first
  const fired: Detection[] = [];
  for (const q of queues.reverse()) {
    const w = createWindowEvaluator(rules);
    for (const a of q) fired.push(...w.feed(a));
  }
  const split = [...single, ...fired].map(show).sort();
  expect(split).toEqual(whole);
  const titles = new Set(fired.map((d) => d.rule.title));
  for (const t of ['SSH Brute Force', 'SSH Password Spraying', 'SSH Login Success After Brute Force', 'Port Scan From Firewall Denies', 'Network Sweep From Firewall Denies', 'Malware Outbreak']) expect(titles).toContain(t);
});

let once: ReturnType<typeof createEvaluator> | null = null;
function createEvaluatorOnce() {
  once ??= createEvaluator(rules);
  return once;
}

test('a brute force from one address against five hosts routes every attempt to the same key', () => {
  const m = createEvaluator(rules);
  const routes = new Set<string>();
  for (let i = 0; i < 5; i++) for (const a of m.match(sshd(i, 'failure', '198.51.100.7', 'root', `host-${i}`, 'so-a', i)).arrivals) if (a.corr === 'f7ec3089-33cd-4c21-8fb9-db54507dc7aa') routes.add(a.route);
  expect([...routes]).toEqual([JSON.stringify(['so-a', 'f7ec3089-33cd-4c21-8fb9-db54507dc7aa', '198.51.100.7'])]);
});

test('the burst and the success of "success after brute force" route together, so the chain completes on one partition', () => {
  const m = createEvaluator(rules);
  const fail = m.match(sshd(0, 'failure', '198.51.100.8', 'root', 'h1', 'so-a', 1)).arrivals.find((a) => a.corr === 'f68a95f5-bac1-44ab-b59e-fc43541a1236')!;
  const ok = m.match(sshd(9, 'success', '198.51.100.8', 'root', 'h2', 'so-a', 2)).arrivals.find((a) => a.corr === 'e2254e4e-79cb-460e-bfab-ed2ee831e22b')!;
  expect(fail.route).toBe(ok.route);
});

test('window evaluators checkpoint and restore: a restart resumes open windows and fires at the fifth attempt', () => {
  const m = createEvaluator(rules);
  const arrivals = (i: number) => m.match(sshd(i * 10, 'failure', '198.51.100.9', 'root', `h${i}`, 'so-a', i)).arrivals;
  const w1 = createWindowEvaluator(rules);
  for (let i = 0; i < 3; i++) for (const a of arrivals(i)) expect(w1.feed(a)).toEqual([]);
  const saved = JSON.parse(JSON.stringify(w1.checkpoint()));
  const w2: WindowEvaluator = createWindowEvaluator(rules);
  w2.restore(saved);
  expect(w2.stats().groups).toBe(w1.stats().groups);
  for (const a of arrivals(3)) expect(w2.feed(a)).toEqual([]);
  const fired = arrivals(4).flatMap((a) => w2.feed(a));
  expect(fired.map((d) => d.rule.title)).toEqual(['SSH Brute Force']);
  expect(fired[0].eventIds).toEqual(['ssh-0', 'ssh-1', 'ssh-2', 'ssh-3', 'ssh-4']);
});

test('a malformed or unknown arrival is counted and reported, never thrown', () => {
  const w = createWindowEvaluator(rules);
  expect(checkArrival({ corr: 'x', tenant: 'a', groupBy: null, t: 'soon', id: 'e', entries: [{ r: 0 }] })).toBe('t: expected the event time in ms');
  expect(checkArrival(null)).toBe('not an object');
  expect(w.feed({ corr: 'x' } as unknown as Arrival)).toEqual([]);
  expect(w.feed({ corr: 'no-such-correlation', route: '', tenant: 'a', groupBy: null, t: 0, id: 'e', entries: [{ r: 0 }] })).toEqual([]);
  expect(w.feed({ corr: 'f7ec3089-33cd-4c21-8fb9-db54507dc7aa', route: '', tenant: 'a', groupBy: {}, t: 0, id: 'e', entries: [{ r: 0 }] })).toEqual([]);
  expect(w.stats()).toMatchObject({ rejectedArrivals: 2, unknownCorrelations: 1, groups: 0 });
});

test('value_* arrivals carry the value; events without the field or a group-by field send nothing', () => {
  const { ruleset } = loadRulesFromText(
    `title: big transfer\nid: c1\ncorrelation:\n  type: value_sum\n  rules: [xfer]\n  group-by: [user]\n  timespan: 10m\n  condition:\n    field: bytes\n    gt: 100\nlevel: high\n---\ntitle: xfer\nname: xfer\nlogsource: {category: test}\ndetection:\n  sel: {action: xfer}\n  condition: sel\n`,
    'c.yml',
  );
  const m = createEvaluator(ruleset);
  const w = createWindowEvaluator(ruleset);
  const ev = (i: number, extra: Record<string, unknown>) => ({ '@timestamp': new Date(T0 + i * 1000).toISOString(), event: { id: `x${i}` }, action: 'xfer', organization: { id: 'o' }, ...extra });
  expect(m.match(ev(0, { bytes: 60 })).arrivals).toEqual([]); // no user
  expect(m.match(ev(1, { user: 'u' })).arrivals).toEqual([]); // no bytes
  const a = m.match(ev(2, { user: 'u', bytes: 60 })).arrivals;
  expect(a).toMatchObject([{ corr: 'c1', groupBy: { user: 'u' }, entries: [{ r: 0, v: 60 }] }]);
  expect(w.feed(a[0])).toEqual([]);
  expect(m.match(ev(3, { user: 'u', bytes: 50 })).arrivals.flatMap((x) => w.feed(x)).map((d) => d.eventIds)).toEqual([['x2', 'x3']]);
  expect(m.stats().missingGroupBy).toBe(1);
});
