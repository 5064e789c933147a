/** canhgac vuln import|list|export on an embedded store, with reports written to files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../core/store/sqlite';
import type { Store } from '../core/store/store';
import { vulnCli } from './cli';
import { nessusHost, nessusReport, nmapHost, nmapReport, openvasReport, openvasResult } from './testkit';

const dir = mkdtempSync(join(tmpdir(), 'vuln-cli-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('canhgac vuln', () => {
  let store: Store;
  let out: string[];
  let err: string[];
  const run = (...args: string[]) => vulnCli(args, { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), openStore: async () => store });
  beforeEach(async () => {
    out = [];
    err = [];
  });
  beforeAll(async () => {
    store = createSqliteStore({ path: ':memory:' });
    for (const id of ['so-a', 'so-b']) await store.putTenant({ id, name: id, created: '2026-12-01T00:00:00.000Z' });
    store.close = async () => undefined; // one store across the commands of the test
  });

  test('imports each format, lists and exports the agency findings as CSV; a later scan closes what is gone', async () => {
    const ov = write('ov.xml', openvasReport([{ host: '10.1.0.5', port: '443/tcp', name: 'Apache Path Traversal', cves: ['CVE-2021-41773'], cvss: 9.8, solution: 'Update, then restart' }]));
    expect(await run('import', ov, '--format', 'openvas', '--tenant', 'so-a')).toBe(0);
    expect(out.join('')).toMatch(/1 hosts, 1 findings; 1 new, 0 reopened, 0 closed; open now: critical 1/);
    expect(await run('import', write('n.nessus', nessusReport([nessusHost('h', '10.1.0.6', [{ port: 22, svc: 'ssh', severity: 2, pluginId: '70658', name: 'CBC', cvss3: 5.3 }])])), '--format', 'nessus', '--tenant', 'so-a')).toBe(0);
    expect(await run('import', write('m.xml', nmapReport([nmapHost('10.1.0.5', [{ port: 443, name: 'https', product: 'Apache httpd', version: '2.4.49' }])])), '--format', 'nmap', '--tenant', 'so-a')).toBe(0);
    out = [];
    expect(await run('export', '--tenant', 'so-a', '--status', 'open')).toBe(0);
    const csv = out.join('').split('\r\n');
    expect(csv[0]).toBe('agency,host,hostname,port,protocol,service,name,cve,cvss,cvss_vector,severity,status,first_seen,last_seen,solution,scanner');
    expect(csv.filter(Boolean)).toHaveLength(4);
    expect(csv[1]).toMatch(/^so-a,10\.1\.0\.5,,443,tcp,,Apache Path Traversal,CVE-2021-41773,9\.8,,critical,open,.*,"Update, then restart",openvas$/);
    // the same target scanned again without the flaw: it is closed
    expect(await run('import', write('ov2.xml', openvasReport([], [{ ip: '10.1.0.5' }])), '--format', 'openvas', '--tenant', 'so-a')).toBe(0);
    expect(out.join('')).toMatch(/1 closed; open now: critical 0/);
  });

  test('a report broken after 600 good findings is refused with the reason, and nothing of it is imported', async () => {
    const good = Array.from({ length: 600 }, (_, i) => openvasResult({ host: '10.2.0.1', port: `${1000 + i}/tcp`, name: `c${i}`, cvss: 5 }, i)).join('\n');
    const broken = openvasReport([]).replace('<results start="1" max="-1">', `<results start="1" max="-1">${good}<result id="bad"><host>`);
    const file = write('broken.xml', broken);
    expect(await run('import', file, '--format', 'openvas', '--tenant', 'so-b')).toBe(1);
    expect(err.join('')).toMatch(/broken\.xml:\d+: not well-formed XML: .*; nothing was imported/);
    expect((await store.vulns!.listFindings({ tenants: ['so-b'] })).total).toBe(0);
    expect(await store.vulns!.listImports(['so-b'])).toEqual([]);
  });

  test('a wrong format, an unknown agency or a missing file is refused and names what to fix', async () => {
    const f = write('x.nessus', nessusReport([]));
    expect(await run('import', f, '--format', 'nmap', '--tenant', 'so-a')).toBe(1);
    expect(err.pop()).toMatch(/the root element is <NessusClientData_v2>, not <nmaprun>: is it the right --format\?/);
    expect(await run('import', f, '--format', 'qualys', '--tenant', 'so-a')).toBe(1);
    expect(err.pop()).toMatch(/--format: "qualys" is not one of openvas, nessus, nmap/);
    expect(await run('import', f, '--format', 'nessus', '--tenant', 'so-zz')).toBe(1);
    expect(err.pop()).toMatch(/agency "so-zz" does not exist/);
    expect(await run('import', join(dir, 'none.xml'), '--format', 'nessus', '--tenant', 'so-a')).toBe(1);
    expect(err.pop()).toMatch(/cannot read .*none\.xml/);
  });
});
