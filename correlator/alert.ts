/** Turns a Sigma detection on an event into an Alert with a deterministic id (redelivery never duplicates). */
import { createHash } from 'node:crypto';
import { getPath } from '../core/event';
import type { Alert, RuleRef, Severity } from '../core/model';
import { SEVERITIES } from '../core/model';
import type { Detection } from './sigma';

export function levelToSeverity(level: string | undefined): Severity {
  const l = String(level ?? '').toLowerCase();
  return (SEVERITIES as string[]).includes(l) ? (l as Severity) : 'medium';
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);

export function alertSummary(event: Record<string, unknown>): Alert['summary'] {
  return {
    host: str(getPath(event, 'host.hostname')) ?? str(getPath(event, 'host.name')) ?? str(getPath(event, 'observer.hostname')) ?? str(getPath(event, 'winlog.computer_name')),
    source_ip: str(getPath(event, 'source.ip')),
    user: str(getPath(event, 'user.name')),
    destination_ip: str(getPath(event, 'destination.ip')),
    asset: str(getPath(event, 'asset.name')),
    asset_criticality: str(getPath(event, 'asset.criticality')),
    malware: str(getPath(event, 'threat.software.name')),
  };
}

/** A critical asset raises the alert one level: the same attack matters more on the payment server. */
export function severityFor(level: string | undefined, event: Record<string, unknown>): Severity {
  const base = levelToSeverity(level);
  const crit = getPath(event, 'asset.criticality');
  if (crit === 'critical') return SEVERITIES[Math.min(SEVERITIES.length - 1, SEVERITIES.indexOf(base) + 1)];
  return base;
}

export function detectionToAlert(d: Detection, event: Record<string, unknown>, now = new Date()): Alert {
  const tenant = d.tenant ?? str(getPath(event, 'organization.id')) ?? 'default';
  const rule: RuleRef = {
    id: d.rule.id,
    title: d.rule.title,
    level: d.rule.level,
    author: d.rule.author,
    description: d.rule.description,
    tags: d.rule.tags ?? [],
    references: d.rule.references ?? [],
  };
  const summary = alertSummary(event);
  if (d.groupBy) {
    // the group-by values describe a correlation better than the last event does
    for (const [k, v] of Object.entries(d.groupBy)) {
      if (/source\.ip$|^src_?ip$|SourceAddress|IpAddress/i.test(k)) summary.source_ip = v;
      else if (/user(\.name)?$|TargetUserName/i.test(k)) summary.user = v;
      else if (/host(\.hostname|\.name)?$|Computer/i.test(k)) summary.host = v;
      else if (/^threat\.software\.name$/i.test(k)) summary.malware = v;
    }
  }
  const groupKey = d.groupBy
    ? Object.keys(d.groupBy)
        .sort()
        .map((k) => `${k}=${d.groupBy![k]}`)
        .join('|')
    : [summary.host ?? '', summary.source_ip ?? '', summary.user ?? ''].join('|');
  const id = createHash('sha256').update(`${rule.id}\n${tenant}\n${d.eventIds.join(',')}\n${d.timestamp}`).digest('hex').slice(0, 32);
  const t = Date.parse(d.timestamp);
  return {
    id,
    '@timestamp': Number.isNaN(t) ? now.toISOString() : new Date(t).toISOString(),
    created: now.toISOString(),
    tenant,
    rule,
    kind: d.kind,
    severity: severityFor(d.rule.level, event),
    groupKey,
    groupBy: d.groupBy,
    eventIds: d.eventIds,
    summary,
  };
}
