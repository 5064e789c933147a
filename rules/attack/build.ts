/**
 * Builds rules/attack/enterprise.json (ATT&CK Enterprise technique names and tactics) from
 * pySigma's generated MITRE data, sigma/data/mitre_attack.py.
 *
 *   npx tsx rules/attack/build.ts path/to/mitre_attack.py [out.json, default rules/attack/enterprise.json]
 *
 * It reads four variables of that file: mitre_attack_version, mitre_attack_tactics (id → shortname),
 * mitre_attack_techniques (id → name) and mitre_attack_techniques_tactics_mapping (id → shortnames),
 * checks that they agree, and writes one technique a line so that a new ATT&CK version diffs by line.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The columns of the ATT&CK Enterprise matrix, left to right (pySigma lists tactics by id). */
const MATRIX_ORDER = [
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation', 'defense-evasion',
  'credential-access', 'discovery', 'lateral-movement', 'collection', 'command-and-control', 'exfiltration', 'impact',
];

export interface EnterpriseTable {
  attack_version: string;
  source: string;
  tactics: { id: string; shortname: string; name: string }[];
  techniques: Record<string, { name: string; tactics: string[] }>;
}

/** The body of `NAME: type = { ... }` in the Python source, as the entries' lines. */
function pythonDict(source: string, file: string, name: string): string[] {
  const start = source.indexOf(`\n${name}:`);
  if (start < 0) throw new Error(`${file}: no variable ${name}; is this pySigma's sigma/data/mitre_attack.py?`);
  const open = source.indexOf('{\n', start);
  const close = source.indexOf('\n}', open);
  if (open < 0 || close < 0) throw new Error(`${file}: ${name} is not a dict literal`);
  return source.slice(open + 2, close).split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

/** Each entry line `"KEY": VALUE,` parsed as JSON (pySigma writes its dicts with double quotes). */
function entries<T>(lines: string[], file: string, name: string): [string, T][] {
  return lines.map((line) => {
    try {
      const parsed = JSON.parse(`{${line.replace(/,$/, '')}}`) as Record<string, T>;
      return Object.entries(parsed)[0];
    } catch {
      throw new Error(`${file}: ${name}: cannot read the entry ${line.slice(0, 80)}`);
    }
  });
}

/** MITRE's tactic name from its shortname: command-and-control → Command and Control. */
const tacticName = (shortname: string) => shortname.split('-').map((w) => (w === 'and' ? w : w[0].toUpperCase() + w.slice(1))).join(' ');

export function buildEnterprise(text: string, file: string): EnterpriseTable {
  const source = `\n${text}`; // each variable then starts a line after a newline, the first too
  const version = /\nmitre_attack_version: str = "([^"]+)"/.exec(source);
  if (!version) throw new Error(`${file}: no mitre_attack_version`);
  const tactics = entries<string>(pythonDict(source, file, 'mitre_attack_tactics'), file, 'mitre_attack_tactics');
  const names = entries<string>(pythonDict(source, file, 'mitre_attack_techniques'), file, 'mitre_attack_techniques');
  const mapping = new Map(entries<string[]>(pythonDict(source, file, 'mitre_attack_techniques_tactics_mapping'), file, 'mitre_attack_techniques_tactics_mapping'));
  const known = new Set(tactics.map(([, shortname]) => shortname));
  for (const shortname of known) if (!MATRIX_ORDER.includes(shortname)) throw new Error(`${file}: tactic ${shortname} is not a column of the Enterprise matrix; add it to MATRIX_ORDER in rules/attack/build.ts`);
  const techniques: EnterpriseTable['techniques'] = {};
  for (const [id, name] of names.sort(([a], [b]) => a.localeCompare(b))) {
    if (!/^T\d{4}(\.\d{3})?$/.test(id)) throw new Error(`${file}: mitre_attack_techniques: ${id} is not a technique id`);
    const own = mapping.get(id) ?? (id.includes('.') ? mapping.get(id.slice(0, 5)) : undefined);
    if (!own?.length) throw new Error(`${file}: technique ${id} (${name}) has no tactics in mitre_attack_techniques_tactics_mapping`);
    const unknown = own.filter((t) => !known.has(t));
    if (unknown.length) throw new Error(`${file}: technique ${id} names the tactic ${unknown.join(', ')}, which mitre_attack_tactics does not list`);
    techniques[id] = { name, tactics: [...own].sort((a, b) => MATRIX_ORDER.indexOf(a) - MATRIX_ORDER.indexOf(b)) };
  }
  for (const id of mapping.keys()) if (!techniques[id]) throw new Error(`${file}: ${id} has tactics but no name in mitre_attack_techniques`);
  return {
    attack_version: version[1],
    source: "MITRE ATT&CK® Enterprise, © The MITRE Corporation, used under the ATT&CK Terms of Use; via pySigma's sigma/data/mitre_attack.py",
    tactics: tactics
      .map(([id, shortname]) => ({ id, shortname, name: tacticName(shortname) }))
      .sort((a, b) => MATRIX_ORDER.indexOf(a.shortname) - MATRIX_ORDER.indexOf(b.shortname)),
    techniques,
  };
}

/** JSON with one tactic and one technique a line. */
export function formatEnterprise(table: EnterpriseTable): string {
  const line = (v: unknown) => JSON.stringify(v);
  return [
    '{',
    `  "attack_version": ${line(table.attack_version)},`,
    `  "source": ${line(table.source)},`,
    '  "tactics": [',
    table.tactics.map((t) => `    ${line(t)}`).join(',\n'),
    '  ],',
    '  "techniques": {',
    Object.entries(table.techniques).map(([id, t]) => `    ${line(id)}: ${line(t)}`).join(',\n'),
    '  }',
    '}',
    '',
  ].join('\n');
}

if (require.main === module) {
  const input = process.argv[2];
  if (!input) {
    console.error('usage: npx tsx rules/attack/build.ts path/to/pySigma/sigma/data/mitre_attack.py [out.json]');
    process.exit(2);
  }
  const table = buildEnterprise(fs.readFileSync(input, 'utf8'), input);
  const out = process.argv[3] ?? path.join(__dirname, 'enterprise.json');
  fs.writeFileSync(out, formatEnterprise(table));
  console.log(`${out}: ATT&CK v${table.attack_version}, ${table.tactics.length} tactics, ${Object.keys(table.techniques).length} techniques and sub-techniques`);
}
