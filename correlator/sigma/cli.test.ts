import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sigmaCli } from './cli';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-sigma-cli-'));
}

async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await sigmaCli(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out, err };
}

const GOOD = `title: Whoami
id: 33333333-3333-3333-3333-333333333333
author: Jane Doe
logsource: {product: windows, category: process_creation}
detection:
  sel:
    Image|endswith: '\\whoami.exe'
  condition: sel
level: medium
`;

describe('canhgac sigma check', () => {
  test('prints loaded per rule and the total; exit 0', async () => {
    const d = tmpdir();
    fs.writeFileSync(path.join(d, 'good.yml'), GOOD);
    const r = await cli(['check', d]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^loaded {2}.*good\.yml \(Whoami\)$/);
    expect(r.out[r.out.length - 1]).toBe('loaded 1 of 1 rules');
  });

  test('names file, line and reason of a broken rule, loads the rest, exit 1', async () => {
    const d = tmpdir();
    fs.writeFileSync(path.join(d, 'good.yml'), GOOD);
    fs.writeFileSync(path.join(d, 'bad.yml'), GOOD.replace('Image|endswith', 'Image|endswiht').replace('3333-333333333333', '3333-444444444444'));
    fs.writeFileSync(path.join(d, 'broken.yml'), 'title: x\ndetection: [unclosed\n');
    const r = await cli(['check', d]);
    expect(r.code).toBe(1);
    expect(r.out.find((l) => l.includes('bad.yml'))).toMatch(/^FAILED {2}.*bad\.yml:7: 'Image\|endswiht': unknown modifier 'endswiht'/);
    expect(r.out.find((l) => l.includes('broken.yml'))).toMatch(/^FAILED {2}.*broken\.yml:\d+: YAML error/);
    expect(r.out[r.out.length - 1]).toBe('loaded 1 of 3 rules');
  });
});

describe('canhgac sigma match', () => {
  test('prints one JSON line per match with the event index, for JSONL, arrays and concatenated objects', async () => {
    const d = tmpdir();
    fs.writeFileSync(path.join(d, 'r.yml'), GOOD);
    const evs = [
      { winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: 1, event_data: { Image: 'C:\\Windows\\notepad.exe' } } },
      { winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: 1, event_data: { Image: 'C:\\Windows\\System32\\whoami.exe' } } },
    ];
    const shapes = [evs.map((e) => JSON.stringify(e)).join('\n'), JSON.stringify(evs), evs.map((e) => JSON.stringify(e, null, 2)).join('\n')];
    for (const text of shapes) {
      fs.writeFileSync(path.join(d, 'ev.json'), text);
      const r = await cli(['match', '--rules', path.join(d, 'r.yml'), '--events', path.join(d, 'ev.json')]);
      expect(r.code).toBe(0);
      expect(r.out.map((l) => JSON.parse(l))).toEqual([{ rule_id: '33333333-3333-3333-3333-333333333333', rule_title: 'Whoami', level: 'medium', event_index: 1, author: 'Jane Doe', kind: 'rule' }]);
    }
  });

  test('evaluates correlations in input order and prints the correlation at the completing event only', async () => {
    const d = tmpdir();
    fs.writeFileSync(
      path.join(d, 'c.yml'),
      `title: Burst
id: 55555555-5555-5555-5555-555555555555
correlation: {type: event_count, rules: [deny], group-by: [source.ip], timespan: 1m, condition: {gte: 2}}
level: high
---
title: Deny
name: deny
logsource: {category: firewall}
detection:
  sel: {event.outcome: failure}
  condition: sel
`,
    );
    const ev = (s: number): string => JSON.stringify({ '@timestamp': new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString(), event: { category: ['network'], type: ['connection', 'denied'], outcome: 'failure' }, source: { ip: '10.1.1.1' } });
    fs.writeFileSync(path.join(d, 'ev.jsonl'), [ev(0), ev(100), ev(130)].join('\n'));
    const r = await cli(['match', '--rules', path.join(d, 'c.yml'), '--events', path.join(d, 'ev.jsonl')]);
    expect(r.out.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ rule_id: '55555555-5555-5555-5555-555555555555', event_index: 2, kind: 'correlation', group_by: { 'source.ip': '10.1.1.1' } })]);
  });

  test('bad events file and missing options give a clear message and exit 2', async () => {
    const d = tmpdir();
    fs.writeFileSync(path.join(d, 'r.yml'), GOOD);
    fs.writeFileSync(path.join(d, 'ev.json'), '{"a": 1}\n{"b": ');
    const r = await cli(['match', '--rules', path.join(d, 'r.yml'), '--events', path.join(d, 'ev.json')]);
    expect(r.code).toBe(2);
    expect(r.err.join()).toMatch(/event 1 starting at line 2 is not closed/);
    expect((await cli(['match', '--events', 'x'])).code).toBe(2);
    expect((await cli(['frobnicate'])).err.join()).toMatch(/unknown sigma command/);
  });
});
