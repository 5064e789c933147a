/**
 * STIX 2.1 identifiers and timestamps: `type--uuid` ids that are UUIDv5 (RFC 4122 §4.3) of a
 * namespace and a name, so exporting the same incident again gives the same ids (the national
 * centre sees an update, not a new incident); SCO ids follow the specification's own rule
 * (§2.9: UUIDv5 under its namespace of the object's ID-contributing properties, JSON-canonical).
 */
import { createHash } from 'node:crypto';

/** canhgac's namespace for the ids of objects it makes (SDOs, SROs, bundles). */
export const CANHGAC_NAMESPACE = '6c1a1f5e-2b8e-4d7a-9f1e-0c4b7d2a9e31';
/** The STIX 2.1 namespace for deterministic SCO ids (§2.9). */
export const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

export function uuidv5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50; // version 5
  h[8] = (h[8] & 0x3f) | 0x80; // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** The id of an object canhgac makes, from what makes it that object (an incident's id, an indicator's value). */
export const stixId = (type: string, ...parts: string[]): string => `${type}--${uuidv5(CANHGAC_NAMESPACE, [type, ...parts].join('\n'))}`;

/** JSON with keys sorted at every level (RFC 8785 for the strings and integers SCOs carry). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** An SCO id from its ID-contributing properties, as the specification computes it. */
export const scoId = (type: string, contributing: Record<string, unknown>): string => `${type}--${uuidv5(SCO_NAMESPACE, canonicalJson(contributing))}`;

/** RFC 3339 in UTC with millisecond precision, as STIX requires for created/modified. */
export function stixTime(iso: string, what: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`${what}: ${JSON.stringify(iso)} is not a date-time`);
  return new Date(t).toISOString();
}
