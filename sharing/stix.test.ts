/**
 * The STIX 2.1 export checked against the rules of the specification a consumer (the national
 * centre's platform) enforces: required properties per type, `type--uuid` ids, spec_version
 * 2.1, timestamps to the millisecond, patterns that parse, references that resolve, the TLP 2.0
 * marking on every object; observed data only when the agency's choice allows; the indicators
 * read back by canhgac's own STIX importer; the same incident exported twice is the same bundle.
 */
import type { EcsEvent } from '../core/event';
import type { Incident, Tenant } from '../core/model';
import { importStix, parsePattern } from '../intel/importers/stix';
import { canonicalJson, scoId, uuidv5 } from './ids';
import { TLP2_EXTENSION, TLP2_IDS } from './markings';
import { INCIDENT_CORE_EXTENSION, stixBundle, type StixObject } from './stix';

const incident: Incident = {
  id: 'inc-42', tenant: 'so-yte', severity: 'high', status: 'in_progress', groupKey: 'host=web-01', count: 37,
  rule: { id: 'r-ssh', title: 'SSH brute force', level: 'high', tags: ['attack.credential_access', 'attack.t1110', 'attack.t1110.001'], references: [] },
  title: 'SSH brute force on web-01 by admin from 203.0.113.5',
  summary: { host: 'web-01', source_ip: '203.0.113.5', destination_ip: '10.20.0.8', user: 'admin', malware: 'Mirai' },
  entities: { source_ip: ['203.0.113.5', '2001:db8::66', '192.168.1.50'], host: ['web-01'], user: ['admin'], malware: ['Mirai'] },
  tactics: ['credential-access', 'command-and-control'],
  first_seen: '2026-12-01T08:00:00Z', last_seen: '2026-12-01T09:30:00.123456Z', created: '2026-12-01T08:00:05Z', updated: '2026-12-01T10:00:00Z', version: 3,
};
const SHA = 'ab'.repeat(32);
const events: EcsEvent[] = [
  { '@timestamp': '2026-12-01T08:00:00Z', event: { id: 'e1' }, source: { ip: '203.0.113.5', port: 51000 }, destination: { ip: '10.20.0.8', port: 22 }, network: { transport: 'tcp' }, user: { name: 'admin' }, host: { name: 'web-01' } },
  { '@timestamp': '2026-12-01T08:01:00Z', event: { id: 'e2' }, source: { ip: '203.0.113.5', port: 51001 }, destination: { ip: '10.20.0.8', port: 22 }, network: { transport: 'tcp' }, host: { name: 'web-01' } },
  { '@timestamp': '2026-12-01T09:00:00Z', event: { id: 'e3' }, host: { name: 'web-01' }, file: { name: 'x.sh', hash: { sha256: SHA.toUpperCase() } }, url: { full: "http://evil.example/it's?q=a\\b" },
    threat: { enrichments: [{ indicator: { type: 'url', url: { full: "http://evil.example/it's?q=a\\b" }, provider: 'VNCERT' } }, { indicator: { type: 'domain-name', url: { domain: 'c2.evil.example' }, provider: 'VNCERT' } }] } },
];
const tenant = (sharing?: Tenant['sharing']): Tenant => ({ id: 'so-yte', name: 'Sở Y tế', created: '2026-01-05T00:00:00Z', ...(sharing ? { sharing } : {}) });

