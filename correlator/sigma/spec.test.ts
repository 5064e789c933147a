/** The tricky corners of the Sigma specification (and pySigma where the spec is silent). */
import { loadRulesFromText, createEvaluator } from './index';
import { applyModifiers } from './modifiers';
import { parseSigmaString } from './strings';
import { parseCondition } from './condition';

function matcher(detection: string, logsource = '{category: test}'): (ev: Record<string, unknown>) => boolean {
  const { ruleset, report } = loadRulesFromText(`title: t\nlogsource: ${logsource}\ndetection:\n${detection}\n`, 't.yml');
  const bad = report.filter((r) => !r.ok);
  if (bad.length) throw new Error(bad.map((b) => b.error).join('\n'));
  const ev = createEvaluator(ruleset);
  return (e) => ev.evaluate(e).length > 0;
}

describe('escapes (pySigma SigmaString)', () => {
  test.each([
    ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\cmd.exe'],
    ['C:\\\\Windows', 'C:\\Windows'],
    ['\\\\\\\\127.0.0', '\\\\127.0.0'],
    ['\\\\\\*', '\\*'],
    ['trailing\\', 'trailing\\'],
  ])('%s is the literal %s', (value, literal) => {
    expect(parseSigmaString(value)).toEqual([{ t: 'lit', s: literal }]);
  });

  test('\\\\* is a backslash then a wildcard; \\. stays two characters', () => {
    expect(parseSigmaString('a\\\\*')).toEqual([{ t: 'lit', s: 'a\\' }, { t: 'any' }]);
    expect(parseSigmaString('\\\\Modules\\\\*\\.ps')).toEqual([{ t: 'lit', s: '\\Modules\\' }, { t: 'any' }, { t: 'lit', s: '\\.ps' }]);
  });

  test('re values are not unescaped', () => {
    const { values } = applyModifiers('f', ['re'], ['a\\\\b\\*']);
    expect(values[0]).toMatchObject({ k: 're', source: 'a\\\\b\\*' });
  });
});

describe('modifier details', () => {
  test('base64offset of foobar gives the three pySigma variants', () => {
    const { values } = applyModifiers('f', ['base64offset'], ['foobar']);
    expect(values[0]).toEqual({ k: 'alt', options: ['Zm9vYmFy', 'Zvb2Jhc', 'mb29iYX'].map((s) => ({ k: 'str', atoms: [{ t: 'lit', s }], bytes: false })) });
  });

  test('windash: a-b is not expanded, in --foo only the second dash is', () => {
    const m = matcher(`  sel:\n    c|windash|contains: ['a-b', '--foo']\n  condition: sel`);
    expect(m({ c: 'x a-b y' })).toBe(true);
    expect(m({ c: 'x a/b y' })).toBe(false);
    expect(m({ c: 'x -/foo' })).toBe(true);
    expect(m({ c: 'x //foo' })).toBe(false);
  });

  test('all with windash: each value ORs its own dash variants', () => {
    const m = matcher(`  sel:\n    c|windash|contains|all: [' -foo', ' -bar']\n  condition: sel`);
    expect(m({ c: 'x /foo \u2013bar' })).toBe(true);
    expect(m({ c: 'x /foo' })).toBe(false);
  });

  test('base64 with wildcards, re after another modifier and exists with others are load errors', () => {
    expect(() => applyModifiers('f', ['base64'], ['a*'])).toThrow(/wildcards/);
    expect(() => applyModifiers('f', ['contains', 're'], ['a'])).toThrow(/must come first/);
    expect(() => applyModifiers('f', ['exists', 'contains'], [true])).toThrow(/only modifier/);
    expect(() => applyModifiers(null, ['exists'], [true])).toThrow(/needs a field/);
    expect(() => applyModifiers('f', ['i'], ['a'])).toThrow(/must follow 're'/);
    expect(() => applyModifiers('f', ['gt'], ['abc'])).toThrow(/needs a number/);
    expect(() => applyModifiers('f', ['cidr'], ['10.0.0.0/33'])).toThrow(/network/);
  });

  test('re flags: m lets ^ match at line starts, s lets . match newlines; (?i) inline works', () => {
    expect(matcher(`  sel:\n    v|re|m: '^b'\n  condition: sel`)({ v: 'a\nb' })).toBe(true);
    expect(matcher(`  sel:\n    v|re: '^b'\n  condition: sel`)({ v: 'a\nb' })).toBe(false);
    expect(matcher(`  sel:\n    v|re|s: 'a.b'\n  condition: sel`)({ v: 'a\nb' })).toBe(true);
    expect(matcher(`  sel:\n    v|re: 'a.b'\n  condition: sel`)({ v: 'a\nb' })).toBe(false);
    expect(matcher(`  sel:\n    v|re: '(?i)ABC'\n  condition: sel`)({ v: 'xabcx' })).toBe(true);
  });

  test('utf16be and utf16 (with BOM) encode before base64', () => {
    const be = matcher(`  sel:\n    v|utf16be|base64|contains: 'ab'\n  condition: sel`);
    expect(be({ v: Buffer.from([0, 0x61, 0, 0x62]).toString('base64') })).toBe(true);
    const bom = matcher(`  sel:\n    v|utf16|base64: 'ab'\n  condition: sel`);
    expect(bom({ v: Buffer.from([0xff, 0xfe, 0x61, 0, 0x62, 0]).toString('base64') })).toBe(true);
  });

  test('time-part modifiers compare a timestamp field (no timezone conversion)', () => {
    const m = matcher(`  sel:\n    ts|hour: 3\n    ts|month: 11\n  condition: sel`);
    expect(m({ ts: '2026-11-28T03:15:00Z' })).toBe(true);
    expect(m({ ts: '2026-11-28T04:15:00Z' })).toBe(false);
  });

  test("keyword '|all' needs every keyword, possibly in different fields", () => {
    const m = matcher(`  kw:\n    '|all': ['wget', 'chmod +x']\n  condition: kw`);
    expect(m({ a: 'wget http://x', b: 'chmod +x /tmp/x' })).toBe(true);
    expect(m({ a: 'wget http://x' })).toBe(false);
  });

  test('empty value list means the field is null', () => {
    const m = matcher(`  sel:\n    a: x\n    b: []\n  condition: sel`);
    expect(m({ a: 'x' })).toBe(true);
    expect(m({ a: 'x', b: 'y' })).toBe(false);
  });

  test('emoji values and ? count code points', () => {
    const m = matcher(`  sel:\n    c|contains: ['\u{1F600}']\n    d: 'a?b'\n  condition: sel`);
    expect(m({ c: 'run \u{1F600}', d: 'a\u{1F600}b' })).toBe(true);
    expect(m({ c: 'run', d: 'a\u{1F600}b' })).toBe(false);
  });
});

