/**
 * Public parser API used by the listeners: one raw line, Buffer or JSON document in, one ECS
 * event out. `parse` never throws and never drops: what cannot be read becomes an event with
 * `event.kind: "pipeline_error"` and the reason, so the collector can route it to the dead-letter topic.
 */
import type { EcsEvent } from '../../core/event';
import { getPath, safeKey, setPath } from '../../core/event';
import { boundDocument, boundEvent, boundIfNeeded, documentText, needsBounding, newNotes } from './bounds';
export { documentText } from './bounds';
import type { Parser, ResolvedContext } from './types';
import { applyProcess, applySyslogHeader, parseSyslogHeader, SyslogHeader } from './syslog';
import { DEFAULT_TIMEZONE, Doc, ParseFailure, excerpt, fillRelated, get, isValidTimezone, parseTimestamp, set } from './util';
import { linuxAuth } from './linux_auth';
import { PARSERS_BY_FAMILY } from './registry';

export interface ParseContext {
  receivedAt: Date;
  sourceIp?: string;
  /** 'auto' (default) or a pinned parser name, see parserNames() */
  format?: string;
  /** Elastic dataset alias (e.g. system.auth, cisco_asa.log): pins the parser and sets event.dataset */
  dataset?: string;
  /** IANA zone or fixed offset for devices that send local time without offset; default Asia/Ho_Chi_Minh */
  timezone?: string;
}

/** Generic syslog: header fields, process, host and message; used when no family matches. */
const syslogParser: Parser = {
  name: 'syslog',
  dataset: 'system.syslog',
  detect: (_line, h) => h.rfc !== 'none',
  parseLine: () => undefined,
};
const rfc3164: Parser = { ...syslogParser, name: 'rfc3164' };
const rfc5424: Parser = { ...syslogParser, name: 'rfc5424' };

/** Detection order: specific families first, then Linux auth, then plain syslog. */
const PARSERS: Parser[] = [...PARSERS_BY_FAMILY, linuxAuth, syslogParser, rfc3164, rfc5424];
const BY_NAME = new Map(PARSERS.map((p) => [p.name, p]));

/** Elastic dataset names (and a few data_stream spellings) → parser name. */
const DATASET_ALIASES: Record<string, string> = {
  'system.auth': 'linux_auth',
  'system.syslog': 'syslog',
  'cisco_asa.log': 'cisco_asa',
  'cisco_ftd.log': 'cisco_asa',
  'fortinet_fortigate.log': 'fortigate',
  'panw.panos': 'panos',
  'suricata.eve': 'suricata',
  'cef.log': 'cef',
  'system.security': 'winlog',
  'windows.forwarded': 'winlog',
  'windows.sysmon_operational': 'winlog',
  'windows.powershell': 'winlog',
  'windows.powershell_operational': 'winlog',
  'windows.applocker_exe_and_dll': 'winlog',
  'windows.windows_defender': 'winlog',
  'auditd.log': 'auditd',
  'nginx.access': 'nginx',
  'nginx.error': 'nginx',
  'apache.access': 'apache',
  'apache.error': 'apache',
  'modsecurity.auditlog': 'modsecurity',
  'symantec_endpoint.log': 'symantec_endpoint',
  'iis.access': 'iis',
  'cisco_ios.log': 'cisco_ios',
  'juniper_srx.log': 'juniper_srx',
  'cisco_meraki.log': 'cisco_meraki',
  'iptables.log': 'iptables',
  'sonicwall.firewall': 'sonicwall',
  'checkpoint.firewall': 'checkpoint',
  'pfsense.log': 'pfsense',
  'snort.log': 'snort',
  'sophos.xg': 'sophos',
  'sophos.utm': 'sophos',
  'fortinet_fortimail.log': 'fortimail',
  'haproxy.log': 'haproxy',
  'eset.protect': 'eset',
  'zeek.conn': 'zeek',
  'zeek.dns': 'zeek',
  'zeek.http': 'zeek',
  'zeek.ssl': 'zeek',
  'zeek.notice': 'zeek',
  'zeek.files': 'zeek',
  'zeek.ssh': 'zeek',
};

