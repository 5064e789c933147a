/**
 * A parse worker: turns batches of received items into stamped ECS events serialized as JSON, off the
 * listeners' thread. The intake keeps framing, counting, ordering and the journal; this thread does the
 * parsing, normalization, enrichment and JSON encoding, which are most of the collector's CPU.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEnricher } from './enrich';
import { eventKey, stampEvent, type IntakeItem } from './stamp';

export interface ParseWorkerData {
  timezone: string;
  assetsFile?: string;
  geo?: boolean;
}

export interface ParseRequest {
  seq: number;
  listener: string;
  receivedAt: number;
  items: IntakeItem[];
  ids: string[];
}

export interface ParseResult {
  seq: number;
  keys: string[];
  jsons: string[];
  failed: Uint8Array; // 1 where the item became a pipeline_error event
}

if (parentPort) {
  const port = parentPort;
  const data = workerData as ParseWorkerData;
  const enricher = createEnricher({ assetsFile: data.assetsFile, geo: data.geo });
  port.on('message', (req: ParseRequest) => {
    const at = new Date(req.receivedAt);
    const n = req.items.length;
    const keys = new Array<string>(n);
    const jsons = new Array<string>(n);
    const failed = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const item = req.items[i];
      // structured cloning turns a Buffer into a plain Uint8Array: give the parsers their Buffer back
      const raw = item.raw as unknown;
      if (raw instanceof Uint8Array && !Buffer.isBuffer(raw)) item.raw = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      const ev = stampEvent(req.listener, item, at, data.timezone, enricher, req.ids[i]);
      keys[i] = eventKey(ev);
      jsons[i] = JSON.stringify(ev);
      if (ev.event.kind === 'pipeline_error') failed[i] = 1;
    }
    const result: ParseResult = { seq: req.seq, keys, jsons, failed };
    port.postMessage(result);
  });
}
