/**
 * The Elasticsearch Store (@elastic/elasticsearch 8). Uses only core features — index templates,
 * bulk, search, aggregations — so it runs the same on any Elasticsearch 8/9 cluster and on the
 * local node of deploy/local. Events go to daily indices `<prefix>-events-YYYY.MM.DD` (retention
 * deletes whole days), written idempotently by event id (`create`, 409 = already stored), with
 * retries on 429 and per-item errors; everything else lives in one small index per kind.
 */
import { readPemFile } from '../pem';
import { createSearchClient, errorBodyOf, isUnreachable, statusOf, type FlavorSetting } from './search-client';
import type { EcsEvent } from '../event';
import type { Alert, AuditEntry, DeadLetter, Incident, IncidentChange, Notification, Session, Tenant, TokenRecord, User } from '../model';
import { OPEN_STATUSES } from '../model';
import { auditHash, GENESIS_HASH } from '../audit';
import { AUDIT_READER_PROPERTIES, auditEntryOf, auditReaderFields, auditScopeQuery, backfillAuditReaders } from './es-audit';
import { fold, queryToDsl, TEXT_FIELD, type Dsl } from './es-query';
import { fromEsDocument, KEPT_FIELD, toEsDocument } from './es-document';
import { searchableText } from './text';
import { esIntelRepository, INTEL_MAPPINGS } from './es-intel';
import { CASE_MAPPINGS, esCaseRepository } from './es-cases';
import { esEnrichEvents } from './es-enrich';
import { esRetention } from './es-retention';
import { esVulnRepository, VULN_MAPPINGS } from './es-vulns';
import {
  ConflictError,
  type AlertStats,
  type EventPage,
  type EventQuery,
  type FieldCount,
  type HistogramBucket,
  type RuleSetting,
  type SavedSearch,
  type WebsiteSite,
  type WebsiteState,
  type SourceActivity,
  type Store,
  type TenantScope,
  type TopValue,
} from './store';

type LogFn = (obj: object, msg: string) => void;

export interface ElasticsearchStoreConfig {
  url: string; // http://host:9200
  indexPrefix?: string; // default 'canhgac'
  retentionDays?: number; // event and dead-letter indices older than this are deleted; default 90
  /** Shorter retention for some agencies (organization.id) or datasets (event.dataset), in days. */
  retention?: { tenants?: Record<string, number>; datasets?: Record<string, number> };
  username?: string;
  password?: string;
  /** An Elasticsearch API key (the base64 `id:key`), instead of username and password. */
  apiKey?: string;
  /** PEM file of the CA behind the cluster's https certificate (Elasticsearch 8 makes its own CA by default). */
  caFile?: string;
  /** What the cluster runs; auto asks it (GET /). OpenSearch 2/3 is spoken to with its own client. */
  flavor?: FlavorSetting;
  shards?: number; // per event index; default 1
  replicas?: number; // default 0 (a single node); set 1+ on a cluster
  maxRetries?: number; // for 429 and retriable per-item errors in bulk; default 8
  logger?: { warn: LogFn; error: LogFn; info?: LogFn };
}

// Every scalar is a keyword, so field:value means "the whole value" everywhere, as in the SQLite store.
const DYNAMIC_TEMPLATES = [
  { numbers_long: { match_mapping_type: 'long', mapping: { type: 'keyword', fields: { num: { type: 'double' } } } } },
  { numbers_double: { match_mapping_type: 'double', mapping: { type: 'keyword', fields: { num: { type: 'double' } } } } },
  { booleans: { match_mapping_type: 'boolean', mapping: { type: 'keyword' } } },
  { strings: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 8191 } } },
];

/** ECS fields with a type other than keyword. */
const ECS_PROPERTIES = {
  '@timestamp': { type: 'date' },
  [TEXT_FIELD]: { type: 'text' },
  [KEPT_FIELD]: { type: 'keyword', index: false, doc_values: false },
  event: {
    properties: {
      id: { type: 'keyword' },
      created: { type: 'date' },
      ingested: { type: 'date' },
      original: { type: 'keyword', index: false, doc_values: false },
    },
  },
  organization: { properties: { id: { type: 'keyword' } } },
};

