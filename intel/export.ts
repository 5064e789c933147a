/** Indicators out again, to share with the national centre or another province: a STIX 2.1 bundle or a CSV the importer reads back. */
import { createHash, randomUUID } from 'node:crypto';
import type { Indicator } from './indicator';

/** A deterministic uuid (v5-shaped) from a string, so one indicator keeps one STIX id across exports. */
function uuidFrom(s: string): string {
  const h = createHash('sha1').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
const HASH = { md5: 'MD5', sha1: "'SHA-1'", sha256: "'SHA-256'" } as const;

export function stixPattern(i: Indicator): string {
  if (i.type === 'ipv4' || i.type === 'ipv6') return `[${i.type}-addr:value = '${esc(i.value)}']`;
  if (i.type === 'domain') return `[domain-name:value = '${esc(i.value)}']`;
  if (i.type === 'url') return `[url:value = '${esc(i.value)}']`;
  return `[file:hashes.${HASH[i.type]} = '${i.value}']`;
}

export function toStixBundle(indicators: Indicator[], producer = 'canhgac'): object {
  const identity = { type: 'identity', spec_version: '2.1', id: `identity--${uuidFrom(producer)}`, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: producer, identity_class: 'organization' };
  return {
    type: 'bundle',
    id: `bundle--${randomUUID()}`,
    objects: [
      identity,
      ...indicators.map((i) => ({
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--${uuidFrom(i.id)}`,
        created: i.created,
        modified: i.updated,
        created_by_ref: identity.id,
        name: `${i.type} ${i.value}`,
        ...(i.description ? { description: i.description } : {}),
        indicator_types: ['malicious-activity'],
        pattern: stixPattern(i),
        pattern_type: 'stix',
        valid_from: i.first_seen,
        ...(i.expires ? { valid_until: i.expires } : {}),
        confidence: i.confidence,
        ...(i.tags.length ? { labels: i.tags } : {}),
        external_references: [{ source_name: i.source }],
      })),
    ],
  };
}

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function toCsv(indicators: Indicator[]): string {
  const rows = indicators.map((i) => [i.type, i.value, String(i.confidence), i.tags.join(';'), i.description ?? '', i.expires ?? '', i.first_seen, i.last_seen, i.source].map(cell).join(','));
  return ['type,value,confidence,tags,description,expires,first_seen,last_seen,source', ...rows].join('\n') + '\n';
}
