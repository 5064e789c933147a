/**
 * A site's content baseline, learned over its first checks, and what a new page changes against it.
 * Text lines are compared after digits are masked (dates, counters, view counts); lines that change
 * while learning (a news list, a visitor counter) are volatile and never count. Scripts, iframes,
 * link domains, hidden links, redirects and spam terms are sets: what is new against the baseline
 * is a finding. Defacement is most of the stable text gone (or a required keyword missing).
 */
import type { PageFacts } from './html';
import { norm, type Vocabulary } from './vocabulary';

export const LEARNING_CHECKS = 3;
/** Share of the baseline's stable lines that must be gone for a defacement. */
export const DEFACED_SHARE = 0.5;

export interface Baseline {
  checks: number; // pages learned so far (learning while < LEARNING_CHECKS)
  stable: string[]; // masked lines seen in every learned page
  seen: string[]; // masked lines seen in any learned page (volatile = seen − stable)
  title: string;
  scriptHosts: string[];
  iframeHosts: string[];
  linkDomains: string[];
  hiddenDomains: string[];
  redirects: string[];
  terms: string[];
}

export type FindingKind = 'defacement' | 'spam' | 'hidden-link' | 'script' | 'iframe' | 'redirect' | 'link-domain' | 'cloaking' | 'certificate-invalid' | 'certificate-change' | 'dns-change';

export interface Finding {
  kind: FindingKind;
  detail: string; // what was found, for the event's message
  items: string[]; // the new hosts, terms, targets or lines
}

/** What a page is, reduced to what the baseline keeps. */
export interface PageDigest {
  lines: string[];
  title: string;
  scriptHosts: string[];
  iframeHosts: string[];
  linkDomains: string[];
  hiddenDomains: string[];
  redirects: string[];
  terms: string[];
  text: string; // visible text, for snapshots and similarity
}

/** A line as compared: normalised, digits masked (dates, counters). */
export const mask = (line: string): string => norm(line).replace(/\d+/g, '#');
const hostOf = (u: string): string | null => {
  try {
    return new URL(u).host.toLowerCase();
  } catch {
    return null;
  }
};
const uniq = (xs: (string | null)[]): string[] => [...new Set(xs.filter((x): x is string => !!x))].sort();
/** The registrable-ish part of a host, so www.x.gov.vn and x.gov.vn are one site. */
const siteOf = (host: string): string => host.replace(/^www\./, '');

export function digest(page: PageFacts, pageUrl: string, vocabulary: Vocabulary): PageDigest {
  const own = siteOf(hostOf(pageUrl) ?? '');
  const external = (urls: string[]) => uniq(urls.map(hostOf)).filter((h) => siteOf(h) !== own);
  const text = page.lines.join('\n');
  return {
    lines: uniq(page.lines.map(mask)),
    title: mask(page.title),
    scriptHosts: external(page.scriptSrcs),
    iframeHosts: external(page.iframeSrcs),
    linkDomains: external(page.linkHrefs),
    hiddenDomains: external(page.hiddenHrefs),
    redirects: uniq([page.metaRefresh ? `meta-refresh ${page.metaRefresh}` : null, ...page.jsRedirects.map((r) => `script ${r}`)]),
    terms: vocabulary.find([page.title, text, page.hiddenText.join('\n'), page.linkHrefs.join(' '), page.hiddenHrefs.join(' ')].join('\n')),
    text,
  };
}

export function emptyBaseline(): Baseline {
  return { checks: 0, stable: [], seen: [], title: '', scriptHosts: [], iframeHosts: [], linkDomains: [], hiddenDomains: [], redirects: [], terms: [] };
}

