/**
 * One search-engine client for the Elasticsearch store, whatever the cluster runs: Elasticsearch 8/9
 * through Elastic's client, OpenSearch 2/3 through the OpenSearch project's client (Elastic's client
 * refuses any server that does not call itself Elasticsearch). The store speaks the Elasticsearch 8
 * client's request shapes; the OpenSearch side moves body fields into `body` and unwraps responses.
 */
import { Client as EsClient } from '@elastic/elasticsearch';
import type { estypes as T } from '@elastic/elasticsearch';
import { Client as OsClient } from '@opensearch-project/opensearch';
import http from 'node:http';
import https from 'node:https';

export type Flavor = 'elasticsearch' | 'opensearch';
export type FlavorSetting = Flavor | 'auto';

/** Per-call options: an aborted signal ends the HTTP request, and the cluster cancels a search whose client went away. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** The part of Elastic's client the store uses; both backends implement exactly this. */
export interface SearchClient {
  search<TDoc = unknown, TAggs = Record<T.AggregateName, T.AggregationsAggregate>>(params: T.SearchRequest, opts?: CallOptions): Promise<T.SearchResponse<TDoc, TAggs>>;
  get<TDoc = unknown>(params: T.GetRequest): Promise<T.GetResponse<TDoc>>;
  index<TDoc = unknown>(params: T.IndexRequest<TDoc>): Promise<T.IndexResponse>;
  bulk<TDoc = unknown>(params: T.BulkRequest<TDoc>): Promise<T.BulkResponse>;
  count(params: T.CountRequest, opts?: CallOptions): Promise<T.CountResponse>;
  delete(params: T.DeleteRequest): Promise<T.DeleteResponse>;
  indices: {
    refresh(params: T.IndicesRefreshRequest): Promise<T.IndicesRefreshResponse>;
    create(params: T.IndicesCreateRequest): Promise<T.IndicesCreateResponse>;
    putMapping(params: T.IndicesPutMappingRequest): Promise<T.IndicesPutMappingResponse>;
    get(params: T.IndicesGetRequest): Promise<T.IndicesGetResponse>;
    delete(params: T.IndicesDeleteRequest): Promise<T.IndicesDeleteResponse>;
    putIndexTemplate(params: T.IndicesPutIndexTemplateRequest): Promise<T.IndicesPutIndexTemplateResponse>;
  };
  cluster: { health(params: T.ClusterHealthRequest): Promise<T.ClusterHealthResponse> };
  close(): Promise<void>;
}

export interface SearchClientConfig {
  url: string;
  username?: string;
  password?: string;
  apiKey?: string; // Elasticsearch only
  ca?: Buffer; // PEM of the CA behind an https cluster
}

function authHeader(config: SearchClientConfig): string | undefined {
  if (config.apiKey) return `ApiKey ${config.apiKey}`;
  if (config.username) return `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}`;
  return undefined;
}

