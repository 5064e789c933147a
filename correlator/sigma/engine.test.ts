import { loadRulesFromText, createEvaluator, Detection } from './index';

/** Loads one rule and says whether it matches each event. */
function matcher(yaml: string, placeholders?: Record<string, string[]>): (ev: Record<string, unknown>) => boolean {
  const { ruleset, report } = loadRulesFromText(yaml, 'test.yml', { placeholders });
  const bad = report.filter((r) => !r.ok);
  if (bad.length) throw new Error(bad.map((b) => b.error).join('\n'));
  const ev = createEvaluator(ruleset);
  return (e) => ev.evaluate(e).length > 0;
}

const rule = (detection: string, logsource = 'category: test'): string => `title: t\nid: 11111111-1111-1111-1111-111111111111\nlogsource:\n  ${logsource}\ndetection:\n${detection}\nlevel: high\n`;

describe('values and wildcards', () => {
  test('plain values match the whole value, case-insensitively', () => {
    const m = matcher(rule(`  sel:\n    Image: 'C:\\Windows\\System32\\cmd.exe'\n  condition: sel`));
    expect(m({ Image: 'c:\\windows\\system32\\CMD.EXE' })).toBe(true);
    expect(m({ Image: 'c:\\windows\\system32\\cmd.exe.bak' })).toBe(false);
    expect(m({ Other: 'c:\\windows\\system32\\cmd.exe' })).toBe(false);
  });

  test('* spans newlines and ? is exactly one character', () => {
    const m = matcher(rule(`  sel:\n    CommandLine: 'a*b?d'\n  condition: sel`));
    expect(m({ CommandLine: 'a\nxx\nbcd' })).toBe(true);
    expect(m({ CommandLine: 'abd' })).toBe(false);
    expect(m({ CommandLine: 'abccd' })).toBe(false);
  });

  test('escapes: \\* is a literal star, \\\\ one backslash, other \\x kept', () => {
    const m = matcher(rule(`  sel:\n    v: 'select \\* from \\\\share\\x'\n  condition: sel`));
    expect(m({ v: 'select * from \\share\\x' })).toBe(true);
    expect(m({ v: 'select abc from \\share\\x' })).toBe(false);
  });

  test('numbers and booleans compare as strings; null means missing', () => {
    const m = matcher(rule(`  sel:\n    EventID: 4688\n    Signed: true\n  nul:\n    Parent: null\n  condition: sel and nul`));
    expect(m({ EventID: '4688', Signed: 'True' })).toBe(true);
    expect(m({ EventID: 4688, Signed: true, Parent: null })).toBe(true);
    expect(m({ EventID: 4688, Signed: true, Parent: 'x' })).toBe(false);
    expect(m({ EventID: 4689, Signed: true })).toBe(false);
  });

  test("'' matches only the empty string", () => {
    const m = matcher(rule(`  sel:\n    v: ''\n  condition: sel`));
    expect(m({ v: '' })).toBe(true);
    expect(m({ v: 'x' })).toBe(false);
    expect(m({})).toBe(false);
  });

  test('list values are ORed, map keys ANDed, lists of maps ORed', () => {
    const m = matcher(rule(`  sel:\n    - a: [1, 2]\n      b: x\n    - c: y\n  condition: sel`));
    expect(m({ a: 2, b: 'x' })).toBe(true);
    expect(m({ a: 3, b: 'x' })).toBe(false);
    expect(m({ c: 'Y' })).toBe(true);
  });

  test('array event values match when any element does (ECS event.category)', () => {
    const m = matcher(rule(`  sel:\n    event.category: authentication\n  condition: sel`));
    expect(m({ event: { category: ['process', 'authentication'] } })).toBe(true);
    expect(m({ event: { category: ['process'] } })).toBe(false);
  });

  test('keywords search the message as substrings', () => {
    const m = matcher(rule(`  keywords:\n    - 'error: PAM'\n    - 'segfault at'\n  condition: keywords`));
    expect(m({ message: 'sshd[1]: ERROR: PAM: auth failure' })).toBe(true);
    expect(m({ message: 'all good' })).toBe(false);
  });
});

