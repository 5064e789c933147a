/**
 * One check of one site: DNS answers, the certificate, the page as a browser and as a search-engine
 * crawler, then the content against the learned baseline. Returns the events to publish and the
 * site's next state; never throws and never takes much longer than the timeout (the probes run side
 * by side, each bounded).
 */
import type { EcsEvent } from '../core/event';
import type { WebsiteSite } from '../core/store/store';
import { cloaking, compare, digest, emptyBaseline, learn, learning, type Baseline, type Finding, type PageDigest } from './baseline';
import { answerSet, lookupAll, type DnsResolver } from './dns';
import { checkEvent, findingEvent, type CheckFacts } from './events';
import { fetchPage, type FetchResult } from './fetch';
import { readPage } from './html';
import { probeCertificate, type CertificateFacts } from './tlsprobe';
import type { Dispatcher } from 'undici';
import type { Vocabulary } from './vocabulary';
import { recordOutcome, type SiteState } from './state';

export const VERSION = '0.1';
export const BROWSER_UA = `Mozilla/5.0 (compatible; canhgac-website-monitor/${VERSION}; +site watch by the provincial SOC)`;
export const CRAWLER_UA = `Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) canhgac-website-monitor/${VERSION}`;
export const MOBILE_UA = `Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 canhgac-website-monitor/${VERSION}`;
const SNAPSHOT_CHARS = 64 * 1024;
const CHANGES_KEPT = 5;

export interface CheckContext {
  dispatcher: Dispatcher;
  resolver: DnsResolver;
  vocabulary: Vocabulary;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  ca?: string;
  now?: () => Date;
}

export interface CheckOutcome {
  events: EcsEvent[];
  state: SiteState;
  up: boolean;
}

const emptyState = (): SiteState => ({ baseline: emptyBaseline(), reported: [], hours: [], changes: [] });

function pageNote(r: FetchResult): string | null {
  const looksHtml = /<(?:html|head|body|p|div|a|span|title|table)\b/i.test(r.body);
  if (!looksHtml) return `the page is not HTML (${r.contentType ?? 'no content-type'}): its text is compared as it is`;
  return null;
}

function availability(r: FetchResult, timeoutMs: number, maxBytes: number): { up: boolean; reason: string; errorType?: string } {
  if (r.error) {
    const what = r.error.type === 'timeout' ? `no complete answer within ${timeoutMs} ms (${r.error.message})` : r.error.message;
    return { up: false, reason: `${r.error.type}: ${what}`, errorType: r.error.type };
  }
  if (r.offsiteRedirect) return { up: true, reason: `HTTP ${r.status} redirect to another site, ${r.offsiteRedirect} (not followed)` };
  if ((r.status ?? 0) >= 400) return { up: false, reason: `HTTP ${r.status} in ${r.totalMs} ms`, errorType: 'http' };
  const big = r.truncated ? `; the page is larger than ${maxBytes} bytes: only the first ${maxBytes} were read` : '';
  return { up: true, reason: `HTTP ${r.status} in ${r.totalMs} ms (first byte ${r.ttfbMs} ms, ${r.bytes} bytes)${big}` };
}

function certFindings(cert: CertificateFacts, prev: SiteState): Finding[] {
  const out: Finding[] = [];
  const bad = [!cert.trusted && `not trusted (${cert.trustError})`, !cert.hostnameMatch && 'issued for another name', cert.daysLeft < 0 && `expired on ${cert.notAfter}`].filter(Boolean) as string[];
  if (bad.length) out.push({ kind: 'certificate-invalid', detail: `the certificate is ${bad.join(', ')}`, items: [cert.sha256] });
  if (prev.cert && (prev.cert.keySha256 !== cert.keySha256 || prev.cert.issuer !== cert.issuer)) {
    const what = prev.cert.issuer !== cert.issuer ? `issuer ${prev.cert.issuer} → ${cert.issuer}` : 'a new key';
    out.push({ kind: 'certificate-change', detail: `the certificate changed: ${what}`, items: [cert.sha256] });
  }
  return out;
}

/** A change is when a finding appears (not every check while it stays); a content change keeps the page's text beside it. */
function recordChange(state: SiteState, prev: SiteState, fresh: Finding[], pageText: string | null, now: Date): void {
  if (!fresh.length) return;
  state.lastChange = { at: now.toISOString(), kinds: [...new Set(fresh.map((f) => f.kind))] };
  const content = fresh.filter((f) => f.kind !== 'dns-change' && !f.kind.startsWith('certificate'));
  if (!content.length || pageText === null) return;
  const snap = { at: now.toISOString(), kinds: [...new Set(content.map((f) => f.kind))], details: content.map((f) => f.detail), text: pageText.slice(0, SNAPSHOT_CHARS) };
  state.changes = [snap, ...prev.changes].slice(0, CHANGES_KEPT);
}

/** Findings are reported once, when they appear; one that goes away and comes back is reported again. */
const keyOf = (f: Finding) => `${f.kind}:${[...f.items].sort().join(',')}`;