/** GET / with the configured CA and credentials (node:http, so a private CA works without a global agent). */
function getRoot(config: SearchClientConfig): Promise<{ status: number; product: string | undefined; body: string }> {
  const u = new URL(config.url.replace(/\/+$/, '') + '/');
  const mod = u.protocol === 'https:' ? https : http;
  const auth = authHeader(config);
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      { method: 'GET', headers: { accept: 'application/json', ...(auth ? { authorization: auth } : {}) }, timeout: 10_000, ...(config.ca ? { ca: config.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, product: res.headers['x-elastic-product'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

const CLIENT_OPTIONS = { maxRetries: 3, requestTimeout: 60_000 } as const;

/** The HTTP status of a failed request from either client, or undefined for a network failure. */
export function statusOf(e: unknown): number | undefined {
  const meta = (e as { meta?: { statusCode?: unknown } } | null)?.meta;
  return typeof meta?.statusCode === 'number' ? meta.statusCode : undefined;
}

/** The error body a failed request returned (reason, type), as both clients expose it. */
export function errorBodyOf(e: unknown): unknown {
  return (e as { meta?: { body?: unknown } } | null)?.meta?.body;
}

/** True when the cluster could not be reached or did not answer in time: worth a retry later. */
export function isUnreachable(e: unknown): boolean {
  const name = (e as Error | null)?.name;
  return name === 'ConnectionError' || name === 'TimeoutError' || name === 'NoLivingConnectionsError';
}

/**
 * Asks the cluster what it is: Elasticsearch 7.14+ marks every answer with `X-Elastic-Product`, and
 * OpenSearch says `version.distribution: "opensearch"` on GET /. Plain fetch, because Elastic's client
 * refuses to read OpenSearch's answer. Anything else is treated as Elasticsearch, whose client then
 * checks the product itself and says what it found.
 */
export async function detectFlavor(config: SearchClientConfig): Promise<Flavor> {
  const res = await getRoot(config);
  if (res.product === 'Elasticsearch') return 'elasticsearch';
  if (res.status === 401 || res.status === 403) throw new Error(`HTTP ${res.status}: the cluster refused the configured credentials`);
  let info: { version?: { distribution?: string } } = {};
  try {
    info = JSON.parse(res.body) as typeof info;
  } catch {
    // not JSON: leave it to Elastic's client, which names the product it found
  }
  return info.version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch';
}

export function createEsClient(config: SearchClientConfig): SearchClient {
  // Elastic's own client already has this shape (its overloads with `meta: true` go unused).
  return new EsClient({
    node: config.url,
    auth: config.apiKey ? { apiKey: config.apiKey } : config.username ? { username: config.username, password: config.password ?? '' } : undefined,
    tls: config.ca ? { ca: config.ca } : undefined,
    ...CLIENT_OPTIONS,
  }) as unknown as SearchClient;
}

// Request parameters that travel in the query string; everything else an Elasticsearch 8 call names
// at the top level belongs in the request body.
const QUERY_STRING = new Set([
  'index', 'id', 'name', 'refresh', 'op_type', 'if_seq_no', 'if_primary_term', 'routing', 'pipeline', 'require_alias',
  'ignore_unavailable', 'allow_no_indices', 'expand_wildcards', 'wait_for_status', 'timeout', 'master_timeout',
  'cluster_manager_timeout', 'wait_for_active_shards', 'preference', 'request_cache', 'typed_keys', 'create', 'local',
]);

type Params = Record<string, unknown>;
type OsCall = (params: Params) => Promise<{ body: unknown }> & { abort?: () => void };

/** Splits Elasticsearch 8 style params into OpenSearch's `{ ...querystring, body }`. */
function toOsParams(params: Params | undefined, bodyKey?: string): Params {
  const out: Params = {};
  let body: Params | unknown[] | undefined;
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v === undefined) continue;
    if (bodyKey && k === bodyKey) body = v as Params | unknown[];
    else if (QUERY_STRING.has(k) || bodyKey) out[k] = v;
    else ((body ??= {}) as Params)[k] = v;
  }
  if (body !== undefined) out.body = body;
  return out;
}

/** The calls the store makes, by path in the client; for OpenSearch, the one parameter that is the whole body. */
const CALLS: [path: string, bodyKey?: string][] = [
  ['search'], ['get'], ['index', 'document'], ['bulk', 'operations'], ['count'], ['delete'],
  ['indices.refresh'], ['indices.create'], ['indices.putMapping'], ['indices.get'], ['indices.delete'], ['indices.putIndexTemplate'],
  ['cluster.health'],
];

type Call = (...args: unknown[]) => unknown;

/** The SearchClient shape (`indices.refresh` → { indices: { refresh } }) with each call made by `make`. */
function clientOf(make: (path: string[], bodyKey?: string) => Call, close: () => Promise<void>): SearchClient {
  const out: Record<string, unknown> = { close };
  for (const [dotted, bodyKey] of CALLS) {
    const path = dotted.split('.');
    let at = out;
    for (const p of path.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1]] = make(path, bodyKey);
  }
  return out as unknown as SearchClient;
}

/** The function at `path` in `root`, bound to the object that holds it. */
function callAt(root: unknown, path: string[]): Call {
  let target = root as Record<string, unknown>;
  for (const p of path.slice(0, -1)) target = target[p] as Record<string, unknown>;
  return (target[path[path.length - 1]] as Call).bind(target);
}

function abortError(): Error {
  const e = new Error('Request aborted: the search was cancelled by the client');
  e.name = 'RequestAbortedError';
  return e;
}

export function createOsClient(config: SearchClientConfig): SearchClient {
  if (config.apiKey) throw new Error('store.elasticsearch.api_key: OpenSearch takes no Elasticsearch API key; set username and password');
  const os = new OsClient({
    node: config.url,
    auth: config.username ? { username: config.username, password: config.password ?? '' } : undefined,
    ssl: config.ca ? { ca: config.ca } : undefined,
    ...CLIENT_OPTIONS,
  });
  return clientOf(
    (path, bodyKey) => {
      const fn = callAt(os, path) as unknown as OsCall;
      return async (params?: unknown, options?: unknown) => {
        const signal = (options as CallOptions | undefined)?.signal;
        if (signal?.aborted) throw abortError();
        // OpenSearch's client takes no signal: its request promise has abort()
        const request = fn(toOsParams(params as Params | undefined, bodyKey));
        const onAbort = () => request.abort?.();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          return (await request).body;
        } catch (e) {
          throw signal?.aborted ? abortError() : e;
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      };
    },
    () => os.close(),
  );
}

/**
 * A client that picks its backend on first use: the configured flavor, or (auto) what GET / says.
 * Until the answer arrives, calls wait for it; a failed detection is retried on the next call.
 */
export function createSearchClient(config: SearchClientConfig & { flavor?: FlavorSetting }): SearchClient & { flavor(): Promise<Flavor> } {
  let chosen: Promise<{ flavor: Flavor; client: SearchClient }> | null = null;
  const pick = () => {
    chosen ??= (async () => {
      const flavor = !config.flavor || config.flavor === 'auto' ? await detectFlavor(config) : config.flavor;
      return { flavor, client: flavor === 'opensearch' ? createOsClient(config) : createEsClient(config) };
    })();
    chosen.catch(() => {
      chosen = null;
    });
    return chosen;
  };
  const lazy = clientOf(
    (path) => async (...args: unknown[]) => callAt((await pick()).client, path)(...args),
    async () => {
      if (!chosen) return;
      const picked = await chosen.catch(() => null);
      await picked?.client.close();
    },
  );
  return Object.assign(lazy, {
    async flavor() {
      return (await pick()).flavor;
    },
  });
}
