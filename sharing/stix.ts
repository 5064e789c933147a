/**
 * Incidents as a STIX 2.1 bundle for the national centre (OASIS STIX 2.1): the province's SOC
 * as the creator `identity`, the agency as an `identity`, each `incident` (with its ATT&CK
 * tactics as kill-chain phases, its techniques as external references, and the Incident Core
 * Extension's determination, investigation status and criticality), an `indicator` per
 * malicious value, and — only when the agency's sharing choice allows — `observed-data` with
 * its addresses, domains, files, users and connections, and its attacked hosts as
 * `infrastructure`. Every object carries the agency's TLP 2.0 marking. Ids are UUIDv5 of what
 * the object is, so exporting the same incident again gives the same objects.
 */
import net from 'node:net';
import type { EcsEvent } from '../core/event';
import type { Incident, Tenant, TenantSharing } from '../core/model';
import { tacticsOf } from '../alerting/grouping';
import { stixPattern } from '../intel/export';
import { sharingOf } from './choice';
import { scoId, stixId, stixTime } from './ids';
import { tlpMarking } from './markings';
import { incidentIndicators, incidentObservations, isInternal, type Observations } from './observables';

export const INCIDENT_CORE_EXTENSION = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

export type StixObject = { type: string; id: string; [k: string]: unknown };
export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/** One incident with what it is shared from: its events (for the values) and its agency (for the name and the choice). */
export interface IncidentMaterial {
  incident: Incident;
  events: EcsEvent[];
  tenant: Tenant | null;
}

export interface BundleOptions {
  province?: string; // the creator's name
}

export const DEFAULT_PROVINCE = 'Trung tâm giám sát an toàn thông tin tỉnh (canhgac)';
const PROVINCE_CREATED = '2026-01-01T00:00:00.000Z';

const CRITICALITY: Record<string, number> = { informational: 10, low: 30, medium: 50, high: 75, critical: 95 };
const SEVERITY_VI: Record<string, string> = { informational: 'Thông tin', low: 'Thấp', medium: 'Trung bình', high: 'Cao', critical: 'Nghiêm trọng' };
const STATUS_VI: Record<string, string> = { new: 'Mới', acknowledged: 'Đã tiếp nhận', in_progress: 'Đang xử lý', resolved: 'Đã xử lý xong', false_positive: 'Cảnh báo nhầm', duplicate: 'Trùng lặp' };
const REDACTED = '[ẩn]';

/** Incident Core Extension: what the investigation concluded and where it stands. */
function incidentCore(inc: Incident) {
  const closed = ['resolved', 'false_positive', 'duplicate'].includes(inc.status);
  return {
    extension_type: 'property-extension',
    determination: inc.status === 'false_positive' ? 'false-positive' : inc.status === 'resolved' ? 'confirmed' : 'suspected',
    investigation_status: inc.status === 'new' ? 'new' : closed ? 'closed' : 'open',
    criticality: CRITICALITY[inc.severity] ?? 50,
  };
}

function attackTags(inc: Incident): string[] {
  return [...new Set([...inc.rule.tags, ...(inc.rules ?? []).flatMap((r) => r.tags)].map((t) => t.toLowerCase()))];
}

