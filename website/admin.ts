/** What the CLI and the console API do with watched sites: add, list with their state, pause, resume, remove, learn anew. */
import type { IdentityRepository, TenantScope, WebsiteRepository, WebsiteSite } from '../core/store/store';

type SiteStore = WebsiteRepository & Pick<IdentityRepository, 'getTenant'>;
import { createSite, SiteError, type NewSite } from './sites';
import { uptime, type SiteState } from './state';

export { SiteError };

export interface SiteView {
  id: string;
  tenant: string;
  url: string;
  intervalS: number;
  keywords: string[];
  paused: boolean;
  created: string;
  state: 'learning' | 'up' | 'down' | 'unchecked' | 'paused';
  lastCheck: string | null;
  lastReason: string | null;
  latencyMs: number | null;
  uptime24h: number | null;
  uptime30d: number | null;
  certificateExpires: string | null;
  certificateDaysLeft: number | null;
  lastChange: { at: string; kinds: string[] } | null;
}

export function viewOf(site: WebsiteSite, s: SiteState | null, now = new Date()): SiteView {
  const state = site.paused ? 'paused' : !s?.lastCheck ? 'unchecked' : s.up === false ? 'down' : s.baseline.checks < 3 ? 'learning' : 'up';
  return {
    id: site.id, tenant: site.tenant, url: site.url, intervalS: site.intervalS, keywords: site.keywords, paused: site.paused, created: site.created,
    state,
    lastCheck: s?.lastCheck ?? null,
    lastReason: s?.lastReason ?? null,
    latencyMs: s?.lastLatencyMs ?? null,
    uptime24h: s ? uptime(s, now, 24) : null,
    uptime30d: s ? uptime(s, now, 24 * 30) : null,
    certificateExpires: s?.cert?.notAfter ?? null,
    certificateDaysLeft: s?.cert ? Math.floor((Date.parse(s.cert.notAfter) - now.getTime()) / 86_400_000) : null,
    lastChange: s?.lastChange ?? null,
  };
}

export async function addSite(store: SiteStore, n: NewSite, floorS: number, scope: TenantScope): Promise<WebsiteSite> {
  if (scope !== null && !scope.includes(n.tenant)) throw new SiteError(`tenant: you may not add sites for agency "${n.tenant}"`);
  if (!(await store.getTenant(n.tenant))) throw new SiteError(`tenant: no agency "${n.tenant}" (canhgac tenant list)`);
  const site = createSite(n, floorS);
  if (await store.getWebsite(site.id, null)) throw new SiteError(`url: ${site.url} is already watched for ${site.tenant} (id ${site.id})`);
  await store.putWebsite(site);
  return site;
}

export async function listSites(store: SiteStore, scope: TenantScope): Promise<SiteView[]> {
  const sites = await store.listWebsites(scope);
  return Promise.all(sites.map(async (w) => viewOf(w, ((await store.getWebsiteState(w.id))?.doc as unknown as SiteState | undefined) ?? null)));
}

export async function setPaused(store: SiteStore, id: string, paused: boolean, scope: TenantScope): Promise<WebsiteSite | null> {
  const w = await store.getWebsite(id, scope);
  if (!w) return null;
  const next = { ...w, paused };
  await store.putWebsite(next);
  return next;
}

/** Forgets what was learned of the site (after a redesign): the next checks learn a new baseline. */
export async function rebaseline(store: SiteStore, id: string, scope: TenantScope): Promise<boolean> {
  const w = await store.getWebsite(id, scope);
  if (!w) return false;
  const s = await store.getWebsiteState(id);
  if (s) {
    const doc = s.doc as unknown as SiteState;
    await store.putWebsiteState({ ...s, updated: new Date().toISOString(), doc: { ...doc, baseline: { ...doc.baseline, checks: 0, stable: [], seen: [] }, reported: [], snapshot: undefined } as unknown as Record<string, unknown> });
  }
  return true;
}