describe('conditions', () => {
  test('a condition list means OR', () => {
    const m = matcher(`  a:\n    x: 1\n  b:\n    y: 1\n  condition:\n    - a\n    - b`);
    expect(m({ y: 1 })).toBe(true);
    expect(m({ z: 1 })).toBe(false);
  });

  test('identifiers may contain dots and pipes (reached through patterns)', () => {
    const m = matcher(`  select_tree|endswith:\n    x: 1\n  filter_main_mdadm.conf:\n    y: 1\n  condition: 1 of select* and not 1 of filter_main_*`);
    expect(m({ x: 1 })).toBe(true);
    expect(m({ x: 1, y: 1 })).toBe(false);
  });

  test('precedence: a or b and not c is a or (b and (not c))', () => {
    expect(parseCondition('a or b and not c')).toEqual({ k: 'or', a: { k: 'id', name: 'a' }, b: { k: 'and', a: { k: 'id', name: 'b' }, b: { k: 'not', a: { k: 'id', name: 'c' } } } });
  });

  test('bad conditions are errors naming the token', () => {
    expect(() => parseCondition('a and')).toThrow(/expected an identifier/);
    expect(() => parseCondition('(a or b')).toThrow(/expected '\)'/);
    expect(() => parseCondition('a b')).toThrow(/unexpected token/);
    expect(() => parseCondition('a near b')).toThrow(/near/);
  });
});

