/**
 * ArcSight Common Event Format: `CEF:0|vendor|product|version|class id|name|severity|k=v ...`,
 * raw (over syslog) or already decoded by an agent (Filebeat's decode_cef gives `cef.*`). Short keys
 * become ArcSight full names under cef.extensions.*, then ECS as Elastic's cef.log pipeline does.
 * Antivirus products' detections become malware alerts.
 */
import { safeKey } from '../../core/event';
import type { Parser } from './types';
import { applyRelay } from './relay';
import { Doc, ParseFailure, append, epochToIso, excerpt, fillCommunityId, get, normalizeMac, set, setEndpoint, toInt, lookupTable } from './util';

export const CEF_FULL_NAMES: Record<string, string> = lookupTable({
  act: 'deviceAction', app: 'applicationProtocol', cat: 'deviceEventCategory', cnt: 'baseEventCount',
  cs1: 'deviceCustomString1', cs2: 'deviceCustomString2', cs3: 'deviceCustomString3', cs4: 'deviceCustomString4', cs5: 'deviceCustomString5', cs6: 'deviceCustomString6',
  cs1Label: 'deviceCustomString1Label', cs2Label: 'deviceCustomString2Label', cs3Label: 'deviceCustomString3Label', cs4Label: 'deviceCustomString4Label', cs5Label: 'deviceCustomString5Label', cs6Label: 'deviceCustomString6Label',
  cn1: 'deviceCustomNumber1', cn2: 'deviceCustomNumber2', cn3: 'deviceCustomNumber3', cn1Label: 'deviceCustomNumber1Label', cn2Label: 'deviceCustomNumber2Label', cn3Label: 'deviceCustomNumber3Label',
  cfp1: 'deviceCustomFloatingPoint1', cfp2: 'deviceCustomFloatingPoint2', cfp3: 'deviceCustomFloatingPoint3', cfp4: 'deviceCustomFloatingPoint4',
  cfp1Label: 'deviceCustomFloatingPoint1Label', cfp2Label: 'deviceCustomFloatingPoint2Label', cfp3Label: 'deviceCustomFloatingPoint3Label', cfp4Label: 'deviceCustomFloatingPoint4Label',
  c6a1: 'deviceCustomIPv6Address1', c6a2: 'deviceCustomIPv6Address2', c6a3: 'deviceCustomIPv6Address3', c6a4: 'deviceCustomIPv6Address4',
  deviceCustomDate1: 'deviceCustomDate1', dhost: 'destinationHostName', dmac: 'destinationMacAddress', dntdom: 'destinationNtDomain',
  dpid: 'destinationProcessId', dpriv: 'destinationUserPrivileges', dproc: 'destinationProcessName', dpt: 'destinationPort', dst: 'destinationAddress',
  dtz: 'deviceTimeZone', duid: 'destinationUserId', duser: 'destinationUserName', dvc: 'deviceAddress', dvchost: 'deviceHostName', dvcmac: 'deviceMacAddress',
  dvcpid: 'deviceProcessId', end: 'endTime', fname: 'fileName', fsize: 'fileSize', in: 'bytesIn', msg: 'message', out: 'bytesOut', outcome: 'eventOutcome',
  proto: 'transportProtocol', request: 'requestUrl', rt: 'deviceReceiptTime', shost: 'sourceHostName', smac: 'sourceMacAddress', sntdom: 'sourceNtDomain',
  spid: 'sourceProcessId', spriv: 'sourceUserPrivileges', sproc: 'sourceProcessName', spt: 'sourcePort', src: 'sourceAddress', start: 'startTime',
  suid: 'sourceUserId', suser: 'sourceUserName', catdt: 'categoryDeviceType', deviceDirection: 'deviceDirection', dlat: 'destinationLatitude',
  dlong: 'destinationLongitude', slat: 'sourceLatitude', slong: 'sourceLongitude', sourceTranslatedAddress: 'sourceTranslatedAddress',
  destinationTranslatedAddress: 'destinationTranslatedAddress', sourceTranslatedPort: 'sourceTranslatedPort', destinationTranslatedPort: 'destinationTranslatedPort',
  fileHash: 'fileHash', filePath: 'filePath', fileType: 'fileType', externalId: 'externalId', reason: 'reason', requestClientApplication: 'requestClientApplication',
  requestMethod: 'requestMethod', requestContext: 'requestContext', requestCookies: 'requestCookies', deviceExternalId: 'deviceExternalId',
  deviceInboundInterface: 'deviceInboundInterface', deviceOutboundInterface: 'deviceOutboundInterface', deviceFacility: 'deviceFacility',
  oldFileName: 'oldFileName', oldFilePath: 'oldFilePath', oldFileHash: 'oldFileHash', agt: 'agentAddress', ahost: 'agentHostName', art: 'agentReceiptTime',
});

