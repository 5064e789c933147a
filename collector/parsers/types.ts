/** The contract between the dispatcher (index.ts) and one parser file per source family. */
import type { SyslogHeader } from './syslog';
import type { Doc } from './util';
import type { BoundNotes } from './bounds';

export interface ResolvedContext {
  receivedAt: Date;
  sourceIp?: string;
  timezone: string;
  /** the dataset the source pinned (Elastic's name), when any */
  dataset?: string;
  /** what bounding the documents of this input did (bounds.ts), said on the event `parse` returns */
  notes: BoundNotes;
}

export interface Parser {
  /** name used by `format` and `parserNames()` */
  name: string;
  /** event.dataset this parser sets (Elastic's dataset name where one exists) */
  dataset: string;
  /** event.module; defaults to the part of dataset before the dot */
  module?: string;
  /** observer.* every event of this dataset carries, even one whose payload could not be read (tag `partial`) */
  observer?: { vendor: string; product?: string; type: string };
  /** auto-detection on a raw line and its parsed syslog header; cheap, never throws */
  detect?(line: string, header: SyslogHeader): boolean;
  /** fills `doc` from one raw line; throws ParseFailure naming what and where on a line it cannot read */
  parseLine?(doc: Doc, line: string, header: SyslogHeader, ctx: ResolvedContext): void;
  /** auto-detection on a JSON document */
  detectObject?(obj: Record<string, unknown>): boolean;
  /** fills `doc` from a JSON document (agent or device JSON) */
  parseObject?(doc: Doc, obj: Record<string, unknown>, ctx: ResolvedContext): void;
}
