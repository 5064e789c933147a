/**
 * Cisco IOS messages whose text Elastic's cisco_ios pipeline reads field by field, by mnemonic: access-list
 * hits in every form (IPACCESSLOGP/DP/RP/SP/NP, ACCESSLOGP/DP/SP/NP), the zone firewall's session audit trail
 * and packet drops (FW SESS_AUDIT_TRAIL, DROP_PKT), session logouts (LOGOUT) and PIM joins for an invalid RP.
 */
import { Doc, IANA_NUMBERS, TRANSPORT_BY_NUMBER, set, setEndpoint, toInt } from './util';

type Handler = (doc: Doc, text: string) => boolean;

/** `10.0.0.1(1234)` or `10.0.0.1` */
function hostPort(s: string): [string, string | undefined] {
  const m = /^([^()\s]+)(?:\((\d+)\))?$/.exec(s);
  return m ? [m[1], m[2]] : [s, undefined];
}

function verdict(doc: Doc, word: string): void {
  const allowed = word === 'permitted';
  set(doc, 'event.action', allowed ? 'allow' : 'deny');
  set(doc, 'event.type', ['info', allowed ? 'allowed' : 'denied']);
}

// `list 101 denied tcp 10.0.0.1(1234) -> 10.0.0.2(80), 1 packet`; `... icmp a -> b (8/0), 3 packets`; `... 47 a -> b, 1 packet`
const ACL = /^list (\S+) (permitted|denied) (\S+) (\S+) (?:->|to) (\S+?)(?: \((\d+)(?:\/(\d+))?\))?, (\d+) packets?/;

const accessList: Handler = (doc, text) => {
  const m = ACL.exec(text);
  if (!m) return false;
  const [src, sport] = hostPort(m[4]);
  const [dst, dport] = hostPort(m[5]);
  setEndpoint(doc, 'source', src, sport);
  setEndpoint(doc, 'destination', dst, dport);
  const proto = m[3].toLowerCase();
  if (/^\d+$/.test(proto)) {
    set(doc, 'network.iana_number', proto);
    set(doc, 'network.transport', TRANSPORT_BY_NUMBER[proto]);
  } else if (proto === 'ip' || proto === 'ipv6') set(doc, 'network.type', proto === 'ip' ? 'ipv4' : 'ipv6');
  else {
    set(doc, 'network.transport', proto);
    set(doc, 'network.iana_number', IANA_NUMBERS[proto]);
  }
  if (m[6] !== undefined && m[7] !== undefined) {
    set(doc, 'icmp.type', m[6]);
    set(doc, 'icmp.code', m[7]);
  } else if (m[6] !== undefined) set(doc, 'igmp.type', m[6]);
  set(doc, 'cisco.ios.access_list', m[1]);
  set(doc, 'rule.name', m[1]);
  set(doc, 'source.packets', toInt(m[8]));
  set(doc, 'network.packets', toInt(m[8]));
  verdict(doc, m[2]);
  return true;
};

// `(initiator (10.1.1.5:51000) sent 420 bytes -- responder (192.0.2.8:443) sent 5120 bytes, from GigabitEthernet0/0)`
const auditTrail: Handler = (doc, text) => {
  const m = /initiator \(([^()\s]+):(\d+)\) sent (\d+) bytes -- responder \(([^()\s]+):(\d+)\) sent (\d+) bytes, from (\S+?)\)?$/.exec(text);
  if (!m) return false;
  setEndpoint(doc, 'source', m[1], m[2]);
  setEndpoint(doc, 'destination', m[4], m[5]);
  const sent = toInt(m[3]);
  const received = toInt(m[6]);
  set(doc, 'source.bytes', sent);
  set(doc, 'destination.bytes', received);
  if (sent !== undefined && received !== undefined) set(doc, 'network.bytes', sent + received);
  set(doc, 'cisco.ios.interface.name', m[7]);
  set(doc, 'event.type', ['connection', 'end']);
  return true;
};

// `Dropping tcp pkt from GigabitEthernet0/1 198.51.100.7:4444 => 10.1.1.9:3389 due to policy match failure`
const dropPacket: Handler = (doc, text) => {
  const m = /^Dropping (\w+) \w+ from (\S+) ([^\s:]+):(\d+) ?=> ?([^\s:]+):(\d+)(?: (.*))?$/.exec(text);
  if (!m) return false;
  setEndpoint(doc, 'source', m[3], m[4]);
  setEndpoint(doc, 'destination', m[5], m[6]);
  set(doc, 'network.transport', m[1].toLowerCase());
  set(doc, 'cisco.ios.interface.name', m[2]);
  if (m[7]) set(doc, 'event.reason', m[7].replace(/^due to /, ''));
  set(doc, 'event.action', 'deny');
  set(doc, 'event.type', ['info', 'denied']);
  return true;
};

// `User admin has exited tty session 2(10.1.1.5)`
const logout: Handler = (doc, text) => {
  const m = /^User (\S+) has (\S+) (\S+) session (\S+?)\(([^()]*)\)/.exec(text);
  if (!m) return false;
  set(doc, 'source.user.name', m[1]);
  set(doc, 'user.name', m[1]);
  set(doc, 'cisco.ios.action', m[2]);
  set(doc, 'cisco.ios.session.type', m[3]);
  set(doc, 'cisco.ios.session.number', m[4]);
  setEndpoint(doc, 'source', m[5]);
  set(doc, 'event.action', 'logged-out');
  set(doc, 'event.category', ['authentication']);
  set(doc, 'event.type', ['end']);
  return true;
};

// `Received (*, 239.1.1.1) Join from 10.1.1.2 for invalid RP 10.9.9.9`
const invalidRpJoin: Handler = (doc, text) => {
  const m = /^Received \(([^,()]+), ([^()]+)\) (\w+) from (\S+) for (.+?) (\S+)$/.exec(text);
  if (!m) return false;
  if (m[1].trim() !== '*') set(doc, 'cisco.ios.pim.source.ip', m[1].trim());
  set(doc, 'cisco.ios.pim.group.ip', m[2].trim());
  set(doc, 'cisco.ios.action', m[3]);
  set(doc, 'cisco.ios.outcome', m[5]);
  setEndpoint(doc, 'source', m[4]);
  setEndpoint(doc, 'destination', m[6]);
  set(doc, 'event.action', 'multicast-join');
  set(doc, 'event.outcome', 'failure');
  set(doc, 'event.reason', 'Invalid RP');
  return true;
};

const BY_MNEMONIC: Record<string, Handler> = Object.assign(Object.create(null) as Record<string, Handler>, {
  ...Object.fromEntries(['IPACCESSLOGP', 'IPACCESSLOGDP', 'IPACCESSLOGRP', 'IPACCESSLOGSP', 'IPACCESSLOGNP', 'ACCESSLOGP', 'ACCESSLOGDP', 'ACCESSLOGSP', 'ACCESSLOGNP']
    .map((m) => [m, accessList])),
  LOGOUT: logout,
  INVALID_RP_JOIN: invalidRpJoin,
});

/** Reads the message of this mnemonic when it is one of Elastic's field-by-field ones; false when it is not (or does not match). */
export function readCatalogue(doc: Doc, facility: string, mnemonic: string, text: string): boolean {
  if (facility === 'FW' && mnemonic === 'SESS_AUDIT_TRAIL') return auditTrail(doc, text);
  if (facility === 'FW' && mnemonic === 'DROP_PKT') return dropPacket(doc, text);
  const h = BY_MNEMONIC[mnemonic];
  return h ? h(doc, text) : false;
}