describe('YAML and fields', () => {
  test('unquoted hex and dates stay as written; unknown top-level keys are ignored', () => {
    const { ruleset, report } = loadRulesFromText(`title: t\ndate: 2024-01-02\nsimulation: [x]\nregression_tests_path: x/info.yml\nlogsource: {category: test}\ndetection:\n  sel:\n    Status: 0xC000006A\n  condition: sel\n`, 't.yml');
    expect(report[0].ok).toBe(true);
    const ev = createEvaluator(ruleset);
    expect(ev.evaluate({ Status: '0xc000006a' })).toHaveLength(1);
  });

  test('evtx_dump events: System attributes as Tag_Attr, EventData names without spaces, UserData children', () => {
    const m = matcher(`  sel:\n    Provider_Name: Microsoft-Windows-Windows Defender\n    ThreatName|contains: Mimikatz\n  condition: sel`);
    expect(m({ Event: { System: { Provider: { '#attributes': { Name: 'Microsoft-Windows-Windows Defender' } }, EventID: 1116 }, EventData: { 'Threat Name': 'HackTool:Win32/Mimikatz' } } })).toBe(true);
    const u = matcher(`  sel:\n    Operation|contains: 'root\\cimv2'\n  condition: sel`);
    expect(u({ Event: { System: { EventID: 5858 }, UserData: { Operation_ClientFailure: { Operation: 'Start IWbemServices::ExecQuery - root\\cimv2' } } } })).toBe(true);
  });

  test('Winlogbeat events match Windows rules through winlog.event_data and winlog.channel', () => {
    const m = matcher(`  sel:\n    EventID: 4625\n    TargetUserName: administrator\n  condition: sel`, '{product: windows, service: security}');
    expect(m({ winlog: { channel: 'Security', event_id: '4625', event_data: { TargetUserName: 'Administrator' } } })).toBe(true);
    expect(m({ winlog: { channel: 'System', event_id: '4625', event_data: { TargetUserName: 'Administrator' } } })).toBe(false);
  });

  test('ECS events match Sigma field names through the mapping', () => {
    const m = matcher(`  sel:\n    Image|endswith: '\\mimikatz.exe'\n  condition: sel`, '{product: windows, category: process_creation}');
    expect(m({ event: { category: ['process'], type: ['start'] }, host: { os: { type: 'windows' } }, process: { executable: 'C:\\t\\mimikatz.exe' } })).toBe(true);
  });

  test('logsource gates: a registry_add rule does not see registry_set events', () => {
    const m = matcher(`  sel:\n    TargetObject|contains: '\\Run\\'\n  condition: sel`, '{product: windows, category: registry_add}');
    const base = { Channel: 'Microsoft-Windows-Sysmon/Operational', TargetObject: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x' };
    expect(m({ ...base, EventID: 12, EventType: 'CreateKey' })).toBe(true);
    expect(m({ ...base, EventID: 13, EventType: 'SetValue' })).toBe(false);
  });

  test('logsource gates: a proxy rule sees proxy logs, not a web server access log', () => {
    const m = matcher(`  sel:\n    c-useragent: 'Mozilla/5.0'\n  condition: sel`, '{category: proxy}');
    const ua = { user_agent: { original: 'Mozilla/5.0' }, event: { category: ['web'] } };
    expect(m({ ...ua, event: { category: ['web'], dataset: 'squid.log' } })).toBe(true);
    expect(m({ ...ua, event: { category: ['web'], dataset: 'nginx.access' } })).toBe(false);
  });

});

describe('more modifier forms', () => {
  test('fieldref with contains, startswith and endswith compares against the other field', () => {
    const c = matcher(`  sel:\n    CommandLine|fieldref|contains: User\n  condition: sel`);
    expect(c({ CommandLine: 'runas /user:BOB cmd', User: 'bob' })).toBe(true);
    expect(c({ CommandLine: 'runas cmd', User: 'bob' })).toBe(false);
    expect(matcher(`  sel:\n    a|fieldref|startswith: b\n  condition: sel`)({ a: 'prefix-rest', b: 'PREFIX' })).toBe(true);
    expect(matcher(`  sel:\n    a|fieldref|endswith: b\n  condition: sel`)({ a: 'rest-suffix', b: 'prefix' })).toBe(false);
  });

  test('long regex flag names and the utf16le alias of wide', () => {
    expect(matcher(`  sel:\n    v|re|ignorecase|multiline: '^abc$'\n  condition: sel`)({ v: 'x\nABC\ny' })).toBe(true);
    expect(matcher(`  sel:\n    v|re|dotall: 'a.c'\n  condition: sel`)({ v: 'a\nc' })).toBe(true);
    const w = Buffer.from('whoami', 'utf16le').toString('base64');
    expect(matcher(`  sel:\n    v|utf16le|base64: whoami\n  condition: sel`)({ v: w })).toBe(true);
  });

  test('keywords with modifiers in the key form', () => {
    const m = matcher(`  kw:\n    '|contains':\n      - 'error: '\n      - 'failed'\n  condition: kw`);
    expect(m({ message: 'sshd: authentication FAILED for root' })).toBe(true);
    expect(m({ message: 'all fine' })).toBe(false);
  });

  test('cidr and gt look at every element of an array value', () => {
    const m = matcher(`  sel:\n    related.ip|cidr: 192.168.0.0/16\n    ports|gt: 1000\n  condition: sel`);
    expect(m({ related: { ip: ['8.8.8.8', '192.168.1.9'] }, ports: [22, 8443] })).toBe(true);
    expect(m({ related: { ip: ['8.8.8.8'] }, ports: [22, 8443] })).toBe(false);
  });

  test('1 of them and all of them cover every identifier except _-prefixed ones', () => {
    const det = `  a:\n    x: 1\n  b:\n    y: 1\n  _helper:\n    z: 1\n`;
    expect(matcher(det + `  condition: 1 of them`)({ z: 1 })).toBe(false);
    expect(matcher(det + `  condition: 1 of them`)({ y: 1 })).toBe(true);
    expect(matcher(det + `  condition: all of them`)({ x: 1, y: 1 })).toBe(true);
    expect(matcher(det + `  condition: 1 of _*`)({ z: 1 })).toBe(true);
  });
});
