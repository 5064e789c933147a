/**
 * PAN-OS GLOBALPROTECT logs (PAN-OS 9.1 and later): the VPN client's stage, user, machine, public/private addresses,
 * client version and OS, status and portal, positioned as the PAN-OS syslog field description lists them and mapped as
 * Elastic's panw.panos pipeline does. Kept apart from panos.ts, which dispatches here by log type.
 */
import { Doc, append, set, toInt } from './util';

/** the GLOBALPROTECT columns after the 7 common ones (future_use, receive time, serial, type, subtype, future_use, time) */
export const GLOBALPROTECT_LAYOUT = [
  'vsys', 'event_id', 'stage', 'auth_method', 'tunnel_type', 'srcuser', 'srcregion', 'machinename', 'public_ip', 'public_ipv6',
  'private_ip', 'private_ipv6', 'hostid', 'serialnumber', 'client_ver', 'client_os', 'client_os_ver', 'repeat_count', 'reason',
  'error', 'description', 'status', 'location', 'login_duration', 'connect_method', 'error_code', 'portal', 'seqno', 'action_flags',
  'high_res_timestamp', 'selection_type', 'response_time', 'priority', 'attempted_gateways', 'gateway',
];

const usable = (ip: string | undefined): string | undefined => (ip && ip !== '0.0.0.0' && ip !== '::' ? ip : undefined);

/** Maps one GLOBALPROTECT record (named columns in `f`) onto `doc`. */
export function mapGlobalProtect(doc: Doc, f: Record<string, string>): void {
  const p = 'panw.panos';
  set(doc, 'event.code', f.event_id);
  set(doc, 'event.action', f.event_id);
  append(doc, 'event.category', 'network');
  const status = f.status?.toLowerCase();
  set(doc, 'event.outcome', status === 'success' ? 'success' : status === 'failure' || status === 'fail' ? 'failure' : undefined);
  const dur = toInt(f.login_duration);
  if (dur !== undefined) set(doc, 'event.duration', dur * 1e9);
  for (const k of ['stage', 'auth_method', 'tunnel_type', 'client_ver', 'portal', 'description', 'reason', 'error', 'location',
    'connect_method', 'selection_type', 'gateway']) set(doc, `${p}.${k}`, f[k]);
  set(doc, `${p}.virtual_sys`, f.vsys);
  set(doc, `${p}.serial_number`, f.serialnumber);
  set(doc, `${p}.repeat_count`, toInt(f.repeat_count));
  set(doc, `${p}.error_code`, toInt(f.error_code));
  const priv = usable(f.private_ip) ?? usable(f.private_ipv6);
  const pub = usable(f.public_ip) ?? usable(f.public_ipv6);
  set(doc, 'host.id', f.hostid);
  if (f.private_ip) set(doc, 'host.ip', [f.private_ip]);
  if (f.machinename) {
    set(doc, 'host.name', f.machinename.toLowerCase());
    append(doc, 'related.hosts', f.machinename.toLowerCase());
  }
  if (f.client_os) set(doc, 'host.os.family', f.client_os);
  if (f.client_os_ver) set(doc, 'host.os.full', f.client_os_ver);
  set(doc, 'source.ip', priv);
  set(doc, 'source.nat.ip', pub);
  for (const ip of [priv, pub]) if (ip) append(doc, 'related.ip', ip);
  if (priv) set(doc, 'network.type', priv.includes(':') ? 'ipv6' : 'ipv4');
  if (f.srcuser) {
    const m = /^([^\\]+)\\(.+)$/.exec(f.srcuser);
    const name = m ? m[2] : f.srcuser;
    set(doc, 'source.user.name', name);
    set(doc, 'user.name', name);
    if (m) {
      set(doc, 'source.user.domain', m[1]);
      set(doc, 'user.domain', m[1]);
    }
    append(doc, 'related.user', name);
  }
}
