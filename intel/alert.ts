/**
 * An event that matched indicators becomes an Alert of the shape the alerting component folds
 * into incidents (core/model.ts, correlator/alert.ts): its entity is the machine that talked to
 * the address, asked for the domain or ran the file, so it joins that host's incident whatever
 * rule saw the host before. The matches travel as ECS `threat.enrichments` in the summary.
 */
import { createHash } from 'node:crypto';
import type { Alert, RuleRef, Severity } from '../core/model';
import { enrichmentOf, type Enrichment, type Match } from './matcher';

export const INTEL_RULE_ID = 'canhgac-intel-indicator-match';

export type IntelAlert = Alert & {
  summary: Alert['summary'] & { threat: { enrichments: Enrichment[] } };
  retrospective: boolean;
};

type Doc = Record<string, unknown>;
const at = (doc: Doc, path: string): string | undefined => {
  let cur: unknown = doc;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Doc)[k];
  }
  return typeof cur === 'string' && cur ? cur : undefined;
};

/**
 * The infected machine: an endpoint's own log names it (host.name); a firewall, proxy or DNS
 * server logging for it (observer set, or no host) names it by its address — the source when
 * the indicator is the far end, the destination when the indicator is the one connecting in.
 */
export function infectedHost(event: Doc, matches: Match[]): string | undefined {
  const name = at(event, 'host.hostname') ?? at(event, 'host.name') ?? at(event, 'winlog.computer_name');
  const logged = event.observer !== undefined && event.observer !== null;
  const isHash = matches.every((m) => /hash/.test(m.field));
  if (name && (!logged || isHash)) return name;
  const inbound = matches.every((m) => m.field === 'source.ip' || m.field === 'client.ip');
  return (inbound ? at(event, 'destination.ip') : at(event, 'source.ip') ?? at(event, 'client.ip')) ?? name;
}

const RULE: RuleRef = {
  id: INTEL_RULE_ID,
  title: 'Known malicious indicator seen (threat intelligence match)',
  level: 'high',
  description: 'An address, domain, URL or file hash on an imported indicator list appeared in an event.',
  tags: ['attack.command-and-control'],
  references: [],
};

function severityOf(matches: Match[]): Severity {
  const best = Math.max(...matches.map((m) => m.indicator.confidence));
  return best >= 75 ? 'high' : best >= 40 ? 'medium' : 'low';
}

export function intelAlert(event: Doc, tenant: string, matches: Match[], opts: { retrospective: boolean; now?: Date }): IntelAlert {
  const now = opts.now ?? new Date();
  const eventId = at(event, 'event.id') ?? '';
  const ids = matches.map((m) => m.indicator.id).sort();
  const host = infectedHost(event, matches);
  const ts = Date.parse(at(event, '@timestamp') ?? '');
  const hashes = matches.some((m) => /hash/.test(m.field));
  const values = [...new Set(matches.map((m) => m.indicator.value))].slice(0, 3).join(', ');
  return {
    id: createHash('sha256').update(`${INTEL_RULE_ID}\n${tenant}\n${eventId}\n${ids.join(',')}`).digest('hex').slice(0, 32),
    '@timestamp': Number.isNaN(ts) ? now.toISOString() : new Date(ts).toISOString(),
    created: now.toISOString(),
    tenant,
    rule: {
      ...RULE,
      title: `${opts.retrospective ? 'Retro-hunt: ' : ''}known malicious ${hashes ? 'file' : 'indicator'} seen: ${values}`,
      tags: hashes ? ['attack.execution'] : RULE.tags,
    },
    kind: 'rule',
    severity: severityOf(matches),
    groupKey: `host=${host ?? ''}`,
    groupBy: null,
    eventIds: eventId ? [eventId] : [],
    summary: {
      host,
      destination_ip: at(event, 'destination.ip'),
      threat: { enrichments: matches.map(enrichmentOf) },
    },
    retrospective: opts.retrospective,
  };
}