/** The parser an Elastic dataset name maps to; own keys only (a payload's "constructor" names no parser). */
function aliasOf(dataset: string): string | undefined {
  return Object.hasOwn(DATASET_ALIASES, dataset) ? DATASET_ALIASES[dataset] : undefined;
}

export function parserNames(): string[] {
  return ['auto', ...PARSERS.map((p) => p.name)];
}

/** Elastic dataset names canhgac can pin a parser for. */
export function datasetNames(): string[] {
  return Object.keys(DATASET_ALIASES);
}

function pinnedParser(ctx: ParseContext): { parser?: Parser; problem?: string } {
  if (ctx.format && ctx.format !== 'auto') {
    const p = BY_NAME.get(ctx.format);
    return p ? { parser: p } : { problem: `unknown format ${JSON.stringify(ctx.format)}: use one of ${parserNames().join(', ')}` };
  }
  if (ctx.dataset) {
    const name = aliasOf(ctx.dataset);
    if (name) return { parser: BY_NAME.get(name) };
    const pkg = ctx.dataset.split('.')[0];
    const byPkg = Object.entries(DATASET_ALIASES).find(([k]) => k.split('.')[0] === pkg);
    if (byPkg) return { parser: BY_NAME.get(byPkg[1]) };
    // a family without an alias row is pinned by the dataset it declares
    const own = PARSERS.find((p) => p.dataset === ctx.dataset);
    if (own) return { parser: own };
  }
  return {};
}

function resolve(ctx: ParseContext): ResolvedContext {
  const tz = ctx.timezone && isValidTimezone(ctx.timezone) ? ctx.timezone : DEFAULT_TIMEZONE;
  const receivedAt = ctx.receivedAt instanceof Date && !Number.isNaN(ctx.receivedAt.getTime()) ? ctx.receivedAt : new Date();
  return { receivedAt, sourceIp: ctx.sourceIp, timezone: tz, dataset: ctx.dataset, notes: newNotes() };
}

function pipelineError(original: string, rc: ResolvedContext, what: string, extra: Doc = {}): EcsEvent {
  const ev: EcsEvent = {
    '@timestamp': rc.receivedAt.toISOString(),
    event: { kind: 'pipeline_error', original, reason: what },
    error: { message: what },
    message: original,
  };
  if (rc.dataset) ev.event.dataset = rc.dataset;
  for (const [k, v] of Object.entries(extra)) setPath(ev as unknown as Doc, k, v);
  return ev;
}

/** An input kept without parsing (`event.kind: pipeline_error`) with the reason, for callers that give up before parse(). */
export function unparsed(original: string, ctx: ParseContext, reason: string): EcsEvent {
  const rc = resolve(ctx);
  return boundEvent(pipelineError(original, rc, reason), rc.notes);
}

function finish(doc: Doc, parser: Parser | undefined, rc: ResolvedContext, headerTime?: string): EcsEvent {
  const ev = doc as unknown as EcsEvent;
  if (!ev['@timestamp']) {
    const t = headerTime ? parseTimestamp(headerTime, rc) : undefined;
    ev['@timestamp'] = t ?? rc.receivedAt.toISOString();
    // a device time without offset was read in the source's zone: say which; a time marked UTC is UTC
    if (t && /(?:\dZ|\bUTC|\bGMT)$/i.test(headerTime!.trim())) ev.event.timezone ??= 'UTC';
    else if (t && !/(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)$/i.test(headerTime!.trim())) ev.event.timezone ??= rc.timezone;
  }
  const event = ev.event;
  event.kind ??= 'event';
  const dataset = rc.dataset ?? (typeof event.dataset === 'string' ? event.dataset : parser?.dataset);
  if (dataset) {
    event.dataset = dataset;
    event.module ??= parser?.module ?? dataset.split('.')[0];
  }
  if ('id' in event) delete event.id; // the collector assigns ids
  if ('organization' in ev) delete ev.organization; // the collector sets the tenant from the credential
  if (rc.sourceIp && get(doc, 'log.source.address') === undefined) set(doc, 'log.source.address', rc.sourceIp);
  fillRelated(doc);
  return ev;
}

