/**
 * Configuration: a YAML file (`--config`, default ./canhgac.yml when present) with
 * CANHGAC_* environment overrides, validated at start. A bad value stops start with a
 * message naming the key, the value and what is allowed.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { unknownKeys } from './config-keys';
import { ALERTING_ENV, alertingConfigSchema, alertingFromEnv } from '../alerting/config-schema';
import { consoleConfigSchema } from '../console/server/config-schema';
import { retentionConfigSchema } from './retention/config-schema';
import { reportingConfigSchema } from '../reports/config-schema';
import { beatsSchema } from '../collector/listeners/beats.schema';
import { httpSchema } from '../collector/listeners/http.schema';
import { connectionsSchema, host } from '../collector/listeners/schema';
import { syslogTcpSchema } from '../collector/listeners/syslog-tcp.schema';
import { syslogTlsSchema } from '../collector/listeners/syslog-tls.schema';
import { syslogUdpSchema } from '../collector/listeners/syslog-udp.schema';

const sourceSchema = z.object({
  cidr: z.string().min(1), // an address or CIDR the device sends from
  tenant: z.string().min(1),
  format: z.string().optional(), // pin a parser (e.g. fortigate) instead of auto-detection
  dataset: z.string().optional(),
  timezone: z.string().optional(),
});

export const configSchema = z.object({
  data_dir: z.string().min(1).default('./data'),
  bind: host.default('127.0.0.1'),
  log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).prefault({}),
  bus: z
    .object({
      kind: z.enum(['embedded', 'kafka']).default('embedded'),
      kafka: z
        .object({
          brokers: z.array(z.string().regex(/^[^:\s]+:\d+$/, 'host:port')).default(['127.0.0.1:9092']),
          client_id: z.string().default('canhgac'),
          partitions: z.number().int().min(1).max(1024).default(6),
          replication: z.number().int().min(1).max(16).default(1),
          topic_prefix: z.string().default('canhgac.'),
          session_timeout_ms: z.number().int().min(6000).max(300000).default(30000), // how soon a dead member's partitions move
          // TLS to the brokers (PEM files): the CA that signed them, and a client certificate if they require one
          tls: z.object({ enabled: z.boolean().default(false), ca: z.string().optional(), cert: z.string().optional(), key: z.string().optional() }).prefault({}),
          // SASL (PLAIN or SCRAM), normally over TLS
          sasl: z
            .object({ mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(), username: z.string().optional(), password: z.string().optional() })
            .prefault({}),
        })
        .prefault({}),
    })
    .prefault({}),
  store: z
    .object({
      kind: z.enum(['sqlite', 'elasticsearch']).default('sqlite'),
      sqlite: z
        .object({
          path: z.string().optional(),
          // a console read still running after this long is stopped (503) instead of holding a reader thread
          query_timeout_seconds: z.number().positive().max(3600).default(20),
          // reader threads for console reads; 0 runs them on the main thread (default: one per core, at most 4)
          readers: z.number().int().min(0).max(16).optional(),
        })
        .prefault({}),
      elasticsearch: z
        .object({
          url: z.string().url().default('http://127.0.0.1:9200'),
          index_prefix: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, "_", "-", "."').default('canhgac'),
          retention_days: z.number().int().min(1).default(90),
          shards: z.number().int().min(1).max(64).default(1),
          replicas: z.number().int().min(0).max(8).default(0), // 1 or more on a cluster
          username: z.string().optional(),
          password: z.string().optional(),
          // what the cluster runs; auto asks it. OpenSearch 2/3 works too, through its own client.
          flavor: z.enum(['auto', 'elasticsearch', 'opensearch']).default('auto'),
          api_key: z.string().optional(), // Elasticsearch API key (base64 id:key), instead of username/password
          ca: z.string().optional(), // PEM file of the CA that signed the cluster's certificate (https with a private CA)
        })
        .prefault({}),
    })
    .prefault({}),
  collector: z
    .object({
      default_tenant: z.string().min(1).default('default'),
      // this collector's name for its counters in the store (default: the host name); collectors sharing a store need distinct ones
      instance: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "-", "."').optional(),
      timezone: z.string().default('Asia/Ho_Chi_Minh'),
      max_message_bytes: z.number().int().min(256).max(16 * 1024 * 1024).default(64 * 1024),
      // threads that parse and normalize off the listeners' thread; unset = cores - 1 (at most 4), 0 = none
      parse_workers: z.number().int().min(0).max(32).optional(),
      syslog: z.object({ udp: syslogUdpSchema, tcp: syslogTcpSchema, tls: syslogTlsSchema }).prefault({}),
      http: httpSchema,
      beats: beatsSchema,
      connections: connectionsSchema,
      sources: z.array(sourceSchema).default([]),
      assets: z.string().optional(), // asset inventory, CSV or YAML: ip or cidr, name, agency, criticality
      geoip: z.boolean().default(true), // country of public addresses, from data shipped in the package
      // auditd records sent one per message (audisp-syslog, rsyslog imfile) merged into their serial's event; collector/assemble/README.md
      auditd_assembly: z
        .object({
          enabled: z.boolean().default(true),
          timeout_ms: z.number().int().min(50).max(60000).default(2000), // a serial without its EOE is flushed after this long
          max_open: z.number().int().min(1).max(1000000).default(10000), // open serials at most; the oldest is flushed first
        })
        .prefault({}),
    })
    .prefault({}),
  correlator: z
    .object({
      rules: z.array(z.string()).default(['rules/sigma']),
      mappings: z.string().default('rules/mappings'),
      placeholders: z.record(z.string(), z.array(z.string())).default({}),
      max_groups_per_rule: z.number().int().min(100).default(100000),
      /** how far (seconds) a correlation event may arrive behind the newest of its group and still count */
      allowed_lateness_s: z.number().int().min(0).max(7 * 86400).default(900),
      /** this correlator's name for its rule statistics (each instance saves its own; the console adds them up); default host name and data directory */
      instance: z.string().regex(/^[A-Za-z0-9_.:-]{1,80}$/, 'letters, digits, "_", "-", ".", ":"').optional(),
    })
    .prefault({}),
  intel: z
    .object({
      /** the feed folder scanned for indicator files (intel/README.md); default <data_dir>/feeds */
      feeds_dir: z.string().optional(),
      feeds_interval_s: z.number().int().min(5).max(86400).default(300),
    })
    .prefault({}),
  alerting: alertingConfigSchema.prefault({}),
  console: consoleConfigSchema.prefault({}),
  retention: retentionConfigSchema.prefault({}),
  reporting: reportingConfigSchema.prefault({}),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Environment overrides: name → config path and how to read the value. */
