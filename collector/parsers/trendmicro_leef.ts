/**
 * Deep Security's LEEF 2.0 output (`LEEF:2.0|Trend Micro|Deep Security Agent|<version>|4000000|cat=Anti-Malware
 * name=... sev=6 cn1=... dvchost=... act=...`), read as the CEF document Filebeat's decode_cef would give for the
 * same event, so that one mapping (cef.ts, trendmicro.ts) serves both formats.
 */
import { CEF_FULL_NAMES } from './cef';
import { decodeLeef } from './leef';
import type { Doc } from './util';

/** LEEF's own attribute names -> CEF extension names */
const LEEF_TO_CEF: Record<string, string> = Object.assign(Object.create(null), {
  src: 'sourceAddress', dst: 'destinationAddress', srcPort: 'sourcePort', dstPort: 'destinationPort', srcMAC: 'sourceMacAddress',
  dstMAC: 'destinationMacAddress', proto: 'transportProtocol', usrName: 'sourceUserName', srcBytes: 'bytesIn', dstBytes: 'bytesOut',
  msg: 'message', cat: 'deviceEventCategory',
});

export function leefAsCef(text: string): Doc {
  const d = decodeLeef(text);
  const extensions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d.fields)) {
    if (k === 'name' || k === 'sev' || k === 'desc') continue;
    const full = LEEF_TO_CEF[k] ?? (Object.hasOwn(CEF_FULL_NAMES, k) ? CEF_FULL_NAMES[k] : k);
    extensions[full] = v;
  }
  return {
    version: d.version, device: { vendor: d.vendor, product: d.product, version: d.productVersion, event_class_id: d.eventId },
    name: d.fields.name ?? d.fields.desc ?? d.eventId, severity: d.fields.sev, extensions,
  };
}