/** Learns one more page into the baseline (only while learning). */
export function learn(b: Baseline, d: PageDigest): Baseline {
  const first = b.checks === 0;
  const lines = new Set(d.lines);
  const union = (a: string[], x: string[]) => uniq([...a, ...x]);
  return {
    checks: b.checks + 1,
    stable: first ? d.lines : b.stable.filter((l) => lines.has(l)),
    seen: union(b.seen, d.lines),
    title: first ? d.title : b.title,
    scriptHosts: union(b.scriptHosts, d.scriptHosts),
    iframeHosts: union(b.iframeHosts, d.iframeHosts),
    linkDomains: union(b.linkDomains, d.linkDomains),
    hiddenDomains: union(b.hiddenDomains, d.hiddenDomains),
    redirects: union(b.redirects, d.redirects),
    terms: union(b.terms, d.terms),
  };
}

export const learning = (b: Baseline): boolean => b.checks < LEARNING_CHECKS;

/** What `d` changes against a learned baseline; `keywords` must appear on the page. */
export function compare(b: Baseline, d: PageDigest, keywords: string[] = []): Finding[] {
  const out: Finding[] = [];
  const fresh = (now: string[], before: string[]) => now.filter((x) => !before.includes(x));
  const lines = new Set(d.lines);
  const gone = b.stable.filter((l) => !lines.has(l));
  const text = norm(d.text + '\n' + d.title);
  const missing = keywords.filter((k) => !text.includes(norm(k)));
  if ((b.stable.length >= 3 && gone.length / b.stable.length >= DEFACED_SHARE) || missing.length) {
    const why = missing.length ? `required text missing: ${missing.map((k) => `"${k}"`).join(', ')}` : `${gone.length} of ${b.stable.length} lines that never changed are gone`;
    out.push({ kind: 'defacement', detail: why, items: d.lines.filter((l) => !b.seen.includes(l)).slice(0, 20) });
  }
  const add = (kind: FindingKind, items: string[], what: string) => {
    if (items.length) out.push({ kind, detail: `${what}: ${items.slice(0, 10).join(', ')}`, items });
  };
  add('spam', fresh(d.terms, b.terms), 'spam vocabulary new on the page');
  add('hidden-link', fresh(d.hiddenDomains, b.hiddenDomains), 'hidden links to');
  add('script', fresh(d.scriptHosts, b.scriptHosts), 'scripts from new hosts');
  add('iframe', fresh(d.iframeHosts, b.iframeHosts), 'iframes from new hosts');
  add('redirect', fresh(d.redirects, b.redirects), 'new redirect');
  add('link-domain', fresh(d.linkDomains, [...b.linkDomains, ...d.hiddenDomains]), 'links to new domains');
  return out;
}

/** Share of masked lines two pages have in common (Jaccard), for comparing a crawler's copy with a browser's. */
export function similarity(a: PageDigest, b: PageDigest): number {
  const x = new Set(a.lines);
  const y = new Set(b.lines);
  let both = 0;
  for (const l of x) if (y.has(l)) both++;
  const all = x.size + y.size - both;
  return all === 0 ? 1 : both / all;
}

/** What a crawler (or a phone) is shown that a browser is not: spam, hidden links, redirects, or (`byText`) mostly other text. */
export function cloaking(browser: PageDigest, crawler: PageDigest, who = 'a search-engine crawler', byText = true): Finding | null {
  const extra = [
    ...crawler.terms.filter((t) => !browser.terms.includes(t)).map((t) => `term "${t}"`),
    ...crawler.hiddenDomains.filter((h) => !browser.hiddenDomains.includes(h)).map((h) => `hidden link to ${h}`),
    ...crawler.linkDomains.filter((h) => !browser.linkDomains.includes(h)).map((h) => `link to ${h}`),
    ...crawler.redirects.filter((r) => !browser.redirects.includes(r)).map((r) => `redirect ${r}`),
  ];
  const sim = similarity(browser, crawler);
  // a phone may get a lighter template of the same site: for it only spam, hidden links and redirects count
  if (!extra.length && (!byText || sim >= 0.3)) return null;
  const why = extra.length ? extra.slice(0, 10).join(', ') : `only ${Math.round(sim * 100)}% of the text is the same`;
  return { kind: 'cloaking', detail: `${who} is served another page than a browser: ${why}`, items: extra };
}
