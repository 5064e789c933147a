/** Safety: no rule can stall the pipeline, bad input never throws out of the engine, broken rules stay local. */
import * as path from 'node:path';
import { resolvePattern } from './condition';
import { loadRules, loadRulesFromText, createEvaluator } from './index';

const rule = (det: string, id = '44444444-4444-4444-4444-444444444444'): string => `title: t\nid: ${id}\nlogsource: {category: test}\ndetection:\n${det}\n`;

describe('regular expressions cannot stall', () => {
  test('a catastrophic-backtracking pattern runs in linear time on a hostile value', () => {
    // with a backtracking engine this is 2^60 steps and the test would time out
    const { ruleset, report } = loadRulesFromText(rule(`  sel:\n    v|re: '^(a+)+$'\n  condition: sel`), 'r.yml');
    expect(report[0].ok).toBe(true);
    const ev = createEvaluator(ruleset);
    const hostile = 'a'.repeat(60) + '!';
    expect(ev.evaluate({ v: hostile })).toEqual([]);
    expect(ev.evaluate({ v: 'a'.repeat(100_000) + '!' })).toEqual([]);
    expect(ev.evaluate({ v: 'aaaa' })).toHaveLength(1);
  });

  test('nested and alternated repeats, too', () => {
    const { ruleset } = loadRulesFromText(rule(`  sel:\n    v|re: '(x+x+)+y|(a|aa)+$|(\\w+\\s?)+z'\n  condition: sel`), 'r.yml');
    const ev = createEvaluator(ruleset);
    expect(ev.evaluate({ v: 'x'.repeat(5000) })).toEqual([]);
    expect(ev.evaluate({ v: 'a'.repeat(5000) + 'b' })).toEqual([]);
    expect(ev.evaluate({ v: 'word '.repeat(5000) })).toEqual([]);
  });

  test('many wildcards over a long value do not backtrack', () => {
    const { ruleset } = loadRulesFromText(rule(`  sel:\n    v: '*a*a*a*a*a*a*a*a*a*a*a*a*b'\n  condition: sel`), 'r.yml');
    const ev = createEvaluator(ruleset);
    expect(ev.evaluate({ v: 'a'.repeat(200_000) })).toEqual([]);
    expect(ev.evaluate({ v: 'a'.repeat(20) + 'b' })).toHaveLength(1);
  });

  test('contains with inner wildcards and ? over a long value does not backtrack', () => {
    const { ruleset } = loadRulesFromText(rule(`  sel:\n    v|contains: 'a*a*a*a*a?a*a*a*a*b'\n  condition: sel`), 'r.yml');
    const ev = createEvaluator(ruleset);
    expect(ev.evaluate({ v: 'a'.repeat(200_000) })).toEqual([]);
    expect(ev.evaluate({ v: 'xx' + 'a'.repeat(20) + 'b!' })).toHaveLength(1);
  });

  test('a value with many ? between stars over a long value is found in one pass, not by trying every start', () => {
    // naively this is 2 million starts × 5,000 comparisons (minutes); the rule test endpoint takes rules and events this big
    const pattern = 'a?'.repeat(2500);
    const { ruleset } = loadRulesFromText(rule(`  sel:\n    v|contains: '${pattern}c'\n  end:\n    w|endswith: '${pattern}c'\n  condition: sel or end`), 'r.yml');
    const ev = createEvaluator(ruleset);
    const long = 'a'.repeat(2_000_000);
    expect(ev.evaluate({ v: long, w: long })).toEqual([]);
    expect(ev.evaluate({ v: `${long}c`, w: 'x' })).toHaveLength(1);
    expect(ev.evaluate({ v: 'x', w: `${long}c` })).toHaveLength(1);
  });

  test('a "1 of" pattern full of stars over long identifiers resolves without backtracking, * only as a wildcard', () => {
    const long = 'a'.repeat(50_000);
    expect(resolvePattern('*a*a*a*a*a*a*a*a*a*a*b', [long, `${long}b`])).toEqual([`${long}b`]);
    expect(resolvePattern('sel*', ['selection', 'sel', 'filter', '_sel'])).toEqual(['selection', 'sel']);
    expect(resolvePattern('*_1', ['sel_1', 'sel_2', 'filter_1'])).toEqual(['sel_1', 'filter_1']);
    expect(resolvePattern('a.b?', ['a.b?', 'aXbc', 'A.b?'])).toEqual(['a.b?']);
    expect(resolvePattern('ab*ba', ['aba', 'abba', 'ab_ba'])).toEqual(['abba', 'ab_ba']);
    expect(resolvePattern('_*', ['_x', 'x'])).toEqual(['_x']);
  });

  test('regex features a linear-time engine cannot run are a load error naming the rule and pattern', () => {
    const { ruleset, report } = loadRulesFromText(rule(`  sel:\n    v|re: '(a)\\1'\n  condition: sel`) + '---\n' + rule(`  sel:\n    v: ok\n  condition: sel`, '55555555-4444-4444-4444-444444444444'), 'r.yml');
    expect(report[0].ok).toBe(false);
    expect(report[0].error).toMatch(/^r\.yml:\d+: .*regular expression "\(a\)\\\\1" is not supported by the linear-time engine/);
    expect(report[1].ok).toBe(true);
    expect(createEvaluator(ruleset).evaluate({ v: 'ok' })).toHaveLength(1);
  });
});

