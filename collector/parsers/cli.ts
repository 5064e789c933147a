/**
 * `canhgac parse --input <file> [--format auto|<parser>] [--dataset <package>.<data_stream>]
 *  [--tenant <id>] [--timezone <zone>] [--now <ISO time>]`
 * Reads raw lines, JSON lines or `{"events":[...]}` (Elastic pipeline-test inputs) and prints one
 * ECS event per line: what an agency runs to check its source, and what conformance suites use.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { parse, parserNames, datasetNames, ParseContext } from './index';
import { isValidTimezone } from './util';
import type { EcsEvent } from '../../core/event';
import { createEnricher, Enricher } from '../enrich/index';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile?: (path: string) => Promise<string | Buffer>;
}

const USAGE = `usage: canhgac parse --input <file|-> [--format auto|<parser>] [--dataset <package>.<data_stream>] [--tenant <id>] [--timezone <IANA zone or +hh:mm>] [--now <ISO time>] [--assets <csv|yaml>] [--no-enrich]
  --input     file of raw lines, JSON lines, or {"events":[...]} ("-" reads stdin)
  --format    parser to pin (default auto): ${'{formats}'}
  --dataset   Elastic dataset name, pins the parser and sets event.dataset (e.g. system.auth, cisco_asa.log)
  --tenant    organization.id to stamp on every event (as the collector would from the credential)
  --timezone  zone of devices that send local time without offset (default Asia/Ho_Chi_Minh)
  --now       reception time, for year-less timestamps (default: the current time)
  --assets    asset inventory (ip or cidr, name, agency, criticality) to enrich with, as the collector does
  --no-enrich print the parser's output only (no GeoIP, address scopes, assets or derived network.direction)`;

interface Options {
  input?: string;
  format?: string;
  dataset?: string;
  tenant?: string;
  timezone?: string;
  now?: string;
  assets?: string;
  enrich?: boolean;
}

const FLAGS = new Set(['input', 'format', 'dataset', 'tenant', 'timezone', 'now', 'assets']);

function parseArgs(argv: string[]): { opts: Options; error?: string; help?: boolean } {
  const opts: Options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === 'parse' && i === 0) continue;
    if (arg === '--help' || arg === '-h') return { opts, help: true };
    if (arg === '--no-enrich') {
      opts.enrich = false;
      continue;
    }
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m || !FLAGS.has(m[1])) return { opts, error: `unknown argument ${JSON.stringify(arg)}` };
    const value = m[2] ?? argv[++i];
    if (value === undefined) return { opts, error: `--${m[1]} needs a value` };
    (opts as Record<string, string>)[m[1]] = value;
  }
  return { opts };
}

function readStdin(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}

/** Splits a file into inputs for `parse`: the events of `{"events":[...]}`, else one Buffer per non-empty line. */
export function splitInputs(content: Buffer): Array<Buffer | Record<string, unknown>> {
  const text = content.toString('utf8').trim();
  if (text.startsWith('{') && text.includes('"events"')) {
    try {
      const doc = JSON.parse(text) as { events?: unknown };
      if (Array.isArray(doc.events)) {
        return doc.events.map((e) => (e && typeof e === 'object' && !Array.isArray(e) ? (e as Record<string, unknown>) : { message: String(e) }));
      }
    } catch {
      // not one JSON document: fall through to lines (JSON lines)
    }
  }
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= content.length; i++) {
    if (i === content.length || content[i] === 0x0a) {
      let end = i;
      if (end > start && content[end - 1] === 0x0d) end--;
      const line = content.subarray(start, end);
      if (line.toString('utf8').trim() !== '') out.push(line);
      start = i + 1;
    }
  }
  return out;
}

export async function parseCli(argv: string[], io: CliIo): Promise<number> {
  const { opts, error, help } = parseArgs(argv);
  const usage = USAGE.replace('{formats}', parserNames().join(', '));
  if (help) {
    io.stdout(`${usage}\n  datasets:   ${datasetNames().join(', ')}\n`);
    return 0;
  }
  if (error) {
    io.stderr(`canhgac parse: ${error}\n${usage}\n`);
    return 2;
  }
  if (!opts.input) {
    io.stderr(`canhgac parse: --input is required\n${usage}\n`);
    return 2;
  }
  if (opts.format && !parserNames().includes(opts.format)) {
    io.stderr(`canhgac parse: unknown --format ${JSON.stringify(opts.format)}; use one of: ${parserNames().join(', ')}\n`);
    return 2;
  }
  if (opts.dataset && !/^[a-z0-9_]+\.[a-z0-9_]+$/.test(opts.dataset)) {
    io.stderr(`canhgac parse: --dataset ${JSON.stringify(opts.dataset)} must look like <package>.<data_stream>, e.g. ${datasetNames().slice(0, 4).join(', ')}\n`);
    return 2;
  }
  if (opts.timezone && !isValidTimezone(opts.timezone)) {
    io.stderr(`canhgac parse: --timezone ${JSON.stringify(opts.timezone)} is not an IANA zone (e.g. Asia/Ho_Chi_Minh) or an offset (e.g. +07:00)\n`);
    return 2;
  }
  let now: Date | undefined;
  if (opts.now) {
    now = new Date(opts.now);
    if (Number.isNaN(now.getTime())) {
      io.stderr(`canhgac parse: --now ${JSON.stringify(opts.now)} is not an ISO 8601 time\n`);
      return 2;
    }
  }
  let content: Buffer;
  try {
    if (opts.input === '-') content = await readStdin();
    else {
      const raw = await (io.readFile ?? fsReadFile)(opts.input);
      content = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    }
  } catch (e) {
    io.stderr(`canhgac parse: cannot read --input ${JSON.stringify(opts.input)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 1;
  }
  let enricher: Enricher | undefined;
  if (opts.enrich !== false) {
    try {
      enricher = createEnricher({ assetsFile: opts.assets });
    } catch (e) {
      io.stderr(`canhgac parse: ${(e as Error).message}\n`);
      return 2;
    }
  } else if (opts.assets) {
    io.stderr('canhgac parse: --assets needs enrichment; drop --no-enrich\n');
    return 2;
  }
  const inputs = splitInputs(content);
  let errors = 0;
  for (const input of inputs) {
    const ctx: ParseContext = { receivedAt: now ?? new Date(), format: opts.format, dataset: opts.dataset, timezone: opts.timezone };
    let ev: EcsEvent = parse(input, ctx);
    if (enricher && ev.event.kind !== 'pipeline_error') ev = enricher.enrich(ev);
    if (ev.event.kind === 'pipeline_error') errors++;
    if (opts.tenant) ev.organization = { id: opts.tenant };
    io.stdout(JSON.stringify(ev) + '\n');
  }
  io.stderr(`canhgac parse: ${inputs.length} event(s), ${errors} pipeline error(s)\n`);
  return 0;
}
