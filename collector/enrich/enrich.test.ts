import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcsEvent } from '../../core/event';
import { createEnricher, AssetInventoryError, ipScope } from './index';

const dir = mkdtempSync(join(tmpdir(), 'canhgac-enrich-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const ev = (fields: Record<string, unknown>): EcsEvent => ({ '@timestamp': '2026-03-14T00:00:00.000Z', event: { kind: 'event' }, ...fields });

describe('enrichment', () => {
  test('private, reserved and public ranges are labelled', () => {
    expect(ipScope('10.1.2.3')).toBe('private');
    expect(ipScope('172.31.255.1')).toBe('private');
    expect(ipScope('172.32.0.1')).toBe('public');
    expect(ipScope('100.64.1.1')).toBe('shared');
    expect(ipScope('127.0.0.1')).toBe('loopback');
    expect(ipScope('169.254.10.1')).toBe('link_local');
    expect(ipScope('203.0.113.5')).toBe('documentation');
    expect(ipScope('239.1.1.1')).toBe('multicast');
    expect(ipScope('fd00::1')).toBe('private');
    expect(ipScope('fe80::1')).toBe('link_local');
    expect(ipScope('::ffff:192.168.1.1')).toBe('private');
    expect(ipScope('2001:ee0:4000::1')).toBe('public');
    expect(ipScope('not-an-ip')).toBeUndefined();
  });

  test('GeoIP country for public addresses only, from data shipped in the package', () => {
    const { enrich } = createEnricher();
    const out = enrich(ev({ source: { ip: '89.160.20.156' }, destination: { ip: '10.0.0.5' } })) as Record<string, any>;
    expect(out.source.geo).toMatchObject({ country_iso_code: 'SE', country_name: 'Sweden', continent_code: 'EU' });
    expect(out.destination.geo).toBeUndefined();
    expect(out.labels).toEqual({ source_ip_scope: 'public', destination_ip_scope: 'private' });
    expect(out.network.direction).toBe('inbound');
  });

  test('a CSV inventory names the asset, its agency and criticality; CIDR and most specific match', () => {
    const csv = file('assets.csv', '# inventory of So TTTT\nip,name,agency,criticality\n10.20.0.0/16,LAN So TTTT,so-tttt,low\n10.20.1.5,"dc01, domain controller",so-tttt,critical\n2001:db8:10::/48,ipv6-dmz,so-tttt,medium\n');
    const e = createEnricher({ assetsFile: csv, geo: false });
    expect(e.assets).toBe(3);
    const out = e.enrich(ev({ source: { ip: '10.20.9.9' }, destination: { ip: '10.20.1.5' }, host: { ip: ['2001:db8:10::7'] } })) as Record<string, any>;
    expect(out.source.asset).toEqual({ name: 'LAN So TTTT', agency: 'so-tttt', criticality: 'low' });
    expect(out.destination.asset).toEqual({ name: 'dc01, domain controller', agency: 'so-tttt', criticality: 'critical' });
    expect(out.host.asset.name).toBe('ipv6-dmz');
    expect(out.asset).toEqual({ name: 'dc01, domain controller', side: 'destination', agency: 'so-tttt', criticality: 'critical' });
    expect(out.related.hosts).toEqual(['LAN So TTTT', 'dc01, domain controller', 'ipv6-dmz']);
    expect(out.network.direction).toBe('internal');
  });

  test('a YAML inventory; a public address in the inventory counts as internal', () => {
    const yml = file('assets.yml', 'assets:\n  - cidr: 14.160.20.0/24\n    name: cong-dich-vu-cong\n    agency: vp-ubnd\n    criticality: High\n');
    const e = createEnricher({ assetsFile: yml });
    const out = e.enrich(ev({ source: { ip: '198.51.100.1' }, destination: { ip: '14.160.20.10' } })) as Record<string, any>;
    expect(out.destination.asset).toEqual({ name: 'cong-dich-vu-cong', agency: 'vp-ubnd', criticality: 'high' });
    expect(out.network.direction).toBe('inbound');
  });

  test('bad inventories fail at creation naming file, line and value', () => {
    const bad = file('bad.csv', 'ip,name,agency,criticality\n10.0.0.300,x,a,low\n10.0.0.1,y,a,urgent\n10.0.0.2,,a,low\n');
    expect(() => createEnricher({ assetsFile: bad })).toThrow(AssetInventoryError);
    try {
      createEnricher({ assetsFile: bad });
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toMatch(/3 bad row/);
      expect(msg).toMatch(/bad\.csv:2: ip\/cidr "10\.0\.0\.300" is not an IP/);
      expect(msg).toMatch(/bad\.csv:3: criticality "urgent" must be one of low, medium, high, critical/);
      expect(msg).toMatch(/bad\.csv:4: name is missing/);
    }
    expect(() => createEnricher({ assetsFile: file('nohdr.csv', 'address,name\n1.2.3.4,x\n') })).toThrow(/must name an "ip" or "cidr" column/);
    expect(() => createEnricher({ assetsFile: join(dir, 'missing.csv') })).toThrow(/cannot read asset inventory .*missing\.csv: ENOENT/);
  });

  test('events without addresses, or with odd values, pass through unchanged', () => {
    const { enrich } = createEnricher();
    const plain = ev({ message: 'hello' });
    expect(enrich(plain)).toEqual(ev({ message: 'hello' }));
    const odd = ev({ source: { ip: 42 }, destination: { ip: 'nope' } });
    expect(enrich(odd)).toEqual(ev({ source: { ip: 42 }, destination: { ip: 'nope' } }));
  });

  test('an existing geo country from the device is kept', () => {
    const { enrich } = createEnricher();
    const out = enrich(ev({ source: { ip: '89.160.20.156', geo: { country_iso_code: 'XX' } } })) as Record<string, any>;
    expect(out.source.geo).toEqual({ country_iso_code: 'XX' });
  });
});
