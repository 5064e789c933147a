/**
 * Trend Micro Deep Security (Manager and Agent) syslog in CEF, as Trend Micro documents "Syslog message formats":
 * the event class id says which protection module spoke — anti-malware 4000000–4999999, web reputation
 * 5000000–5999999, firewall 20/21, intrusion prevention 10 and 1000000–1999999, integrity monitoring 30 and
 * 2000000–2999999, log inspection 40 and 3000000–3999999, application control 6000000–6999999, device control
 * 7000000–7999999, system events 100–7499 — and ECS follows Elastic's trendmicro.deep_security pipelines.
 * The relay rule (relay.ts): a Manager forwarding an Agent's event names the agent in dvchost/dvc; host.* is that
 * computer and observer.* the Manager that sent the line. Vendor values under trendmicro.deep_security.*.
 */
import type { Parser } from './types';
import { cef, mapCef } from './cef';
import { leefAsCef } from './trendmicro_leef';
import { Doc, get, lookupTable, related, set, toInt } from './util';

const DEEP_SECURITY = /CEF:\d+\|Trend Micro\|Deep Security (?:Agent|Manager|Virtual Appliance)\|/i;
const DEEP_SECURITY_LEEF = /LEEF:[12]\.0\|Trend Micro\|Deep Security (?:Agent|Manager|Virtual Appliance)\|/i;

interface Module { category: string; ecs: string[]; alert: boolean }

/** the protection module of a signature id (Elastic's ranges); undefined: an id Deep Security does not document */
function moduleOf(id: number): Module | undefined {
  if (id >= 4000000 && id <= 4999999) return { category: 'anti-malware-event', ecs: ['malware'], alert: true };
  if (id >= 5000000 && id <= 5999999) return { category: 'web-reputation-event', ecs: ['web', 'network'], alert: false };
  if (id === 20 || id === 21) return { category: 'firewall-event', ecs: ['network'], alert: false };
  if (id === 10 || (id >= 1000000 && id <= 1999999)) return { category: 'intrusion-prevention-event', ecs: ['intrusion_detection', 'network'], alert: true };
  if (id === 30 || (id >= 2000000 && id <= 2999999)) return { category: 'integrity-monitoring-event', ecs: ['file'], alert: false };
  if (id === 40 || (id >= 3000000 && id <= 3999999)) return { category: 'log-inspection-event', ecs: ['host'], alert: false };
  if (id >= 6000000 && id <= 6999999) return { category: 'application-control-event', ecs: ['process'], alert: false };
  if (id >= 7000000 && id <= 7999999) return { category: 'device-control-event', ecs: ['host'], alert: false };
  if (id >= 100 && id <= 7499) return { category: 'system-event', ecs: ['configuration'], alert: false };
  return undefined;
}

/** anti-malware ids that are detections (Elastic's list); the others are scan start/stop and updates */
const MALWARE_DETECTIONS = new Set([4000000, 4000001, 4000002, 4000003, 4000010, 4000011, 4000012, 4000013, 4000020, 4000030]);
const BLOCKING = /^(?:deny|denied|block|blocked|reset|drop|dropped|quarantine|delete|clean|deny access|terminate)/i;

/** Trend Micro's own extension keys (TrendMicroDs*) read into ECS and kept under trendmicro.deep_security */
const DS_KEYS: Record<string, string> = lookupTable({
  TrendMicroDsTenant: 'tenant', TrendMicroDsTenantId: 'tenant_id', TrendMicroDsMalwareTarget: 'malware_target',
  TrendMicroDsMalwareTargetType: 'malware_target_type', TrendMicroDsBehaviorType: 'behavior_type', TrendMicroDsBehaviorRuleID: 'behavior_rule_id',
  TrendMicroDsProcess: 'process', TrendMicroDsCommandLine: 'command_line', TrendMicroDsCve: 'cve', TrendMicroDsDetectionConfidence: 'detection_confidence',
  TrendMicroDsRelevantDetectionNames: 'relevant_detection_names', TrendMicroDsFrameType: 'frame_type', TrendMicroDsPacketData: 'packet_data',
  TrendMicroDsFileMD5: 'file_md5', TrendMicroDsFileSHA1: 'file_sha1', TrendMicroDsFileSHA256: 'file_sha256',
});

