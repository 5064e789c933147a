/**
 * Junos system log lines (everything that is not an RT_FLOW/RT_UTM/RT_IDP/RT_IDS/RT_AAMW/RT_SECINTEL
 * security record): `process[pid]: TAG: text`, a PFE line `(FPC Slot 1, PIC Slot 1) PFE_FW_SYSLOG_IP: FW: ...`
 * or `node1.fpc0 PFE_FW_SYSLOG_IP: ...`, and RFC 5424 records with a `[junos@...]` block (KMD_PM_SA_ESTABLISHED).
 * Read as Elastic's juniper_srx system pipeline does: process and tag, then the firewall filter (FW), RTLOG
 * connection errors, RPM ping tests, ARP address changes and IKE negotiation failures.
 */
import type { SyslogHeader } from './syslog';
import { Doc, append, normalizeMac, set, setEndpoint, toInt } from './util';

/** `(FPC Slot 1, PIC Slot 1) PFE_FW_SYSLOG_IP: ` or `node1.fpc0 PFE_FW_SYSLOG_IP: ` or `rmopd[10286]: ` before the tag */
const SUB_PROGRAM = /^(?:\([^()]{0,80}\) |[\w.-]{1,64} )?([A-Za-z][\w-]{0,63})(?:\[(\d{1,10})\])?: (?=[A-Za-z_]{1,64}:)/;
const TAG = /^([A-Za-z_]{1,64}): ?/;
/** the junos@ keys: a key is lower-case, digits, `-` or `_`; a value quoted (RFC 5424 escapes) or bare up to a space */
const SD_PAIR = /([a-z0-9_-]{1,64})=("(?:[^"\\]|\\.)*"?|[^\s"\]]*"?)/g;

/** Junos severity words as Elastic's juniper_srx pipeline writes log.level */
export const JUNOS_LEVELS = ['emergency', 'alert', 'critical', 'error', 'warning', 'notification', 'informational', 'debug'];

const FILTER_ACTIONS: Record<string, string> = { A: 'allowed', D: 'denied', R: 'denied' };