describe('bad events never throw out of evaluate', () => {
  test('odd shapes and types', () => {
    const { ruleset } = loadRulesFromText(rule(`  sel:\n    a.b|contains: x\n    n|gt: 3\n    ip|cidr: 10.0.0.0/8\n  kw:\n    - needle\n  condition: sel or kw or not sel`), 'r.yml');
    const ev = createEvaluator(ruleset);
    const odd: unknown[] = [
      {},
      { a: null },
      { a: { b: [1, null, { c: 2 }, ['x']] } },
      { n: 'NaN', ip: 12345, 'a.b': true },
      { Event: null },
      { Event: { System: null, EventData: 'text' } },
      { '@timestamp': 'not a date', organization: { id: 42 } },
      { deep: JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)) },
      Object.create(null),
    ];
    for (const e of odd) expect(() => ev.evaluate(e as Record<string, unknown>)).not.toThrow();
    expect(() => ev.evaluate(null as unknown as Record<string, unknown>)).not.toThrow();
  });
});

/** A small deterministic PRNG so the fuzz cases are the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('parser fuzzing', () => {
  const SEED_RULE = `title: Fuzz seed
id: 66666666-6666-6666-6666-666666666666
status: test
logsource:
    product: windows
    category: process_creation
detection:
    selection_img:
        - Image|endswith: '\\\\rundll32.exe'
        - OriginalFileName: 'RUNDLL32.EXE'
    selection_cli:
        CommandLine|contains|all:
            - 'javascript:'
            - '.RegisterXLL'
        CommandLine|re|i: 'mshtml,?\\s*RunHTMLApplication'
    filter_main:
        ParentImage|startswith: 'C:\\\\Windows\\\\'
        Hashes|contains: ['MD5=0', 'SHA256=1']
    keywords:
        '|all': ['a', 'b']
    condition: all of selection_* and not 1 of filter_* or keywords
level: high
`;
  const tokens = ['|', ':', '- ', '\n', '  ', "'", '"', '*', '?', '\\\\', '|re', '|base64offset', '|windash', '|cidr', '|expand', '%x%', 'not ', '(', ')', ' of ', 'them', '{', '}', '[', ']', '&a', '*a', '!!binary', '---\n', 'null', '~', '0x1F', '1e400', '\t', '\u0000', '\u202e'];

  test('2000 mutated rules: loading never throws, every failure names file:line and a reason, evaluation never throws', () => {
    const rnd = prng(20261128);
    let ok = 0;
    let failed = 0;
    for (let n = 0; n < 2000; n++) {
      let text = SEED_RULE;
      const edits = 1 + Math.floor(rnd() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * text.length);
        const op = rnd();
        if (op < 0.35) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 8));
        else if (op < 0.8) text = text.slice(0, at) + tokens[Math.floor(rnd() * tokens.length)] + text.slice(at);
        else {
          const lines = text.split('\n');
          const i = Math.floor(rnd() * lines.length);
          const j = Math.floor(rnd() * lines.length);
          [lines[i], lines[j]] = [lines[j], lines[i]];
          text = lines.join('\n');
        }
      }
      let res: ReturnType<typeof loadRulesFromText> | undefined;
      expect(() => {
        res = loadRulesFromText(text, 'fuzz.yml');
      }).not.toThrow();
      for (const r of res!.report) {
        if (r.ok) ok++;
        else {
          failed++;
          expect(r.error).toMatch(/^fuzz\.yml:\d+: \S/);
        }
      }
      const ev = createEvaluator(res!.ruleset);
      expect(() => ev.evaluate({ Image: 'C:\\Windows\\rundll32.exe', CommandLine: 'javascript: .RegisterXLL mshtml,RunHTMLApplication', Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1 })).not.toThrow();
    }
    // the mutations must exercise both paths, or the test proves nothing
    expect(ok).toBeGreaterThan(100);
    expect(failed).toBeGreaterThan(100);
  });
});

describe('one broken rule never stops the others', () => {
  test('broken YAML, unknown modifier and bad condition in one file; the good rule still loads and runs', () => {
    const text = [
      rule(`  sel:\n    v: good\n  condition: sel`, '77777777-0000-0000-0000-000000000001'),
      rule(`  sel:\n    v|nosuch: x\n  condition: sel`, '77777777-0000-0000-0000-000000000002'),
      rule(`  sel:\n    v: x\n  condition: sel and (`, '77777777-0000-0000-0000-000000000003'),
      'title: [unclosed\n',
    ].join('---\n');
    const { ruleset, report } = loadRulesFromText(text, 'mixed.yml');
    expect(report.map((r) => r.ok)).toEqual([true, false, false, false]);
    expect(report[1].error).toMatch(/mixed\.yml:\d+: 'v\|nosuch': unknown modifier 'nosuch'/);
    expect(report[2].error).toMatch(/mixed\.yml:\d+: condition 'sel and \(': expected an identifier/);
    expect(report[3].error).toMatch(/mixed\.yml:\d+: YAML error/);
    expect(createEvaluator(ruleset).evaluate({ v: 'good' }).map((d) => d.rule.id)).toEqual(['77777777-0000-0000-0000-000000000001']);
  });
});

describe('event fuzzing', () => {
  test('5000 random events through the shipped rules and correlations never throw', () => {
    const { ruleset, report } = loadRules({ paths: [path.resolve(__dirname, '..', '..', 'rules', 'sigma')] });
    expect(report.every((r) => r.ok)).toBe(true);
    const ev = createEvaluator(ruleset, { maxGroupsPerRule: 50 });
    const rnd = prng(7);
    const keys = ['@timestamp', 'event', 'category', 'outcome', 'kind', 'severity', 'source', 'ip', 'port', 'user', 'name', 'process', 'winlog', 'event_data', 'event_id', 'channel', 'url', 'original', 'organization', 'id', 'Image', 'CommandLine', 'EventID', 'Channel', 'Event', 'System', 'EventData', 'message', 'threat', 'host', 'hostname', 'destination'];
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.3) return ['failure', 'authentication', 'sshd', '4625', 'Security', '10.0.0.1', '../etc/passwd', '', 'x'.repeat(Math.floor(rnd() * 300))][Math.floor(rnd() * 9)];
      if (r < 0.45) return Math.floor(rnd() * 70000) - 5;
      if (r < 0.5) return null;
      if (r < 0.55) return rnd() < 0.5;
      if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 1 + Math.floor(rnd() * 5); i++) o[keys[Math.floor(rnd() * keys.length)]] = value(depth + 1);
      return o;
    };
    for (let i = 0; i < 5000; i++) {
      const e = value(0);
      const doc = (e && typeof e === 'object' && !Array.isArray(e) ? e : { v: e }) as Record<string, unknown>;
      expect(() => ev.evaluate(doc)).not.toThrow();
    }
    expect(ev.stats().ruleErrors).toBe(0);
    expect(() => JSON.stringify(ev.checkpoint())).not.toThrow();
  });
});
