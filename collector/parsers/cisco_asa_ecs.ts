/**
 * What Elastic's cisco_asa pipeline does after a message's own grammar has been read, for every message id:
 * ECS categorization by message id (its script_ecs_categorization table), mapped (NAT) addresses and ports,
 * users with their security group tag, flow duration as event.start/end, and the host names in related.hosts.
 */
import { Doc, IANA_NUMBERS, TRANSPORT_BY_NUMBER, append, cleanIp, get, lookupTable, set, toInt } from './util';

interface Category {
  category?: string[];
  type: string[];
  outcome?: 'success' | 'failure';
  action?: string;
}

const deny = (action = 'firewall-rule'): Category => ({ type: ['connection', 'denied'], outcome: 'failure', action });
const conn = (type: string[], outcome?: 'success' | 'failure', action?: string): Category => ({ type, outcome, action });
const auth = (ok: boolean, action = ok ? 'logged-in' : 'logon-failed'): Category => ({
  category: ['authentication', 'network'], type: [ok ? 'allowed' : 'denied', 'info'], outcome: ok ? 'success' : 'failure', action,
});
const config = (type: string, outcome: 'success' | 'failure' = 'success'): Category => ({ category: ['configuration'], type: [type], outcome, action: 'configuration' });

/** Elastic's categorization by message id (the ids whose event.type/outcome/action it sets) */
const BY_ID: Record<string, Category> = lookupTable({
  ...Object.fromEntries(['106001', '106002', '106006', '106007', '106010', '106012', '106013', '106014', '106015', '106016', '106017', '106018',
    '106020', '106021', '106022', '106023', '106027', '106103', '313001', '313004', '313005', '313008', '313009', '322001', '434002', '710003',
    '710005', '710006'].map((id) => [id, deny()])),
  '110002': conn(['connection', 'info'], 'failure', 'firewall-rule'),
  '111007': config('info'),
  '111009': config('info'),
  '111010': config('change'),
  '113004': auth(true),
  '113005': auth(false),
  '113008': auth(true),
  '113009': auth(true),
  '113012': auth(true),
  '113015': auth(false),
  '113019': conn(['connection', 'end'], undefined, 'client-vpn-disconnected'),
  '113021': auth(false),
  '113022': conn(['info'], 'failure', 'server-failed'),
  '113023': conn(['info'], 'success', 'server-active'),
  ...Object.fromEntries(['113029', '113030', '113031', '113032', '113033', '113034', '113035', '113036', '113037', '113038', '113040']
    .map((id) => [id, deny('client-vpn-error')])),
  '113039': { category: ['network', 'session'], type: ['connection', 'start'], outcome: 'success', action: 'client-vpn-connected' },
  ...Object.fromEntries(['302013', '302015', '302020', '302022', '302024', '302026', '609001'].map((id) => [id, conn(['connection', 'start'], 'success', 'flow-creation')])),
  ...Object.fromEntries(['302016', '302018', '302021', '302023', '302025', '302027', '609002'].map((id) => [id, conn(['connection', 'end'], 'success', 'flow-expiration')])),
  ...Object.fromEntries(['302014', '302036', '302304', '302306'].map((id) => [id, conn(['connection', 'end'], undefined, 'flow-expiration')])),
  '303002': { category: ['network', 'file'], type: ['access'], outcome: 'success', action: 'ftp' },
  '304001': conn(['access', 'allowed'], 'success', 'url-access'),
  '304002': conn(['access', 'denied'], 'failure', 'url-access'),
  '305011': { category: ['network', 'configuration'], type: ['creation'], outcome: 'success', action: 'nat-slot' },
  '305012': { category: ['network', 'configuration'], type: ['deletion'], outcome: 'success', action: 'nat-slot' },
  '315011': conn(['connection', 'end'], undefined, 'ssh-session-ended'),
  ...Object.fromEntries(['338001', '338002', '338003', '338004', '338101', '338102', '338103', '338104', '338201', '338202']
    .map((id) => [id, conn(['connection', 'info'], undefined, 'dynamic-filter')])),
  ...Object.fromEntries(['338005', '338006', '338007', '338008', '338203', '338204'].map((id) => [id, deny('dynamic-filter')])),
  '338301': conn(['connection', 'info'], undefined, 'firewall-rule'),
  '419002': conn(['connection', 'info'], undefined, 'firewall-rule'),
  '425005': conn(['info'], undefined, 'interface-switchover'),
  '434004': conn(['info'], undefined, 'bypass'),
  '502103': { category: ['iam'], type: ['user', 'change'], outcome: 'success', action: 'privilege-level-changed' },
  '507003': conn(['connection', 'end'], undefined, 'flow-termination'),
  '602303': conn(['connection', 'start'], 'success', 'sa-created'),
  '602304': conn(['connection', 'end'], 'success', 'sa-deleted'),
  '605004': auth(false),
  '605005': auth(true),
  '607001': conn(['info'], 'success', 'firewall-rule'),
  '611101': auth(true),
  '611102': auth(false),
  '611103': { category: ['authentication', 'network'], type: ['info'], outcome: 'success', action: 'logged-out' },
  '713049': conn(['connection', 'start'], 'success', 'firewall-rule'),
  '713120': conn(['connection', 'info'], 'success', 'firewall-rule'),
  '713202': conn(['connection', 'info'], undefined, 'firewall-rule'),
  '713901': conn(['info'], 'failure', 'client-vpn-error'),
  '713902': conn(['info'], 'failure', 'client-vpn-error'),
  ...Object.fromEntries(['713903', '713904', '713905', '713906'].map((id) => [id, conn(['info'])])),
  '722055': conn(['connection', 'info']),
  // IP address assignment (IPAA): a pool address handed out or freed, or no server/pool to give one
  '737003': conn(['connection', 'info'], 'failure'),
  ...Object.fromEntries(['737006', '737016', '737026'].map((id) => [id, conn(['connection', 'info'], 'success')])),
  '737034': conn(['connection', 'info'], 'failure'),
  '716002': conn(['connection', 'end'], undefined, 'client-vpn-disconnected'),
  '716003': { category: ['authentication', 'network'], type: ['allowed', 'info'], outcome: 'success' },
  '716039': auth(false),
  '716058': conn(['connection', 'end'], undefined, 'client-vpn-disconnected'),
  '716059': conn(['connection', 'start'], undefined, 'client-vpn-resumed'),
  '721016': conn(['connection', 'start'], 'success', 'client-vpn-connected'),
  '721018': conn(['connection', 'end'], 'success', 'client-vpn-disconnected'),
  '725001': conn(['connection', 'start'], 'success'),
  '725002': conn(['connection', 'info'], 'success'),
  '725007': conn(['connection', 'end'], 'failure'),
  '725016': conn(['connection', 'info'], 'success'),
  '733100': conn(['info']),
  '734001': auth(true),
  '750002': conn(['connection', 'start'], 'success', 'connection-started'),
  '750003': conn(['connection', 'start'], 'failure'),
  '805001': conn(['connection', 'start'], 'success', 'flow-offload-started'),
  '805002': conn(['connection', 'end'], 'success', 'flow-offload-ended'),
});

