/** A case's observables: each type's value checked and written one way (so one address is one observable), and the ones an incident's entities give. */
import net from 'node:net';
import type { Incident } from '../core/model';
import type { ObservableType } from './cases-model';
import { WorkflowError } from './incidents';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const HASH = /^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/;

const NORMALIZE: Record<ObservableType, (v: string) => string | null> = {
  ip: (v) => (net.isIP(v) ? v.toLowerCase() : null),
  domain: (v) => (DOMAIN.test(v.toLowerCase().replace(/\.$/, '')) ? v.toLowerCase().replace(/\.$/, '') : null),
  url: (v) => {
    try {
      const u = new URL(v);
      return ['http:', 'https:', 'ftp:'].includes(u.protocol) ? v : null;
    } catch {
      return null;
    }
  },
  hash: (v) => (HASH.test(v.toLowerCase()) ? v.toLowerCase() : null),
  user: (v) => v,
  host: (v) => v,
  other: (v) => v,
};

const EXPECTED: Record<ObservableType, string> = {
  ip: 'an IPv4 or IPv6 address', domain: 'a domain name such as evil.example', url: 'an http(s) or ftp URL', hash: 'an MD5, SHA-1, SHA-256 or SHA-512 in hex',
  user: 'a user name', host: 'a host name', other: 'a value',
};

/** The value as stored for its type; a value that is not of its type is refused, naming both. */
export function observableValue(type: ObservableType, raw: string): string {
  const v = raw.trim();
  const out = v ? NORMALIZE[type](v) : null;
  if (out === null) throw new WorkflowError(`body/value: ${JSON.stringify(raw.slice(0, 200))} is not ${EXPECTED[type]} (observable type ${type})`, 400);
  return out;
}

/** What an incident's entities and summary give as observables: attacking and target addresses, users, hosts, malware names. */
export function incidentObservables(inc: Incident): { type: ObservableType; value: string; tags: string[] }[] {
  const out: { type: ObservableType; value: string; tags: string[] }[] = [];
  const add = (type: ObservableType, value: string | undefined, tag: string) => {
    if (!value) return;
    let v: string;
    try {
      v = observableValue(type, value);
    } catch {
      return; // an entity that is not of its type (a host name in an address field) is not offered
    }
    if (!out.some((o) => o.type === type && o.value === v)) out.push({ type, value: v, tags: [tag] });
  };
  const e = inc.entities ?? {};
  for (const v of [...(e.source_ip ?? []), inc.summary.source_ip]) add('ip', v, 'source');
  add('ip', inc.summary.destination_ip, 'destination');
  for (const v of [...(e.user ?? []), inc.summary.user]) add('user', v, 'user');
  for (const v of [...(e.host ?? []), inc.summary.host]) add('host', v, 'host');
  for (const v of [...(e.malware ?? []), inc.summary.malware]) add('other', v, 'malware');
  return out;
}
