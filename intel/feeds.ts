/**
 * The feed folder: files an operator drops into a folder (intel.feeds_dir, default
 * <data_dir>/feeds) are imported on a schedule. Each file is one feed named after it
 * (source `feeds/<name>`); a file that changed is imported again and what it no longer lists
 * expires; a removed file's indicators expire at the next scan (kept, listed as expired, no
 * longer matched). A broken file is reported and keeps its last good import; the others go on.
 * A folder holding manifest.json is a MISP feed; any other folder is named after an agency and
 * its files are that agency's own indicators.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/log';
import type { Store } from '../core/store/store';
import { INTEL_VERSION_KEY, readIndicatorFile, storeIndicators, type Format } from './importer';
import { indicatorId, isLive, type Indicator } from './indicator';

export const FEEDS_STATE_KEY = 'intel.feeds';

export interface FeedStatus {
  name: string; // relative to the folder: "vncert.csv", "circl" (a MISP feed), "so-yte/list.txt"
  tenant: string | null;
  format: Format | null;
  status: 'imported' | 'failed' | 'removed';
  error: string | null; // why the file was refused (its last good import, if any, still counts)
  indicators: number; // live indicators of this feed after the scan
  digest: string | null; // of the last good import
  imported: string | null; // when that was
  checked: string;
}

export interface FeedsReport {
  dir: string;
  scanned: string;
  files: FeedStatus[];
}

export interface FeedsOptions {
  dir: string;
  store: Store;
  logger: Logger;
  now?: () => Date;
}

/** Files still being copied (dot-files, *.tmp, *.part, editor backups) are not feeds yet. */
const IN_PROGRESS = /^\.|\.(tmp|part|swp|crdownload)$|~$/i;
const CSV_EXT = /\.(csv|txt|list|lst)$/i;
const JSON_EXT = /\.(json|stix|misp)$/i;

interface Entry {
  name: string;
  file: string;
  tenant: string | null;
}

export const feedSource = (name: string): string => `feeds/${name}`;