function refine(doc: Doc): void {
  const c = (doc.cef ?? {}) as Doc;
  const x = (c.extensions ?? {}) as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof x[k] === 'string' && x[k] !== '' ? (x[k] as string) : typeof x[k] === 'number' ? String(x[k]) : undefined);
  const id = toInt((c.device as Doc | undefined)?.event_class_id);
  const d = 'trendmicro.deep_security';
  set(doc, `${d}.signature_id`, id);
  set(doc, `${d}.name`, c.name);
  set(doc, `${d}.device.product`, (c.device as Doc | undefined)?.product);
  for (const [k, v] of Object.entries(DS_KEYS)) set(doc, `${d}.${v}`, str(k));
  for (const n of [1, 2, 3]) {
    const label = str(`deviceCustomNumber${n}Label`);
    if (label) set(doc, `${d}.device.custom_number${n}`, { label, value: str(`deviceCustomNumber${n}`) });
  }
  for (const n of [1, 2, 3, 4, 5, 6]) {
    const label = str(`deviceCustomString${n}Label`);
    if (label) set(doc, `${d}.device.custom_string${n}`, { label, value: str(`deviceCustomString${n}`) });
  }
  for (const [k, ecs] of [['TrendMicroDsFileMD5', 'md5'], ['TrendMicroDsFileSHA1', 'sha1'], ['TrendMicroDsFileSHA256', 'sha256']] as const) {
    const h = str(k)?.toLowerCase();
    if (h && /^[0-9a-f]{32,64}$/.test(h)) {
      set(doc, `file.hash.${ecs}`, h);
      related(doc, 'hash', h);
    }
  }
  if (str('TrendMicroDsCve')) set(doc, 'vulnerability.id', str('TrendMicroDsCve')!.split(/[,\s]+/).filter(Boolean));
  if (str('TrendMicroDsProcess')) set(doc, 'process.executable', str('TrendMicroDsProcess'));
  if (str('TrendMicroDsCommandLine')) set(doc, 'process.command_line', str('TrendMicroDsCommandLine'));
  const mod = id === undefined ? undefined : moduleOf(id);
  if (!mod) return;
  set(doc, `${d}.event_category`, mod.category);
  const action = str('deviceAction') ?? str('act') ?? '';
  const blocked = BLOCKING.test(action);
  const alert = mod.category === 'anti-malware-event' ? MALWARE_DETECTIONS.has(id!) : mod.alert;
  // the module decides, not the event name: an IPS rule called "...Exploit..." is not a malware detection
  set(doc, 'event.kind', alert ? 'alert' : 'event');
  set(doc, 'event.category', [...mod.ecs]);
  set(doc, 'event.type', mod.category === 'integrity-monitoring-event' ? ['change'] : blocked ? ['denied'] : ['info']);
  if (mod.category === 'anti-malware-event' && alert) {
    set(doc, `${d}.malware.name`, c.name);
    set(doc, 'threat.software.name', c.name);
    set(doc, 'rule.name', c.name);
  } else if (mod.category === 'intrusion-prevention-event' || mod.category === 'firewall-event' || mod.category === 'log-inspection-event') {
    set(doc, 'rule.name', c.name);
    set(doc, 'rule.id', str('deviceCustomNumber1') ?? String(id));
    if (get(doc, 'threat.software.name') === c.name) delete (doc.threat as Doc).software;
  } else if (get(doc, 'threat.software.name') === c.name) {
    delete (doc.threat as Doc).software;
  }
  if (mod.category === 'system-event' && /sign(?:ed)? in|log(?:ged)? ?in/i.test(String(c.name ?? ''))) {
    set(doc, 'event.category', ['authentication']);
    set(doc, 'event.type', ['start']);
    set(doc, 'event.outcome', /fail/i.test(String(c.name)) ? 'failure' : 'success');
  }
}

export const trendmicro: Parser = {
  name: 'trendmicro',
  dataset: 'trendmicro.deep_security',
  observer: { vendor: 'Trend Micro', product: 'Deep Security', type: 'host-security' },
  detect: (line) => DEEP_SECURITY.test(line) || DEEP_SECURITY_LEEF.test(line),
  parseLine(doc, line, h, ctx) {
    if (DEEP_SECURITY_LEEF.test(line)) {
      const decoded = leefAsCef(h.rest.includes('LEEF:') ? h.rest : line);
      set(doc, 'cef', decoded);
      delete doc.message;
      // the syslog sender: the Manager when it relays an agent's event (mapCef applies the relay rule)
      if (h.hostname) set(doc, 'observer.hostname', h.hostname);
      mapCef(doc, decoded);
    } else cef.parseLine!(doc, line, h, ctx);
    refine(doc);
    delete doc.cef;
    // the family's dataset, not the generic CEF one cef.ts may have written
    const ev = doc.event as Doc;
    delete ev.dataset;
    delete ev.module;
  },
};
