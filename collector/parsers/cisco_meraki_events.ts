/**
 * Meraki `events` messages (MR wireless, MX VPN and DHCP): the `type=` subtypes and the free-text ones
 * (`Site-to-Site VPN: ...`, `dhcp lease of ip ...`, `dhcp no offers for mac ...`, `client_vpn_connect user id ...`)
 * of Meraki's "Syslog Event Types and Log Samples", each with the action, category and type Elastic's
 * cisco_meraki pipeline gives it. One table lookup per message; the free-text forms are tried by their first word.
 */
import { Doc, normalizeMac, set, setEndpoint } from './util';

interface Kind { action: string; category: string[]; type: string[] }
const kind = (action: string, category: string[], type: string[]): Kind => ({ action, category, type });

/** subtype -> what it is (Elastic's names where Elastic maps it, Meraki's word otherwise) */
const KINDS: Record<string, Kind> = Object.assign(Object.create(null), {
  dfs_event: kind('dynamic-frequency-selection-detected', ['network'], ['info']),
  association: kind('wifi-association-request', ['network'], ['info', 'access', 'connection']),
  disassociation: kind('wifi-disassociation-request', ['network', 'session'], ['info', 'access', 'end']),
  wpa_auth: kind('wifi-wpa-authentication', ['network', 'authentication'], ['info', 'start', 'access']),
  wpa_deauth: kind('wifi-wpa-failed-auth-or-deauth', ['network', 'authentication'], ['info', 'end', 'denied']),
  wpa_reauth: kind('wifi-wpa-reauthentication', ['network', 'authentication'], ['info', 'start', 'access']),
  '8021x_auth': kind('wifi-8021x-auth', ['network', 'authentication'], ['info', 'start', 'access']),
  '8021x_eap_success': kind('wifi-8021x-eap-success', ['network', 'authentication'], ['info', 'start', 'allowed']),
  '8021x_eap_failure': kind('wifi-8021x-eap-failure', ['network', 'authentication'], ['info', 'start', 'denied']),
  '8021x_deauth': kind('wifi-8021x-deauth', ['network', 'authentication'], ['info', 'end']),
  '8021x_client_deauth': kind('wifi-8021x-client-deauth', ['network', 'authentication'], ['info', 'end']),
  splash_auth: kind('splash-authentication', ['network', 'authentication'], ['info', 'start', 'access']),
  vpn_connectivity_change: kind('vpn-connectivity-change', ['network', 'session'], ['info', 'connection']),
  'Site-to-Site VPN': kind('site-to-site-vpn', ['network'], ['info', 'access']),
  dhcp_offer: kind('dhcp-offer', ['network'], ['info', 'access', 'allowed']),
  dhcp_no_offer: kind('dhcp-no-offer', ['network'], ['info', 'access', 'denied']),
  // Elastic files a remote-access client connection under its site-to-site action; the type says it started
  client_vpn_connect: kind('site-to-site-vpn', ['network', 'session'], ['info', 'access', 'allowed', 'start']),
  client_vpn_disconnect: kind('site-to-site-vpn', ['network', 'session'], ['info', 'access', 'end']),
});

const WIRELESS = /^(?:association|disassociation|wpa_auth|wpa_deauth|wpa_reauth|dfs_event|8021x_\w+|splash_auth|device_packet_flood|rogue_ssid_detected)$/;

function classify(doc: Doc, sub: string): void {
  set(doc, 'cisco_meraki.event_subtype', sub);
  const k = KINDS[sub];
  if (!k) return;
  set(doc, 'event.action', k.action);
  set(doc, 'event.category', [...k.category]);
  set(doc, 'event.type', [...k.type]);
}

/** `dhcp lease of ip <ip> from mx mac <mac> for client mac <mac> from router <ip> on subnet <mask> with dns <ip>` */
const LEASE = /^dhcp lease of ip ([\d.]+) from (?:mx|server) mac ([0-9A-Fa-f:]{17}) for client mac ([0-9A-Fa-f:]{17})(?: from router ([\d.]+))?(?: on subnet ([\d.]+))?(?: with dns (.+))?$/;
const NO_OFFER = /^dhcp no offers for mac ([0-9A-Fa-f:]{17})(?: host = ([\d.]+))?/;
/** `client_vpn_connect user id 'alice@x' local ip 172.16.0.145 connected from 81.2.69.193` (and `disconnected from`) */
const CLIENT_VPN = /^(client_vpn_(?:connect|disconnect)) user id '([^']*)' local ip ([\d.]+) (?:dis)?connected from ([\da-fA-F:.]+)/;
const TEXT = /^([A-Za-z][\w ./-]{1,40}):(.*)$/;

/** a free-text event; false when it is of no known form */
function freeText(doc: Doc, body: string): boolean {
  const lease = LEASE.exec(body);
  if (lease) {
    classify(doc, 'dhcp_offer');
    set(doc, 'network.protocol', 'dhcp');
    setEndpoint(doc, 'client', lease[1]);
    set(doc, 'client.mac', normalizeMac(lease[3]));
    set(doc, 'server.mac', normalizeMac(lease[2]));
    set(doc, 'cisco_meraki.dhcp.router', lease[4]);
    set(doc, 'cisco_meraki.dhcp.subnet', lease[5]);
    set(doc, 'cisco_meraki.dhcp.dns', lease[6]);
    return true;
  }
  const none = NO_OFFER.exec(body);
  if (none) {
    classify(doc, 'dhcp_no_offer');
    set(doc, 'network.protocol', 'dhcp');
    set(doc, 'client.mac', normalizeMac(none[1]));
    set(doc, 'cisco_meraki.dhcp.host', none[2]);
    return true;
  }
  const vpn = CLIENT_VPN.exec(body);
  if (vpn) {
    classify(doc, vpn[1]);
    set(doc, 'user.name', vpn[2]);
    set(doc, 'network.forwarded_ip', vpn[3]);
    setEndpoint(doc, 'client', vpn[4]);
    return true;
  }
  // free-text events name their subsystem first: `Site-to-Site VPN: <peer> IKE_SA ... established`
  const text = TEXT.exec(body);
  if (!text) return false;
  classify(doc, text[1]);
  if (/VPN/.test(text[1])) set(doc, 'cisco_meraki.device_type', 'MX');
  // the current release's name, and the older one's (queries written against either find it)
  if (text[1] === 'Site-to-Site VPN') set(doc, 'cisco_meraki.site_to_site_vpn.raw', text[2]);
  set(doc, 'cisco_meraki.events.raw', text[2]);
  return true;
}

export function events(doc: Doc, kv: Record<string, string>, body: string): void {
  const sub = kv.type;
  if (!sub) {
    freeText(doc, body);
    return;
  }
  classify(doc, sub);
  if (WIRELESS.test(sub)) set(doc, 'cisco_meraki.device_type', 'MR');
  // VPN state changes are the site-to-site tunnel's (Elastic's cisco_meraki.site_to_site_vpn.connectivity_change)
  const under = sub === 'vpn_connectivity_change' ? 'site_to_site_vpn.connectivity_change' : sub.replace(/[^\w]/g, '_');
  for (const [k, v] of Object.entries(kv)) set(doc, `cisco_meraki.${under}.${k.replace(/[^\w]/g, '_')}`, v);
  if (kv.client_mac) set(doc, 'client.mac', normalizeMac(kv.client_mac));
}