const NUMERIC = new Set(['deviceCustomNumber1', 'deviceCustomNumber2', 'deviceCustomNumber3', 'fileSize', 'bytesIn', 'bytesOut', 'sourcePort',
  'destinationPort', 'baseEventCount', 'sourceProcessId', 'destinationProcessId', 'deviceProcessId', 'sourceTranslatedPort', 'destinationTranslatedPort']);

const AV_PRODUCT = /anti-?virus|antimalware|endpoint|deep security|apex ?one|officescan|kaspersky|eset|symantec|sophos|defender|mcafee|bitdefender|trellix|sentinel|crowdstrike|bkav|cmc/i;
const AV_DETECTION = /virus|malware|malicious|trojan|eicar|ransom|worm|backdoor|spyware|adware|riskware|infect|exploit|pua|threat|hacktool/i;

function unescapeHeader(s: string): string {
  return s.replace(/\\([|\\])/g, '$1');
}

// a Windows path a sender wrote without CEF escaping: `C:\Users\new` keeps its backslashes, `\n` is no newline
const UNESCAPED_PATH = /^(?:[A-Za-z]:\\|\\\\[^\\])(?!.*\\\\)/;

/**
 * CEF extension escapes are `\\`, `\=`, `\n` and `\r`; a backslash before anything else is the sender's own
 * character and is kept (`filePath=C:\Users\...` stays a Windows path).
 */
export function unescapeValue(s: string): string {
  if (!s.includes('\\')) return s;
  const path = UNESCAPED_PATH.test(s);
  return s.replace(/\\(.)/g, (m, c: string) => {
    if (c === '=') return c;
    if (path) return m;
    if (c === '\\') return c;
    if (c === 'n') return '\n';
    if (c === 'r') return '\r';
    return m;
  });
}

/** Splits the CEF header on unescaped pipes; returns 7 header fields and the extension text. */
export function splitCefHeader(text: string): { header: string[]; extension: string } | undefined {
  const header: string[] = [];
  let cur = '';
  let i = 0;
  for (; i < text.length && header.length < 7; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      cur += c + text[i + 1];
      i++;
    } else if (c === '|') {
      header.push(unescapeHeader(cur));
      cur = '';
    } else cur += c;
  }
  if (header.length < 7) return undefined;
  return { header, extension: text.slice(i) };
}

/** CEF extension: `k=v k2=value with spaces k3=a\=b`; a value runs until the next unescaped ` key=`. */
export function parseCefExtension(ext: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(?:^|\s)([\w.\-[\]]+)=/g;
  const marks: Array<{ key: string; start: number; valueStart: number }> = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(ext))) {
    // an "=" preceded by a backslash is part of a value
    const eq = m.index + m[0].length - 1;
    if (ext[eq - 1] === '\\') continue;
    marks.push({ key: m[1], start: m.index, valueStart: eq + 1 });
  }
  marks.forEach((mk, i) => {
    const end = i + 1 < marks.length ? marks[i + 1].start : ext.length;
    out[safeKey(mk.key)] = unescapeValue(ext.slice(mk.valueStart, end).replace(/\s+$/, ''));
  });
  return out;
}