export const ENV: [string, string, 'string' | 'int' | 'bool' | 'list'][] = [
  ['CANHGAC_DATA_DIR', 'data_dir', 'string'],
  ['CANHGAC_BIND', 'bind', 'string'],
  ['CANHGAC_LOG_LEVEL', 'log.level', 'string'],
  ['CANHGAC_BUS', 'bus.kind', 'string'],
  ['CANHGAC_KAFKA_BROKERS', 'bus.kafka.brokers', 'list'],
  ['CANHGAC_KAFKA_PARTITIONS', 'bus.kafka.partitions', 'int'],
  ['CANHGAC_KAFKA_TOPIC_PREFIX', 'bus.kafka.topic_prefix', 'string'],
  ['CANHGAC_KAFKA_TLS', 'bus.kafka.tls.enabled', 'bool'],
  ['CANHGAC_KAFKA_CA', 'bus.kafka.tls.ca', 'string'],
  ['CANHGAC_KAFKA_SASL_MECHANISM', 'bus.kafka.sasl.mechanism', 'string'],
  ['CANHGAC_KAFKA_USERNAME', 'bus.kafka.sasl.username', 'string'],
  ['CANHGAC_KAFKA_PASSWORD', 'bus.kafka.sasl.password', 'string'],
  ['CANHGAC_STORE', 'store.kind', 'string'],
  ['CANHGAC_SQLITE_PATH', 'store.sqlite.path', 'string'],
  ['CANHGAC_SQLITE_QUERY_TIMEOUT_SECONDS', 'store.sqlite.query_timeout_seconds', 'int'],
  ['CANHGAC_ELASTICSEARCH_URL', 'store.elasticsearch.url', 'string'],
  ['CANHGAC_ELASTICSEARCH_INDEX_PREFIX', 'store.elasticsearch.index_prefix', 'string'],
  ['CANHGAC_ELASTICSEARCH_FLAVOR', 'store.elasticsearch.flavor', 'string'],
  ['CANHGAC_ELASTICSEARCH_USERNAME', 'store.elasticsearch.username', 'string'],
  ['CANHGAC_ELASTICSEARCH_PASSWORD', 'store.elasticsearch.password', 'string'],
  ['CANHGAC_ELASTICSEARCH_API_KEY', 'store.elasticsearch.api_key', 'string'],
  ['CANHGAC_ELASTICSEARCH_CA', 'store.elasticsearch.ca', 'string'],
  ['CANHGAC_DEFAULT_TENANT', 'collector.default_tenant', 'string'],
  ['CANHGAC_COLLECTOR_INSTANCE', 'collector.instance', 'string'],
  ['CANHGAC_CORRELATOR_INSTANCE', 'correlator.instance', 'string'],
  ['CANHGAC_TIMEZONE', 'collector.timezone', 'string'],
  ['CANHGAC_SYSLOG_PORT', 'collector.syslog.udp.port', 'int'],
  ['CANHGAC_SYSLOG_PORT', 'collector.syslog.tcp.port', 'int'],
  ['CANHGAC_SYSLOG_UDP_PORT', 'collector.syslog.udp.port', 'int'],
  ['CANHGAC_SYSLOG_TCP_PORT', 'collector.syslog.tcp.port', 'int'],
  ['CANHGAC_SYSLOG_TLS_PORT', 'collector.syslog.tls.port', 'int'],
  ['CANHGAC_SYSLOG_TLS_CERT', 'collector.syslog.tls.cert', 'string'],
  ['CANHGAC_SYSLOG_TLS_KEY', 'collector.syslog.tls.key', 'string'],
  ['CANHGAC_HTTP_PORT', 'collector.http.port', 'int'],
  ['CANHGAC_BEATS_ENABLED', 'collector.beats.enabled', 'bool'],
  ['CANHGAC_BEATS_PORT', 'collector.beats.port', 'int'],
  ['CANHGAC_MAX_MESSAGE_BYTES', 'collector.max_message_bytes', 'int'],
  ['CANHGAC_PARSE_WORKERS', 'collector.parse_workers', 'int'],
  ['CANHGAC_ASSETS', 'collector.assets', 'string'],
  ['CANHGAC_RULES', 'correlator.rules', 'list'],
  ['CANHGAC_INTEL_FEEDS_DIR', 'intel.feeds_dir', 'string'],
  ['CANHGAC_INTEL_FEEDS_INTERVAL_SECONDS', 'intel.feeds_interval_s', 'int'],
  ['CANHGAC_CONSOLE_PORT', 'console.port', 'int'],
  ['CANHGAC_CONSOLE_TLS_CERT', 'console.tls.cert', 'string'],
  ['CANHGAC_CONSOLE_TLS_KEY', 'console.tls.key', 'string'],
  ['CANHGAC_CONSOLE_URL', 'alerting.console_url', 'string'],
  ['CANHGAC_INCIDENT_WINDOW_MINUTES', 'alerting.incident_window_minutes', 'int'],
  ['CANHGAC_LANGUAGE', 'alerting.language', 'string'],
];

