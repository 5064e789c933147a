/** Where a parser puts what it reads: each host and each finding as soon as its record is read. */
import type { ScanFinding, ScanHost } from '../finding';

export interface ScanSink {
  host(h: ScanHost): void | Promise<void>;
  finding(f: ScanFinding): void | Promise<void>;
}
