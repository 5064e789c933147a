/**
 * The behaviour every vulnerability findings repository must have, run on each store that has one:
 *   describeVulnContract('sqlite', () => createSqliteStore({ path: ':memory:' }))
 */
import type { ScanFinding, ScanFormat, ScanHost } from '../../vuln/finding';
import { findingId } from '../../vuln/finding';
import type { Store } from './store';
import type { VulnRepository } from './vulns';

export const scanFinding = (host: string, port: number | null, pluginId: string, over: Partial<ScanFinding> = {}): ScanFinding => ({
  host, hostname: null, port, protocol: 'tcp', service: null, product: null, pluginId, name: `check ${pluginId}`, cves: [], cvss: 7.5, cvssVector: null, severity: 'high', solution: null, ...over,
});
const hostOf = (address: string): ScanHost => ({ address, hostname: null, os: null, services: [] });

/** Stages and commits one import, the way vuln/importer.ts does. */
export async function importScan(repo: VulnRepository, id: string, tenant: string, source: ScanFormat, at: string, findings: ScanFinding[], hosts: string[]) {
  await repo.stageFindings(id, findings.map((f) => ({ ...f, id: findingId(tenant, source, f) })));
  return repo.commitImport({ id, tenant, source, file: `${id}.xml`, at, by: 'an' }, hosts.map(hostOf));
}

