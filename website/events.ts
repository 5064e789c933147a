/** The website checker's ECS events (event.dataset canhgac.website): one per check, one per new finding. */
import { newId, type EcsEvent } from '../core/event';
import type { WebsiteSite } from '../core/store/store';
import type { Finding } from './baseline';
import type { DnsAnswers } from './dns';
import type { FetchResult } from './fetch';
import type { CertificateFacts } from './tlsprobe';

export const DATASET = 'canhgac.website';
export const CHECK_ACTION = 'website-check';
export const FINDING_ACTION = 'website-finding';

export interface CheckFacts {
  site: WebsiteSite;
  at: Date;
  up: boolean;
  reason: string; // what happened, in words: "HTTP 200 in 120 ms", "timeout after 10000 ms", ...
  fetch: FetchResult;
  userAgent: string;
  dns: DnsAnswers | null;
  cert: CertificateFacts | null;
  certError?: { code: string; message: string };
  errorType?: string;
  findings: Finding[];
  truncated: boolean;
  failuresInRow?: number; // checks in a row that found the site down, this one included
}

function urlFields(u: string): Record<string, unknown> {
  try {
    const x = new URL(u);
    return { full: x.href, scheme: x.protocol.replace(':', ''), domain: x.hostname, port: x.port ? Number(x.port) : x.protocol === 'https:' ? 443 : 80, path: x.pathname };
  } catch {
    return { original: u };
  }
}

function tlsFields(c: CertificateFacts | null): Record<string, unknown> | undefined {
  if (!c) return undefined;
  return {
    version: c.protocol,
    server: {
      subject: c.subject,
      issuer: c.issuer,
      not_before: c.notBefore,
      not_after: c.notAfter,
      hash: { sha256: c.sha256.replace(/:/g, '') },
      x509: { not_before: c.notBefore, not_after: c.notAfter, issuer: { distinguished_name: c.issuer }, subject: { distinguished_name: c.subject } },
    },
  };
}

function base(f: CheckFacts, action: string, outcome: string, message: string): EcsEvent {
  return {
    '@timestamp': f.at.toISOString(),
    event: { id: newId(f.at.getTime()), kind: 'event', category: ['web'], type: ['info'], dataset: DATASET, module: 'website', action, outcome, created: f.at.toISOString() },
    organization: { id: f.site.tenant },
    message,
    url: urlFields(f.site.url),
    observer: { product: 'canhgac', type: 'website-monitor' },
    user_agent: { original: f.userAgent },
  };
}

/** The event of one check: availability, latency, status, certificate and DNS answers. */
export function checkEvent(f: CheckFacts): EcsEvent {
  const ev = base(f, CHECK_ACTION, f.up ? 'success' : 'failure', `${f.site.url}: ${f.up ? 'up' : 'DOWN'} — ${f.reason}`);
  ev.event.duration = f.fetch.totalMs * 1_000_000;
  ev.event.reason = f.reason;
  if (f.fetch.status !== undefined) ev.http = { request: { method: 'GET' }, response: { status_code: f.fetch.status, bytes: f.fetch.bytes, mime_type: f.fetch.contentType } };
  const tls = tlsFields(f.cert);
  if (tls) ev.tls = tls;
  if (f.dns) ev.dns = { question: { name: f.dns.name }, answers: f.dns.answers.map((a) => ({ type: a.type, data: a.data })), resolved_ip: f.dns.answers.filter((a) => a.type === 'A' || a.type === 'AAAA').map((a) => a.data) };
  if (!f.up) ev.error = { type: f.errorType, message: f.reason, code: f.fetch.error?.code };
  ev.canhgac = {
    website: {
      site_id: f.site.id,
      up: f.up,
      failures_in_row: f.failuresInRow ?? (f.up ? 0 : 1),
      ttfb_ms: f.fetch.ttfbMs,
      latency_ms: f.fetch.totalMs,
      truncated: f.truncated,
      redirects: f.fetch.redirects,
      ...(f.cert ? { cert_days_left: f.cert.daysLeft, cert_trusted: f.cert.trusted, cert_hostname_match: f.cert.hostnameMatch } : {}),
      ...(f.certError ? { cert_error: f.certError.message } : {}),
      findings: f.findings.map((x) => x.kind),
    },
  };
  return ev;
}

/** The event of one finding, new since the last check: what changed on the page (or its certificate, or its DNS). */
export function findingEvent(f: CheckFacts, finding: Finding): EcsEvent {
  const ev = base(f, FINDING_ACTION, 'success', `${f.site.url}: ${finding.kind} — ${finding.detail}`);
  ev.event.type = ['change'];
  ev.event.reason = finding.detail;
  const tls = finding.kind.startsWith('certificate') ? tlsFields(f.cert) : undefined;
  if (tls) ev.tls = tls;
  if (finding.kind === 'dns-change' && f.dns) ev.dns = { question: { name: f.dns.name }, answers: f.dns.answers.map((a) => ({ type: a.type, data: a.data })) };
  ev.canhgac = { website: { site_id: f.site.id, finding: finding.kind, detail: finding.detail, items: finding.items.slice(0, 50) } };
  return ev;
}
