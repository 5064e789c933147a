/**
 * Attacks meet weaknesses: which open findings of the attacked asset fit an alert. A CVE the rule's tags
 * (Sigma "cve.2021-41773") or the event's signature / vulnerability.id name fits a finding with that CVE;
 * an attack on a port fits a finding of medium or worse on that port (an open port alone is no weakness).
 */
import type { EcsEvent } from '../core/event';
import type { Alert, IncidentWeakness } from '../core/model';
import type { Finding } from '../core/store/vulns';
import { cvesIn, normalizeAddress } from './finding';

const get = (e: EcsEvent, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), e);
const texts = (e: EcsEvent, paths: string[]) => paths.map((p) => get(e, p)).flat().filter((v): v is string => typeof v === 'string');

/** The addresses an alert attacked: the destination, the host, as the summary and the events say. */
export function attackedAddresses(alert: Alert, events: EcsEvent[]): string[] {
  const raw = [alert.summary.destination_ip, alert.summary.host, ...events.flatMap((e) => [get(e, 'destination.ip'), get(e, 'host.ip'), get(e, 'server.ip')].flat())];
  return [...new Set(raw.filter((v): v is string => typeof v === 'string').map(normalizeAddress).filter((a): a is string => !!a))];
}

/** CVE ids the alert names: in its rule's tags and in the events' signature, vulnerability id and message. */
export function namedCves(alert: Alert, events: EcsEvent[]): Set<string> {
  const tags = (alert.rule.tags ?? []).map((t) => t.replace(/^cve\.(\d{4}-\d+)$/i, 'CVE-$1'));
  return new Set([...tags, alert.rule.title, ...events.flatMap((e) => texts(e, ['vulnerability.id', 'rule.name', 'suricata.eve.alert.signature', 'message']))].flatMap(cvesIn));
}

const MEANINGFUL = new Set(['critical', 'high', 'medium']);

export function weaknessesFor(alert: Alert, events: EcsEvent[], findings: Finding[]): IncidentWeakness[] {
  const cves = namedCves(alert, events);
  const ports = new Set(events.map((e) => Number(get(e, 'destination.port'))).filter((p) => p > 0));
  const out: IncidentWeakness[] = [];
  for (const f of findings) {
    const reason = f.cves.some((c) => cves.has(c)) ? 'cve' : f.port !== null && ports.has(f.port) && MEANINGFUL.has(f.severity) ? 'port' : null;
    if (reason) out.push({ findingId: f.id, host: f.host, port: f.port, name: f.name, cves: f.cves, cvss: f.cvss, severity: f.severity, reason });
  }
  return out.sort((a, b) => (a.reason === b.reason ? (b.cvss ?? 0) - (a.cvss ?? 0) : a.reason === 'cve' ? -1 : 1));
}