/** 106100/106102's outcome word (permitted, denied, est-allowed) decides allowed or denied */
export function aclVerdict(word: string): Category {
  return word.toLowerCase() === 'denied' ? deny() : conn(['connection', 'allowed'], 'success', 'firewall-rule');
}

/** Sets event.category/type/outcome/action as Elastic does for this message id; every ASA message is network at least. */
export function categorize(doc: Doc, id: string, override?: Category): void {
  const c = override ?? BY_ID[id];
  if (!c) {
    if (get(doc, 'event.category') === undefined) set(doc, 'event.category', ['network']);
    return;
  }
  set(doc, 'event.category', c.category ?? ['network']);
  set(doc, 'event.type', [...c.type]);
  if (c.outcome) set(doc, 'event.outcome', c.outcome);
  if (c.action) set(doc, 'event.action', c.action);
}

/**
 * The mapped (translated) address and port the firewall logs next to a real one: an address goes to
 * cisco.asa.mapped_<side>_ip, a name to mapped_<side>_host; <side>.nat.* only when something was translated.
 */
export function setMapped(doc: Doc, side: 'source' | 'destination', addr: string | undefined, port: string | undefined, prefix = 'cisco.asa'): void {
  const ip = addr ? cleanIp(addr) : undefined;
  if (ip) set(doc, `${prefix}.mapped_${side}_ip`, ip);
  else if (addr) set(doc, `${prefix}.mapped_${side}_host`, addr);
  const p = toInt(port);
  if (p !== undefined) set(doc, `${prefix}.mapped_${side}_port`, p);
  if (ip && ip !== get(doc, `${side}.ip`)) set(doc, `${side}.nat.ip`, ip);
  if (p !== undefined && p !== get(doc, `${side}.port`)) set(doc, `${side}.nat.port`, p);
}

