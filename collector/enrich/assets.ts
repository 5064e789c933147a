/**
 * Asset inventory: which agency owns an address and how critical it is. Loaded from CSV
 * (`ip,name,agency,criticality` with a header; `cidr` may replace `ip`) or YAML (a list, or
 * `{assets: [...]}` of {ip|cidr, name, agency, criticality}). Lookups take the most specific match.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Cidr, ipToBigInt, mask, parseCidr } from './ip';

export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export interface Asset {
  name: string;
  agency?: string;
  criticality?: Criticality;
  /** the inventory entry, as written */
  match: string;
}

export class AssetInventoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssetInventoryError';
  }
}

interface Row {
  where: string;
  ip?: unknown;
  cidr?: unknown;
  name?: unknown;
  agency?: unknown;
  criticality?: unknown;
}

/** Splits one CSV line; fields may be quoted with "" escapes. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function rowsFromCsv(text: string, file: string): Row[] {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (headerAt < 0) return [];
  const header = csvFields(lines[headerAt]).map((h) => h.toLowerCase());
  if (!header.includes('ip') && !header.includes('cidr')) {
    throw new AssetInventoryError(`${file}:${headerAt + 1}: the CSV header must name an "ip" or "cidr" column (found: ${header.join(', ')}); expected e.g. "ip,name,agency,criticality"`);
  }
  const rows: Row[] = [];
  for (let i = headerAt + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() === '' || l.trim().startsWith('#')) continue;
    const f = csvFields(l);
    const row: Row = { where: `${file}:${i + 1}` };
    header.forEach((h, k) => {
      if (['ip', 'cidr', 'name', 'agency', 'criticality'].includes(h)) (row as unknown as Record<string, unknown>)[h] = f[k];
    });
    rows.push(row);
  }
  return rows;
}

function rowsFromYaml(text: string, file: string): Row[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new AssetInventoryError(`${file}: not valid YAML: ${(e as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { assets?: unknown }).assets) ? (doc as { assets: unknown[] }).assets : undefined;
  if (!list) throw new AssetInventoryError(`${file}: expected a YAML list of assets or {assets: [...]}, each with ip or cidr, name, agency, criticality`);
  return list.map((item, i) => {
    if (!item || typeof item !== 'object') throw new AssetInventoryError(`${file}: assets[${i}] must be a mapping with ip or cidr, name, agency, criticality; got ${JSON.stringify(item)}`);
    return { where: `${file}: assets[${i}]`, ...(item as Record<string, unknown>) };
  });
}

export interface AssetIndex {
  size: number;
  lookup(ip: string): Asset | undefined;
}

/** Builds the index; every bad row is reported with its file and line, none is silently skipped. */
export function buildAssetIndex(rows: Row[]): AssetIndex {
  // one map per (version, prefix length): lookups cost one probe per distinct prefix length
  const tables = new Map<string, Map<bigint, Asset>>();
  const prefixes: Array<{ version: 4 | 6; prefix: number; key: string }> = [];
  const problems: string[] = [];
  for (const r of rows) {
    const raw = String(r.cidr ?? r.ip ?? '').trim();
    const cidr: Cidr | undefined = raw ? parseCidr(raw) : undefined;
    if (!cidr) {
      problems.push(`${r.where}: ip/cidr ${JSON.stringify(raw)} is not an IP address or CIDR (e.g. 10.1.2.3 or 10.1.0.0/16)`);
      continue;
    }
    const name = typeof r.name === 'string' || typeof r.name === 'number' ? String(r.name).trim() : '';
    if (!name) {
      problems.push(`${r.where}: name is missing for ${raw}`);
      continue;
    }
    let criticality: Criticality | undefined;
    if (r.criticality !== undefined && r.criticality !== null && String(r.criticality).trim() !== '') {
      const c = String(r.criticality).trim().toLowerCase();
      if (!(CRITICALITIES as readonly string[]).includes(c)) {
        problems.push(`${r.where}: criticality ${JSON.stringify(r.criticality)} must be one of ${CRITICALITIES.join(', ')}`);
        continue;
      }
      criticality = c as Criticality;
    }
    const agency = r.agency !== undefined && r.agency !== null && String(r.agency).trim() !== '' ? String(r.agency).trim() : undefined;
    const key = `${cidr.version}/${cidr.prefix}`;
    let table = tables.get(key);
    if (!table) {
      table = new Map();
      tables.set(key, table);
      prefixes.push({ version: cidr.version, prefix: cidr.prefix, key });
    }
    table.set(cidr.network, { name, agency, criticality, match: raw });
  }
  if (problems.length) {
    throw new AssetInventoryError(`asset inventory has ${problems.length} bad row(s):\n  ${problems.slice(0, 20).join('\n  ')}${problems.length > 20 ? `\n  ... and ${problems.length - 20} more` : ''}`);
  }
  prefixes.sort((a, b) => b.prefix - a.prefix);
  let size = 0;
  for (const t of tables.values()) size += t.size;
  return {
    size,
    lookup(ip: string): Asset | undefined {
      const parsed = ipToBigInt(ip);
      if (!parsed) return undefined;
      const bits = parsed.version === 4 ? 32 : 128;
      for (const p of prefixes) {
        if (p.version !== parsed.version) continue;
        const hit = tables.get(p.key)!.get(mask(parsed.value, p.prefix, bits));
        if (hit) return hit;
      }
      return undefined;
    },
  };
}

export function loadAssetInventory(file: string): AssetIndex {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AssetInventoryError(`cannot read asset inventory ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const yaml = /\.ya?ml$/i.test(file) || (!/\.csv$/i.test(file) && /^\s*(-|assets:)/m.test(text));
  return buildAssetIndex(yaml ? rowsFromYaml(text, file) : rowsFromCsv(text, file));
}
