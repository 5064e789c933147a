/**
 * Scale-out for e2e tests: each canhgac component as its own process (the real binary) on the
 * real Kafka and Elasticsearch of deploy/local, with topic and index prefixes of its own so runs
 * never see each other's data; plus direct Elasticsearch and Kafka views to check what landed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { ComponentName } from '../../core/runtime';
import { BIN, baseEnv, tempDataDir } from './canhgac';

export const INFRA_SH = path.resolve(__dirname, '..', '..', 'deploy', 'local', 'infra.sh');

export interface ClusterOptions {
  brokers: string[];
  esUrl: string;
  /** unique per test: becomes the Kafka topic/group prefix and the Elasticsearch index prefix */
  name: string;
  partitions?: number;
  env?: Record<string, string>;
}

export interface Component {
  name: ComponentName;
  label: string;
  proc: ChildProcess;
  dataDir: string;
  addresses: { console?: string; syslogTcpPort?: number; syslogUdpPort?: number; ingestUrl?: string };
  stdout(): string;
  stderr(): string;
  /** SIGTERM and wait for the exit */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit: no shutdown code runs */
  kill9(): Promise<void>;
  exited(): boolean;
}

/** A unique, lower-case name for one test's topics and indices. */
export function uniqueName(what: string): string {
  return `scale-${what}-${Date.now().toString(36)}-${process.pid}`;
}

export class Cluster {
  readonly topicPrefix: string;
  readonly indexPrefix: string;
  readonly components: Component[] = [];
  private admin: Admin | null = null;

  constructor(readonly opts: ClusterOptions) {
    this.topicPrefix = `${opts.name}.`;
    this.indexPrefix = opts.name;
  }