/** The format of a feed file by its extension, and for JSON by what it holds; an error says why it cannot be told. */
export function feedFormat(file: string): Format {
  if (statSync(file).isDirectory()) {
    if (existsSync(path.join(file, 'manifest.json'))) return 'misp';
    throw new Error('a folder without manifest.json is not a MISP feed');
  }
  if (CSV_EXT.test(file)) return 'csv';
  if (!JSON_EXT.test(file)) throw new Error(`cannot tell the format of "${path.basename(file)}": name it .csv, .txt or .list (CSV or plain list) or .json (STIX 2.1 bundle or MISP event)`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  if (doc && typeof doc === 'object' && (doc as { type?: unknown }).type === 'bundle') return 'stix';
  if (Array.isArray(doc) || (doc && typeof doc === 'object' && ('Event' in doc || 'response' in doc))) return 'misp';
  throw new Error('JSON that is neither a STIX 2.1 bundle ("type": "bundle") nor a MISP event ({"Event": …})');
}

/** What identifies a version of a feed: its bytes (a MISP feed: every file's name and bytes). */
function digestOf(file: string): string {
  const h = createHash('sha256');
  if (statSync(file).isDirectory()) {
    for (const f of readdirSync(file).filter((n) => !IN_PROGRESS.test(n)).sort()) {
      const p = path.join(file, f);
      if (statSync(p).isFile()) h.update(f).update('\0').update(readFileSync(p)).update('\0');
    }
  } else h.update(readFileSync(file));
  return h.digest('hex');
}

/** The feeds in the folder: top-level files and MISP feed folders are shared; other folders are agencies. */
function listFeeds(dir: string): Entry[] {
  const out: Entry[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (IN_PROGRESS.test(name)) continue;
    const file = path.join(dir, name);
    const isDir = statSync(file).isDirectory();
    if (!isDir || existsSync(path.join(file, 'manifest.json'))) out.push({ name, file, tenant: null });
    else for (const sub of readdirSync(file).sort()) if (!IN_PROGRESS.test(sub)) out.push({ name: `${name}/${sub}`, file: path.join(file, sub), tenant: name });
  }
  return out;
}

export async function readFeedsReport(store: Store): Promise<FeedsReport | null> {
  const raw = await store.getState(FEEDS_STATE_KEY);
  return raw ? (JSON.parse(raw) as FeedsReport) : null;
}

/** One scan of the folder: imports what changed, expires what is gone, and saves the report for the console. */
export async function scanFeeds(opts: FeedsOptions): Promise<FeedsReport> {
  const now = (opts.now ?? (() => new Date()))();
  const log = opts.logger.child({ component: 'intel-feeds' });
  const before = new Map(((await readFeedsReport(opts.store))?.files ?? []).map((f) => [f.name, f] as const));
  const entries = existsSync(opts.dir) ? listFeeds(opts.dir) : [];
  const files: FeedStatus[] = [];
  const changed: { entry: Entry; ids: Set<string> }[] = [];
  for (const entry of entries) {
    const prev = before.get(entry.name);
    const status = await importFeed(opts.store, entry, prev, now);
    files.push(status.feed);
    if (status.ids) changed.push({ entry, ids: status.ids });
    if (status.feed.status === 'failed') log.warn({ feed: entry.name, dir: opts.dir, err: status.feed.error }, 'intel: feed file refused; its last good import still counts, the other feeds go on');
    else if (status.ids) log.info({ feed: entry.name, format: status.feed.format, indicators: status.ids.size }, 'intel: feed imported');
  }
  const present = new Set(entries.map((e) => e.name));
  const removed = [...before.values()].filter((f) => !present.has(f.name) && f.status !== 'removed');
  const current = entries.filter((e) => files.find((f) => f.name === e.name)?.digest);
  const expired = await expireDropped(opts.store, changed, removed, current, now);
  for (const f of before.values()) if (!present.has(f.name) && f.status === 'removed') files.push(f);
  for (const f of removed) {
    files.push({ ...f, status: 'removed', error: null, indicators: 0, checked: now.toISOString() });
    log.info({ feed: f.name }, 'intel: feed file removed; its indicators expire');
  }
  if (expired) await opts.store.putState(INTEL_VERSION_KEY, `${Date.now()}-expired-${expired}`);
  const report: FeedsReport = { dir: opts.dir, scanned: now.toISOString(), files };
  await opts.store.putState(FEEDS_STATE_KEY, JSON.stringify(report));
  return report;
}

async function importFeed(store: Store, entry: Entry, prev: FeedStatus | undefined, now: Date): Promise<{ feed: FeedStatus; ids: Set<string> | null }> {
  const base = { name: entry.name, tenant: entry.tenant, checked: now.toISOString() };
  try {
    const digest = digestOf(entry.file);
    if (prev && prev.digest === digest && prev.status !== 'removed') return { feed: { ...prev, ...base, status: 'imported', error: null }, ids: null };
    if (entry.tenant !== null && !(await store.getTenant(entry.tenant))) throw new Error(`the folder "${entry.tenant}" names no agency (canhgac tenant list); shared feeds go in the folder itself`);
    const format = feedFormat(entry.file);
    const read = readIndicatorFile(entry.file, format);
    // the feed owns its indicators: a row's own source column or a MISP Orgc is not what expires them
    const indicators = read.indicators.map((i) => ({ ...i, source: undefined }));
    const r = await storeIndicators(store, { ...read, indicators }, { tenant: entry.tenant, source: feedSource(entry.name), ttlMs: null, now });
    const ids = new Set(r.indicators.map((i) => i.id));
    return { feed: { ...base, format, status: 'imported', error: null, indicators: ids.size, digest, imported: now.toISOString() }, ids };
  } catch (e) {
    return { feed: { ...base, format: prev?.format ?? null, status: 'failed', error: (e as Error).message, indicators: prev?.indicators ?? 0, digest: prev?.digest ?? null, imported: prev?.imported ?? null }, ids: null };
  }
}

/**
 * Expires the live indicators of a changed feed that its new version no longer lists, and those
 * of removed feeds; a value another current feed still lists (same scope) stays live.
 */
async function expireDropped(store: Store, changed: { entry: Entry; ids: Set<string> }[], removed: FeedStatus[], current: Entry[], now: Date): Promise<number> {
  if (!changed.length && !removed.length) return 0;
  const nowMs = now.getTime();
  const keep = new Map(changed.map((c) => [feedSource(c.entry.name), c.ids] as const));
  const gone = new Set(removed.map((f) => feedSource(f.name)));
  const all = await store.loadIndicators('1970-01-01T00:00:00.000Z');
  const drop: Indicator[] = all.filter((i) => isLive(i, nowMs) && (gone.has(i.source) || (keep.has(i.source) && !keep.get(i.source)!.has(i.id))));
  if (!drop.length) return 0;
  // a value another current feed lists stays live and passes to that feed
  const listedBy = new Map<string, string>();
  for (const [source, ids] of keep) for (const id of ids) listedBy.set(id, source);
  for (const e of current) if (!keep.has(feedSource(e.name)) && !gone.has(feedSource(e.name))) for (const id of listedIds(e)) listedBy.set(id, feedSource(e.name));
  const expires = new Date(nowMs - 1).toISOString();
  const out = drop.map((i) => (listedBy.has(i.id) ? { ...i, source: listedBy.get(i.id)! } : { ...i, expires, updated: now.toISOString() }));
  await store.putIndicators(out);
  return out.length;
}

/** The indicator ids an unchanged feed lists (read again only when something else is about to expire). */
function listedIds(e: Entry): string[] {
  try {
    return readIndicatorFile(e.file, feedFormat(e.file)).indicators.map((i) => indicatorId(e.tenant, i.type, i.value));
  } catch {
    return []; // broken since its last import: its own status says so at the next scan
  }
}

export interface FeedWatcher {
  scan(): Promise<FeedsReport>;
  stop(): Promise<void>;
}

/** Scans now and then every `intervalMs`; a scan that fails as a whole (store away) is logged and tried again next time. */
export function startFeeds(opts: FeedsOptions & { intervalMs: number; onImported?: () => Promise<void> }): FeedWatcher {
  const log = opts.logger.child({ component: 'intel-feeds' });
  let running: Promise<FeedsReport> | null = null;
  const scan = (): Promise<FeedsReport> => {
    running ??= scanFeeds(opts)
      .then(async (r) => {
        await opts.onImported?.();
        return r;
      })
      .finally(() => (running = null));
    return running;
  };
  const tick = () => void scan().catch((e: Error) => log.warn({ dir: opts.dir, err: e.message }, 'intel: feed folder scan failed; trying again at the next interval'));
  tick();
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  log.info({ dir: opts.dir, intervalMs: opts.intervalMs }, 'intel: watching the feed folder');
  return {
    scan,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
