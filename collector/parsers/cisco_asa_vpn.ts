/**
 * Cisco ASA/FTD remote-access VPN session messages (113039, 716001/716002, 7220xx): Cisco's message
 * catalogue words them all `Group <group> User <user> IP <address> <text>`, the brackets optional on some
 * releases. The user may be `DOMAIN\name` or an e-mail address; the text after the address is the reason.
 */
import { Doc, append, set, setEndpoint } from './util';

interface Vpn { action?: string; category: string[]; type: string[]; outcome?: 'success' | 'failure'; reason: boolean }

const net = (type: string[], outcome?: 'success', action?: string): Vpn => ({ action, category: ['network'], type, outcome, reason: true });

const MESSAGES: Record<string, Vpn> = Object.assign(Object.create(null) as Record<string, Vpn>, {
  '113039': { action: 'client-vpn-connected', category: ['network', 'session'], type: ['connection', 'start'], reason: false },
  '716001': { action: 'client-vpn-connected', category: ['network', 'session'], type: ['connection', 'start'], reason: false },
  '716002': { action: 'client-vpn-disconnected', category: ['network', 'session'], type: ['connection', 'end'], reason: true },
  '722010': net(['info']),
  '722011': net(['info']),
  '722012': net(['info']),
  '722022': net(['connection', 'info'], 'success'),
  '722023': net(['connection', 'end'], 'success'),
  '722028': net(['connection', 'end']),
  '722032': net(['connection', 'info']),
  '722033': net(['connection', 'start'], 'success'),
  '722034': net(['connection', 'info']),
  '722037': net(['connection', 'end']),
  '722051': net(['connection', 'info'], 'success', 'address-assigned'),
});

const PREFIX = /^Group\s+(?:<([^>]*)>|(\S+))\s+User\s+(?:<([^>]*)>|(\S+))\s+IP\s+(?:<([^>]*)>|(\S+))\s*(.*)$/;

export function isVpnSession(id: string): boolean {
  return id in MESSAGES;
}

/** Maps one VPN session message; false when it does not start `Group … User … IP …`. */
export function mapVpnSession(doc: Doc, id: string, msg: string): boolean {
  const m = PREFIX.exec(msg);
  if (!m) return false;
  const v = MESSAGES[id];
  const group = m[1] ?? m[2];
  const user = m[3] ?? m[4];
  const rest = m[7].trim();
  set(doc, 'source.user.group.name', group);
  setVpnUser(doc, user);
  setEndpoint(doc, 'source', m[5] ?? m[6]);
  if (v.action) set(doc, 'event.action', v.action);
  append(doc, 'event.category', ...v.category);
  append(doc, 'event.type', ...v.type);
  if (v.outcome) set(doc, 'event.outcome', v.outcome);
  if (v.reason && rest) set(doc, 'event.reason', rest);
  // `First UDP SVC connection established`, `New TCP SVC connection`: the tunnel's transport
  const svc = /^(?:First |New )?(TCP|UDP|DTLS) SVC connection/i.exec(rest);
  if (svc && /^(?:First|New) /.test(rest)) {
    const t = svc[1].toLowerCase() === 'dtls' ? 'udp' : svc[1].toLowerCase();
    set(doc, 'network.transport', t);
    set(doc, 'network.iana_number', t === 'udp' ? '17' : '6');
  }
  const assigned = /IPv4 Address <([^>]+)>/i.exec(rest);
  if (id === '722051' && assigned && assigned[1] !== '0.0.0.0') set(doc, 'cisco.asa.assigned_ip', assigned[1]);
  return true;
}

/** `nt\minsk` → domain nt, name minsk; `ana@corp.example` → e-mail, name ana, domain corp.example */
export function setVpnUser(doc: Doc, user: string | undefined): void {
  if (!user) return;
  const slash = user.indexOf('\\');
  const at = user.lastIndexOf('@');
  let name = user;
  if (slash > 0) {
    set(doc, 'source.user.domain', user.slice(0, slash));
    name = user.slice(slash + 1);
  } else if (at > 0) {
    set(doc, 'source.user.email', user);
    set(doc, 'source.user.domain', user.slice(at + 1));
    name = user.slice(0, at);
  }
  set(doc, 'source.user.name', name);
  set(doc, 'user.name', name);
}