export async function checkSite(site: WebsiteSite, prevState: SiteState | null, ctx: CheckContext): Promise<CheckOutcome> {
  const prev = prevState ?? emptyState();
  const now = ctx.now?.() ?? new Date();
  const u = new URL(site.url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const fetchOpts = { dispatcher: ctx.dispatcher, timeoutMs: ctx.timeoutMs, maxBytes: ctx.maxBytes, maxRedirects: ctx.maxRedirects };
  const dns = await lookupAll(ctx.resolver, host);
  const [probe, page] = await Promise.all([
    u.protocol === 'https:' ? probeCertificate({ host, port: Number(u.port || 443), timeoutMs: ctx.timeoutMs, ca: ctx.ca, now: now.getTime() }) : Promise.resolve(null),
    fetchPage(site.url, { ...fetchOpts, userAgent: BROWSER_UA }),
  ]);
  const cert = probe && 'cert' in probe ? probe.cert : null;
  const certError = probe && 'error' in probe ? probe.error : undefined;
  const avail = availability(page, ctx.timeoutMs, ctx.maxBytes);
  const findings: Finding[] = [];
  const state: SiteState = { ...prev, lastCheck: now.toISOString(), lastReason: avail.reason, lastStatus: page.status ?? null, lastLatencyMs: page.totalMs };

  if (dns && !dns.error) {
    const set = answerSet(dns);
    if (prev.dns?.length && set.join('|') !== prev.dns.join('|')) {
      const added = set.filter((x) => !prev.dns!.includes(x));
      const removed = prev.dns.filter((x) => !set.includes(x));
      findings.push({ kind: 'dns-change', detail: `DNS answers of ${host} changed: ${[...added.map((x) => `+${x}`), ...removed.map((x) => `-${x}`)].join(', ')}`, items: set });
    }
    state.dns = set;
  }
  if (cert) {
    findings.push(...certFindings(cert, prev));
    state.cert = { keySha256: cert.keySha256, issuer: cert.issuer, notAfter: cert.notAfter, daysLeft: cert.daysLeft };
  }

  let note: string | null = null;
  let pageText: string | null = null;
  if (avail.up) {
    let d: PageDigest | null = null;
    if (!page.offsiteRedirect) {
      note = pageNote(page);
      d = digest(readPage(page.body, page.finalUrl), page.finalUrl, ctx.vocabulary);
    } else d = { lines: [], title: '', scriptHosts: [], iframeHosts: [], linkDomains: [], hiddenDomains: [], redirects: [], terms: [], text: '' };
    if (page.offsiteRedirect) d.redirects = [...d.redirects, `http ${new URL(page.offsiteRedirect).host}`];
    const b: Baseline = prev.baseline;
    if (learning(b)) {
      state.baseline = learn(b, d);
      if (b.checks === 0) state.snapshot = { at: now.toISOString(), text: d.text.slice(0, SNAPSHOT_CHARS) };
    } else {
      const changes = compare(b, d, site.keywords);
      // a page that redirects elsewhere has no text of its own to compare: only the redirect counts
      findings.push(...(page.offsiteRedirect ? changes.filter((f) => f.kind === 'redirect') : changes));
    }
    if (!page.offsiteRedirect && !page.error) {
      // the same page as a search-engine crawler and as a phone: what only they are shown is cloaking
      for (const [ua, whole] of [[CRAWLER_UA, true], [MOBILE_UA, false]] as const) {
        const other = await fetchPage(site.url, { ...fetchOpts, userAgent: ua });
        if (other.error || (other.status ?? 0) >= 400) continue;
        const od = digest(readPage(other.body, other.finalUrl), other.finalUrl, ctx.vocabulary);
        if (other.offsiteRedirect) od.redirects.push(`http ${new URL(other.offsiteRedirect).host}`);
        const c = cloaking(d, od, whole ? 'a search-engine crawler' : 'a phone', whole);
        if (c) {
          findings.push(c);
          break;
        }
      }
    }
    pageText = d.text;
  }

  const reason = note ? `${avail.reason}; ${note}` : avail.reason;
  state.failuresInRow = avail.up ? 0 : (prev.failuresInRow ?? 0) + 1;
  const facts: CheckFacts = { site, at: now, up: avail.up, reason, fetch: page, userAgent: BROWSER_UA, dns, cert, certError, errorType: avail.errorType, findings, truncated: page.truncated, failuresInRow: state.failuresInRow };
  const keys = findings.map(keyOf);
  const fresh = findings.filter((_f, i) => !prev.reported.includes(keys[i]));
  const events: EcsEvent[] = [checkEvent(facts), ...fresh.map((f) => findingEvent(facts, f))];
  // a page that could not be read keeps what was reported: a finding is not "gone" because the site was down
  state.reported = avail.up ? keys : prev.reported;
  recordChange(state, prev, fresh, pageText, now);
  recordOutcome(state, now, avail.up);
  state.up = avail.up;
  return { events, state, up: avail.up };
}
