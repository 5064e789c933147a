/**
 * Retro-hunt: when indicators arrive, the stored history of the look-back (30 days by default)
 * is searched for them, and each past event that matches raises an alert marked retrospective.
 */
import type { EcsEvent } from '../core/event';
import type { Store } from '../core/store/store';
import { intelAlert, type IntelAlert } from './alert';
import type { Indicator } from './indicator';
import { Matcher } from './matcher';

const quote = (v: string) => `"${v.replace(/(["\\])/g, '\\$1')}"`;
const any = (fields: string[], v: string) => fields.map((f) => `${f}:${v}`).join(' OR ');
const IP = ['source.ip', 'destination.ip', 'client.ip', 'server.ip', 'related.ip'];
const DOMAIN = ['dns.question.name', 'url.domain', 'tls.server_name', 'tls.client.server_name', 'destination.domain'];
const HASH = ['file.hash.md5', 'file.hash.sha1', 'file.hash.sha256', 'process.hash.md5', 'process.hash.sha1', 'process.hash.sha256', 'related.hash'];

/** The search that finds an indicator's candidate events (the matcher then decides), or null when the language cannot ask it. */
export function huntQuery(ind: Indicator): string | null {
  if (ind.type === 'ipv4' || ind.type === 'ipv6') {
    const [addr, prefix] = ind.value.split('/');
    if (prefix === undefined) return any(IP, quote(addr));
    // ranges on whole octets only, as a prefix wildcard
    if (ind.type !== 'ipv4' || Number(prefix) % 8 !== 0 || prefix === '0') return null;
    return any(IP, `${addr.split('.').slice(0, Number(prefix) / 8).join('.')}.*`);
  }
  if (ind.type === 'domain') return `${any(DOMAIN, quote(ind.value))} OR ${any(DOMAIN, `*.${ind.value}`)} OR http.request.referrer:*://${ind.value}/* OR http.request.referrer:*.${ind.value}/*`;
  if (ind.type === 'url') {
    const u = new URL(ind.value);
    return `url.full:${quote(ind.value)} OR url.original:${quote(ind.value)} OR (url.domain:${quote(u.hostname)} AND url.original:${quote(u.pathname + u.search)})`;
  }
  return any(HASH, quote(ind.value));
}

export interface HuntReport {
  indicators: number;
  notSearchable: number;
  events: number;
  alerts: IntelAlert[];
}

/** Characters of one hunt query at most (the search language takes 4 096): several indicators share a query, one scan of the history for many. */
const QUERY_CHARS = 4000;
const joined = (qs: string[]) => qs.map((q) => `(${q})`).join(' OR ');

/** Indicators grouped so that each group's queries, joined by OR, stay within QUERY_CHARS. */
export function huntGroups(indicators: Indicator[]): { indicators: Indicator[]; queries: string[] }[] {
  const groups: { indicators: Indicator[]; queries: string[]; chars: number }[] = [];
  for (const ind of indicators) {
    const q = huntQuery(ind);
    if (!q) continue;
    const last = groups[groups.length - 1];
    const add = q.length + 6; // the parentheses and " OR "
    if (last && last.chars + add <= QUERY_CHARS) {
      last.indicators.push(ind);
      last.queries.push(q);
      last.chars += add;
    } else groups.push({ indicators: [ind], queries: [q], chars: add });
  }
  return groups;
}

export async function retroHunt(store: Store, indicators: Indicator[], opts: { lookbackDays: number; now?: Date; maxEventsPerIndicator?: number }): Promise<HuntReport> {
  const now = opts.now ?? new Date();
  const from = new Date(now.getTime() - opts.lookbackDays * 86_400_000).toISOString();
  const limit = opts.maxEventsPerIndicator ?? 10_000;
  const report: HuntReport = { indicators: indicators.length, notSearchable: indicators.filter((i) => huntQuery(i) === null).length, events: 0, alerts: [] };
  const byEvent = new Map<string, EcsEvent>();
  // one query per group and scope; a group whose answer is cut at the limit is asked again in halves
  const pending = huntGroups(indicators).flatMap((g) => byScope(g));
  while (pending.length) {
    const g = pending.pop()!;
    const page = await store.searchEvents({ q: joined(g.queries), from, to: now.toISOString(), tenants: g.tenant === null ? null : [g.tenant], limit });
    if (page.total > page.items.length && g.queries.length > 1) {
      const half = Math.ceil(g.queries.length / 2);
      pending.push({ ...g, queries: g.queries.slice(0, half) }, { ...g, queries: g.queries.slice(half) });
      continue;
    }
    for (const ev of page.items) byEvent.set(String((ev as { event?: { id?: string } }).event?.id ?? ''), ev);
  }
  const matcher = new Matcher(indicators, now.getTime());
  for (const ev of byEvent.values()) {
    const doc = ev as unknown as Record<string, unknown>;
    const tenant = String((doc.organization as { id?: string } | undefined)?.id ?? 'default');
    // a live event is judged when it happens; a past one by whether the indicator is live now
    const matches = matcher.match(doc, tenant, now.getTime());
    if (!matches.length) continue;
    report.events++;
    report.alerts.push(intelAlert(doc, tenant, matches, { retrospective: true, now }));
  }
  return report;
}

/** A group split by sharing scope: shared indicators search every agency, an agency's own only its events. */
function byScope(g: { indicators: Indicator[]; queries: string[] }): { tenant: string | null; queries: string[] }[] {
  const out = new Map<string | null, string[]>();
  g.indicators.forEach((ind, i) => out.set(ind.tenant, [...(out.get(ind.tenant) ?? []), g.queries[i]]));
  return [...out.entries()].map(([tenant, queries]) => ({ tenant, queries }));
}
