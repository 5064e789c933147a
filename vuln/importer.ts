/**
 * Imports one scan report for one agency: the parser streams it, findings are staged in batches under a new
 * import id, and only a report read to its end is committed (at once); any failure discards what was staged.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Store } from '../core/store/store';
import type { ScanImport, StagedFinding, VulnRepository } from '../core/store/vulns';
import { findingId, SCAN_FORMATS, type ScanFormat, type ScanHost } from './finding';
import { PARSERS } from './parsers';

export class VulnImportError extends Error {}

export interface ImportRequest {
  tenant: string;
  format: string;
  file: string; // the name shown in errors and kept on the import
  input: Readable;
  by: string;
  at?: string;
}

const BATCH = 500;

export function vulnsOf(store: Store): VulnRepository {
  if (!store.vulns) throw new VulnImportError(`this store (${store.kind}) keeps no vulnerability findings`);
  return store.vulns;
}

export async function importScan(store: Store, req: ImportRequest): Promise<ScanImport> {
  if (!SCAN_FORMATS.includes(req.format as ScanFormat)) throw new VulnImportError(`--format: "${req.format}" is not one of ${SCAN_FORMATS.join(', ')}`);
  if (!req.tenant) throw new VulnImportError('--tenant: which agency was scanned? (canhgac tenant list)');
  if (!(await store.getTenant(req.tenant))) throw new VulnImportError(`--tenant: agency "${req.tenant}" does not exist (canhgac tenant list)`);
  const repo = vulnsOf(store);
  const source = req.format as ScanFormat;
  const id = randomUUID();
  const hosts = new Map<string, ScanHost>();
  let batch: StagedFinding[] = [];
  const flush = async () => {
    if (batch.length) await repo.stageFindings(id, batch);
    batch = [];
  };
  try {
    await PARSERS[source](req.input, req.file, {
      host: (h) => void hosts.set(h.address, { ...h, hostname: h.hostname ?? hosts.get(h.address)?.hostname ?? null, services: h.services.length ? h.services : (hosts.get(h.address)?.services ?? []) }),
      finding: async (f) => {
        if (!hosts.has(f.host)) hosts.set(f.host, { address: f.host, hostname: f.hostname, os: null, services: [] });
        batch.push({ ...f, id: findingId(req.tenant, source, f) });
        if (batch.length >= BATCH) await flush();
      },
    });
    await flush();
    return await repo.commitImport({ id, tenant: req.tenant, source, file: req.file, at: req.at ?? new Date().toISOString(), by: req.by }, [...hosts.values()]);
  } catch (e) {
    await repo.discardImport(id);
    throw e;
  }
}