function setDeep(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

/** A key as the user writes it: `alerting.routes[0].notify`. */
function keyName(keyPath: (string | number | symbol)[]): string {
  return keyPath.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

function getDeep(obj: unknown, parts: (string | number | symbol)[]): unknown {
  let cur = obj;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p as string];
  }
  return cur;
}

export interface LoadedConfig {
  config: Config;
  file: string | null;
  /** Not errors, but worth a look: a variable set to an empty value, taken as unset, and what is in effect instead. */
  notices: string[];
}

/** Where a setting came from, for error messages: a file position or an environment variable. */
type Sources = { file: string | null; doc: YAML.Document | null; lines: YAML.LineCounter; env: Map<string, string> };

function sourceOf(src: Sources, keyPath: (string | number | symbol)[]): string {
  const dotted = keyPath.map(String).join('.');
  for (const [key, name] of src.env) if (dotted === key || dotted.startsWith(key + '.')) return `from environment ${name}`;
  if (!src.doc || !src.file) return 'default';
  for (let n = keyPath.length; n > 0; n--) {
    const node = src.doc.getIn(keyPath.slice(0, n) as (string | number)[], true) as YAML.Node | undefined;
    const start = node && YAML.isNode(node) ? node.range?.[0] : undefined;
    if (start !== undefined) {
      const pos = src.lines.linePos(start);
      return `${src.file}:${pos.line}:${pos.col}`;
    }
  }
  return src.file;
}

