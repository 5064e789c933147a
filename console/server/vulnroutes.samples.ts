/** The vulnerability findings' part of the access matrix (testkit.ts): a scan of so-a and one of so-b ("bbbb"), and a request for every route. */
import { Readable } from 'node:stream';
import type { Store } from '../../core/store/store';
import { importScan } from '../../vuln/importer';
import { openvasReport } from '../../vuln/testkit';
import type { Kit, Sample } from './testkit';

export async function seedVulns(store: Store): Promise<void> {
  for (const [t, host, name] of [['so-a', '10.1.1.1', 'Apache Path Traversal of a'], ['so-b', '10.9.9.9', 'bbbb secret weakness']] as const) {
    const report = openvasReport([{ host, port: '443/tcp', name, cves: ['CVE-2021-41773'], cvss: 9.8 }]);
    await importScan(store, { tenant: t, format: 'openvas', file: `${t}.xml`, input: Readable.from([report]), by: 'seed' });
  }
}

const report = openvasReport([{ host: '10.1.1.2', port: '80/tcp', name: 'Cleartext of a', cvss: 4.8, threat: 'Medium' }]);
export const VULN_SAMPLES: Record<string, (k: Kit) => Sample> = {
  'GET /api/vulnerabilities': () => ({ own: { url: '/api/vulnerabilities?status=open' }, other: { url: '/api/vulnerabilities?agency=so-b', status: [200] }, seen: true }),
  'GET /api/vulnerabilities/summary': () => ({ own: { url: '/api/vulnerabilities/summary?agency=so-a' }, other: { url: '/api/vulnerabilities/summary?agency=so-b', status: [404] } }),
  'GET /api/vulnerabilities/export.csv': () => ({ own: { url: '/api/vulnerabilities/export.csv?agency=so-a' }, other: { url: '/api/vulnerabilities/export.csv?agency=so-b', status: [404] } }),
  'POST /api/vulnerabilities/import': () => ({ own: { url: '/api/vulnerabilities/import?agency=so-a&format=openvas', body: report }, other: { url: '/api/vulnerabilities/import?agency=so-b&format=openvas', body: report, status: [404] } }),
};