function cefTime(v: unknown): string | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  if (/^\d{10,}$/.test(v)) return epochToIso(v);
  const t = Date.parse(v.replace(/^(\w{3}) (\d{1,2}) (\d{4}) /, '$1 $2, $3 '));
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** Maps decoded CEF (`cef.*`) to ECS. */
export function mapCef(doc: Doc, cef: Doc): void {
  const dev = (cef.device ?? {}) as Doc;
  const x = (cef.extensions ?? {}) as Record<string, unknown>;
  set(doc, 'observer.vendor', dev.vendor);
  set(doc, 'observer.product', dev.product);
  set(doc, 'observer.version', dev.version);
  set(doc, 'event.code', dev.event_class_id);
  const sev = toInt(cef.severity);
  if (sev !== undefined) set(doc, 'event.severity', sev);
  else if (typeof cef.severity === 'string') {
    const words: Record<string, number> = { low: 3, medium: 6, high: 8, 'very-high': 10, unknown: 0 };
    set(doc, 'event.severity', words[cef.severity.toLowerCase()]);
  }
  const s = (k: string): string | undefined => (typeof x[k] === 'string' && x[k] !== '' ? (x[k] as string) : typeof x[k] === 'number' ? String(x[k]) : undefined);
  if (s('message') !== undefined) set(doc, 'message', s('message'));
  else set(doc, 'message', cef.name);
  setEndpoint(doc, 'source', s('sourceAddress'), s('sourcePort'));
  setEndpoint(doc, 'destination', s('destinationAddress'), s('destinationPort'));
  if (get(doc, 'source.address') !== undefined && get(doc, 'source.ip') !== undefined) delete (doc.source as Doc).address;
  if (get(doc, 'destination.address') !== undefined && get(doc, 'destination.ip') !== undefined) delete (doc.destination as Doc).address;
  set(doc, 'source.user.name', s('sourceUserName'));
  set(doc, 'source.user.id', s('sourceUserId'));
  set(doc, 'destination.user.name', s('destinationUserName'));
  set(doc, 'destination.user.id', s('destinationUserId'));
  set(doc, 'source.domain', s('sourceHostName'));
  set(doc, 'destination.domain', s('destinationHostName'));
  set(doc, 'source.mac', normalizeMac(s('sourceMacAddress')));
  set(doc, 'destination.mac', normalizeMac(s('destinationMacAddress')));
  set(doc, 'observer.mac', normalizeMac(s('deviceMacAddress')));
  set(doc, 'source.nat.ip', s('sourceTranslatedAddress'));
  set(doc, 'destination.nat.ip', s('destinationTranslatedAddress'));
  if (toInt(s('sourceTranslatedPort'))) set(doc, 'source.nat.port', toInt(s('sourceTranslatedPort')));
  if (toInt(s('destinationTranslatedPort'))) set(doc, 'destination.nat.port', toInt(s('destinationTranslatedPort')));
  // the syslog sender (set by parseLine) is the console when the event is relayed
  const sender = get(doc, 'observer.hostname') as string | undefined;
  const dvc = s('deviceAddress');
  if (dvc) set(doc, 'observer.ip', dvc);
  set(doc, 'observer.hostname', s('deviceHostName'));
  set(doc, 'observer.ingress.interface.name', s('deviceInboundInterface'));
  set(doc, 'observer.egress.interface.name', s('deviceOutboundInterface'));
  set(doc, 'event.action', s('deviceAction'));
  set(doc, 'event.outcome', s('eventOutcome')?.toLowerCase().replace(/^\//, ''));
  set(doc, 'network.transport', s('transportProtocol')?.toLowerCase());
  set(doc, 'network.protocol', s('applicationProtocol')?.toLowerCase());
  if (toInt(s('bytesIn')) !== undefined) set(doc, 'source.bytes', toInt(s('bytesIn')));
  if (toInt(s('bytesOut')) !== undefined) set(doc, 'destination.bytes', toInt(s('bytesOut')));
  set(doc, 'url.original', s('requestUrl'));
  set(doc, 'http.request.method', s('requestMethod'));
  set(doc, 'user_agent.original', s('requestClientApplication'));
  set(doc, 'file.name', s('fileName'));
  set(doc, 'file.path', s('filePath'));
  if (toInt(s('fileSize')) !== undefined) set(doc, 'file.size', toInt(s('fileSize')));
  const hash = s('fileHash');
  if (hash) append(doc, 'related.hash', hash);
  set(doc, 'process.name', s('sourceProcessName'));
  if (toInt(s('sourceProcessId')) !== undefined) set(doc, 'process.pid', toInt(s('sourceProcessId')));
  set(doc, 'event.reason', s('reason'));
  set(doc, 'event.start', cefTime(s('startTime')));
  set(doc, 'event.end', cefTime(s('endTime')));
  const rt = cefTime(s('deviceReceiptTime'));
  if (rt) set(doc, '@timestamp', rt);
  // antivirus detections are alerts a responder must see
  const product = `${dev.vendor ?? ''} ${dev.product ?? ''}`;
  const what = `${cef.name ?? ''} ${dev.event_class_id ?? ''} ${s('deviceEventCategory') ?? ''} ${s('deviceCustomString1') ?? ''}`;
  if (AV_PRODUCT.test(product) && (AV_DETECTION.test(what) || (get(doc, 'file.path') && /delete|quarantin|clean|block|detect/i.test(s('deviceAction') ?? '')))) {
    set(doc, 'event.kind', 'alert');
    append(doc, 'event.category', 'malware');
    append(doc, 'event.type', 'info');
    set(doc, 'rule.name', cef.name);
    set(doc, 'threat.software.name', cef.name);
  }
  relayEndpoint(doc, dev, s, sender);
  fillCommunityId(doc);
}

// consoles that forward their agents' events: dvchost/dvc name the agent (Trend Micro), dhost/dst (Kaspersky KSC)
const AGENT_IN_DEVICE = /trend ?micro/i;
const AGENT_IN_DESTINATION = /kaspersky/i;
const KSC_PRODUCT = /security ?center|ksc/i;

/** The relay rule (relay.ts) for CEF: host.* is the managed computer, observer.* the console. */
function relayEndpoint(doc: Doc, dev: Doc, s: (k: string) => string | undefined, sender: string | undefined): void {
  const vendor = String(dev.vendor ?? '');
  const product = String(dev.product ?? '');
  if (AGENT_IN_DEVICE.test(vendor) && !/manager$/i.test(product)) {
    applyRelay(doc, { hostname: s('deviceHostName'), ip: s('deviceAddress') }, { hostname: sender });
  } else if (AGENT_IN_DESTINATION.test(vendor) && KSC_PRODUCT.test(product)) {
    applyRelay(doc, { hostname: s('destinationHostName'), ip: s('destinationAddress') }, { hostname: s('deviceHostName') ?? sender, ip: s('deviceAddress') });
    // KSC names the detected object in its message ("Detected: Trojan.Win32.Agent.x"): the malware, not the event name
    const detected = /(?:^|\s)(?:Detected|Обнаружено|Threat|Virus)\s*:\s*([^\s\r\n,;]+)/i.exec(s('message') ?? '');
    const named = labeled(s, /^(virus|threat|malware)\s*name$/i);
    const malware = named ?? detected?.[1];
    if (malware && get(doc, 'event.kind') === 'alert') {
      set(doc, 'threat.software.name', malware);
    }
  }
}

/** The value of the cs<n> extension whose cs<n>Label matches. */
function labeled(s: (k: string) => string | undefined, label: RegExp): string | undefined {
  for (let n = 1; n <= 10; n++) {
    const l = s(`deviceCustomString${n}Label`);
    if (l && label.test(l)) return s(`deviceCustomString${n}`);
  }
  return undefined;
}

/** Decodes a CEF line into `cef.*` the way Filebeat's decode_cef does. */
export function decodeCef(text: string): Doc {
  const at = text.indexOf('CEF:');
  const split = splitCefHeader(text.slice(at + 4));
  if (at < 0 || !split) throw new ParseFailure(`CEF header needs 7 "|"-separated fields after "CEF:" in ${excerpt(text.slice(Math.max(0, at)))}`);
  const [version, vendor, product, devVersion, classId, name, severity] = split.header;
  const ext = parseCefExtension(split.extension);
  const extensions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ext)) {
    const full = (Object.hasOwn(CEF_FULL_NAMES, k) ? CEF_FULL_NAMES[k] : undefined) ?? k;
    const n = NUMERIC.has(full) ? toInt(v) : undefined;
    extensions[full] = n ?? v;
  }
  return {
    version: version.replace(/^\s+/, ''), device: { vendor, product, version: devVersion, event_class_id: classId }, name, severity, extensions,
  };
}