const ENTITY_MAPPINGS: Record<string, Dsl> = {
  'dead-letters': { properties: { at: { type: 'date' }, original: { type: 'keyword', index: false, doc_values: false } } },
  alerts: { properties: { '@timestamp': { type: 'date' }, created: { type: 'date' }, groupBy: { type: 'object', enabled: false } } },
  incidents: { properties: { last_seen: { type: 'date' }, first_seen: { type: 'date' } } },
  'incident-changes': { properties: {} },
  tenants: { properties: {} },
  users: { properties: {} },
  tokens: { properties: {} },
  sessions: { properties: { expires: { type: 'date' } } },
  audit: { properties: { seq: { type: 'long' }, details: { type: 'object', enabled: false }, ...AUDIT_READER_PROPERTIES } },
  notifications: { properties: { payload: { type: 'object', enabled: false }, body: { type: 'keyword', index: false, doc_values: false } } },
  'saved-searches': { properties: {} },
  'rule-settings': { properties: {} },
  websites: { properties: { tenant: { type: 'keyword' } } },
  'website-state': { properties: { doc: { type: 'object', enabled: false } } },
  state: { properties: { value: { type: 'keyword', index: false, doc_values: false } } },
  ...INTEL_MAPPINGS,
  ...CASE_MAPPINGS,
  ...VULN_MAPPINGS,
};
type Kind = keyof typeof ENTITY_MAPPINGS;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '.');
/** A sort on a field that may not be mapped yet (an empty index) sorts nothing instead of failing. */
const by = (field: string, order: 'asc' | 'desc' = 'asc'): Dsl => ({ [field]: { order, unmapped_type: 'keyword' } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isStatus = (e: unknown, status: number) => statusOf(e) === status;
const RETRIABLE_ITEM = new Set([429, 500, 502, 503, 504]);
/** A document the index mapping cannot take (a type clash, too many fields, too deep): stored again with its fields unindexed. */
const MAPPING_REFUSAL = /mapper_parsing_exception|document_parsing_exception|illegal_argument_exception|strict_dynamic_mapping_exception/;

function dateOrThrow(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${field}: "${value}" is not a date`);
  return ms;
}

export function createElasticsearchStore(config: ElasticsearchStoreConfig): Store & { applyRetention(now?: number): Promise<string[]> } {
  if (!config.url || !/^https?:\/\/[^\s/]+/.test(config.url)) {
    throw new Error(`store.elasticsearch.url: "${(config.url ?? '').replace(/\/\/[^/@\s]*@/, '//***@')}" is not an http(s) URL (CANHGAC_ELASTICSEARCH_URL=http://host:9200)`);
  }
  const prefix = config.indexPrefix ?? 'canhgac';
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(prefix)) throw new Error(`store.elasticsearch.index_prefix: "${prefix}" may use lower-case letters, digits, "_", "-", "." only`);
  const retentionDays = config.retentionDays ?? 90;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error(`store.elasticsearch.retention_days: expected a whole number ≥ 1, got ${retentionDays}`);
  for (const [kind, rules] of Object.entries(config.retention ?? {})) {
    for (const [key, days] of Object.entries(rules ?? {})) {
      if (!Number.isInteger(days) || days < 1) throw new Error(`store.elasticsearch.retention.${kind}.${key}: expected a whole number of days ≥ 1, got ${JSON.stringify(days)}`);
    }
  }
  const maxRetries = config.maxRetries ?? 8;
  const logger = config.logger;
  if (config.flavor !== undefined && !['auto', 'elasticsearch', 'opensearch'].includes(config.flavor)) {
    throw new Error(`store.elasticsearch.flavor: "${config.flavor}" is not one of auto, elasticsearch, opensearch`);
  }
  // credentials written into the URL move to the auth settings, so no message or log line carries them
  const parsed = new URL(config.url);
  const username = config.username ?? (parsed.username ? decodeURIComponent(parsed.username) : undefined);
  const password = config.password ?? (parsed.password ? decodeURIComponent(parsed.password) : undefined);
  parsed.username = '';
  parsed.password = '';
  const url = parsed.toString().replace(/\/$/, '');
  const ca = readPemFile('store.elasticsearch.ca', config.caFile);
  if (ca && !ca.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`store.elasticsearch.ca: "${config.caFile}" holds no PEM certificate`);
  const client = createSearchClient({ url, username, password, apiKey: config.apiKey, ca, flavor: config.flavor ?? 'auto' });

  const EVENTS = `${prefix}-events-*`;
  const idx = (kind: Kind) => `${prefix}-${kind}`;
  let eventsDirty = false; // this process wrote events not yet visible to search
  let retentionTimer: NodeJS.Timeout | null = null;

  /** Makes this process's own writes visible before it reads them back (near-real-time for everyone else). */
  async function freshEvents(): Promise<void> {
    if (!eventsDirty) return;
    eventsDirty = false;
    await client.indices.refresh({ index: `${EVENTS},${idx('dead-letters')}`, ignore_unavailable: true, allow_no_indices: true });
  }

  const scope = (tenants: TenantScope, fieldName: string): Dsl[] => {
    if (tenants === null) return [];
    if (tenants.length === 0) return [{ match_none: {} }];
    return [{ terms: { [fieldName]: tenants } }];
  };

  function eventFilter(q: EventQuery): Dsl {
    const filter: Dsl[] = [...scope(q.tenants, 'organization.id')];
    const range: Record<string, string> = {};
    if (q.from) range.gte = new Date(dateOrThrow(q.from, 'from')).toISOString();
    if (q.to) range.lt = new Date(dateOrThrow(q.to, 'to')).toISOString();
    if (q.from || q.to) filter.push({ range: { '@timestamp': range } });
    filter.push(queryToDsl(q.q));
    return { bool: { filter } };
  }

  async function searchDocs<T>(index: string, query: Dsl, sort: Dsl[], size: number, from = 0, signal?: AbortSignal): Promise<{ items: T[]; total: number }> {
    const r = await client.search<T>({ index, query, sort: sort as never, size, from, track_total_hits: true, ignore_unavailable: true, allow_no_indices: true }, { signal });
    const total = typeof r.hits.total === 'number' ? r.hits.total : (r.hits.total?.value ?? 0);
    return { items: r.hits.hits.map((h) => h._source as T), total };
  }

  async function getDoc<T>(kind: Kind, id: string): Promise<T | null> {
    try {
      const r = await client.get<T>({ index: idx(kind), id });
      return r.found ? (r._source as T) : null;
    } catch (e) {
      if (isStatus(e, 404)) return null;
      throw e;
    }
  }

  const putDoc = (kind: Kind, id: string, doc: object) => client.index({ index: idx(kind), id, document: doc, refresh: true });

  /** Creates unless the id exists; false when it did. */
  async function createDoc(kind: Kind, id: string, doc: object): Promise<boolean> {
    try {
      await client.index({ index: idx(kind), id, document: doc, op_type: 'create', refresh: true });
      return true;
    } catch (e) {
      if (isStatus(e, 409)) return false;
      throw e;
    }
  }

  /**
   * Bulk `create` by id with retries: 409 means already stored (idempotent); 429/5xx items are sent
   * again with back-off; an item Elasticsearch refuses for good is handed to `refused` with the reason.
   */
  async function bulkCreate(items: { index: string; id: string; doc: object }[], refused: (item: { index: string; id: string; doc: object }, reason: string) => void): Promise<void> {
    let pending = items;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        if (attempt > maxRetries) {
          throw new Error(`store: Elasticsearch still refused ${pending.length} document(s) after ${maxRetries} retries (429/5xx); the writer will deliver them again`);
        }
        await sleep(Math.min(30_000, 100 * 2 ** attempt));
      }
      let r;
      try {
        r = await client.bulk({ operations: pending.flatMap((it) => [{ create: { _index: it.index, _id: it.id } }, it.doc]) });
      } catch (e) {
        if (isStatus(e, 429) || isUnreachable(e)) {
          logger?.warn({ err: (e as Error).message, attempt, documents: pending.length }, 'store: Elasticsearch busy or unreachable; retrying the bulk');
          continue;
        }
        throw e;
      }
      const again: typeof pending = [];
      r.items.forEach((entry, i) => {
        const res = entry.create!;
        if (!res.error || res.status === 409) return;
        if (RETRIABLE_ITEM.has(res.status)) again.push(pending[i]);
        else refused(pending[i], `${res.error.type}: ${res.error.reason ?? ''}`.trim());
      });
      pending = again;
    }
  }

  async function ensureIndex(name: string, mappings: Dsl): Promise<void> {
    try {
      await client.indices.create({
        index: name,
        settings: { number_of_shards: 1, number_of_replicas: config.replicas ?? 0, 'mapping.ignore_malformed': true },
        mappings: { date_detection: false, dynamic_templates: DYNAMIC_TEMPLATES, ...mappings } as never,
      });
    } catch (e) {
      if (statusOf(e) === 400 && /resource_already_exists/.test(JSON.stringify(errorBodyOf(e)))) return;
      throw e;
    }
  }

  /** Deletes the documents a query matches, in pages (delete-by-query lives in a module a bare node lacks). */
  async function deleteWhere(index: string, query: Dsl): Promise<number> {
    let deleted = 0;
    for (;;) {
      const r = await client.search({ index, query, size: 1000, _source: false, ignore_unavailable: true, allow_no_indices: true });
      const hits = r.hits.hits;
      if (!hits.length) return deleted;
      await client.bulk({ refresh: true, operations: hits.map((h) => ({ delete: { _index: h._index, _id: h._id! } })) });
      deleted += hits.length;
      if (hits.length < 1000) return deleted;
    }
  }

  async function applyRetention(now = Date.now()): Promise<string[]> {
    await freshEvents();
    const oldest = day(now - retentionDays * 86_400_000);
    const r = await client.indices.get({ index: EVENTS, allow_no_indices: true, ignore_unavailable: true, expand_wildcards: 'open' });
    const expired = Object.keys(r).filter((name) => {
      const d = name.slice(`${prefix}-events-`.length);
      return /^\d{4}\.\d{2}\.\d{2}$/.test(d) && d < oldest;
    });
    for (const name of expired) await client.indices.delete({ index: name });
    await deleteWhere(idx('dead-letters'), { range: { at: { lt: new Date(now - retentionDays * 86_400_000).toISOString() } } });
    // Whole days go by index; an agency or dataset kept for less has its older events deleted by query.
    for (const [fieldName, rules] of [['organization.id', config.retention?.tenants], ['event.dataset', config.retention?.datasets]] as const) {
      for (const [value, days] of Object.entries(rules ?? {})) {
        if (days >= retentionDays) continue;
        const before = new Date(now - days * 86_400_000).toISOString();
        await deleteWhere(EVENTS, { bool: { filter: [{ term: { [fieldName]: value } }, { range: { '@timestamp': { lt: before } } }] } });
      }
    }
    if (expired.length) logger?.info?.({ indices: expired, retentionDays }, 'store: deleted event indices past retention');
    return expired;
  }

  const putDeadLettersImpl = async (items: DeadLetter[]) => {
    if (!items.length) return;
    await bulkCreate(
      items.map((d) => ({ index: idx('dead-letters'), id: d.id, doc: d })),
      (it, reason) => logger?.error({ id: it.id, reason }, 'store: Elasticsearch refused a dead letter'),
    );
    eventsDirty = true;
  };

  const sortEvents = (order: 'asc' | 'desc') => [{ '@timestamp': { order, unmapped_type: 'date' } }, { 'event.id': { order, unmapped_type: 'keyword' } }];

  const store: Store & { applyRetention(now?: number): Promise<string[]> } = {
    kind: 'elasticsearch',
    cases: esCaseRepository(client, prefix),
    vulns: esVulnRepository(client, prefix),
    retention: esRetention({ client, events: EVENTS, fresh: freshEvents, capDays: retentionDays }),
    applyRetention,

    async init() {
      try {
        await client.cluster.health({ wait_for_status: 'yellow', timeout: '30s' });
      } catch (e) {
        throw new Error(`store: cannot reach Elasticsearch at ${url}: ${(e as Error).message}`);
      }
      await client.indices.putIndexTemplate({
        name: `${prefix}-events`,
        index_patterns: [EVENTS],
        priority: 200,
        template: {
          settings: {
            number_of_shards: config.shards ?? 1,
            number_of_replicas: config.replicas ?? 0,
            // a value of the wrong type (a word where a number was seen first) is kept in _source, not refused
            'mapping.ignore_malformed': true,
            'mapping.total_fields.limit': 5000,
            max_result_window: 20_000,
          },
          mappings: { date_detection: false, dynamic_templates: DYNAMIC_TEMPLATES, _source: { excludes: [TEXT_FIELD] }, properties: ECS_PROPERTIES } as never,
        },
      });
      for (const [kind, mappings] of Object.entries(ENTITY_MAPPINGS)) await ensureIndex(idx(kind as Kind), mappings);
      const backfilled = await backfillAuditReaders(client, idx('audit'));
      if (backfilled) logger?.info?.({ entries: backfilled }, 'store: indexed the agencies of older audit entries for scoped readers');
      await applyRetention().catch((e: Error) => logger?.warn({ err: e.message }, 'store: retention run failed; will try again'));
      retentionTimer = setInterval(() => void applyRetention().catch((e: Error) => logger?.warn({ err: e.message }, 'store: retention run failed; will try again')), 6 * 3600_000);
      retentionTimer.unref();
    },
    async close() {
      if (retentionTimer) clearInterval(retentionTimer);
      retentionTimer = null;
      await client.close();
    },

    async putEvents(events) {
      if (!events.length) return;
      const items = events.map((ev) => {
        const id = ev.event?.id;
        if (!id) throw new Error('store: an event without event.id cannot be stored idempotently');
        const ts = Date.parse(ev['@timestamp']);
        return { index: `${prefix}-events-${day(Number.isNaN(ts) ? Date.now() : ts)}`, id, doc: toEsDocument(ev, { field: TEXT_FIELD, value: fold(searchableText(ev)) }), ev };
      });
      const byId = new Map(items.map((it) => [it.id, it.ev]));
      const refused: DeadLetter[] = [];
      const deadLetter = (it: { id: string }, reason: string) => {
        const ev = byId.get(it.id)!;
        const original = JSON.stringify(ev);
        refused.push({ id: `es-${it.id}`, at: new Date().toISOString(), tenant: ev.organization?.id ?? null, listener: 'indexer', source: null, reason: `Elasticsearch refused the event: ${reason}`, original, size: Buffer.byteLength(original) });
      };
      // an event the mapping refuses is stored once more with its fields unindexed (still found by time, agency and free text)
      const unindexed: typeof items = [];
      await bulkCreate(items, (it, reason) => {
        const ev = byId.get(it.id)!;
        if (MAPPING_REFUSAL.test(reason)) unindexed.push({ ...it, ev, doc: toEsDocument(ev, { field: TEXT_FIELD, value: fold(searchableText(ev)) }, true) });
        else deadLetter(it, reason);
      });
      if (unindexed.length) {
        logger?.warn({ count: unindexed.length }, 'store: events the index mapping refused are stored with their fields unindexed (tag canhgac_fields_unindexed)');
        await bulkCreate(unindexed, deadLetter);
      }
      eventsDirty = true;
      // An event the mapping cannot take is kept as a dead letter with the reason, never dropped.
      if (refused.length) {
        logger?.warn({ count: refused.length, reason: refused[0].reason }, 'store: events refused by Elasticsearch kept as dead letters');
        await putDeadLettersImpl(refused);
      }
    },
    async searchEvents(q, opts): Promise<EventPage> {
      await freshEvents();
      const limit = Math.min(Math.max(q.limit ?? 100, 0), 10000);
      const page = await searchDocs<EcsEvent>(EVENTS, eventFilter(q), sortEvents(q.order === 'asc' ? 'asc' : 'desc'), limit, q.offset ?? 0, opts?.signal);
      return { items: page.items.map((d) => fromEsDocument(d)), total: page.total };
    },
    enrichEvents: esEnrichEvents({ client, events: EVENTS, fresh: freshEvents, written: () => void (eventsDirty = true) }),
    async getEvents(ids, tenants) {
      if (!ids.length) return [];
      await freshEvents();
      const r = await searchDocs<EcsEvent>(EVENTS, { bool: { filter: [{ ids: { values: ids } }, ...scope(tenants, 'organization.id')] } }, sortEvents('asc'), ids.length);
      return r.items.map((d) => fromEsDocument(d));
    },
    async histogram(q, intervalMs, opts): Promise<HistogramBucket[]> {
      await freshEvents();
      const step = Math.max(1000, Math.floor(intervalMs));
      const r = await client.search({ index: EVENTS, size: 0, query: eventFilter(q), ignore_unavailable: true, allow_no_indices: true, aggs: { t: { date_histogram: { field: '@timestamp', fixed_interval: `${step}ms`, min_doc_count: 1 } } } }, { signal: opts?.signal });
      const buckets = (r.aggregations?.t as { buckets: { key: number; doc_count: number }[] } | undefined)?.buckets ?? [];
      return buckets.map((b) => ({ t: new Date(b.key).toISOString(), count: b.doc_count }));
    },
    async topValues(q, field, size, opts): Promise<TopValue[]> {
      await freshEvents();
      const r = await client.search({ index: EVENTS, size: 0, query: eventFilter(q), ignore_unavailable: true, allow_no_indices: true, aggs: { v: { terms: { field, size: Math.min(Math.max(size, 1), 1000) } } } }, { signal: opts?.signal });
      const buckets = (r.aggregations?.v as { buckets: { key: string | number; doc_count: number }[] } | undefined)?.buckets ?? [];
      return buckets.map((b) => ({ value: String(b.key), count: b.doc_count }));
    },
    async countEvents(tenants, opts) {
      await freshEvents();
      const r = await client.count({ index: EVENTS, query: { bool: { filter: scope(tenants, 'organization.id') } }, ignore_unavailable: true, allow_no_indices: true }, { signal: opts?.signal });
      return r.count;
    },

    putDeadLetters: putDeadLettersImpl,
    async listDeadLetters(opts) {
      await freshEvents();
      return (await searchDocs<DeadLetter>(idx('dead-letters'), { bool: { filter: scope(opts.tenants, 'tenant') } }, [by('at', 'desc')], opts.limit ?? 100)).items;
    },

    async putAlerts(alerts) {
      if (!alerts.length) return;
      const r = await client.bulk({ refresh: true, operations: alerts.flatMap((a) => [{ index: { _index: idx('alerts'), _id: a.id } }, a]) });
      const failed = r.items.filter((i) => i.index?.error);
      if (failed.length) throw new Error(`store: Elasticsearch refused ${failed.length} alert(s): ${failed[0].index!.error!.reason}`);
    },
    async getAlert(id) {
      return getDoc<Alert>('alerts', id);
    },
    async listAlerts(opts) {
      const filter = [...scope(opts.tenants, 'tenant'), ...(opts.incidentId ? [{ term: { incidentId: opts.incidentId } }] : []), ...(opts.eventId !== undefined ? [{ term: { eventIds: opts.eventId } }] : [])];
      return (await searchDocs<Alert>(idx('alerts'), { bool: { filter } }, [by('@timestamp', 'desc'), by('id', 'asc')], opts.limit ?? 100)).items;
    },

    async getIncident(id, tenants) {
      const inc = await getDoc<Incident>('incidents', id);
      if (!inc || (tenants !== null && !tenants.includes(inc.tenant))) return null;
      return inc;
    },
    async findOpenIncident(tenant, ruleId, groupKey, since) {
      const query = { bool: { filter: [{ term: { tenant } }, { term: { 'rule.id': ruleId } }, { term: { groupKey } }, { range: { last_seen: { gte: since } } }, { terms: { status: OPEN_STATUSES } }] } };
      return (await searchDocs<Incident>(idx('incidents'), query, [by('last_seen', 'desc')], 1)).items[0] ?? null;
    },
    async findOpenIncidentByEntity(tenant, entityKeys, since) {
      if (!entityKeys.length) return null;
      const query = { bool: { filter: [{ term: { tenant } }, { terms: { entityKeys } }, { range: { last_seen: { gte: since } } }, { terms: { status: OPEN_STATUSES } }] } };
      return (await searchDocs<Incident>(idx('incidents'), query, [by('last_seen', 'desc')], 1)).items[0] ?? null;
    },
    async saveIncident(inc, expectedVersion) {
      if (expectedVersion === null) {
        if (!(await createDoc('incidents', inc.id, inc))) throw new ConflictError(`incident ${inc.id}`);
        return;
      }
      let current;
      try {
        current = await client.get<Incident>({ index: idx('incidents'), id: inc.id });
      } catch (e) {
        if (isStatus(e, 404)) throw new ConflictError(`incident ${inc.id}`);
        throw e;
      }
      if (!current.found || current._source?.version !== expectedVersion) throw new ConflictError(`incident ${inc.id}`);
      try {
        // if_seq_no: a write by someone else between our read and this write is a conflict, not a lost update
        await client.index({ index: idx('incidents'), id: inc.id, document: inc, if_seq_no: current._seq_no, if_primary_term: current._primary_term, refresh: true });
      } catch (e) {
        if (isStatus(e, 409)) throw new ConflictError(`incident ${inc.id}`);
        throw e;
      }
    },
    async listIncidents(q) {
      const filter: Dsl[] = [...scope(q.tenants, 'tenant')];
      if (q.status?.length) filter.push({ terms: { status: q.status } });
      if (q.severity?.length) filter.push({ terms: { severity: q.severity } });
      if (q.ruleId) filter.push({ term: { 'rule.id': q.ruleId } });
      if (q.assignee) filter.push({ term: { assignee: q.assignee } });
      return searchDocs<Incident>(idx('incidents'), { bool: { filter } }, [by('last_seen', 'desc'), by('id', 'desc')], Math.min(q.limit ?? 100, 1000), q.offset ?? 0);
    },
    async addIncidentChange(c) {
      await createDoc('incident-changes', c.id, c);
    },
    async listIncidentChanges(incidentId) {
      return (await searchDocs<IncidentChange>(idx('incident-changes'), { term: { incidentId } }, [by('at', 'asc'), by('id', 'asc')], 10000)).items;
    },

    async putTenant(t) {
      await putDoc('tenants', t.id, t);
    },
    async getTenant(id) {
      return getDoc<Tenant>('tenants', id);
    },
    async listTenants() {
      return (await searchDocs<Tenant>(idx('tenants'), { match_all: {} }, [by('id', 'asc')], 10000)).items;
    },
    async putUser(u) {
      await putDoc('users', u.username, u);
    },
    async getUser(username) {
      return getDoc<User>('users', username);
    },
    async listUsers() {
      return (await searchDocs<User>(idx('users'), { match_all: {} }, [by('username', 'asc')], 10000)).items;
    },
    async putToken(t) {
      await putDoc('tokens', t.id, t);
    },
    async findTokenByHash(hash) {
      return (await searchDocs<TokenRecord>(idx('tokens'), { term: { hash } }, [by('id', 'asc')], 1)).items[0] ?? null;
    },
    async listTokens(opts) {
      const filter: Dsl[] = [];
      if (opts.kind) filter.push({ term: { kind: opts.kind } });
      if (opts.subject) filter.push({ term: { subject: opts.subject } });
      return (await searchDocs<TokenRecord>(idx('tokens'), { bool: { filter } }, [by('id', 'asc')], 10000)).items;
    },
    async putSession(s) {
      await putDoc('sessions', s.id, s);
      await deleteWhere(idx('sessions'), { range: { expires: { lt: new Date().toISOString() } } });
    },
    async getSession(id) {
      const s = await getDoc<Session>('sessions', id);
      return s && s.expires > new Date().toISOString() ? s : null;
    },
    async deleteSession(id) {
      try {
        await client.delete({ index: idx('sessions'), id, refresh: true });
      } catch (e) {
        if (!isStatus(e, 404)) throw e;
      }
    },

    async appendAudit(entry) {
      // The entry's _id is its sequence number: two writers racing for one number, one wins, the other takes the next.
      for (let attempt = 0; attempt < 20; attempt++) {
        const last = (await searchDocs<AuditEntry>(idx('audit'), { match_all: {} }, [by('seq', 'desc')], 1)).items[0];
        const seq = (last?.seq ?? 0) + 1;
        const prevHash = last?.hash ?? GENESIS_HASH;
        const e: AuditEntry = { ...entry, seq, prevHash };
        e.hash = auditHash(prevHash, e);
        if (await createDoc('audit', String(seq), { ...e, ...auditReaderFields(e) })) return e;
      }
      throw new Error('store: could not append to the audit log: 20 concurrent writers won the race for the next sequence number');
    },
    async listAudit(opts) {
      const between = { range: { seq: { gt: opts.afterSeq ?? 0, ...(opts.beforeSeq === undefined ? {} : { lt: opts.beforeSeq }) } } };
      const query = opts.agencies ? { bool: { filter: [between, auditScopeQuery(opts.agencies)] } } : between;
      return (await searchDocs<AuditEntry>(idx('audit'), query, [by('seq', opts.order ?? 'asc')], opts.limit ?? 1000)).items.map(auditEntryOf);
    },

    async enqueueNotification(n) {
      return createDoc('notifications', n.id, n);
    },
    async claimDueNotifications(now, limit) {
      const r = await client.search<Notification>({
        index: idx('notifications'),
        query: { bool: { filter: [{ term: { status: 'pending' } }, { range: { nextAttemptAt: { lte: now } } }] } },
        sort: [by('nextAttemptAt', 'asc')] as never,
        size: limit,
        seq_no_primary_term: true,
      });
      const out: Notification[] = [];
      for (const h of r.hits.hits) {
        const n = { ...(h._source as Notification), status: 'sending' as const };
        try {
          // only the worker whose write lands on the version it read gets the notification
          await client.index({ index: idx('notifications'), id: n.id, document: n, if_seq_no: h._seq_no, if_primary_term: h._primary_term, refresh: true });
          out.push(n);
        } catch (e) {
          if (!isStatus(e, 409)) throw e;
        }
      }
      return out;
    },
    async updateNotification(n) {
      await putDoc('notifications', n.id, n);
    },
    async listNotifications(opts) {
      const filter: Dsl[] = [...scope(opts.tenants, 'tenant')];
      if (opts.incidentId) filter.push({ term: { incidentId: opts.incidentId } });
      if (opts.status?.length) filter.push({ terms: { status: opts.status } });
      return (await searchDocs<Notification>(idx('notifications'), { bool: { filter } }, [by('created', 'desc')], opts.limit ?? 100)).items;
    },

    async eventFields(tenants, sample, opts) {
      await freshEvents();
      const { items } = await searchDocs<EcsEvent>(EVENTS, { bool: { filter: scope(tenants, 'organization.id') } }, sortEvents('desc'), Math.min(Math.max(sample, 1), 5000), 0, opts?.signal);
      const counts = new Map<string, number>();
      const walk = (v: unknown, path: string, depth: number, seen: Set<string>) => {
        if (v && typeof v === 'object' && !Array.isArray(v) && depth < 8) {
          for (const [k, x] of Object.entries(v)) if (k !== KEPT_FIELD) walk(x, path ? `${path}.${k}` : k, depth + 1, seen);
        } else if (path && !seen.has(path)) {
          seen.add(path);
          counts.set(path, (counts.get(path) ?? 0) + 1);
        }
      };
      for (const doc of items) walk(doc, '', 0, new Set());
      return [...counts].map(([field, count]): FieldCount => ({ field, count })).sort((a, b) => b.count - a.count || a.field.localeCompare(b.field));
    },
    async histogramBy(q, intervalMs, field, size, opts) {
      const step = Math.max(1000, Math.floor(intervalMs));
      const top = (await store.topValues(q, field, size, opts)).map((v) => v.value);
      const r = await client.search({
        index: EVENTS,
        size: 0,
        query: eventFilter(q),
        ignore_unavailable: true,
        allow_no_indices: true,
        aggs: {
          t: {
            date_histogram: { field: '@timestamp', fixed_interval: `${step}ms`, min_doc_count: 1 },
            aggs: { kept: { terms: { field, size: Math.max(top.length, 1), include: top.length ? top : ['\u0000'] } }, none: { missing: { field } } },
          },
        },
      }, { signal: opts?.signal });
      type B = { key: number; doc_count: number; kept: { buckets: { key: string | number; doc_count: number }[] }; none: { doc_count: number } };
      const out: { t: string; value: string; count: number }[] = [];
      for (const b of (r.aggregations?.t as { buckets: B[] } | undefined)?.buckets ?? []) {
        const t = new Date(b.key).toISOString();
        let kept = 0;
        for (const k of b.kept.buckets) {
          out.push({ t, value: String(k.key), count: k.doc_count });
          kept += k.doc_count;
        }
        const other = b.doc_count - kept - b.none.doc_count;
        if (other > 0) out.push({ t, value: 'other', count: other });
        if (b.none.doc_count > 0) out.push({ t, value: '(none)', count: b.none.doc_count });
      }
      return out;
    },
    async sourceActivity(opts, read) {
      await freshEvents();
      const since = new Date(dateOrThrow(opts.since, 'since')).toISOString();
      const NONE = '\u0000none';
      const sub = {
        dataset: {
          terms: { field: 'event.dataset', size: 100, missing: NONE },
          aggs: { last: { max: { field: '@timestamp' } }, failed: { filter: { term: { 'event.kind': 'pipeline_error' } } } },
        },
      };
      // The source is log.source.address, else input.type, else "unknown": two passes, no scripting needed.
      const passes: [Dsl, string][] = [
        [{ exists: { field: 'log.source.address' } }, 'log.source.address'],
        [{ bool: { must_not: [{ exists: { field: 'log.source.address' } }] } }, 'input.type'],
      ];
      const out: SourceActivity[] = [];
      for (const [filter, sourceField] of passes) {
        const r = await client.search({
          index: EVENTS,
          size: 0,
          ignore_unavailable: true,
          allow_no_indices: true,
          query: { bool: { filter: [{ range: { '@timestamp': { gte: since } } }, filter, ...scope(opts.tenants, 'organization.id')] } },
          aggs: { tenant: { terms: { field: 'organization.id', size: 1000 }, aggs: { source: { terms: { field: sourceField, size: 1000, missing: 'unknown' }, aggs: sub } } } },
        }, { signal: read?.signal });
        type D = { key: string; doc_count: number; last: { value: number }; failed: { doc_count: number } };
        for (const t of (r.aggregations?.tenant as { buckets: { key: string; source: { buckets: { key: string; dataset: { buckets: D[] } }[] } }[] }).buckets) {
          for (const s of t.source.buckets) {
            for (const d of s.dataset.buckets) {
              out.push({ tenant: t.key, source: String(s.key), dataset: d.key === NONE ? null : d.key, count: d.doc_count, failed: d.failed.doc_count, last_seen: new Date(d.last.value).toISOString() });
            }
          }
        }
      }
      return out.sort((a, b) => a.tenant.localeCompare(b.tenant) || b.count - a.count);
    },
    async alertStats(opts): Promise<AlertStats> {
      const filter: Dsl[] = [...scope(opts.tenants, 'tenant')];
      if (opts.from) filter.push({ range: { '@timestamp': { gte: new Date(dateOrThrow(opts.from, 'from')).toISOString() } } });
      const step = Math.max(1000, Math.floor(opts.intervalMs));
      const r = await client.search({
        index: idx('alerts'),
        size: 0,
        query: { bool: { filter } },
        aggs: {
          severity: { terms: { field: 'severity', size: 10 } },
          rule: {
            terms: { field: 'rule.id', size: Math.max(1, opts.topRules), order: [{ _count: 'desc' }, { last: 'desc' }] },
            aggs: { last: { max: { field: '@timestamp' } }, title: { terms: { field: 'rule.title', size: 1 } } },
          },
          t: { date_histogram: { field: '@timestamp', fixed_interval: `${step}ms`, min_doc_count: 1 }, aggs: { severity: { terms: { field: 'severity', size: 10 } } } },
        },
      });
      type KB = { key: string; doc_count: number };
      const aggs = r.aggregations as unknown as {
        severity: { buckets: KB[] };
        rule: { buckets: (KB & { last: { value: number }; title: { buckets: KB[] } })[] };
        t: { buckets: { key: number; severity: { buckets: KB[] } }[] };
      };
      return {
        bySeverity: aggs.severity.buckets.map((b) => ({ severity: b.key, count: b.doc_count })),
        byRule: aggs.rule.buckets.map((b) => ({ ruleId: b.key, title: b.title.buckets[0]?.key ?? '', count: b.doc_count, last: new Date(b.last.value).toISOString() })),
        histogram: aggs.t.buckets.flatMap((b) => b.severity.buckets.map((s) => ({ t: new Date(b.key).toISOString(), severity: s.key, count: s.doc_count }))),
      };
    },
    async relatedIncidents(incident, tenants, limit) {
      const should: Dsl[] = [];
      for (const [key, value] of [['host', incident.summary.host], ['user', incident.summary.user], ['source_ip', incident.summary.source_ip]] as const) {
        if (value) should.push({ term: { [`summary.${key}`]: value } });
      }
      if (!should.length) return [];
      const query = { bool: { filter: [...scope(tenants, 'tenant'), { bool: { should, minimum_should_match: 1 } }], must_not: [{ ids: { values: [incident.id] } }] } };
      return (await searchDocs<Incident>(idx('incidents'), query, [by('last_seen', 'desc')], limit)).items;
    },
    async listAlertsPage(opts) {
      return searchDocs<Alert>(idx('alerts'), { bool: { filter: scope(opts.tenants, 'tenant') } }, [by('@timestamp', 'desc'), by('id', 'asc')], opts.limit, opts.offset);
    },

    async listSavedSearches(owner) {
      return (await searchDocs<SavedSearch>(idx('saved-searches'), { term: { owner } }, [by('id', 'asc')], 10000)).items.sort((a, b) => a.name.localeCompare(b.name));
    },
    async putSavedSearch(s) {
      const existing = await getDoc<SavedSearch>('saved-searches', s.id);
      // someone else's saved search with this id stays theirs
      if (existing && existing.owner !== s.owner) return;
      await putDoc('saved-searches', s.id, s);
    },
    async deleteSavedSearch(id, owner) {
      const existing = await getDoc<SavedSearch>('saved-searches', id);
      if (!existing || existing.owner !== owner) return false;
      await client.delete({ index: idx('saved-searches'), id, refresh: true });
      return true;
    },
    async listRuleSettings() {
      return (await searchDocs<RuleSetting>(idx('rule-settings'), { match_all: {} }, [by('ruleId', 'asc')], 10000)).items;
    },
    async putRuleSetting(s) {
      await putDoc('rule-settings', s.ruleId, s);
    },

    async putWebsite(w) {
      await putDoc('websites', w.id, w);
    },
    async getWebsite(id, tenants) {
      const w = await getDoc<WebsiteSite>('websites', id);
      return w && (tenants === null || tenants.includes(w.tenant)) ? w : null;
    },
    async listWebsites(tenants) {
      return (await searchDocs<WebsiteSite>(idx('websites'), { bool: { filter: scope(tenants, 'tenant') } }, [by('tenant', 'asc'), by('id', 'asc')], 10000)).items;
    },
    async deleteWebsite(id, tenants) {
      if (!(await store.getWebsite(id, tenants))) return false;
      await client.delete({ index: idx('websites'), id, refresh: true });
      await client.delete({ index: idx('website-state'), id, refresh: true }).catch((e: unknown) => {
        if (!isStatus(e, 404)) throw e;
      });
      return true;
    },
    async getWebsiteState(siteId) {
      return getDoc<WebsiteState>('website-state', siteId);
    },
    async putWebsiteState(s) {
      await putDoc('website-state', s.siteId, s);
    },

    async getState(key) {
      const doc = await getDoc<{ value: string }>('state', key);
      return doc ? doc.value : null;
    },
    async putState(key, value) {
      await putDoc('state', key, { value });
    },
    ...esIntelRepository(client, prefix),
  };
  return store;
}