  /** What every process of this cluster shares: bus, store and their prefixes. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      CANHGAC_BUS: 'kafka',
      CANHGAC_KAFKA_BROKERS: this.opts.brokers.join(','),
      CANHGAC_KAFKA_TOPIC_PREFIX: this.topicPrefix,
      CANHGAC_KAFKA_PARTITIONS: String(this.opts.partitions ?? 4),
      CANHGAC_STORE: 'elasticsearch',
      CANHGAC_ELASTICSEARCH_URL: this.opts.esUrl,
      CANHGAC_ELASTICSEARCH_INDEX_PREFIX: this.indexPrefix,
      ...(this.opts.env ?? {}),
      ...extra,
    };
  }

  /**
   * Starts one component as its own `canhgac <name>` process and waits until it says it runs.
   * `label` becomes its Kafka client id, so a test can tell group members apart.
   */
  async start(name: ComponentName, label: string = name, extraEnv: Record<string, string> = {}): Promise<Component> {
    const dataDir = tempDataDir();
    // the Kafka client id has no environment override; a canhgac.yml in the working directory sets it
    fs.writeFileSync(path.join(dataDir, 'canhgac.yml'), `bus:\n  kafka:\n    client_id: ${JSON.stringify(`canhgac-${label}`)}\n`);
    const proc = spawn(process.execPath, [BIN, name], { cwd: dataDir, env: baseEnv(dataDir, this.env(extraEnv)), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exit = new Promise<void>((r) => proc.on('exit', () => r()));
    // generous: several JVMs and node processes share two loaded cores
    const deadline = Date.now() + 120_000;
    while (!/try\s+logger/.test(out)) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`canhgac ${name} (${label}) exited with ${proc.exitCode ?? proc.signalCode}:\n${out}\n${err}`);
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`canhgac ${name} (${label}) did not start in 120 s:\n${out}\n${err}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const m = (re: RegExp) => re.exec(out)?.[1];
    const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
    const c: Component = {
      name,
      label,
      proc,
      dataDir,
      addresses: {
        console: m(/console\s+(http:\/\/\S+)/),
        syslogUdpPort: num(m(/udp:\/\/[\d.]+:(\d+)/)),
        syslogTcpPort: num(m(/tcp:\/\/[\d.]+:(\d+)/)),
        ingestUrl: m(/POST (http:\/\/\S+\/api\/v1\/ingest)/),
      },
      stdout: () => out,
      stderr: () => err,
      exited: () => proc.exitCode !== null || proc.signalCode !== null,
      async stop() {
        if (!c.exited()) proc.kill('SIGTERM');
        await exit;
      },
      async kill9() {
        if (!c.exited()) proc.kill('SIGKILL');
        await exit;
      },
    };
    this.components.push(c);
    return c;
  }

  /** An administration command (tenant add, token create…) against this cluster's store. */
  cli(args: string[], input = ''): { code: number; stdout: string; stderr: string } {
    const dataDir = tempDataDir();
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dataDir, env: baseEnv(dataDir, this.env()), input, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** Creates an agency and returns its ingest token. */
  addTenant(id: string, name: string): string {
    const r = this.cli(['tenant', 'add', id, '--name', name]);
    const token = /ingest token \(shown once\): (\S+)/.exec(r.stdout)?.[1];
    if (r.code !== 0 || !token) throw new Error(`canhgac tenant add ${id} failed (${r.code}): ${r.stdout}\n${r.stderr}`);
    return token;
  }

  /** Kafka admin on the same brokers, for looking at groups and topics the way an operator would. */
  async kafkaAdmin(): Promise<Admin> {
    if (!this.admin) {
      const a = new Kafka({ clientId: 'canhgac-scale-test', brokers: this.opts.brokers, logLevel: logLevel.NOTHING }).admin();
      await a.connect();
      this.admin = a;
    }
    return this.admin;
  }

  /** Records not yet committed by a consumer group on a topic (both names without the prefix). */
  async groupLag(group: string, topic: string): Promise<number> {
    const a = await this.kafkaAdmin();
    const name = this.topicPrefix + topic;
    const ends = await a.fetchTopicOffsets(name);
    const done = new Map<number, bigint>();
    for (const t of await a.fetchOffsets({ groupId: this.topicPrefix + group, topics: [name] })) for (const p of t.partitions) done.set(p.partition, BigInt(p.offset));
    let lag = 0n;
    for (const p of ends) {
      const c = done.get(p.partition) ?? -1n;
      const from = c >= 0n ? c : BigInt(p.low);
      if (BigInt(p.high) > from) lag += BigInt(p.high) - from;
    }
    return Number(lag);
  }

  /** Which partitions of a topic each client id of a group holds now. */
  async assignments(group: string, topic: string): Promise<Map<string, number[]>> {
    const a = await this.kafkaAdmin();
    const { groups } = await a.describeGroups([this.topicPrefix + group]);
    const out = new Map<string, number[]>();
    const { AssignerProtocol } = await import('kafkajs');
    for (const m of groups[0]?.members ?? []) {
      const decoded = m.memberAssignment.length ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
      const parts = decoded?.assignment[this.topicPrefix + topic] ?? [];
      out.set(m.clientId, [...(out.get(m.clientId) ?? []), ...parts]);
    }
    return out;
  }

  /** Partitions of a topic that hold at least one record. */
  async partitionsWithRecords(topic: string): Promise<number[]> {
    const a = await this.kafkaAdmin();
    return (await a.fetchTopicOffsets(this.topicPrefix + topic)).filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => p.partition);
  }

  /** Stops every process, then deletes this cluster's topics and indices so shared servers do not fill up. */
  async close(): Promise<void> {
    await Promise.all(this.components.map((c) => c.stop().catch(() => undefined)));
    try {
      const a = await this.kafkaAdmin();
      const mine = (await a.listTopics()).filter((t) => t.startsWith(this.topicPrefix));
      if (mine.length) await a.deleteTopics({ topics: mine, timeout: 30_000 });
    } catch {
      // cleaning up is best effort: the prefix is unique, so leftovers never meet another run
    }
    await deleteIndices(this.opts.esUrl, this.indexPrefix).catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
    for (const c of this.components) fs.rmSync(c.dataDir, { recursive: true, force: true });
  }
}

/** Deletes the indices `<prefix>-*` by name (Elasticsearch 8 refuses wildcard deletes by default). */
export async function deleteIndices(esUrl: string, prefix: string): Promise<void> {
  const r = await fetch(`${esUrl}/_cat/indices/${prefix}-*?format=json&h=index`);
  const names = ((await r.json()) as { index: string }[]).map((i) => i.index);
  for (let i = 0; i < names.length; i += 50) await fetch(`${esUrl}/${names.slice(i, i + 50).join(',')}`, { method: 'DELETE' });
}

/** Elasticsearch over plain HTTP, the way an operator checks it with curl. */
export class EsView {
  constructor(
    readonly url: string,
    readonly indexPrefix: string,
  ) {}

  async request<T = Record<string, unknown>>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(this.url + p, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  /** Refreshes the event indices, then searches them. */
  async searchEvents<T = Record<string, unknown>>(query: unknown, extra: Record<string, unknown> = {}): Promise<{ total: number; hits: T[]; aggregations?: Record<string, unknown> }> {
    await this.request('POST', `/${this.indexPrefix}-events-*/_refresh?ignore_unavailable=true&allow_no_indices=true`);
    const r = await this.request<{ hits?: { total?: { value: number }; hits: { _source: T }[] }; aggregations?: Record<string, unknown>; error?: unknown }>(
      'POST',
      `/${this.indexPrefix}-events-*/_search?ignore_unavailable=true&allow_no_indices=true`,
      { query, track_total_hits: true, size: 100, ...extra },
    );
    if (r.status !== 200 || !r.body.hits) throw new Error(`Elasticsearch search failed (${r.status}): ${JSON.stringify(r.body).slice(0, 500)}`);
    return { total: r.body.hits.total?.value ?? -1, hits: r.body.hits.hits.map((h) => h._source), aggregations: r.body.aggregations };
  }

  /** How many stored event documents carry each event.id (all of them, paged by id). */
  async eventIdCounts(query: unknown = { match_all: {} }): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    let after: unknown;
    for (;;) {
      const r = await this.searchEvents<never>(query, {
        size: 0,
        track_total_hits: false,
        aggs: { ids: { composite: { size: 5000, sources: [{ id: { terms: { field: 'event.id' } } }], ...(after ? { after } : {}) } } },
      });
      const agg = r.aggregations!.ids as { buckets: { key: { id: string }; doc_count: number }[]; after_key?: unknown };
      for (const b of agg.buckets) counts.set(b.key.id, b.doc_count);
      if (!agg.buckets.length || !agg.after_key) return counts;
      after = agg.after_key;
    }
  }

  /** Documents of an entity index (alerts, incidents…), refreshed first. */
  async entities<T = Record<string, unknown>>(kind: string, query: unknown = { match_all: {} }): Promise<T[]> {
    await this.request('POST', `/${this.indexPrefix}-${kind}/_refresh`);
    const r = await this.request<{ hits?: { hits: { _source: T }[] } }>('POST', `/${this.indexPrefix}-${kind}/_search`, { query, size: 10_000 });
    if (r.status !== 200 || !r.body.hits) throw new Error(`Elasticsearch search of ${kind} failed (${r.status}): ${JSON.stringify(r.body).slice(0, 500)}`);
    return r.body.hits.hits.map((h) => h._source);
  }
}

/** A second, private Elasticsearch node (deploy/local/infra.sh on a port of its own) that a test may stop and start. */
export class PrivateElasticsearch {
  constructor(
    readonly port: number,
    readonly transportPort: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private infra(args: string[], fresh = false): string {
    const r = spawnSync('bash', [INFRA_SH, ...args], {
      env: { ...process.env, CANHGAC_ES_PORT: String(this.port), CANHGAC_ES_TRANSPORT_PORT: String(this.transportPort), CANHGAC_ES_HEAP: '512m', ...(fresh ? { CANHGAC_INFRA_FRESH: '1' } : {}) },
      encoding: 'utf8',
      timeout: 15 * 60_000,
    });
    if (r.status !== 0) throw new Error(`infra.sh ${args.join(' ')} (Elasticsearch on ${this.port}) failed: ${r.stderr || r.error?.message}`);
    return r.stdout;
  }

  /** Starts it; `fresh` wipes its data first. */
  up(fresh = false): void {
    const out = this.infra(['up', 'es'], fresh);
    if (/already running|something else/.test(out)) throw new Error(`port ${this.port} already serves an Elasticsearch this test did not start: ${out}`);
  }

  down(): void {
    this.infra(['down', 'es']);
  }

  /** Stops it (if running) and deletes its data. */
  remove(): void {
    this.down();
    fs.rmSync(path.join(process.env.CANHGAC_INFRA_DIR ?? path.join(path.dirname(INFRA_SH), '.cache'), 'run', `es-${this.port}`), { recursive: true, force: true });
  }
}