export const cef: Parser = {
  name: 'cef',
  dataset: 'cef.log',
  detect: (line) => /(?:^|[\s:])CEF:\d+\|/.test(line),
  parseLine(doc, _line, h) {
    const decoded = decodeCef(h.rest.includes('CEF:') ? h.rest : _line);
    set(doc, 'cef', decoded);
    delete doc.message;
    if (h.hostname) set(doc, 'observer.hostname', h.hostname);
    mapCef(doc, decoded);
  },
  detectObject: (o) => typeof o.cef === 'object' && o.cef !== null && typeof (o.cef as Doc).device === 'object',
  parseObject(doc, obj) {
    if (!cef.detectObject!(obj)) throw new ParseFailure('a CEF document needs a "cef" object with "device" (as Filebeat decode_cef writes it), or a CEF line in "message"');
    for (const [k, v] of Object.entries(obj)) if (k !== 'event') doc[k] = v;
    const ev = (obj.event ?? {}) as Doc;
    for (const [k, v] of Object.entries(ev)) if (k !== 'id' && k !== 'original') (doc.event as Doc)[k] = v;
    const ts = doc['@timestamp'];
    doc['@timestamp'] = typeof ts === 'string' && !Number.isNaN(Date.parse(ts)) ? new Date(ts).toISOString() : '';
    mapCef(doc, obj.cef as Doc);
  },
};
