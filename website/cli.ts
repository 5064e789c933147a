/** canhgac website add|list|pause|resume|remove|rebaseline: the watched sites, on the same store as the running center. */
import { parseArgs } from 'node:util';
import type { Store } from '../core/store/store';
import { addSite, listSites, rebaseline, setPaused, SiteError } from './admin';
import { websiteSettings } from './settings';

export const WEBSITE_USAGE = `canhgac website add <url> --tenant <agency> [--interval 60s] [--keyword "..."]...
canhgac website list [--tenant <agency>] [--json]
canhgac website pause|resume|remove|rebaseline <id>`;

export interface WebsiteIo {
  stdout(s: string): void;
  stderr(s: string): void;
  openStore(configFile: string | undefined): Promise<Store>;
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

export async function websiteCli(argv: string[], io: WebsiteIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { config: { type: 'string' }, tenant: { type: 'string' }, interval: { type: 'string' }, keyword: { type: 'string', multiple: true }, json: { type: 'boolean' } } });
  } catch (e) {
    io.stderr(`website: ${(e as Error).message}\n${WEBSITE_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, arg] = positionals;
  if (!sub || !['add', 'list', 'pause', 'resume', 'remove', 'rebaseline'].includes(sub)) {
    io.stderr(`website: ${sub ? `unknown command "${sub}"` : 'which command?'}\n${WEBSITE_USAGE}`);
    return 2;
  }
  if (sub !== 'list' && !arg) {
    io.stderr(`website ${sub}: ${sub === 'add' ? 'the URL' : 'the site id (canhgac website list)'} is missing\n${WEBSITE_USAGE}`);
    return 2;
  }
  const store = await io.openStore(values.config);
  try {
    if (sub === 'add') {
      const site = await addSite(store, { url: arg, tenant: values.tenant ?? '', interval: values.interval, keywords: values.keyword, by: 'cli' }, websiteSettings().minIntervalS, null);
      io.stdout(`watching ${site.url} for ${site.tenant} every ${site.intervalS} s (id ${site.id})`);
      return 0;
    }
    if (sub === 'list') {
      const sites = await listSites(store, values.tenant ? [values.tenant] : null);
      if (values.json) return void io.stdout(JSON.stringify(sites, null, 2)), 0;
      if (!sites.length) return void io.stdout('no sites watched (canhgac website add <url> --tenant <agency>)'), 0;
      for (const s of sites) {
        const cert = s.certificateDaysLeft === null ? '' : `  certificate ${s.certificateDaysLeft} d`;
        io.stdout(`${s.id}  ${s.tenant}  ${s.url}  ${s.state}  every ${s.intervalS} s  uptime 24h ${pct(s.uptime24h)} 30d ${pct(s.uptime30d)}${cert}${s.lastChange ? `  last change ${s.lastChange.at} (${s.lastChange.kinds.join(', ')})` : ''}`);
      }
      return 0;
    }
    if (sub === 'remove') {
      if (!(await store.deleteWebsite(arg, null))) return void io.stderr(`website remove: no site "${arg}" (canhgac website list)`), 1;
      io.stdout(`removed ${arg}`);
      return 0;
    }
    if (sub === 'rebaseline') {
      if (!(await rebaseline(store, arg, null))) return void io.stderr(`website rebaseline: no site "${arg}"`), 1;
      io.stdout(`${arg}: the next checks learn a new baseline`);
      return 0;
    }
    const w = await setPaused(store, arg, sub === 'pause', null);
    if (!w) return void io.stderr(`website ${sub}: no site "${arg}" (canhgac website list)`), 1;
    io.stdout(`${w.id} ${w.paused ? 'paused' : 'resumed'}`);
    return 0;
  } catch (e) {
    if (e instanceof SiteError) {
      io.stderr(`website ${sub}: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await store.close();
  }
}