export function describeVulnContract(name: string, factory: () => Promise<Store> | Store): void {
  describe(`Vulnerability repository contract: ${name}`, () => {
    let store: Store;
    let repo: VulnRepository;
    beforeAll(async () => {
      store = await factory();
      await store.init();
      repo = store.vulns!;
    });
    afterAll(async () => {
      await store.close();
    });
    const open = async (tenant: string) => (await repo.listFindings({ tenants: [tenant], status: ['open'] })).items.map((f) => `${f.host}:${f.port}:${f.pluginId}`).sort();

    test('a later scan of the same hosts closes what it no longer finds and reopens what comes back; first seen is kept', async () => {
      const a = scanFinding('10.0.0.1', 443, 'p1', { cves: ['CVE-2021-41773'], cvss: 9.8, severity: 'critical' });
      const b = scanFinding('10.0.0.1', 22, 'p2');
      const c = scanFinding('10.0.0.2', 80, 'p3');
      const first = await importScan(repo, 'i1', 'so-a', 'nessus', '2026-12-01T00:00:00.000Z', [a, b, c], ['10.0.0.1', '10.0.0.2']);
      expect(first).toMatchObject({ hosts: 2, findings: 3, opened: 3, closed: 0, reopened: 0, openBySeverity: { critical: 1, high: 2 } });
      const second = await importScan(repo, 'i2', 'so-a', 'nessus', '2026-12-08T00:00:00.000Z', [a], ['10.0.0.1']);
      expect(second).toMatchObject({ findings: 1, opened: 0, closed: 1, reopened: 0 });
      // 10.0.0.2 was not in the second scan: its finding stays open
      expect(await open('so-a')).toEqual(['10.0.0.1:443:p1', '10.0.0.2:80:p3']);
      const third = await importScan(repo, 'i3', 'so-a', 'nessus', '2026-12-15T00:00:00.000Z', [a, b], ['10.0.0.1']);
      expect(third).toMatchObject({ opened: 0, closed: 0, reopened: 1 });
      const back = (await repo.listFindings({ tenants: ['so-a'], host: '10.0.0.1' })).items.find((f) => f.port === 22)!;
      expect(back).toMatchObject({ status: 'open', firstSeen: '2026-12-01T00:00:00.000Z', lastSeen: '2026-12-15T00:00:00.000Z', reopened: 1, closedAt: null });
      expect((await repo.listImports(['so-a'])).map((i) => [i.id, i.openBySeverity.high])).toEqual([['i1', 2], ['i2', 1], ['i3', 2]]);
    });

    test('an Nmap scan does not close what Nessus found on the same host', async () => {
      await importScan(repo, 'n1', 'so-n', 'nessus', '2026-12-01T00:00:00.000Z', [scanFinding('10.9.0.1', 443, 'p1')], ['10.9.0.1']);
      await importScan(repo, 'n2', 'so-n', 'nmap', '2026-12-02T00:00:00.000Z', [scanFinding('10.9.0.1', 22, 'open-port', { severity: 'info', cvss: null })], ['10.9.0.1']);
      expect(await open('so-n')).toEqual(['10.9.0.1:22:open-port', '10.9.0.1:443:p1']);
    });

    test("importing for one agency never touches another's findings on the same address", async () => {
      await importScan(repo, 't1', 'so-x', 'openvas', '2026-12-01T00:00:00.000Z', [scanFinding('192.168.1.10', 80, 'o1')], ['192.168.1.10']);
      await importScan(repo, 't2', 'so-y', 'openvas', '2026-12-02T00:00:00.000Z', [], ['192.168.1.10']);
      expect(await open('so-x')).toEqual(['192.168.1.10:80:o1']);
      expect(await open('so-y')).toEqual([]);
      expect((await repo.listFindings({ tenants: ['so-y'] })).total).toBe(0);
      expect(await repo.openFindingsOn('so-y', ['192.168.1.10'])).toEqual([]);
      expect((await repo.openFindingsOn('so-x', ['192.168.1.10'])).map((f) => f.pluginId)).toEqual(['o1']);
    });

    test('a discarded import leaves nothing behind, and staged findings are seen by no read before the commit', async () => {
      await repo.stageFindings('d1', [{ ...scanFinding('10.7.0.1', 80, 'p'), id: findingId('so-d', 'nessus', scanFinding('10.7.0.1', 80, 'p')) }]);
      expect((await repo.listFindings({ tenants: ['so-d'] })).total).toBe(0);
      await repo.discardImport('d1');
      await repo.commitImport({ id: 'd1', tenant: 'so-d', source: 'nessus', file: 'x', at: '2026-12-01T00:00:00.000Z', by: 'an' }, []);
      expect((await repo.listFindings({ tenants: ['so-d'] })).total).toBe(0);
    });

    test('assets take the services and OS a scan saw; listing filters by host, severity and status, highest CVSS first', async () => {
      await repo.stageFindings('s1', []);
      await repo.commitImport({ id: 's1', tenant: 'so-s', source: 'nmap', file: 'x', at: '2026-12-01T00:00:00.000Z', by: 'an' }, [
        { address: '2001:db8::5', hostname: 'www', os: 'Linux 5.X', services: [{ port: 443, protocol: 'tcp', service: 'https', product: 'nginx 1.18.0' }] },
      ]);
      expect(await repo.listAssets(['so-s'])).toEqual([{ id: 'so-s|2001:db8::5', tenant: 'so-s', address: '2001:db8::5', hostname: 'www', os: 'Linux 5.X', services: [{ port: 443, protocol: 'tcp', service: 'https', product: 'nginx 1.18.0' }], lastScan: '2026-12-01T00:00:00.000Z', sources: ['nmap'] }]);
      expect(await repo.listAssets(['so-t'])).toEqual([]);
      const crit = await repo.listFindings({ tenants: ['so-a'], severity: ['critical'] });
      expect(crit.items.map((f) => f.cves)).toEqual([['CVE-2021-41773']]);
      expect((await repo.listFindings({ tenants: ['so-a'] })).items.map((f) => f.cvss)).toEqual([9.8, 7.5, 7.5]);
      expect((await repo.listFindings({ tenants: null, status: ['closed'] })).total).toBe(0);
    });

    test('listing is paged with the total, within the agencies asked for; importing the same report again updates, not duplicates', async () => {
      const report = [1, 2, 3, 4, 5].map((i) => scanFinding(`10.5.0.${i}`, 443, 'p', { cvss: i }));
      await importScan(repo, 'p1', 'so-p', 'openvas', '2026-12-01T00:00:00.000Z', report, report.map((f) => f.host));
      const again = await importScan(repo, 'p2', 'so-p', 'openvas', '2026-12-02T00:00:00.000Z', report, report.map((f) => f.host));
      expect(again).toMatchObject({ findings: 5, opened: 0, closed: 0, reopened: 0 });
      const page = await repo.listFindings({ tenants: ['so-p'], limit: 2, offset: 1 });
      expect([page.total, page.items.map((f) => f.cvss)]).toEqual([5, [4, 3]]);
      expect(page.items[0]).toMatchObject({ tenant: 'so-p', source: 'openvas', status: 'open', firstSeen: '2026-12-01T00:00:00.000Z', lastSeen: '2026-12-02T00:00:00.000Z', importId: 'p2' });
      expect((await repo.listFindings({ tenants: ['so-p', 'so-x'] })).total).toBe(6);
      expect((await repo.listFindings({ tenants: [] })).total).toBe(0);
      expect(await repo.listImports([])).toEqual([]);
      expect((await repo.listImports(['so-p', 'so-s'])).map((i) => i.id)).toEqual(['p1', 's1', 'p2']);
      expect((await repo.openFindingsOn('so-p', ['10.5.0.1', '10.5.0.5', '10.5.0.9'])).map((f) => f.host).sort()).toEqual(['10.5.0.1', '10.5.0.5']);
      expect(await repo.openFindingsOn('so-p', [])).toEqual([]);
    });

    test('an agency with more findings than one search page (10 000) is read whole, and paged past it', async () => {
      const n = 10_050;
      const report = Array.from({ length: n }, (_, i) => scanFinding(`10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, 80, 'big', { cvss: null, severity: 'info' }));
      const id = 'b1';
      for (let i = 0; i < n; i += 500) await repo.stageFindings(id, report.slice(i, i + 500).map((f) => ({ ...f, id: findingId('so-big', 'nmap', f) })));
      const done = await repo.commitImport({ id, tenant: 'so-big', source: 'nmap', file: 'big.xml', at: '2026-12-01T00:00:00.000Z', by: 'an' }, report.map((f) => hostOf(f.host)));
      expect(done).toMatchObject({ hosts: n, findings: n, opened: n, openBySeverity: { info: n } });
      const all = await repo.listFindings({ tenants: ['so-big'], status: ['open'], limit: 100_000 });
      expect([all.total, all.items.length, new Set(all.items.map((f) => f.id)).size]).toEqual([n, n, n]);
      const tail = await repo.listFindings({ tenants: ['so-big'], limit: 100, offset: 10_000 });
      expect([tail.total, tail.items.length]).toEqual([n, 50]);
      expect((await repo.listAssets(['so-big'])).length).toBe(n);
    });
  });
}
