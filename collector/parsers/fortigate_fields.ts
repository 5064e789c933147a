/**
 * FortiGate field tables by log type, as Elastic's fortinet_fortigate pipelines (default, traffic, utm, event) read them:
 * which keys move to an ECS field and leave fortinet.firewall.* (the others stay, even when copied), the direction of a
 * session (the device's `direction`/`dir` key, else private against public addresses) and the TLS fields of utm/ssl logs.
 * Kept apart from fortigate.ts so that file stays one dispatch by type.
 */
import type { Doc } from './util';
import { set } from './util';

const COMMON_MOVED = [
  'date', 'time', 'tz', 'eventtime', 'devname', 'devid', 'logid', 'level', 'msg', 'srcintf', 'dstintf', 'duration', 'dstmac',
  'eventtype', 'reason', 'eventsubtype', 'dir', 'direction', 'srcip', 'dstip', 'srcport', 'dstport', 'sentbyte', 'rcvdbyte',
  'sentpkt', 'rcvdpkt', 'proto', 'service', 'policyid', 'user', 'unauthuser', 'group', 'srcmac', 'url', 'logdesc', 'policyname',
  'filename', 'app', 'appcat', 'srcname', 'logver',
];
/** keys each type's pipeline renames away from fortinet.firewall.* (beyond the common ones) */
const MOVED_BY_TYPE: Record<string, Set<string>> = {
  traffic: new Set([...COMMON_MOVED, 'dstname', 'dstunauthuser', 'srcdomain', 'comment', 'poluuid', 'policytype', 'srcthreatfeed',
    'tranport', 'transport']),
  utm: new Set([...COMMON_MOVED, 'remip', 'remport', 'locip', 'locport', 'recipient', 'srcdomain', 'httpmethod', 'referralurl', 'agent',
    'applist', 'catdesc', 'error', 'errorcode', 'event_id', 'eventid', 'filetype', 'infectedfilename', 'infectedfilesize',
    'infectedfiletype', 'matchedfilename', 'matchedfiletype', 'hostname', 'ipaddr', 'policy_id', 'profile', 'qclass', 'qname',
    'qtype', 'xid', 'scertissuer', 'ccertissuer', 'sender', 'issuer', 'authalgo', 'keyalgo', 'notbefore', 'notafter', 'keysize',
    'sn', 'certhash', 'kxcurve', 'cipher', 'sni', 'ref', 'filehash', 'cn', 'san', 'dst_port', 'src_port', 'scertcname', 'filesize',
    'dtype', 'tlsver']),
};

/**
 * Whether `key` of a traffic or utm log leaves fortinet.firewall.* for an ECS field, as Elastic's pipeline for that type
 * does; undefined for other types (event logs keep the parser's own table).
 */
export function movedFromFirewall(type: string | undefined, key: string): boolean | undefined {
  return MOVED_BY_TYPE[type ?? '']?.has(key);
}

/** RFC 1918 and IPv6 unique local addresses: the "private" networks of Elasticsearch's network_direction processor. */
export function isPrivateAddress(ip: string | undefined): boolean {
  if (!ip) return false;
  if (ip.includes(':')) return /^f[cd][0-9a-f]{2}:/i.test(ip);
  const p = ip.split('.');
  if (p.length !== 4) return false;
  const a = Number(p[0]);
  const b = Number(p[1]);
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

const DIRECTION_WORD: Record<string, string> = { outgoing: 'outbound', incoming: 'inbound' };
const ECS_DIRECTIONS = new Set(['ingress', 'egress', 'inbound', 'outbound', 'internal', 'external']);

/** network.direction: the device's own word (outgoing/incoming…), else private or public source and destination. */
export function sessionDirection(kv: Record<string, string>, srcIp: string | undefined, dstIp: string | undefined): string | undefined {
  const word = (kv.dir ?? kv.direction)?.toLowerCase();
  if (word) {
    const d = DIRECTION_WORD[word] ?? word;
    return ECS_DIRECTIONS.has(d) ? d : 'unknown';
  }
  if (!srcIp || !dstIp) return undefined;
  const s = isPrivateAddress(srcIp);
  const t = isPrivateAddress(dstIp);
  return s && t ? 'internal' : s ? 'outbound' : t ? 'inbound' : 'external';
}

/** tls.* of utm/ssl logs: version from tlsver ("tls1.2" → tls 1.2), the SNI as the destination's name. */
export function mapTls(doc: Doc, kv: Record<string, string>): void {
  const ver = kv.tlsver?.toLowerCase();
  const m = ver ? /\d/.exec(ver) : null;
  if (ver && m) {
    set(doc, 'tls.version_protocol', ver.slice(0, m.index));
    const v = ver.slice(m.index);
    set(doc, 'tls.version', v.includes('.') ? v : `${v}.0`);
  }
  if (kv.sni) {
    set(doc, 'tls.client.server_name', kv.sni);
    if (!(doc.destination as Doc | undefined)?.domain) set(doc, 'destination.domain', kv.sni);
  }
  if (kv.cipher) set(doc, 'tls.cipher', kv.cipher);
  if (kv.kxcurve) set(doc, 'tls.curve', kv.kxcurve);
  if (kv.scertissuer) set(doc, 'tls.server.issuer', kv.scertissuer);
  if (kv.scertcname) set(doc, 'tls.server.x509.subject.common_name', [kv.scertcname]);
  if (kv.certhash) set(doc, 'tls.server.hash.sha1', kv.certhash);
  if (kv.handshake === 'full') set(doc, 'tls.established', true);
}
