/** The scan report parsers by format: each streams its file and hands hosts and findings to the sink. */
import type { Readable } from 'node:stream';
import type { ScanFormat } from '../finding';
import { parseNessus } from './nessus';
import { parseNmap } from './nmap';
import { parseOpenvas } from './openvas';
import type { ScanSink } from './sink';

export type { ScanSink } from './sink';

export const PARSERS: Record<ScanFormat, (input: Readable, file: string, sink: ScanSink) => Promise<void>> = {
  openvas: parseOpenvas,
  nessus: parseNessus,
  nmap: parseNmap,
};
