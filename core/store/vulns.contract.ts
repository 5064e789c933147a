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
  });
}