describe('modifiers', () => {
  test('contains, startswith, endswith, all', () => {
    const m = matcher(rule(`  sel:\n    CommandLine|contains|all: [' -enc ', 'bypass']\n    Image|endswith: '\\powershell.exe'\n    User|startswith: 'CORP\\'\n  condition: sel`));
    expect(m({ CommandLine: 'x -enc AAA -ep Bypass', Image: 'C:\\x\\PowerShell.exe', User: 'corp\\bob' })).toBe(true);
    expect(m({ CommandLine: 'x -enc AAA', Image: 'C:\\x\\PowerShell.exe', User: 'corp\\bob' })).toBe(false);
  });

  test('cased makes a match case-sensitive', () => {
    const m = matcher(rule(`  sel:\n    v|cased: 'Abc'\n  condition: sel`));
    expect(m({ v: 'Abc' })).toBe(true);
    expect(m({ v: 'abc' })).toBe(false);
  });

  test('re is case-sensitive, unanchored; re|i ignores case', () => {
    const m = matcher(rule(`  sel:\n    v|re: 'ab+c$'\n  condition: sel`));
    expect(m({ v: 'xxabbbc' })).toBe(true);
    expect(m({ v: 'xxABBBC' })).toBe(false);
    const mi = matcher(rule(`  sel:\n    v|re|i: '^ab+c'\n  condition: sel`));
    expect(mi({ v: 'ABBC-tail' })).toBe(true);
  });

  test('windash expands a leading dash or slash to five dash forms', () => {
    const m = matcher(rule(`  sel:\n    CommandLine|windash|contains: ' -exec bypass'\n  condition: sel`));
    for (const d of ['-', '/', '\u2013', '\u2014', '\u2015']) expect(m({ CommandLine: `powershell ${d}exec bypass` })).toBe(true);
    expect(m({ CommandLine: 'powershell +exec bypass' })).toBe(false);
  });

  test('base64offset|contains finds the value at any alignment', () => {
    const m = matcher(rule(`  sel:\n    v|base64offset|contains: 'foobar'\n  condition: sel`));
    for (const pre of ['', 'x', 'xy']) expect(m({ v: Buffer.from(pre + 'foobar!').toString('base64') })).toBe(true);
    expect(m({ v: Buffer.from('fooba').toString('base64') })).toBe(false);
  });

  test('wide|base64offset|contains matches UTF-16LE PowerShell -enc payloads', () => {
    const m = matcher(rule(`  sel:\n    v|wide|base64offset|contains: 'IEX'\n  condition: sel`));
    expect(m({ v: 'powershell -enc ' + Buffer.from('xx IEX(New-Object)', 'utf16le').toString('base64') })).toBe(true);
    expect(m({ v: 'powershell -enc ' + Buffer.from('xx IEX(New-Object)', 'utf8').toString('base64') })).toBe(false);
  });

  test('cidr matches IPv4 and IPv6 networks', () => {
    const m = matcher(rule(`  sel:\n    ip|cidr: ['10.0.0.0/8', 'fc00::/7']\n  condition: sel`));
    expect(m({ ip: '10.2.3.4' })).toBe(true);
    expect(m({ ip: 'fd12::1' })).toBe(true);
    expect(m({ ip: '11.0.0.1' })).toBe(false);
    expect(m({ ip: 'not an ip' })).toBe(false);
  });

  test('gt/gte/lt/lte compare numbers', () => {
    const m = matcher(rule(`  sel:\n    n|gte: 10\n    n|lt: 20\n  condition: sel`));
    expect(m({ n: 10 })).toBe(true);
    expect(m({ n: '19' })).toBe(true);
    expect(m({ n: 20 })).toBe(false);
    expect(m({ n: 'abc' })).toBe(false);
  });

  test('exists tests presence only', () => {
    const m = matcher(rule(`  sel:\n    a|exists: true\n    b|exists: false\n  condition: sel`));
    expect(m({ a: '' })).toBe(true);
    expect(m({ a: 'x', b: 'y' })).toBe(false);
  });

  test('fieldref compares two fields of the same event', () => {
    const m = matcher(rule(`  sel:\n    SubjectUserName|fieldref: TargetUserName\n  condition: sel`));
    expect(m({ SubjectUserName: 'Bob', TargetUserName: 'bob' })).toBe(true);
    expect(m({ SubjectUserName: 'Bob', TargetUserName: 'alice' })).toBe(false);
  });

  test('neq is true when the value differs or the field is missing', () => {
    const m = matcher(rule(`  sel:\n    a: x\n    b|neq: y\n  condition: sel`));
    expect(m({ a: 'x', b: 'z' })).toBe(true);
    expect(m({ a: 'x' })).toBe(true);
    expect(m({ a: 'x', b: 'Y' })).toBe(false);
  });

  test('expand resolves placeholders from config, ORed', () => {
    const m = matcher(rule(`  sel:\n    Computer|expand: '%DomainControllers%'\n  condition: sel`), { DomainControllers: ['dc1', 'dc2*'] });
    expect(m({ Computer: 'DC1' })).toBe(true);
    expect(m({ Computer: 'dc2.corp' })).toBe(true);
    expect(m({ Computer: 'ws1' })).toBe(false);
  });
});