/** The position of a key itself (not its value) in the file, for a key the schema does not know. */
function keySourceOf(src: Sources, keyPath: (string | number)[]): string {
  const parent = keyPath.length > 1 ? src.doc?.getIn(keyPath.slice(0, -1), true) : src.doc?.contents;
  if (src.file && YAML.isMap(parent)) {
    const pair = parent.items.find((p) => YAML.isScalar(p.key) && p.key.value === keyPath[keyPath.length - 1]);
    const start = pair && YAML.isNode(pair.key) ? pair.key.range?.[0] : undefined;
    if (start !== undefined) {
      const pos = src.lines.linePos(start);
      return `${src.file}:${pos.line}:${pos.col}`;
    }
  }
  return sourceOf(src, keyPath);
}

function readFile(file: string, src: Sources): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`config: cannot read ${file}: ${(e as Error).message}`);
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true, lineCounter: src.lines });
  if (doc.errors.length) {
    const lines = doc.errors.map((e) => {
      const line = e.linePos?.[0];
      return `config: ${file}${line ? `:${line.line}:${line.col}` : ''}: invalid YAML: ${e.message.split('\n')[0]}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  src.doc = doc;
  const parsed = doc.toJS() as unknown;
  if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new ConfigError(`config: ${file}: the top level must be a mapping of keys`);
  return (parsed as Record<string, unknown>) ?? {};
}

/** Variables set to an empty value (VAR= in a compose file or .env): taken as unset, as docker-compose users expect. */
function emptyVariables(env: NodeJS.ProcessEnv): string[] {
  const names = new Set([...ENV.map(([name]) => name), ...ALERTING_ENV.map((e) => e.name)]);
  return [...names].filter((name) => env[name] !== undefined && env[name]!.trim() === '');
}

/** For each empty variable, the value in effect instead and where it came from (default, file line or another variable). */
function emptyNotices(empty: string[], config: Config, src: Sources): string[] {
  return empty.map((name) => {
    const keys = ENV.filter(([n]) => n === name).map(([, key]) => key);
    const alerting = ALERTING_ENV.find((e) => e.name === name);
    const from = (parts: string[]) => ([...src.env.keys()].includes(parts.join('.')) || src.doc?.hasIn(parts) ? sourceOf(src, parts) : 'default');
    const inEffect = keys.map((key) => `${key} is ${JSON.stringify(getDeep(config, key.split('.')) ?? null)} (${from(key.split('.'))})`);
    if (!inEffect.length && alerting) inEffect.push(`it sets nothing (${alerting.sets})`);
    return `${name} is set but empty: taken as unset, so ${inEffect.join(' and ')}`;
  });
}

/** Environment overrides into `raw`; a value that cannot be read is an issue, not a stop. */
function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, src: Sources, issues: string[]): void {
  for (const [name, key, kind] of ENV) {
    const v = env[name];
    if (v === undefined || v.trim() === '') continue; // empty: unset, with a notice (emptyNotices)
    let value: unknown = v;
    if (kind === 'int') {
      if (!/^-?\d+$/.test(v.trim())) {
        issues.push(`  ${name}=${JSON.stringify(v)} (${key}) must be an integer`);
        continue;
      }
      value = Number(v);
    } else if (kind === 'bool') value = /^(1|true|yes|on)$/i.test(v);
    else if (kind === 'list') value = v.split(',').map((s) => s.trim()).filter(Boolean);
    setDeep(raw, key, value);
    src.env.set(key, name);
  }
}

/** The whole configuration, every component's section validated against its schema; every problem is reported in one ConfigError. */
export function loadConfig(opts: { file?: string | null; env?: NodeJS.ProcessEnv; cwd?: string; overrides?: Record<string, unknown> } = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  let file: string | null = null;
  if (opts.file) file = path.resolve(cwd, opts.file);
  else if (env.CANHGAC_CONFIG) file = path.resolve(cwd, env.CANHGAC_CONFIG);
  else if (fs.existsSync(path.join(cwd, 'canhgac.yml'))) file = path.join(cwd, 'canhgac.yml');
  const src: Sources = { file, doc: null, lines: new YAML.LineCounter(), env: new Map() };
  const raw = file ? readFile(file, src) : {};
  const issues: string[] = [];
  for (const u of unknownKeys(configSchema, raw))
    issues.push(`  ${keyName(u.path)}: unknown key${u.suggestion ? `; did you mean ${keyName([...u.path.slice(0, -1), u.suggestion])}?` : u.known.length <= 12 ? `; allowed here: ${u.known.join(', ')}` : ''} (${keySourceOf(src, u.path)})`);
  applyEnv(raw, env, src, issues);
  const alerting = alertingFromEnv(raw.alerting, env); // the quick setup (CANHGAC_SMTP_URL, CANHGAC_ZALO_*...) is validated with the file's routes
  if (alerting.section !== undefined) raw.alerting = alerting.section;
  for (const [key, name] of alerting.sources) src.env.set(key, name);
  issues.push(...alerting.problems.map((p) => `  ${p}`));
  for (const [key, value] of Object.entries(opts.overrides ?? {})) setDeep(raw, key, value);

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') continue; // strict sections: reported above with the nearest known key
      const key = keyName(issue.path);
      const value = getDeep(raw, issue.path);
      const allowed = 'values' in issue && Array.isArray(issue.values) ? `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` : issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
      issues.push(`  ${key}: ${value === undefined ? '(missing)' : JSON.stringify(value)} is not allowed: ${allowed} (${sourceOf(src, issue.path)})`);
    }
  }
  const empty = emptyVariables(env);
  const emptyNote = empty.map((name) => `\n  (notice) ${name} is set but empty: taken as unset`).join('');
  if (issues.length || !result.success) throw new ConfigError(`config${file ? ` (${file})` : ''}: ${issues.length} invalid setting${issues.length === 1 ? '' : 's'}:\n${issues.join('\n')}${emptyNote}`);
  const config = result.data;
  alerting.order(config.alerting);
  resolvePaths(config, cwd);
  const t = config.collector.syslog.tls;
  if (env.CANHGAC_SYSLOG_TLS_CERT && env.CANHGAC_SYSLOG_TLS_KEY) t.enabled = true; // quick setup: a certificate turns TLS on
  const late = crossChecks(config).map((m) => `  ${m}`);
  if (late.length) throw new ConfigError(`config${file ? ` (${file})` : ''}: ${late.length} invalid setting${late.length === 1 ? '' : 's'}:\n${late.join('\n')}${emptyNote}`);
  return { config, file, notices: emptyNotices(empty, config, src) };
}

/** Relative paths in the config are relative to the working directory. */
function resolvePaths(config: Config, cwd: string): void {
  const dataDir = path.resolve(cwd, config.data_dir);
  config.data_dir = dataDir;
  if (!config.store.sqlite.path) config.store.sqlite.path = path.join(dataDir, 'canhgac.db');
  config.intel.feeds_dir = path.resolve(cwd, config.intel.feeds_dir ?? path.join(dataDir, 'feeds'));
  if (config.collector.assets) config.collector.assets = path.resolve(cwd, config.collector.assets);
  if (config.store.elasticsearch.ca) config.store.elasticsearch.ca = path.resolve(cwd, config.store.elasticsearch.ca);
  const kt = config.bus.kafka.tls;
  for (const k of ['ca', 'cert', 'key'] as const) if (kt[k]) kt[k] = path.resolve(cwd, kt[k]!);
  for (const section of [config.collector.syslog.tls, config.collector.beats.tls]) for (const k of ['cert', 'key', 'ca'] as const) if (section[k]) section[k] = path.resolve(cwd, section[k]!);
}

/** Rules across keys, all reported together. */
function crossChecks(config: Config): string[] {
  const out: string[] = [];
  const ks = config.bus.kafka.sasl;
  if (ks.mechanism && (!ks.username || ks.password === undefined)) out.push('bus.kafka.sasl: mechanism is set, so username and password are required (CANHGAC_KAFKA_USERNAME, CANHGAC_KAFKA_PASSWORD)');
  const t = config.collector.syslog.tls;
  const b = config.collector.beats.tls;
  if (t.enabled && (!t.cert || !t.key)) out.push('collector.syslog.tls.enabled is true but cert and key (PEM files) are not both set');
  if (!b.cert !== !b.key) out.push('collector.beats.tls: set both cert and key (PEM files) to receive Beats over TLS, or neither');
  for (const [i, s] of config.collector.sources.entries()) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(s.cidr)) out.push(`collector.sources[${i}].cidr: ${JSON.stringify(s.cidr)} is not an address or CIDR`);
  }
  return out;
}
