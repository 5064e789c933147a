/**
 * PAN-OS CONFIG, USERID, HIPMATCH and AUTHENTICATION logs (PAN-OS 8.1 to 11.x syslog field descriptions): the columns after
 * the 7 common ones, and what a SOC searches on (the administrator and command, the user mapped to an address, the HIP
 * match, the authentication and its outcome). Dispatched from panos.ts by log type.
 */
import { Doc, append, lookupTable, set, setEndpoint, toInt } from './util';

const DG = ['dg_hier_level_1', 'dg_hier_level_2', 'dg_hier_level_3', 'dg_hier_level_4', 'vsys_name', 'device_name'];

/** columns after the common ones, per log type */
export const OTHER_LAYOUTS: Record<string, string[]> = lookupTable({
  CONFIG: ['host', 'vsys', 'command', 'admin', 'client', 'result', 'configuration_path', 'before_change_detail', 'after_change_detail',
    'seqno', 'action_flags', ...DG, 'dg_id', 'comment', 'high_res_timestamp'],
  USERID: ['vsys', 'ip', 'user', 'datasourcename', 'event_id', 'repeat_count', 'timeout', 'beginport', 'endport', 'datasource',
    'datasourcetype', 'seqno', 'action_flags', ...DG, 'vsys_id', 'factortype', 'factorcompletiontime', 'factorno', 'ugflags',
    'userbysource', 'tag_name', 'high_res_timestamp'],
  HIPMATCH: ['srcuser', 'vsys', 'machinename', 'os', 'src', 'matchname', 'repeat_count', 'matchtype', 'future_use3', 'future_use4',
    'seqno', 'action_flags', ...DG, 'vsys_id', 'srcipv6', 'hostid', 'serialnumber', 'mac', 'high_res_timestamp'],
  AUTHENTICATION: ['vsys', 'ip', 'user', 'normalize_user', 'object', 'authpolicy', 'repeat_count', 'authid', 'vendor', 'logprofile',
    'serverprofile', 'description', 'clienttype', 'event', 'factorno', 'seqno', 'action_flags', ...DG, 'vsys_id', 'authproto',
    'rule_uuid', 'high_res_timestamp'],
});

function user(doc: Doc, who: string | undefined): void {
  if (!who) return;
  const m = /^([^\\]+)\\(.+)$/.exec(who);
  const name = m ? m[2] : who;
  set(doc, 'user.name', name);
  set(doc, 'source.user.name', name);
  if (m) set(doc, 'user.domain', m[1]);
  append(doc, 'related.user', name);
}

/** Maps a CONFIG, USERID, HIPMATCH or AUTHENTICATION record (named columns in `f`) onto `doc`. */
export function mapOtherLog(doc: Doc, type: string, f: Record<string, string>): void {
  const p = 'panw.panos';
  set(doc, `${p}.virtual_sys`, f.vsys);
  set(doc, `${p}.repeat_count`, toInt(f.repeat_count));
  if (type === 'CONFIG') {
    append(doc, 'event.category', 'configuration');
    append(doc, 'event.type', 'change');
    set(doc, 'event.action', f.command);
    set(doc, 'event.outcome', /^succeeded$|^success/i.test(f.result ?? '') ? 'success' : /fail/i.test(f.result ?? '') ? 'failure' : undefined);
    user(doc, f.admin);
    setEndpoint(doc, 'source', f.host);
    set(doc, `${p}.client`, f.client);
    set(doc, `${p}.result`, f.result);
    set(doc, `${p}.configuration_path`, f.configuration_path);
    set(doc, `${p}.before_change_detail`, f.before_change_detail);
    set(doc, `${p}.after_change_detail`, f.after_change_detail);
  } else if (type === 'USERID') {
    append(doc, 'event.category', 'iam');
    append(doc, 'event.type', 'info');
    set(doc, 'event.action', f.event_id);
    setEndpoint(doc, 'source', f.ip);
    user(doc, f.user);
    set(doc, `${p}.datasource`, f.datasource);
    set(doc, `${p}.datasource_name`, f.datasourcename);
    set(doc, `${p}.datasource_type`, f.datasourcetype);
    set(doc, `${p}.timeout`, toInt(f.timeout));
  } else if (type === 'HIPMATCH') {
    append(doc, 'event.category', 'host');
    append(doc, 'event.type', 'info');
    set(doc, 'event.action', f.matchname);
    setEndpoint(doc, 'source', f.src ?? f.srcipv6);
    user(doc, f.srcuser);
    if (f.machinename) {
      set(doc, 'host.name', f.machinename.toLowerCase());
      append(doc, 'related.hosts', f.machinename.toLowerCase());
    }
    set(doc, 'host.os.family', f.os);
    set(doc, 'host.id', f.hostid);
    set(doc, `${p}.match_name`, f.matchname);
    set(doc, `${p}.match_type`, f.matchtype);
  } else {
    append(doc, 'event.category', 'authentication');
    set(doc, 'event.action', f.event);
    const ev = f.event?.toLowerCase() ?? '';
    set(doc, 'event.outcome', /fail|reject|denied/.test(ev) ? 'failure' : /succe|allow|accept/.test(ev) ? 'success' : undefined);
    append(doc, 'event.type', 'info');
    setEndpoint(doc, 'source', f.ip);
    user(doc, f.user);
    set(doc, 'message', f.description);
    set(doc, `${p}.description`, f.description);
    set(doc, `${p}.auth_server_profile`, f.serverprofile);
    set(doc, `${p}.auth_policy`, f.authpolicy);
    set(doc, `${p}.client_type`, f.clienttype);
    set(doc, `${p}.auth_protocol`, f.authproto);
    set(doc, 'rule.uuid', f.rule_uuid);
  }
}