describe('conditions', () => {
  const det = `  selection_a:\n    a: 1\n  selection_b:\n    b: 1\n  filter_main:\n    c: 1\n  _hidden:\n    d: 1\n`;
  test('not binds tighter than and; 1 of / all of patterns', () => {
    const m = matcher(rule(det + `  condition: 1 of selection_* and not 1 of filter_*`));
    expect(m({ a: 1 })).toBe(true);
    expect(m({ b: 1 })).toBe(true);
    expect(m({ a: 1, c: 1 })).toBe(false);
    const all = matcher(rule(det + `  condition: all of selection_*`));
    expect(all({ a: 1 })).toBe(false);
    expect(all({ a: 1, b: 1 })).toBe(true);
  });

  test('them skips _-prefixed identifiers; parentheses group', () => {
    const m = matcher(rule(det + `  condition: all of them`));
    expect(m({ a: 1, b: 1, c: 1 })).toBe(true);
    const p = matcher(rule(det + `  condition: selection_a and (selection_b or filter_main)`));
    expect(p({ a: 1, c: 1 })).toBe(true);
    expect(p({ a: 1 })).toBe(false);
  });
});

describe('loading errors name file, line and what', () => {
  test('unknown modifier', () => {
    const { report } = loadRulesFromText(rule(`  sel:\n    a|bogus: 1\n  condition: sel`), 'r.yml');
    expect(report[0].ok).toBe(false);
    expect(report[0].error).toMatch(/^r\.yml:7: 'a\|bogus': unknown modifier 'bogus'/);
  });

  test('undefined identifier and deprecated pipe', () => {
    const a = loadRulesFromText(rule(`  sel:\n    a: 1\n  condition: sel and nope`), 'r.yml').report[0];
    expect(a.error).toMatch(/'nope'/);
    const b = loadRulesFromText(rule(`  sel:\n    a: 1\n  condition: sel | count() by x > 5`), 'r.yml').report[0];
    expect(b.error).toMatch(/deprecated aggregation/);
  });

  test('a missing placeholder value loads the rule disabled with a warning', () => {
    const { ruleset, report } = loadRulesFromText(rule(`  sel:\n    a|expand: '%NoSuchList%'\n  condition: sel`), 'r.yml', { placeholders: {} });
    expect(report[0].ok).toBe(true);
    expect(report[0].warnings.join()).toMatch(/%NoSuchList%/);
    expect(ruleset.rules[0].enabled).toBe(false);
  });
});

