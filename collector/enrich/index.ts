/**
 * Enrichment after parsing: asset inventory (owner agency, criticality), GeoIP country for public
 * addresses (geoip-country ships its GeoLite2 data in the package: no download at run time) and
 * labels for private/reserved ranges. `enrich` never throws and never removes a field.
 */
import { lookup as geoLookup } from 'geoip-country';
import type { EcsEvent } from '../../core/event';
import { addRelated, getPath, setPath } from '../../core/event';
import { Asset, AssetIndex, CRITICALITIES, loadAssetInventory } from './assets';
import { IpScope, ipScope } from './ip';

export { AssetInventoryError } from './assets';
export { ipScope } from './ip';

export interface EnricherConfig {
  /** CSV or YAML: ip or cidr, name, agency, criticality */
  assetsFile?: string;
  /** GeoIP country lookups for public addresses (default true) */
  geo?: boolean;
}

export interface Enricher {
  enrich(event: EcsEvent): EcsEvent;
  /** number of inventory entries loaded */
  assets: number;
}

const SIDES = ['source', 'destination', 'client', 'server', 'host', 'observer'] as const;
type Side = (typeof SIDES)[number];

const INTERNAL: ReadonlySet<IpScope> = new Set(['private', 'loopback', 'link_local', 'shared']);

function ipsOf(event: EcsEvent, side: Side): string[] {
  const v = getPath(event, `${side}.ip`);
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

function rank(a: Asset): number {
  return a.criticality ? CRITICALITIES.indexOf(a.criticality) : -1;
}

/** Validates the config and loads the inventory; throws AssetInventoryError naming file and line on bad input. */
export function createEnricher(config: EnricherConfig = {}): Enricher {
  const assets: AssetIndex | undefined = config.assetsFile ? loadAssetInventory(config.assetsFile) : undefined;
  const geo = config.geo !== false;
  const geoCache = new Map<string, ReturnType<typeof geoLookup>>();

  function country(ip: string): ReturnType<typeof geoLookup> {
    let hit = geoCache.get(ip);
    if (hit === undefined) {
      try {
        hit = geoLookup(ip);
      } catch {
        hit = null;
      }
      // bounded: a scan from many addresses must not grow memory without end
      if (geoCache.size >= 50000) geoCache.clear();
      geoCache.set(ip, hit);
    }
    return hit;
  }

  function enrich(event: EcsEvent): EcsEvent {
    try {
      const doc = event as unknown as Record<string, unknown>;
      let top: (Asset & { side: Side }) | undefined;
      const scopes: Partial<Record<Side, IpScope>> = {};
      for (const side of SIDES) {
        const ips = ipsOf(event, side);
        if (!ips.length) continue;
        const ip = ips[0];
        const scope = ipScope(ip);
        if (!scope) continue;
        scopes[side] = scope;
        setPath(doc, `labels.${side}_ip_scope`, scope);
        const asset = assets?.lookup(ip);
        if (asset) {
          setPath(doc, `${side}.asset`, { name: asset.name, ...(asset.agency ? { agency: asset.agency } : {}), ...(asset.criticality ? { criticality: asset.criticality } : {}) });
          addRelated(doc, 'hosts', asset.name);
          if (!top || rank(asset) > rank(top)) top = { ...asset, side };
        }
        if (geo && scope === 'public' && side !== 'host' && side !== 'observer' && getPath(doc, `${side}.geo.country_iso_code`) === undefined) {
          const c = country(ip);
          if (c) {
            setPath(doc, `${side}.geo.country_iso_code`, c.country);
            if (c.name) setPath(doc, `${side}.geo.country_name`, c.name);
            if (c.continent) setPath(doc, `${side}.geo.continent_code`, c.continent);
            if (c.continent_name) setPath(doc, `${side}.geo.continent_name`, c.continent_name);
          }
        }
      }
      if (top) {
        // the most critical asset the event touches: what alerting uses to rank incidents
        setPath(doc, 'asset', { name: top.name, side: top.side, ...(top.agency ? { agency: top.agency } : {}), ...(top.criticality ? { criticality: top.criticality } : {}) });
      }
      // direction from address scopes when the parser could not tell (an inventory match counts as internal)
      if (getPath(doc, 'network.direction') === undefined && scopes.source && scopes.destination) {
        const inSrc = INTERNAL.has(scopes.source) || getPath(doc, 'source.asset') !== undefined;
        const inDst = INTERNAL.has(scopes.destination) || getPath(doc, 'destination.asset') !== undefined;
        setPath(doc, 'network.direction', inSrc && inDst ? 'internal' : inSrc ? 'outbound' : inDst ? 'inbound' : 'external');
      }
    } catch {
      // enrichment is best effort: the parsed event goes on, marked, rather than being lost
      const tags = Array.isArray(event.tags) ? (event.tags as string[]) : [];
      if (!tags.includes('enrichment_failed')) tags.push('enrichment_failed');
      event.tags = tags;
    }
    return event;
  }

  return { enrich, assets: assets?.size ?? 0 };
}
