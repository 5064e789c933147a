/** An agency tunes out its own false positives with a Sigma filter, without editing the shipped rule. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRules, createEvaluator } from '../../correlator/sigma/index';
import { iso } from './helpers';

const SCANNER_FILTER = `title: Our vulnerability scanner is not a port scan
id: 0b7c1f0e-8a55-4a3f-9a39-3f0f2b7d6a11
description: The SOC's own Nessus at 10.99.0.5 scans every night.
logsource:
  category: firewall
filter:
  rules:
    - canhgac_firewall_denied_connection
  selection:
    source.ip|cidr: 10.99.0.5/32
  condition: not selection
`;

function deny(sec: number, src: string, port: number): Record<string, unknown> {
  return { '@timestamp': iso('2026-11-28T03:00:00Z', sec), event: { id: `d-${sec}-${src}`, category: ['network'], type: ['connection', 'denied'], outcome: 'failure' }, source: { ip: src }, destination: { ip: '10.10.0.5', port }, organization: { id: 'so-gtvt' } };
}

test('a filter on the base rule silences the port scan correlation for the scanner only', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-tuning-'));
  fs.writeFileSync(path.join(dir, 'mf_nessus.yml'), SCANNER_FILTER);
  const { ruleset, report } = loadRules({ paths: [path.resolve(__dirname, '..', 'sigma'), dir] });
  expect(report.filter((r) => !r.ok)).toEqual([]);
  const ev = createEvaluator(ruleset);
  const fired = (src: string): string[] => Array.from({ length: 20 }, (_, i) => deny(i, src, 1000 + i)).flatMap((e) => ev.evaluate(e).map((d) => d.rule.title));
  expect(fired('10.99.0.5')).toEqual([]);
  expect(fired('45.33.1.1')).toEqual(['Port Scan From Firewall Denies']);
});
