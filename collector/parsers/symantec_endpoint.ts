/**
 * Symantec Endpoint Protection Manager syslog export (the antivirus console that speaks syslog):
 * `Description,Key: value,Key: value,...` lines for risk, scan, traffic, security and system logs.
 * Risk detections become malware alerts (event.kind alert, category malware) with the file, host, user
 * and threat name, so a responder sees infected machines; every key stays under symantec_endpoint.log.*.
 */
import { safeKey } from '../../core/event';
import type { Parser } from './types';
import { Doc, ParseFailure, append, dateTimeToIso, epochToIso, excerpt, set, setEndpoint, toInt } from './util';

const DETECT = /(?:^|[\s:,])(?:Security risk found|Virus found|Risk Repair|Scan (?:started|Complete)|Potential risk found|Commercial application detected),|,IP Address: [^,]*,Computer name: /;

const PROVIDERS: Array<[RegExp, string]> = [
  [/^(Security risk found|Virus found|Potential risk found|Risk Repair|Commercial application detected|Risk sample submitted)/i, 'Agent Risk Log'],
  [/^Scan /i, 'Agent Scan Log'],
  [/^(Local: |Remote: )/, 'Agent Traffic Log'],
];

function snake(key: string): string {
  return key.toLowerCase().replace(/\(([^)]*)\)/g, '$1').replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** Splits on commas that start a new `Key: ` field or an empty positional field. */
export function splitSepFields(text: string): string[] {
  return text.split(',');
}

export const symantecEndpoint: Parser = {
  name: 'symantec_endpoint',
  dataset: 'symantec_endpoint.log',
  detect: (_line, h) => DETECT.test(h.message),
  parseLine(doc, line, h, ctx) {
    const body = h.rfc === 'none' ? line : h.message;
    const parts = splitSepFields(body);
    if (parts.length < 3) throw new ParseFailure(`Symantec Endpoint line needs comma-separated "Key: value" fields at ${excerpt(body)}`);
    const f: Record<string, string> = {};
    const positional: string[] = [];
    let description: string | undefined;
    parts.forEach((p, i) => {
      const m = /^([A-Za-z][A-Za-z0-9 ()/_.-]{0,60}?): ?(.*)$/.exec(p);
      if (m && !/^[a-zA-Z]:\\/.test(p)) {
        const key = snake(m[1]);
        // "Domain" is the SEPM domain, "User" the logged-on user: Elastic's names
        const name = key === 'domain' ? 'domain_name' : key === 'user' ? 'user_name' : key === 'file_size_bytes' ? 'file_size_bytes' : key;
        f[safeKey(name)] = m[2];
      } else if (i === 0) description = p;
      else positional.push(p);
    });
    const log = 'symantec_endpoint.log';
    const tz = ctx.timezone;
    const time = (v: string | undefined): string | undefined => {
      if (!v) return undefined;
      const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(v.trim());
      return m ? dateTimeToIso(m[1], m[2], tz) : undefined;
    };
    for (const [k, v] of Object.entries(f)) if (v !== '') set(doc, `${log}.${k}`, v);
    for (const k of ['event_time', 'inserted', 'last_update_time', 'begin']) if (f[k]) set(doc, `${log}.${k}`, time(f[k]) ?? f[k]);
    if (f.signing_timestamp && /^\d+$/.test(f.signing_timestamp)) set(doc, `${log}.signing_timestamp`, epochToIso(f.signing_timestamp));
    if (description) {
      set(doc, `${log}.event_description`, description);
      delete doc.message;
      set(doc, 'message', description);
    }
    const filePath = positional.find((p) => /^[a-zA-Z]:\\|^\\\\|^\//.test(p));
    if (filePath) set(doc, `${log}.file_path`, filePath);
    delete doc.host;
    set(doc, 'host.hostname', f.computer_name);
    set(doc, 'host.name', f.computer_name);
    if (f.ip_address) set(doc, 'host.ip', [f.ip_address]);
    set(doc, 'user.name', f.user_name || undefined);
    set(doc, 'user.domain', f.domain_name || undefined);
    set(doc, '@timestamp', time(f.event_time) ?? time(f.begin));
    set(doc, 'event.end', time(f.end));
    set(doc, 'event.start', time(f.begin));
    set(doc, 'event.action', f.actual_action || undefined);
    if (toInt(f.occurrences) !== undefined) set(doc, 'event.count', toInt(f.occurrences));
    const provider = PROVIDERS.find(([re]) => re.test(description ?? ''))?.[1];
    set(doc, 'event.provider', provider);
    if (filePath) set(doc, 'file.path', filePath);
    if (filePath) set(doc, 'file.name', filePath.split(/[\\/]/).pop());
    if (toInt(f.file_size_bytes) !== undefined) set(doc, 'file.size', toInt(f.file_size_bytes));
    // the certificate thumbprint is not the file's hash (Elastic puts it in file.hash.sha1): kept under symantec_endpoint.log only
    if (f.application_hash && /^[0-9a-fA-F]{64}$/.test(f.application_hash)) {
      set(doc, 'file.hash.sha256', f.application_hash.toLowerCase());
      append(doc, 'related.hash', f.application_hash.toLowerCase());
    }
    set(doc, 'file.pe.company', f.company_name || undefined);
    set(doc, 'file.pe.product', f.application_name || undefined);
    set(doc, 'file.pe.file_version', f.application_version || undefined);
    const issuers = [f.certificate_issuer, f.certificate_signer].filter((x): x is string => !!x);
    if (issuers.length) set(doc, 'file.x509.issuer.common_name', issuers);
    set(doc, 'file.x509.serial_number', f.certificate_serial_number || undefined);
    if (f.signing_timestamp && /^\d+$/.test(f.signing_timestamp)) set(doc, 'file.x509.not_before', epochToIso(f.signing_timestamp));
    set(doc, 'process.executable', f.downloaded_by || undefined);
    set(doc, 'source.geo.name', f.location || undefined);
    if (f.source_ip) setEndpoint(doc, 'source', f.source_ip);
    set(doc, 'source.domain', f.source_computer || undefined);
    set(doc, 'observer.vendor', 'Symantec');
    set(doc, 'observer.product', 'Endpoint Protection');
    set(doc, 'observer.type', 'antivirus');
    set(doc, 'observer.hostname', f.server || undefined);
    if (provider === 'Agent Risk Log') {
      // an antivirus detection is something a responder must see
      set(doc, 'event.kind', 'alert');
      set(doc, 'event.category', ['malware']);
      set(doc, 'event.type', ['info']);
      set(doc, 'rule.name', f.risk_name);
      set(doc, 'threat.software.name', f.risk_name);
      set(doc, 'threat.software.type', f.category_set || undefined);
      const action = (f.actual_action ?? '').toLowerCase();
      set(doc, 'event.outcome', /fail|left alone/.test(action) ? 'failure' : action ? 'success' : undefined);
    }
  },
};