describe('event_count correlation', () => {
  const yaml = `title: many failures
id: 22222222-2222-2222-2222-222222222222
correlation:
  type: event_count
  rules: [fail]
  group-by: [source.ip]
  timespan: 5m
  condition: {gte: 3}
level: high
---
title: one failure
name: fail
logsource: {category: authentication}
detection:
  sel: {event.outcome: failure}
  condition: sel
`;
  const at = (sec: number, ip: string, tenant = 't1', id = `e${sec}`): Record<string, unknown> => ({ '@timestamp': new Date(Date.UTC(2026, 0, 1, 0, 0, sec)).toISOString(), event: { id, outcome: 'failure' }, source: { ip }, organization: { id: tenant } });

  test('fires on the third event of one source within the timespan, with tenant, group and ids', () => {
    const { ruleset } = loadRulesFromText(yaml, 'c.yml');
    const ev = createEvaluator(ruleset);
    expect(ev.evaluate(at(0, '1.1.1.1'))).toEqual([]);
    expect(ev.evaluate(at(10, '1.1.1.1'))).toEqual([]);
    expect(ev.evaluate(at(20, '2.2.2.2'))).toEqual([]);
    const d: Detection[] = ev.evaluate(at(300, '1.1.1.1'));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ kind: 'correlation', groupBy: { 'source.ip': '1.1.1.1' }, tenant: 't1', eventIds: ['e0', 'e10', 'e300'], timestamp: '2026-01-01T00:05:00.000Z' });
  });

  test('a window one second too long does not fire; two tenants never correlate together', () => {
    const { ruleset } = loadRulesFromText(yaml, 'c.yml');
    const ev = createEvaluator(ruleset);
    ev.evaluate(at(0, '1.1.1.1'));
    ev.evaluate(at(10, '1.1.1.1'));
    expect(ev.evaluate(at(301, '1.1.1.1'))).toEqual([]);
    const ev2 = createEvaluator(ruleset);
    ev2.evaluate(at(0, '1.1.1.1', 'a'));
    ev2.evaluate(at(1, '1.1.1.1', 'b'));
    expect(ev2.evaluate(at(2, '1.1.1.1', 'a'))).toEqual([]);
    expect(ev2.evaluate(at(3, '1.1.1.1', 'a'))).toHaveLength(1);
  });
});

describe('a rule of negations only (no literal of its own)', () => {
  // as SigmaHQ's 'Execution Of Non-Existing File': the index takes its logsource gate's probe instead
  const yaml = rule(`  filter_main:\n    Image|endswith: '\\explorer.exe'\n  condition: not filter_main`, 'product: windows\n  category: process_creation');
  const sysmon = (id: number, image: string): Record<string, unknown> => ({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: id, Image: image });

  test('fires on every process creation its filter lets through, and on nothing else', () => {
    const { ruleset } = loadRulesFromText(yaml, 'test.yml');
    const events = [sysmon(1, 'C:\\Temp\\evil.exe'), sysmon(1, 'C:\\Windows\\explorer.exe'), sysmon(13, 'C:\\Temp\\evil.exe'), { Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Temp\\a.exe' }, { message: 'sshd: Failed password' }];
    const indexed = createEvaluator(ruleset);
    const naive = createEvaluator(ruleset, { useIndex: false });
    const fired = events.map((e) => indexed.evaluate(e).length > 0);
    expect(fired).toEqual([true, false, false, true, false]);
    expect(events.map((e) => naive.evaluate(e).length > 0)).toEqual(fired);
  });

  test('is not tried on every event', () => {
    const { ruleset } = loadRulesFromText(yaml, 'test.yml');
    expect(ruleset.compiled.index.describe().alwaysCandidates).toBe(0);
  });
});
