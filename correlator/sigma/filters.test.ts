import { loadRulesFromText, createEvaluator } from './index';

const RULES = `title: Rar compress
id: 6f3e2987-db24-4c78-a860-b4f4095a7095
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\\rar.exe'
  condition: selection
level: low
---
title: Other rule
id: 7f3e2987-db24-4c78-a860-b4f4095a7095
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\\rar.exe'
  condition: selection
level: low
---
title: Filter admin accounts
id: 8f3e2987-db24-4c78-a860-b4f4095a7095
logsource: {product: windows, category: process_creation}
filter:
  rules:
    - 6f3e2987-db24-4c78-a860-b4f4095a7095
  selection:
    User|startswith: 'adm_'
  condition: not selection
`;

const proc = (user: string): Record<string, unknown> => ({ winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: 1, event_data: { Image: 'C:\\bin\\rar.exe', User: user } } });

describe('Sigma filters (meta-filters)', () => {
  test('suppress matches of the named rule only, leaving other rules alone', () => {
    const { ruleset, report } = loadRulesFromText(RULES, 'f.yml');
    expect(report.every((r) => r.ok)).toBe(true);
    expect(ruleset.rules.find((r) => r.kind === 'filter')?.title).toBe('Filter admin accounts');
    const ev = createEvaluator(ruleset);
    expect(ev.evaluate(proc('adm_nguyen')).map((d) => d.rule.title)).toEqual(['Other rule']);
    expect(ev.evaluate(proc('nguyen')).map((d) => d.rule.title).sort()).toEqual(['Other rule', 'Rar compress']);
  });

  test('a filter whose logsource does not contain the rule does not apply', () => {
    const other = RULES.replace('logsource: {product: windows, category: process_creation}\nfilter:', 'logsource: {product: linux}\nfilter:');
    const ev = createEvaluator(loadRulesFromText(other, 'f.yml').ruleset);
    expect(ev.evaluate(proc('adm_nguyen')).map((d) => d.rule.title).sort()).toEqual(['Other rule', 'Rar compress']);
  });

  test('a filter naming an unknown rule loads with a warning', () => {
    const { report } = loadRulesFromText(RULES.replace('- 6f3e2987-db24-4c78-a860-b4f4095a7095\n  selection', '- no-such-rule\n  selection'), 'f.yml');
    const f = report.find((r) => r.title === 'Filter admin accounts')!;
    expect(f.ok).toBe(true);
    expect(f.warnings.join()).toMatch(/no-such-rule/);
  });

  test('filters reference rules by name too, and rules: any applies to every rule of the logsource', () => {
    const byName = RULES.replace('title: Rar compress\n', 'title: Rar compress\nname: rar_compress\n').replace('- 6f3e2987-db24-4c78-a860-b4f4095a7095\n  selection', '- rar_compress\n  selection');
    expect(createEvaluator(loadRulesFromText(byName, 'f.yml').ruleset).evaluate(proc('adm_x')).map((d) => d.rule.title)).toEqual(['Other rule']);
    const any = RULES.replace('rules:\n    - 6f3e2987-db24-4c78-a860-b4f4095a7095\n', 'rules: any\n');
    expect(createEvaluator(loadRulesFromText(any, 'f.yml').ruleset).evaluate(proc('adm_x'))).toEqual([]);
  });
});
