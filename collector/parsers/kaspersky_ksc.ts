/**
 * Kaspersky Security Center's syslog export of its managed computers' events (KSC "Exporting events to a SIEM
 * system", syslog format): RFC 5424 with the event's fields as structured data of Kaspersky's enterprise
 * number (`[event@23668 et="GNRL_EV_VIRUS_FOUND" hdn="PC-01" hip="10.0.0.5" gn="Managed devices" ...]`), or the
 * same fields as `key=value` text. `et` is the event type, `hdn`/`hip` the managed computer, `gn` its
 * administration group, `tdn`/`etdn` display names. By the relay rule (relay.ts) the computer is host.* and the
 * KSC server that sent the line observer.*. KSC's CEF export is read by the CEF parser (dhost/dst).
 */
import type { Parser } from './types';
import { applyRelay } from './relay';
import { Doc, ParseFailure, excerpt, lookupTable, parseKeyValues, set } from './util';

const PEN = /@23668$/;
const KV_DETECT = /(?:^|\s)et=\S+.*\bhdn=|(?:^|\s)hdn=\S+.*\bet=/;

type Kind = 'malware' | 'intrusion';
/** KSC event types that are detections (Kaspersky Endpoint Security's general events) */
const DETECTIONS: Record<string, Kind> = lookupTable<Kind>({
  GNRL_EV_VIRUS_FOUND: 'malware', GNRL_EV_SUSPICIOUS_OBJECT_FOUND: 'malware', GNRL_EV_OBJECT_CURED: 'malware', GNRL_EV_OBJECT_DELETED: 'malware',
  GNRL_EV_OBJECT_QUARANTINED: 'malware', GNRL_EV_OBJECT_NOTCURED: 'malware', GNRL_EV_OBJECT_REPORTED: 'malware', GNRL_EV_VIRUS_OUTBREAK: 'malware',
  GNRL_EV_PASSWORD_ARCHIVE: 'malware', GNRL_EV_ATTACK_DETECTED: 'intrusion', KLNAG_EV_DEVICE_ATTACKED: 'intrusion',
});
/** what the product did with the object, when the event type says it */
const ACTIONS: Record<string, string> = lookupTable({
  GNRL_EV_OBJECT_CURED: 'cleaned', GNRL_EV_OBJECT_DELETED: 'deleted', GNRL_EV_OBJECT_QUARANTINED: 'quarantined', GNRL_EV_OBJECT_NOTCURED: 'not-cleaned',
  GNRL_EV_VIRUS_FOUND: 'detected', GNRL_EV_SUSPICIOUS_OBJECT_FOUND: 'detected', GNRL_EV_OBJECT_REPORTED: 'detected',
});

function fields(message: string, sd: Record<string, Record<string, string>> | undefined): Record<string, string> | undefined {
  if (sd) for (const [id, params] of Object.entries(sd)) if (PEN.test(id) || ('et' in params && 'hdn' in params)) return params;
  return KV_DETECT.test(message) ? parseKeyValues(message) : undefined;
}

export const kasperskyKsc: Parser = {
  name: 'kaspersky_ksc',
  dataset: 'kaspersky_ksc.log',
  detect: (_line, h) => !!fields(h.message, h.structuredData),
  parseLine(doc: Doc, _line, h) {
    const f = fields(h.message, h.structuredData);
    if (!f || !f.et) throw new ParseFailure(`a KSC event needs structured data of Kaspersky (@23668) or et=/hdn= fields at ${excerpt(h.message)}`);
    set(doc, 'observer.vendor', 'Kaspersky');
    set(doc, 'observer.product', 'Kaspersky Security Center');
    set(doc, 'observer.type', 'antivirus');
    set(doc, 'event.code', f.et);
    set(doc, 'kaspersky.ksc', { ...f });
    const text = h.message.replace(/\\r\\n|\\n/g, '\n');
    // KES reports the detected object and its verdict in the text ("Detected: <name>", "Object: <path>")
    const detected = /(?:^|\n|\s)(?:Detected|Threat|Virus)\s*:\s*([^\s\r\n,;]+)/i.exec(text)?.[1];
    const object = /(?:^|\n)\s*Object\s*:\s*([^\r\n]+)/i.exec(text)?.[1]?.trim();
    const user = /(?:^|\n)\s*User\s*:\s*([^\r\n]+)/i.exec(text)?.[1]?.trim();
    if (object) {
      set(doc, 'file.path', object);
      set(doc, 'file.name', object.split(/[\\/]/).pop());
    }
    if (user) {
      const m = /^([^\\]+)\\+(.+)$/.exec(user);
      set(doc, 'user.name', m ? m[2] : user);
      if (m) set(doc, 'user.domain', m[1]);
    }
    // the relay rule: the managed computer is the host, the KSC server the observer
    delete doc.host;
    applyRelay(doc, { hostname: f.hdn, ip: f.hip }, { hostname: h.hostname });
    const kind = DETECTIONS[f.et];
    set(doc, 'event.action', ACTIONS[f.et] ?? f.et.toLowerCase());
    if (kind) {
      set(doc, 'event.kind', 'alert');
      set(doc, 'event.category', [kind === 'malware' ? 'malware' : 'intrusion_detection']);
      set(doc, 'event.type', ['info']);
      const name = f.vn ?? detected;
      if (name) {
        set(doc, 'threat.software.name', name);
        set(doc, 'rule.name', name);
      }
      set(doc, 'event.outcome', f.et === 'GNRL_EV_OBJECT_NOTCURED' ? 'failure' : 'success');
    } else {
      set(doc, 'event.category', ['host']);
      set(doc, 'event.type', ['info']);
    }
  },
};