const objects = (t: Tenant) => stixBundle([{ incident, events, tenant: t }]).bundle.objects;
const ofType = (objs: StixObject[], type: string) => objs.filter((o) => o.type === type);
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const SCO_TYPES = new Set(['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'file', 'user-account', 'network-traffic']);
const REQUIRED: Record<string, string[]> = {
  'marking-definition': ['spec_version', 'created'],
  identity: ['spec_version', 'created', 'modified', 'name'],
  incident: ['spec_version', 'created', 'modified', 'name'],
  indicator: ['spec_version', 'created', 'modified', 'pattern', 'pattern_type', 'valid_from'],
  'observed-data': ['spec_version', 'created', 'modified', 'first_observed', 'last_observed', 'number_observed', 'object_refs'],
  relationship: ['spec_version', 'created', 'modified', 'relationship_type', 'source_ref', 'target_ref'],
  infrastructure: ['spec_version', 'created', 'modified', 'name'],
  'ipv4-addr': ['value'], 'ipv6-addr': ['value'], 'domain-name': ['value'], url: ['value'], file: [], 'user-account': [], 'network-traffic': ['protocols'],
};

/** Every rule of STIX 2.1 this test can check mechanically; the list of what is wrong, empty when nothing is. */
function problems(objs: StixObject[]): string[] {
  const out: string[] = [];
  const ids = new Set(objs.map((o) => o.id));
  if (ids.size !== objs.length) out.push('duplicate ids');
  const refsOf = (o: unknown): string[] => (o && typeof o === 'object' ? Object.entries(o as Record<string, unknown>).flatMap(([k, v]) =>
    k.endsWith('_ref') && typeof v === 'string' ? [v] : k.endsWith('_refs') && Array.isArray(v) ? v.map(String) : k === 'extensions' ? [] : refsOf(v)) : []);
  for (const o of objs) {
    const where = `${o.id}`;
    if (!REQUIRED[o.type]) out.push(`${where}: type ${o.type} is not one this export should make`);
    for (const p of REQUIRED[o.type] ?? []) if (o[p] === undefined) out.push(`${where}: no ${p}`);
    if (!new RegExp(`^${o.type}--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).test(o.id)) out.push(`${where}: id is not ${o.type}--<uuid>`);
    if (o.spec_version !== undefined && o.spec_version !== '2.1') out.push(`${where}: spec_version ${String(o.spec_version)}`);
    for (const k of ['created', 'modified', 'valid_from', 'first_observed', 'last_observed']) if (o[k] !== undefined && !TS.test(String(o[k]))) out.push(`${where}: ${k} ${String(o[k])} is not RFC 3339 to the millisecond`);
    if (o.created && o.modified && String(o.modified) < String(o.created)) out.push(`${where}: modified before created`);
    for (const r of refsOf(o)) if (!ids.has(r)) out.push(`${where}: refers to ${r}, which is not in the bundle`);
    if (o.type !== 'marking-definition') {
      const m = o.object_marking_refs as string[] | undefined;
      if (!m || m.length !== 1 || !Object.values(TLP2_IDS).includes(m[0])) out.push(`${where}: not marked with one TLP 2.0 marking`);
    }
    if (o.type === 'indicator') {
      try {
        if (!parsePattern(String(o.pattern)).length) out.push(`${where}: empty pattern`);
      } catch (e) {
        out.push(`${where}: pattern ${String(o.pattern)}: ${(e as Error).message}`);
      }
    }
    if (o.type === 'observed-data') {
      const n = o.number_observed as number;
      if (!(Number.isInteger(n) && n >= 1 && n <= 999_999_999)) out.push(`${where}: number_observed ${n}`);
      if (String(o.last_observed) < String(o.first_observed)) out.push(`${where}: last_observed before first_observed`);
      for (const r of o.object_refs as string[]) if (!SCO_TYPES.has(r.split('--')[0])) out.push(`${where}: object_refs holds ${r}, not an SCO`);
    }
    if (SCO_TYPES.has(o.type) && (o.created !== undefined || o.modified !== undefined)) out.push(`${where}: an SCO has no created/modified`);
  }
  return out;
}

test('uuidv5 is RFC 4122 version 5, and SCO ids are the specification\'s (namespace 00abedb4…, canonical JSON)', () => {
  expect(uuidv5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2'); // RFC 4122 / Python uuid5 reference
  expect(canonicalJson({ b: 1, a: { d: [2, 'x'], c: null } })).toBe('{"a":{"c":null,"d":[2,"x"]},"b":1}');
  expect(scoId('ipv4-addr', { value: '203.0.113.5' })).toBe(`ipv4-addr--${uuidv5('00abedb4-aa42-466c-9c01-fed23315a9b7', '{"value":"203.0.113.5"}')}`);
});

test('with observed data allowed, the bundle follows STIX 2.1 and holds incident, indicators, observed data with its SCOs, and the relationships', () => {
  const objs = objects(tenant({ enabled: true, tlp: 'green', observedData: true }));
  expect(problems(objs)).toEqual([]);
  const [inc] = ofType(objs, 'incident');
  expect(inc).toMatchObject({
    name: 'SSH brute force on web-01 by admin from 203.0.113.5', created: '2026-12-01T08:00:05.000Z', modified: '2026-12-01T10:00:00.000Z', lang: 'vi',
    kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'credential-access' }, { kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' }],
    x_canhgac_last_seen: '2026-12-01T09:30:00.123Z',
  });
  expect(inc.extensions).toEqual({ [INCIDENT_CORE_EXTENSION]: { extension_type: 'property-extension', determination: 'suspected', investigation_status: 'open', criticality: 75 } });
  expect((inc.external_references as { external_id: string; url?: string }[]).filter((r) => r.url)).toEqual([
    { source_name: 'mitre-attack', external_id: 'T1110', url: 'https://attack.mitre.org/techniques/T1110/' },
    { source_name: 'mitre-attack', external_id: 'T1110.001', url: 'https://attack.mitre.org/techniques/T1110/001/' },
  ]);
  expect(String(inc.description)).toContain('Sự cố tại Sở Y tế');
  expect(String(inc.description)).toContain('Mức độ: Cao; trạng thái: Đang xử lý; 37 cảnh báo');
  // the indicators: public attacking addresses, what intel matched, the malware's file; never the agency's own 192.168.1.50 or 10.20.0.8
  expect(ofType(objs, 'indicator').map((i) => i.pattern)).toEqual([
    "[ipv4-addr:value = '203.0.113.5']", "[ipv6-addr:value = '2001:db8::66']", "[url:value = 'http://evil.example/it\\'s?q=a\\\\b']", "[domain-name:value = 'c2.evil.example']", `[file:hashes.'SHA-256' = '${SHA}']`,
  ]);
  const rels = ofType(objs, 'relationship').map((r) => `${String(r.source_ref).split('--')[0]} ${r.relationship_type} ${String(r.target_ref).split('--')[0]}`);
  expect(rels.filter((r) => r === 'indicator indicates incident')).toHaveLength(5);
  expect(rels).toEqual(expect.arrayContaining(['incident related-to identity', 'observed-data related-to incident', 'incident related-to infrastructure']));
  const [od] = ofType(objs, 'observed-data');
  expect(od).toMatchObject({ first_observed: '2026-12-01T08:00:00.000Z', last_observed: '2026-12-01T09:30:00.123Z', number_observed: 37 });
  const scos = (od.object_refs as string[]).map((r) => objs.find((o) => o.id === r)!);
  expect(scos.map((s) => `${s.type}:${String(s.value ?? s.account_login ?? s.dst_port ?? s.name ?? '')}`).sort()).toEqual([
    'domain-name:evil.example', 'file:x.sh', 'ipv4-addr:10.20.0.8', 'ipv4-addr:192.168.1.50', 'ipv4-addr:203.0.113.5', 'ipv6-addr:2001:db8::66',
    'network-traffic:22', "url:http://evil.example/it's?q=a\\b", 'user-account:admin',
  ].sort());
  const traffic = scos.find((s) => s.type === 'network-traffic')!;
  expect(traffic).toMatchObject({ protocols: ['ipv4', 'tcp'], src_ref: scoId('ipv4-addr', { value: '203.0.113.5' }), dst_ref: scoId('ipv4-addr', { value: '10.20.0.8' }) });
  expect(ofType(objs, 'infrastructure').map((i) => i.name)).toEqual(['web-01']);
});

test('the TLP 2.0 marking is the published one, carried in the bundle, and on every other object', () => {
  for (const tlp of ['clear', 'green', 'amber', 'amber+strict', 'red'] as const) {
    const objs = objects(tenant({ enabled: true, tlp, observedData: true }));
    expect(problems(objs)).toEqual([]);
    const marks = ofType(objs, 'marking-definition');
    expect(marks).toEqual([{ type: 'marking-definition', spec_version: '2.1', id: TLP2_IDS[tlp], created: '2022-10-01T00:00:00.000Z', name: `TLP:${tlp.toUpperCase()}`, extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: tlp } } }]);
    expect(new Set(objs.filter((o) => o.type !== 'marking-definition').map((o) => (o.object_marking_refs as string[])[0]))).toEqual(new Set([TLP2_IDS[tlp]]));
  }
  expect(TLP2_IDS.amber).toBe('marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421');
});

test('the default choice (TLP:AMBER, no observed data) sends indicators only, and the agency\'s hosts, users and own addresses are not in any text', () => {
  const objs = objects(tenant());
  expect(problems(objs)).toEqual([]);
  expect(objs.map((o) => o.type).filter((t) => ['observed-data', 'infrastructure', 'user-account', 'network-traffic', 'file'].includes(t))).toEqual([]);
  expect(ofType(objs, 'indicator')).toHaveLength(5);
  expect(ofType(objs, 'marking-definition').map((m) => m.name)).toEqual(['TLP:AMBER']);
  const text = JSON.stringify(objs);
  for (const own of ['web-01', 'admin', '10.20.0.8', '192.168.1.50']) expect({ own, shown: text.includes(own) }).toEqual({ own, shown: false });
  expect(ofType(objs, 'incident')[0].name).toBe('SSH brute force on [ẩn] by [ẩn] from 203.0.113.5');
});

test('a turned-off agency\'s incidents are left out of a period bundle and named', () => {
  const off = stixBundle([{ incident, events, tenant: tenant({ enabled: false, tlp: 'amber', observedData: false }) }, { incident: { ...incident, id: 'inc-43', tenant: 'so-gd' }, events: [], tenant: { id: 'so-gd', name: 'Sở Giáo dục', created: '2026-01-05T00:00:00Z' } }]);
  expect(off.skipped).toEqual([{ incident: 'inc-42', tenant: 'so-yte' }]);
  expect(problems(off.bundle.objects)).toEqual([]);
  expect(ofType(off.bundle.objects, 'incident').map((i) => (i.external_references as { external_id: string }[])[0].external_id)).toEqual(['inc-43']);
});

test('the indicators import back through canhgac\'s STIX importer with the same values', () => {
  const { bundle } = stixBundle([{ incident, events, tenant: tenant({ enabled: true, tlp: 'green', observedData: true }) }]);
  const r = importStix(JSON.stringify(bundle));
  expect(r.skipped).toEqual([]);
  expect(r.indicators.map((i) => `${i.type}:${i.value}`)).toEqual(['ipv4:203.0.113.5', 'ipv6:2001:db8::66', "url:http://evil.example/it's?q=a\\b", 'domain:c2.evil.example', `sha256:${SHA}`]);
  expect(r.indicators[0]).toMatchObject({ source: 'Trung tâm giám sát an toàn thông tin tỉnh (canhgac)', first_seen: '2026-12-01T08:00:00.000Z', tags: ['malicious-activity'] });
});

test('exporting the same incident again gives the same bundle, byte for byte; a change of the incident changes only what changed', () => {
  const t = tenant({ enabled: true, tlp: 'amber', observedData: true });
  const a = JSON.stringify(stixBundle([{ incident, events, tenant: t }]).bundle);
  const b = JSON.stringify(stixBundle([{ incident: { ...incident }, events: [...events].reverse(), tenant: t }]).bundle);
  expect(JSON.parse(b).objects.map((o: StixObject) => o.id).sort()).toEqual(JSON.parse(a).objects.map((o: StixObject) => o.id).sort());
  expect(stixBundle([{ incident, events, tenant: t }]).bundle).toEqual(JSON.parse(a));
  const later = stixBundle([{ incident: { ...incident, status: 'resolved', updated: '2026-12-02T00:00:00Z' }, events, tenant: t }]).bundle;
  const [inc] = ofType(later.objects, 'incident');
  expect(inc.id).toBe(ofType(JSON.parse(a).objects, 'incident')[0].id);
  expect(inc.modified).toBe('2026-12-02T00:00:00.000Z');
  expect((inc.extensions as Record<string, { determination: string; investigation_status: string }>)[INCIDENT_CORE_EXTENSION]).toMatchObject({ determination: 'confirmed', investigation_status: 'closed' });
  expect(later.id).not.toBe(JSON.parse(a).id);
});