/** `[junos@2636... key="v" ...]` read even when a quote is missing (`remote-address=192.0.2.1"`), as Elastic's kv does */
export function junosPairs(raw: string): Record<string, string> | undefined {
  if (!raw.startsWith('[junos@')) return undefined;
  const out: Record<string, string> = {};
  SD_PAIR.lastIndex = 0;
  for (let m = SD_PAIR.exec(raw); m; m = SD_PAIR.exec(raw)) {
    out[m[1]] = m[2].replace(/^"|"$/g, '').replace(/\\(["\\\]])/g, '$1');
  }
  return out;
}

function firewall(doc: Doc, text: string): void {
  const m = /^(\S+) ([ADR]) (\S+) ([\da-fA-F:.]+) ([\da-fA-F:.]+) (\d+) (\d+)(?: +\((\d+) packets?\))?/.exec(text.trim());
  if (!m) return;
  set(doc, 'observer.ingress.interface.name', m[1]);
  set(doc, 'juniper.srx.firewall.filter_action', m[2]);
  append(doc, 'event.type', FILTER_ACTIONS[m[2]], 'connection');
  set(doc, 'network.transport', m[3].toLowerCase());
  setEndpoint(doc, 'source', m[4], m[6]);
  setEndpoint(doc, 'destination', m[5], m[7]);
  set(doc, 'source.packets', toInt(m[8]));
}

function connError(doc: Doc, text: string): void {
  const m = /^Connection error (\S+) (.*?)\s*$/.exec(text.trim());
  if (!m) return;
  set(doc, 'juniper.srx.rtlog_conn_error.stream_name', m[1]);
  set(doc, 'juniper.srx.rtlog_conn_error.err_msg', m[2]);
  const e = /^(?:status: (\S+), )?Error code: major (\d+) minor (\d+) code (\d+), description:(.*)$/.exec(m[2]);
  if (e) {
    set(doc, 'juniper.srx.rtlog_conn_error.status', toInt(e[1]));
    set(doc, 'juniper.srx.rtlog_conn_error.major', toInt(e[2]));
    set(doc, 'juniper.srx.rtlog_conn_error.minor', toInt(e[3]));
    set(doc, 'juniper.srx.rtlog_conn_error.code', toInt(e[4]));
    set(doc, 'juniper.srx.rtlog_conn_error.description', e[5].trim());
  }
  append(doc, 'event.type', 'error', 'connection');
  set(doc, 'event.outcome', 'failure');
}

function pingTest(doc: Doc, text: string): void {
  const m = /pingCtlOwnerIndex = ([^,]*), pingCtlTestName = (.*?)\s*$/.exec(text);
  if (!m) return;
  set(doc, 'juniper.srx.ping_test.owner', m[1]);
  set(doc, 'juniper.srx.ping_test.name', m[2]);
  append(doc, 'event.type', 'info');
  set(doc, 'event.outcome', 'success');
}

function arpChange(doc: Doc, text: string): void {
  const m = /arp info overwritten for (\S+) from (\S+) to (\S+)/.exec(text);
  if (!m) return;
  set(doc, 'juniper.srx.kern_arp_addr_change', { ip: m[1], mac1: m[2], mac2: m[3] });
  setEndpoint(doc, 'source', m[1]);
  set(doc, 'source.mac', normalizeMac(m[3]));
  append(doc, 'event.type', 'change');
}

const IKE = /^IKE negotiation failed with error: (.*?)\. IKE Version: ([^,]*), VPN: (.*?) Gateway: ([^,]*), Local: ([^,]*), Remote: ([^,]*), Local IKE-ID: ([^,]*), Remote IKE-ID: ([^,]*), VR-ID: ([^,]*), Role: (.*?)\s*$/;

function ikeFailure(doc: Doc, text: string): boolean {
  const m = IKE.exec(text);
  if (!m) return false;
  set(doc, 'juniper.srx.tag', 'IKE negotiation');
  set(doc, 'juniper.srx.ike_negotiation', {
    err_msg: m[1], version: m[2], vpn: m[3], gateway: m[4], local: { ip_range: m[5], ike_id: m[7] }, remote: { ip_range: m[6], ike_id: m[8] }, vr_id: m[9], role: m[10],
  });
  const [lip, lport] = m[5].split('/');
  const [rip, rport] = m[6].split('/');
  setEndpoint(doc, 'source', lip, lport);
  setEndpoint(doc, 'destination', rip, rport);
  set(doc, 'event.reason', m[1]);
  append(doc, 'event.type', 'error');
  set(doc, 'event.outcome', 'failure');
  return true;
}

const BY_TAG: Record<string, (doc: Doc, text: string) => void> = Object.assign(Object.create(null), {
  FW: firewall, RTLOG_CONN_ERROR: connError, PING_TEST_COMPLETED: pingTest, KERN_ARP_ADDR_CHANGE: arpChange,
});

function keepPairs(doc: Doc, kv: Record<string, string>): void {
  for (const [k, v] of Object.entries(kv)) {
    if (v === 'None' || v === 'UNKNOWN' || v === 'N/A' || v === '-') continue;
    set(doc, `juniper.srx.${k.replace(/[^\w]/g, '_')}`, v);
  }
  setEndpoint(doc, 'source', kv['local-address']);
  setEndpoint(doc, 'destination', kv['remote-address']);
}

/** Reads a Junos system line; its process and tag when the line names them, the tag's fields when known */
export function readSystem(doc: Doc, h: SyslogHeader, sd: Record<string, string> | undefined): void {
  set(doc, 'juniper.srx.log_type', 'system');
  set(doc, 'event.kind', 'event');
  append(doc, 'event.category', 'network');
  let process = h.appname;
  let text = h.message;
  if (sd) keepPairs(doc, sd);
  if (h.rawStructuredData && text.startsWith(h.rawStructuredData)) text = text.slice(h.rawStructuredData.length).trimStart();
  const sub = SUB_PROGRAM.exec(text);
  if (sub) {
    process ??= sub[1];
    if (sub[2]) set(doc, 'process.pid', toInt(sub[2]));
    text = text.slice(sub[0].length);
  }
  if (process) {
    set(doc, 'juniper.srx.process', process);
    set(doc, 'process.name', process);
  }
  if (h.msgid) set(doc, 'juniper.srx.tag', h.msgid);
  if (ikeFailure(doc, text)) return;
  const tag = TAG.exec(text);
  if (!tag) return;
  if (!h.msgid) set(doc, 'juniper.srx.tag', tag[1]);
  BY_TAG[tag[1]]?.(doc, text.slice(tag[0].length));
}