function detectLine(line: string, h: SyslogHeader): Parser | undefined {
  for (const p of PARSERS) if (p.detect && p.parseLine && p.detect(line, h)) return p;
  return undefined;
}

function detectObject(obj: Record<string, unknown>): Parser | undefined {
  for (const p of PARSERS) if (p.detectObject && p.parseObject && p.detectObject(obj)) return p;
  return undefined;
}

function parseText(line: string, rc: ResolvedContext, pinned: Parser | undefined, base?: Doc): EcsEvent {
  const doc: Doc = base ?? { '@timestamp': '', event: {} };
  (doc.event as Doc).original ??= line;
  const h = parseSyslogHeader(line);
  // a JSON document behind a syslog header (Suricata eve-log to syslog, ESET PROTECT, Zeek): read the document
  if (h.rfc !== 'none' && h.message.startsWith('{') && (!pinned || pinned.parseObject)) {
    let obj: unknown;
    try {
      obj = JSON.parse(h.message);
    } catch {
      obj = undefined;
    }
    if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
      const ev = parseObject(boundIfNeeded(obj as Record<string, unknown>, rc.notes), rc, pinned, line, true);
      if (ev.event.kind !== 'pipeline_error') {
        const d = ev as unknown as Doc;
        applySyslogHeader(d, h);
        if (h.hostname && get(d, 'host.hostname') === undefined && get(d, 'observer.hostname') === undefined) set(d, 'host.hostname', h.hostname);
        fillRelated(d);
      }
      ev.event.original = line;
      return ev;
    }
  }
  const parser = pinned ?? detectLine(line, h);
  applySyslogHeader(doc, h);
  set(doc, 'host.hostname', h.hostname);
  applyProcess(doc, h);
  set(doc, 'message', h.message);
  if (!parser) {
    if (h.rfc === 'none') (doc.tags as string[] | undefined) ?? (doc.tags = ['unrecognized_format']);
    return finish(doc, undefined, rc, h.timestamp);
  }
  if (!parser.parseLine) throw new ParseFailure(`parser ${parser.name} reads JSON documents, not text lines`);
  try {
    parser.parseLine(doc, line, h, rc);
  } catch (e) {
    // a pinned source's line without a syslog header whose payload its parser cannot read holds nothing to claim
    if (pinned && h.rfc === 'none' && e instanceof ParseFailure) throw e;
    return finish(partialEvent(doc, parser, h, e, base), parser, rc, h.timestamp);
  }
  return finish(doc, parser, rc, h.timestamp);
}

/**
 * The event of a line whose payload its parser could not read: the syslog header, the dataset's constants
 * (observer.*, event.dataset/module) and the reason, tagged `partial`, so rules on the device still see it.
 */
function partialEvent(doc: Doc, parser: Parser, h: SyslogHeader, e: unknown, base?: Doc): Doc {
  const reason = e instanceof ParseFailure ? e.message : `parser crashed: ${(e as Error)?.message ?? String(e)}`;
  const fallback: Doc = {
    '@timestamp': '',
    event: { original: (doc.event as Doc).original },
    error: { message: `${parser.name}: ${reason}` },
    tags: ['partial', `${parser.name}_parse_failure`],
  };
  applySyslogHeader(fallback, h);
  set(fallback, 'host.hostname', h.hostname);
  applyProcess(fallback, h);
  set(fallback, 'message', h.message);
  if (parser.observer) for (const [k, v] of Object.entries(parser.observer)) set(fallback, `observer.${k}`, v);
  if (base) for (const [k, v] of Object.entries(base)) if (!(k in fallback) && k !== 'event') fallback[k] = v;
  return fallback;
}

/** Deep-merges `src` into `dst` (src wins on conflicts, arrays replaced); own keys only, each through safeKey. */
function mergeInto(dst: Doc, src: Doc): void {
  for (const [key, v] of Object.entries(src)) {
    const k = safeKey(key);
    const cur = Object.hasOwn(dst, k) ? dst[k] : undefined;
    if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)) mergeInto(cur as Doc, v as Doc);
    else dst[k] = v;
  }
}

function cloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** The dataset an agent already named (Filebeat/Elastic Agent modules), when canhgac knows it. */
function agentDataset(obj: Record<string, unknown>): string | undefined {
  for (const p of ['data_stream.dataset', 'event.dataset']) {
    const v = getPath(obj, p);
    if (typeof v === 'string' && aliasOf(v)) return v;
  }
  const mod = getPath(obj, 'fileset.module') ?? getPath(obj, 'event.module');
  const name = getPath(obj, 'fileset.name');
  if (typeof mod === 'string' && typeof name === 'string' && aliasOf(`${mod}.${name}`)) return `${mod}.${name}`;
  return undefined;
}

function parseObject(obj: Record<string, unknown>, rcIn: ResolvedContext, pinnedIn: Parser | undefined, originalText?: string, owned = false, depth = 0): EcsEvent {
  // a caller's object is never mutated (a bounded copy is read); one we just parsed from text is ours to reuse
  // (the JSON text of a caller's document was just written by parse(): reading it back is the fastest deep copy)
  const clean = owned ? obj : needsBounding(obj) ? boundDocument(obj, rcIn.notes) : (JSON.parse(originalText ?? JSON.stringify(obj)) as Record<string, unknown>);
  // a Filebeat module names its dataset: use it when the source did not pin one
  const hint = pinnedIn || rcIn.dataset ? undefined : agentDataset(clean);
  const pinned = hint ? BY_NAME.get(aliasOf(hint)!) : pinnedIn;
  const rc = hint ? { ...rcIn, dataset: hint } : rcIn;
  delete clean.organization;
  const agentOriginal = getPath(clean, 'event.original');
  const original = typeof agentOriginal === 'string' ? agentOriginal : originalText ?? documentText(obj);
  // a pinned line parser whose documents look different (auditd: Auditbeat's coalesced documents) reads the
  // raw line an agent forwarded in `message` as a line
  const declined = !!pinned?.parseLine && !!pinned.detectObject && typeof clean.message === 'string' && !pinned.detectObject(clean);
  const parser = pinned?.parseObject && !declined ? pinned : pinned ? undefined : detectObject(clean);
  if (parser?.parseObject) {
    const doc: Doc = { '@timestamp': '', event: { original } };
    parser.parseObject(doc, clean, rc);
    return finish(doc, parser, rc);
  }
  // a document whose `message` holds a raw line: parse the line as if it came over syslog
  const message = clean.message;
  if (typeof message === 'string' && message.trim() !== '') {
    const rest = cloneJson(clean);
    delete rest.message;
    if (rest.event && typeof rest.event === 'object') {
      delete (rest.event as Doc).original;
      delete (rest.event as Doc).id;
    }
    const agentTime = typeof rest['@timestamp'] === 'string' ? (rest['@timestamp'] as string) : undefined;
    delete rest['@timestamp'];
    const parsed = parseLineOrJson(message.replace(/[\r\n]+$/, ''), rc, pinned, depth + 1);
    if (parsed.event.kind === 'pipeline_error') return parsed;
    const lineHadTime = parsed['@timestamp'] !== rc.receivedAt.toISOString();
    const doc: Doc = rest;
    // the agent's own dataset name wins over canhgac's guess (it knows which file it read)
    const agentEvent = rest.event as Doc | undefined;
    if (agentEvent && typeof agentEvent.dataset === 'string') {
      delete parsed.event.dataset;
      if (typeof agentEvent.module === 'string') delete parsed.event.module;
    }
    mergeInto(doc, parsed as unknown as Doc);
    // as Elastic does: the raw line an agent forwarded is the original, not the agent's envelope
    (doc.event as Doc).original = message;
    if (!lineHadTime && agentTime && !Number.isNaN(Date.parse(agentTime))) doc['@timestamp'] = new Date(agentTime).toISOString();
    return finish(doc, undefined, rc);
  }
  if (pinned && !pinned.parseObject) throw new ParseFailure(`parser ${pinned.name} needs a text line or a document with a string "message"; got a JSON document without one`);
  // any other JSON document: kept as sent, normalized minimally
  const doc: Doc = clean;
  const ts = doc['@timestamp'];
  doc['@timestamp'] = typeof ts === 'string' && !Number.isNaN(Date.parse(ts)) ? new Date(ts).toISOString() : '';
  if (!doc.event || typeof doc.event !== 'object' || Array.isArray(doc.event)) doc.event = {};
  (doc.event as Doc).original = original;
  return finish(doc, undefined, rc);
}

