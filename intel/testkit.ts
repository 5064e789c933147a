/** Helpers for the intel tests: a temporary folder to write feed files into, an import into an in-memory store, and real firewall and Sysmon lines. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from '../collector/parsers';
import { newId } from '../core/event';
import { createSqliteStore } from '../core/store/sqlite';
import type { Store } from '../core/store/store';
import { readIndicatorFile, storeIndicators, type Format } from './importer';

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'canhgac-intel-'));
}

export function writeFile(dir: string, name: string, content: string | object): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

export async function importInto(store: Store, file: string, format: Format, tenant: string | null = null) {
  return storeIndicators(store, readIndicatorFile(file, format), { tenant, source: 'test-cert', ttlMs: 30 * 86_400_000, now: new Date() });
}

export const memoryStore = (): Store => createSqliteStore({ path: ':memory:' });

// FortiGate lines as a FortiGate 100F sends them (FortiOS 7 log reference), dated now
const FG = 'devname="FG100F" devid="FG100FTK20001234" level="notice" vd="root"';
const now = () => new Date().toISOString().replace('T', ' ').slice(0, 19).split(' ');
const fortigate = (kv: string) => {
  const [d, t] = now();
  return `date=${d} time=${t} tz="+0000" ${FG} ${kv}`;
};
export const LINES = {
  firewall: (src: string, dst: string) => fortigate(`logid="0000000013" type="traffic" subtype="forward" srcip=${src} srcport=51544 dstip=${dst} dstport=443 proto=6 action="accept" policyid=1 service="HTTPS"`),
  dns: (src: string, name: string) => fortigate(`logid="1501054802" type="utm" subtype="dns" eventtype="dns-response" srcip=${src} srcport=53211 dstip=10.1.1.1 dstport=53 proto=17 qname="${name}" qtype="A" action="pass"`),
  proxy: (src: string, host: string, url: string) => fortigate(`logid="0317013312" type="utm" subtype="webfilter" eventtype="ftgd_allow" srcip=${src} srcport=50000 dstip=198.51.100.50 dstport=80 proto=6 service="HTTP" hostname="${host}" url="${url}" action="passthrough"`),
};
export const sysmon = (host: string, sha256: string) => ({
  EventTime: now().join(' '), Hostname: host, EventID: 1, SourceName: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational', RecordNumber: 5521,
  Image: 'C:\\Users\\Public\\invoice.exe', ProcessId: '4321', User: 'SO-A\\lan', Hashes: `SHA256=${sha256},MD5=${'0'.repeat(32)}`,
});
export const SHA = 'ab'.repeat(32);

/** A line parsed by canhgac's parsers and stamped as the collector does: the event id, and the agency from the credential. */
export function stampedEvent(tenant: string, input: string | Record<string, unknown>): Record<string, unknown> & { event: { id: string } } {
  const ev = parse(input, { receivedAt: new Date(), timezone: 'UTC' }) as unknown as Record<string, unknown>;
  return { ...ev, event: { ...(ev.event as object), id: newId() }, organization: { id: tenant } };
}
