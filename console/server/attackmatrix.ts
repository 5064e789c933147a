/**
 * The dashboard's ATT&CK matrix: the techniques of the enabled rules (tags attack.tNNNN), each
 * named and placed under its tactics, with the alert hits of their rules.
 */
import enterprise from '../../rules/attack/enterprise.json';
import { TACTICS } from './routekit';

/** rules/attack/enterprise.json (rules/attack/build.ts writes it from pySigma's MITRE data). */
interface EnterpriseTable {
  attack_version: string;
  tactics: { id: string; shortname: string; name: string }[];
  techniques: Record<string, { name: string; tactics: string[] }>;
}
const table = enterprise as EnterpriseTable;
/** Tactic keys as canhgac writes them (credential_access), by ATT&CK shortname and by id. */
const tacticKey = new Map<string, string>(table.tactics.flatMap((t) => [[t.shortname, t.shortname.replace(/-/g, '_')], [t.id.toLowerCase(), t.shortname.replace(/-/g, '_')]]));
for (const t of TACTICS) tacticKey.set(t, t);

export const ATTACK_VERSION = table.attack_version;

export interface MatrixRule { id: string; tags?: string[]; kind?: string }
export interface MatrixTechnique { id: string; name: string | null; rules: number; hits: number }
export interface MatrixTactic { tactic: string; techniques: MatrixTechnique[] }

/** A technique's name and tactics from the table; a sub-technique the table lacks takes its parent's tactics, not its name. */
export function techniqueInfo(id: string): { name: string | null; tactics: string[] } {
  const own = table.techniques[id];
  if (own) return { name: own.name, tactics: own.tactics.map((t) => tacticKey.get(t) ?? t) };
  const parent = id.includes('.') ? table.techniques[id.slice(0, 5)] : undefined;
  return { name: null, tactics: parent ? parent.tactics.map((t) => tacticKey.get(t) ?? t) : [] };
}

/** attack.credential-access, attack.credential_access, attack.Credential Access, attack.ta0006 → credential_access. */
function tacticOfTag(tag: string): string | undefined {
  return tacticKey.get(tag.slice(7).trim().replace(/[-\s]+/g, '_'));
}

/**
 * Where each rule's techniques go: under the rule's tactic tags that are among the technique's
 * tactics; if none are, under the rule's tactic tags (the author's word); if the rule has none,
 * under the technique's own tactics; "other" only when neither the rule nor the table says.
 * A rule with tactic tags and no technique counts under "—" in those tactics.
 */
export function attackMatrix(rules: MatrixRule[], hitsByRule: Map<string, number>, disabled: Set<string>): MatrixTactic[] {
  const matrix = new Map<string, Map<string, MatrixTechnique>>();
  const count = (tactic: string, id: string, name: string | null, hits: number) => {
    const column = matrix.get(tactic) ?? matrix.set(tactic, new Map()).get(tactic)!;
    const cell = column.get(id) ?? column.set(id, { id, name, rules: 0, hits: 0 }).get(id)!;
    cell.rules++;
    cell.hits += hits;
  };
  for (const rule of rules) {
    if (disabled.has(rule.id) || rule.kind === 'filter') continue;
    const tags = (rule.tags ?? []).map((t) => t.toLowerCase()).filter((t) => t.startsWith('attack.'));
    const techniques = [...new Set(tags.filter((t) => /^attack\.t\d{4}(\.\d{3})?$/.test(t)).map((t) => t.slice(7).toUpperCase()))];
    const tagged = [...new Set(tags.map(tacticOfTag).filter((t): t is string => t !== undefined))];
    const hits = hitsByRule.get(rule.id) ?? 0;
    if (!techniques.length) {
      for (const tactic of tagged.length ? tagged : ['other']) count(tactic, '—', null, hits);
      continue;
    }
    for (const id of techniques) {
      const info = techniqueInfo(id);
      const both = tagged.filter((t) => info.tactics.includes(t));
      const under = both.length ? both : tagged.length ? tagged : info.tactics.length ? info.tactics : ['other'];
      for (const tactic of under) count(tactic, id, info.name, hits);
    }
  }
  return [...TACTICS, 'other']
    .filter((t) => matrix.has(t))
    .map((t) => ({ tactic: t, techniques: [...matrix.get(t)!.values()].sort((a, b) => b.hits - a.hits || a.id.localeCompare(b.id)) }));
}