/** A text line, or a JSON document written on one line (EVE, Zeek, ModSecurity, an agent's message that is JSON). */
function parseLineOrJson(line: string, rc: ResolvedContext, pinned: Parser | undefined, depth: number): EcsEvent {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('{') && (!pinned || pinned.parseObject) && depth < 4) {
    let obj: unknown;
    try {
      obj = JSON.parse(trimmed);
    } catch (e) {
      if (pinned?.parseObject && !pinned.parseLine) return pipelineError(line, rc, `invalid JSON for parser ${pinned.name}: ${(e as Error).message}`);
    }
    if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
      const ev = parseObject(boundIfNeeded(obj as Record<string, unknown>, rc.notes), rc, pinned, line, true, depth);
      if (!getPath(ev, 'event.original')) ev.event.original = line;
      return ev;
    }
  }
  return parseText(line, rc, pinned);
}

function decode(input: Buffer): { text: string; invalid: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(input), invalid: false };
  } catch {
    return { text: new TextDecoder('utf-8').decode(input), invalid: true };
  }
}

/** Parses one line or document into ECS. Never throws; the event is bounded (bounds.ts). */
export function parse(input: string | Buffer | Record<string, unknown>, ctx: ParseContext): EcsEvent {
  const rc = resolve(ctx ?? ({ receivedAt: new Date() } as ParseContext));
  return boundEvent(parseResolved(input, ctx, rc), rc.notes);
}

function parseResolved(input: string | Buffer | Record<string, unknown>, ctx: ParseContext, rc: ResolvedContext): EcsEvent {
  let original = '';
  let invalidUtf8 = false;
  let rawBytes: Buffer | undefined;
  try {
    const { parser: pinned, problem } = pinnedParser(ctx ?? ({} as ParseContext));
    let ev: EcsEvent;
    if (Buffer.isBuffer(input)) {
      const d = decode(input);
      original = d.text;
      invalidUtf8 = d.invalid;
      if (invalidUtf8) rawBytes = input;
    } else if (typeof input === 'string') original = input;
    else if (input && typeof input === 'object' && !Array.isArray(input)) {
      original = documentText(input);
      if (problem) return pipelineError(original, rc, problem);
      ev = parseObject(input, rc, pinned, original);
      return ev;
    } else {
      return pipelineError(String(input), rc, `input must be a string, a Buffer or a JSON object; got ${Array.isArray(input) ? 'an array' : typeof input}`);
    }
    const line = original.replace(/[\r\n]+$/, '');
    if (problem) return mark(pipelineError(original, rc, problem), invalidUtf8, rawBytes);
    if (line.trim() === '') return mark(pipelineError(original, rc, 'empty message: nothing to parse'), invalidUtf8, rawBytes);
    ev = parseLineOrJson(line, rc, pinned, 0);
    return mark(ev, invalidUtf8, rawBytes);
  } catch (e) {
    const reason = e instanceof ParseFailure ? e.message : `parser crashed: ${(e as Error)?.message ?? String(e)}`;
    const where = ctx?.format && ctx.format !== 'auto' ? ` (format ${ctx.format})` : ctx?.dataset ? ` (dataset ${ctx.dataset})` : '';
    return mark(pipelineError(original, rc, `${reason}${where}; input starts ${excerpt(original)}`), invalidUtf8, rawBytes);
  }
}

function mark(ev: EcsEvent, invalidUtf8: boolean, raw?: Buffer): EcsEvent {
  if (!invalidUtf8) return ev;
  const tags = Array.isArray(ev.tags) ? (ev.tags as string[]) : [];
  if (!tags.includes('invalid_utf8')) tags.push('invalid_utf8');
  ev.tags = tags;
  // the exact bytes that arrived, since a JS string cannot hold invalid UTF-8
  if (raw) set(ev as unknown as Doc, 'log.original_base64', raw.toString('base64'));
  return ev;
}