/** ATT&CK techniques as external references: attack.t1110.001 → T1110.001, with its page. */
function techniqueRefs(tags: string[]) {
  const ids = [...new Set(tags.map((t) => /^attack\.(t\d{4}(?:\.\d{3})?)$/.exec(t)?.[1].toUpperCase()).filter((t): t is string => !!t))].sort();
  return ids.map((id) => ({ source_name: 'mitre-attack', external_id: id, url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}/` }));
}

/** Values of the agency's own network that must not appear in a name or description when it shares no observations. */
function redactor(inc: Incident, obs: Observations, indicators: Set<string>, sharing: TenantSharing): (s: string) => string {
  if (sharing.observedData) return (s) => s;
  const own = [...obs.hosts, ...obs.users, ...obs.ips.filter((ip) => isInternal(ip) || !indicators.has(ip)), ...[inc.summary.asset].filter((x): x is string => !!x)]
    .filter((v) => v.length >= 3 && !indicators.has(v))
    .sort((a, b) => b.length - a.length);
  return (s) => own.reduce((acc, v) => acc.split(v).join(REDACTED), s);
}

function description(inc: Incident, agency: string, hide: (s: string) => string): string {
  const rules = (inc.rules?.length ? inc.rules.map((r) => r.title) : [inc.rule.title]).slice(0, 10);
  return hide([
    `Sự cố tại ${agency}: ${inc.title}.`,
    `Mức độ: ${SEVERITY_VI[inc.severity] ?? inc.severity}; trạng thái: ${STATUS_VI[inc.status] ?? inc.status}; ${inc.count} cảnh báo.`,
    `Lần đầu: ${stixTime(inc.first_seen, 'first_seen')}; lần cuối: ${stixTime(inc.last_seen, 'last_seen')}.`,
    `Luật phát hiện: ${rules.join('; ')}.`,
  ].join(' '));
}

const scoType = (ip: string) => (net.isIP(ip) === 6 ? 'ipv6-addr' : 'ipv4-addr');

/** The SCOs of the observations, each once (SCO ids are the specification's, so the same address is one object across incidents). */
function observationObjects(obs: Observations, marking: string[]): StixObject[] {
  const common = { spec_version: '2.1', object_marking_refs: marking };
  const sco = (type: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}): StixObject => ({ type, ...common, id: scoId(type, props), ...props, ...extra });
  const ips = new Map(obs.ips.map((ip) => [ip, sco(scoType(ip), { value: ip })]));
  const ref = (ip: string) => (ips.get(ip) ?? ips.set(ip, sco(scoType(ip), { value: ip })).get(ip)!).id;
  const traffic = obs.connections.map((c) => {
    const props = { src_ref: ref(c.src), dst_ref: ref(c.dst), ...(c.dstPort !== undefined ? { dst_port: c.dstPort } : {}), protocols: c.protocols };
    return sco('network-traffic', props);
  });
  return [
    ...ips.values(),
    ...obs.domains.map((value) => sco('domain-name', { value })),
    ...obs.urls.map((value) => sco('url', { value })),
    ...obs.files.map((f) => sco('file', { hashes: f.hashes, ...(f.name ? { name: f.name } : {}) })),
    ...obs.users.map((u) => sco('user-account', { user_id: u, account_login: u })),
    ...traffic,
  ];
}

function relationship(type: string, source: string, target: string, at: { created: string; modified: string }, base: Record<string, unknown>, description?: string): StixObject {
  return { type: 'relationship', spec_version: '2.1', id: stixId('relationship', source, type, target), ...at, ...base, relationship_type: type, source_ref: source, target_ref: target, ...(description ? { description } : {}) };
}

export function provinceIdentity(name = DEFAULT_PROVINCE): StixObject {
  return { type: 'identity', spec_version: '2.1', id: stixId('identity', 'province', name), created: PROVINCE_CREATED, modified: PROVINCE_CREATED, name, identity_class: 'organization', sectors: ['government-regional'] };
}

/** The objects one incident contributes (identities and markings are added once per bundle by stixBundle). */
export function incidentObjects(m: IncidentMaterial, creator: string): { objects: StixObject[]; agency: StixObject; sharing: TenantSharing } {
  const inc = m.incident;
  const sharing = sharingOf(m.tenant);
  const marking = [tlpMarking(sharing.tlp).id];
  const base = { created_by_ref: creator, object_marking_refs: marking };
  const at = { created: stixTime(inc.created, `incident ${inc.id} created`), modified: stixTime(inc.updated, `incident ${inc.id} updated`) };
  const agencyName = m.tenant?.name ?? inc.tenant;
  const agencyCreated = stixTime(m.tenant?.created ?? PROVINCE_CREATED, `agency ${inc.tenant} created`);
  const agency: StixObject = { type: 'identity', spec_version: '2.1', id: stixId('identity', 'agency', inc.tenant), created: agencyCreated, modified: agencyCreated, ...base, name: agencyName, identity_class: 'organization', sectors: ['government-regional'] };

  const indicators = incidentIndicators(inc, m.events);
  const obs = incidentObservations(inc, m.events);
  const hide = redactor(inc, obs, new Set(indicators.map((i) => i.value)), sharing);
  const tags = attackTags(inc);
  const tactics = inc.tactics?.length ? inc.tactics : tacticsOf(tags);
  const incidentId = stixId('incident', inc.tenant, inc.id);
  const incident: StixObject = {
    type: 'incident', spec_version: '2.1', id: incidentId, ...at, ...base, lang: 'vi',
    name: hide(inc.title),
    description: description(inc, agencyName, hide),
    ...(tactics.length ? { kill_chain_phases: tactics.map((t) => ({ kill_chain_name: 'mitre-attack', phase_name: t.replace(/_/g, '-') })) } : {}),
    external_references: [{ source_name: 'canhgac', external_id: inc.id, description: `${agencyName} (${inc.tenant})` }, ...techniqueRefs(tags)],
    extensions: { [INCIDENT_CORE_EXTENSION]: incidentCore(inc) },
    x_canhgac_severity: inc.severity,
    x_canhgac_status: inc.status,
    x_canhgac_first_seen: stixTime(inc.first_seen, 'first_seen'),
    x_canhgac_last_seen: stixTime(inc.last_seen, 'last_seen'),
  };
  const objects: StixObject[] = [incident, relationship('related-to', incidentId, agency.id, at, base, 'Cơ quan xảy ra sự cố')];
  for (const i of indicators) {
    const id = stixId('indicator', inc.tenant, inc.id, i.type, i.value);
    objects.push({
      type: 'indicator', spec_version: '2.1', id, ...at, ...base,
      name: `${i.type} ${i.value}`, description: hide(i.why), lang: 'vi', indicator_types: ['malicious-activity'],
      pattern: stixPattern({ type: i.type, value: i.value } as Parameters<typeof stixPattern>[0]), pattern_type: 'stix', pattern_version: '2.1',
      valid_from: stixTime(inc.first_seen, 'first_seen'),
      ...(tactics.length ? { kill_chain_phases: tactics.map((t) => ({ kill_chain_name: 'mitre-attack', phase_name: t.replace(/_/g, '-') })) } : {}),
    });
    objects.push(relationship('indicates', id, incidentId, at, base));
  }
  if (sharing.observedData) {
    const scos = observationObjects(obs, marking);
    if (scos.length) {
      const od = stixId('observed-data', inc.tenant, inc.id);
      const first = stixTime(inc.first_seen, 'first_seen');
      const last = stixTime(inc.last_seen, 'last_seen');
      objects.push({
        type: 'observed-data', spec_version: '2.1', id: od, ...at, ...base,
        first_observed: first, last_observed: last < first ? first : last, number_observed: Math.min(Math.max(1, inc.count), 999_999_999),
        object_refs: scos.map((s) => s.id),
      }, ...scos, relationship('related-to', od, incidentId, at, base));
    }
    for (const h of obs.hosts) {
      const id = stixId('infrastructure', inc.tenant, h);
      objects.push({ type: 'infrastructure', spec_version: '2.1', id, ...at, ...base, name: h, description: `Máy bị tấn công của ${agencyName}` },
        relationship('related-to', incidentId, id, at, base, 'Máy bị ảnh hưởng'));
    }
  }
  return { objects, agency, sharing };
}

/** A bundle of incidents whose agencies share; those whose agency turned sharing off are left out and named in `skipped`. */
export function stixBundle(materials: IncidentMaterial[], opts: BundleOptions = {}): { bundle: StixBundle; skipped: { incident: string; tenant: string }[] } {
  const creator = provinceIdentity(opts.province);
  const byId = new Map<string, StixObject>([[creator.id, { ...creator }]]);
  const tlps = new Set<TenantSharing['tlp']>();
  const skipped: { incident: string; tenant: string }[] = [];
  for (const m of [...materials].sort((a, b) => a.incident.id.localeCompare(b.incident.id))) {
    if (!sharingOf(m.tenant).enabled) {
      skipped.push({ incident: m.incident.id, tenant: m.incident.tenant });
      continue;
    }
    const { objects, agency, sharing } = incidentObjects(m, creator.id);
    tlps.add(sharing.tlp);
    for (const o of [agency, ...objects]) if (!byId.has(o.id)) byId.set(o.id, o);
  }
  // the creator carries the strictest level of what it speaks for; the markings travel with the bundle
  const order: TenantSharing['tlp'][] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
  const strictest = order.filter((t) => tlps.has(t)).pop() ?? 'clear';
  byId.get(creator.id)!.object_marking_refs = [tlpMarking(strictest).id];
  const markings = order.filter((t) => tlps.has(t) || t === strictest).map(tlpMarking) as unknown as StixObject[];
  const objects = [...markings, ...byId.values()];
  const id = stixId('bundle', ...objects.map((o) => `${o.id}@${String(o.modified ?? '')}`).sort());
  return { bundle: { type: 'bundle', id, objects }, skipped };
}