/**
 * A user written after an address, `(LOCAL\alice, 123)`, `(CORP\bob)`, `(123:Finance)` (a security group tag alone):
 * the raw name goes to cisco.asa.<side>_username, the bare name to <side>.user.name, the tag to <side>_user_security_group_tag.
 */
export function setUserOrSgt(doc: Doc, side: 'source' | 'destination', raw: string | undefined, prefix = 'cisco.asa'): void {
  if (!raw) return;
  const m = /^(.*?)\$?(?:,\s*(\d+)(?::(\w+))?)?$/.exec(raw.trim());
  if (!m) return;
  let user = m[1];
  let tag = m[2];
  let tagName = m[3];
  const sgtOnly = /^(\d+)(?::(\w+))?$/.exec(user);
  if (sgtOnly && !tag) [user, tag, tagName] = ['', sgtOnly[1], sgtOnly[2]];
  if (user) {
    set(doc, `${prefix}.${side}_username`, user);
    splitUser(doc, side, user);
  }
  if (tag) set(doc, `${prefix}.${side}_user_security_group_tag`, Number(tag));
  if (tagName) set(doc, `${prefix}.${side}_user_security_group_tag_name`, tagName);
}

/** `LOCAL\name`, `DOMAIN\name`, `name@domain`: the name, and the domain when one is written (LOCAL is the firewall's own database) */
export function splitUser(doc: Doc, side: 'source' | 'destination', user: string): void {
  let name = user.replace(/^LOCAL\\/, '');
  const slash = name.indexOf('\\');
  if (slash > 0) {
    set(doc, `${side}.user.domain`, name.slice(0, slash));
    name = name.slice(slash + 1);
  }
  const at = name.lastIndexOf('@');
  if (at > 0) {
    set(doc, `${side}.user.email`, name);
    set(doc, `${side}.user.domain`, name.slice(at + 1));
    name = name.slice(0, at);
  }
  if (name) set(doc, `${side}.user.name`, name);
}

/** `outside`, `v1:outside`: the interface a packet came in on (source) or left by (destination) */
export function setIface(doc: Doc, side: 'source' | 'destination', raw: string): void {
  // "v1:outside" → interface "outside": the prefix is a context/vlan label
  const name = raw.includes(':') ? raw.slice(raw.lastIndexOf(':') + 1) : raw;
  set(doc, `cisco.asa.${side}_interface`, name);
  set(doc, side === 'source' ? 'observer.ingress.interface.name' : 'observer.egress.interface.name', name);
}

/** `TCP`, `icmp`, `47`: network.transport and network.iana_number, each from the other */
export function setTransport(doc: Doc, t: string | undefined): void {
  if (!t) return;
  const lower = t.toLowerCase();
  if (IANA_NUMBERS[lower]) {
    set(doc, 'network.transport', lower);
    set(doc, 'network.iana_number', IANA_NUMBERS[lower]);
  } else if (/^\d+$/.test(lower)) {
    // `Deny protocol 47`: the number, and its name when it has one
    set(doc, 'network.iana_number', lower);
    set(doc, 'network.transport', TRANSPORT_BY_NUMBER[lower]);
  }
  else set(doc, 'network.transport', lower);
}

/** What every ASA event gets last: host names of the endpoints and users in related.hosts, user.name from the destination user. */
export function finishAsa(doc: Doc): void {
  for (const p of ['destination.domain', 'source.domain', 'source.user.domain', 'destination.user.domain']) {
    const v = get(doc, p);
    if (typeof v === 'string' && v !== '') append(doc, 'related.hosts', v);
  }
  const dstUser = get(doc, 'destination.user.name');
  if (get(doc, 'user.name') === undefined && typeof dstUser === 'string' && dstUser) set(doc, 'user.name', dstUser);
}
