/** Each scan format read from reports written after its published shape, streamed record by record. */
import { Readable } from 'node:stream';
import type { ScanFinding, ScanFormat, ScanHost } from '../finding';
import { nessusHead, nessusHost, nessusReport, nessusTail, nmapHost, nmapReport, openvasReport } from '../testkit';
import { ScanFileError } from '../xml';
import { PARSERS } from './index';

async function parse(format: ScanFormat, xml: string | Readable) {
  const hosts: ScanHost[] = [];
  const findings: ScanFinding[] = [];
  const input = typeof xml === 'string' ? Readable.from([xml]) : xml;
  await PARSERS[format](input, 'scan.xml', { host: (h) => void hosts.push(h), finding: (f) => void findings.push(f) });
  return { hosts, findings };
}

describe('Greenbone/OpenVAS report', () => {
  const xml = openvasReport(
    [
      { host: '10.1.0.5', hostname: 'cong.so-a.gov.vn', port: '443/tcp', oid: '1.3.6.1.4.1.25623.1.0.117', name: 'Apache HTTP Server 2.4.49 Path Traversal', cves: ['CVE-2021-41773', 'CVE-2021-42013'], cvss: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', solution: 'Update to 2.4.51' },
      { host: '10.1.0.5', port: '22/tcp', name: 'Weak SSH MAC algorithms', cvss: 2.6, threat: 'Low' },
      { host: '10.1.0.5', port: 'general/tcp', name: 'OS End Of Life', cvss: 10, threat: 'High' },
      { host: '2001:DB8:0:0::1', port: '80/tcp', name: 'Cleartext transmission', cvss: 4.8, threat: 'Medium' },
    ],
    [{ ip: '10.1.0.5', os: 'Ubuntu 20.04', hostname: 'cong.so-a.gov.vn' }, { ip: '10.1.0.9' }],
  );

  test('results give host, port, CVE ids, CVSS score and vector, severity, solution; findings without CVE and host-level ones are kept', async () => {
    const { findings, hosts } = await parse('openvas', xml);
    expect(findings).toHaveLength(4);
    expect(findings[0]).toEqual({
      host: '10.1.0.5', hostname: 'cong.so-a.gov.vn', port: 443, protocol: 'tcp', service: null, product: null, pluginId: '1.3.6.1.4.1.25623.1.0.117',
      name: 'Apache HTTP Server 2.4.49 Path Traversal', cves: ['CVE-2021-41773', 'CVE-2021-42013'], cvss: 9.8,
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', severity: 'critical', solution: 'Update to 2.4.51',
    });
    expect(findings[1]).toMatchObject({ port: 22, cves: [], severity: 'low' });
    expect(findings[2]).toMatchObject({ port: null, protocol: 'tcp', severity: 'critical' });
    expect(findings[3]).toMatchObject({ host: '2001:db8::1', port: 80, severity: 'medium' });
    // every scanned host is known, the one without findings too (so its old findings can be closed)
    expect(hosts.map((h) => [h.address, h.os])).toEqual([['10.1.0.5', 'Ubuntu 20.04'], ['10.1.0.9', null]]);
  });
});

describe('Nessus v2', () => {
  test('ReportItems give several ports per host, CVEs, CVSS v3, severity; HostProperties give address, name and OS', async () => {
    const xml = nessusReport([
      nessusHost('web01', '10.2.0.7', [
        { port: 443, svc: 'www', severity: 4, pluginId: '153584', name: 'Apache 2.4.49 < 2.4.51 Path Traversal', cves: ['CVE-2021-41773'], cvss3: 9.8, vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', solution: 'Upgrade to Apache version 2.4.51 or later.' },
        { port: 22, svc: 'ssh', severity: 2, pluginId: '70658', name: 'SSH Server CBC Mode Ciphers Enabled', cvss3: 5.3 },
        { port: 0, severity: 0, pluginId: '19506', name: 'Nessus Scan Information' },
      ], { fqdn: 'web01.so-b.gov.vn', os: 'Linux Kernel 5.4' }),
      nessusHost('fe80::a00:27ff:fe4e:66a1', 'fe80::a00:27ff:fe4e:66a1', [{ port: 3389, svc: 'msrdp', severity: 3, pluginId: '18405', name: 'RDP MitM', cvss3: 7.5 }]),
    ]);
    const { findings, hosts } = await parse('nessus', xml);
    expect(findings.map((f) => [f.host, f.port, f.service, f.pluginId, f.severity, f.cves])).toEqual([
      ['10.2.0.7', 443, 'www', '153584', 'critical', ['CVE-2021-41773']],
      ['10.2.0.7', 22, 'ssh', '70658', 'medium', []],
      ['10.2.0.7', null, null, '19506', 'info', []],
      ['fe80::a00:27ff:fe4e:66a1', 3389, 'msrdp', '18405', 'high', []],
    ]);
    expect(findings[0]).toMatchObject({ hostname: 'web01.so-b.gov.vn', cvss: 9.8, cvssVector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', solution: 'Upgrade to Apache version 2.4.51 or later.' });
    expect(hosts[0]).toEqual({ address: '10.2.0.7', hostname: 'web01.so-b.gov.vn', os: 'Linux Kernel 5.4', services: [{ port: 443, protocol: 'tcp', service: 'www', product: null }, { port: 22, protocol: 'tcp', service: 'ssh', product: null }] });
  });
});

describe('Nmap XML', () => {
  test('open ports with service versions become findings and the host services; closed ports and down hosts do not; IPv6 addresses', async () => {
    const xml = nmapReport([
      nmapHost('10.3.0.2', [
        { port: 22, name: 'ssh', product: 'OpenSSH', version: '8.2p1', cpe: 'cpe:/a:openbsd:openssh:8.2p1' },
        { port: 80, name: 'http', product: 'Apache httpd', version: '2.4.49', script: '\n  cpe:/a:apache:http_server:2.4.49:\n    CVE-2021-41773\t7.5\thttps://vulners.com/cve/CVE-2021-41773' },
        { port: 8080, state: 'closed', name: 'http-proxy' },
        { port: 161, protocol: 'udp', name: 'snmp' },
      ], { hostname: 'mail.so-c.gov.vn', os: 'Linux 5.0 - 5.14' }),
      nmapHost('2001:db8:0:0:0:0:0:20', [{ port: 443, name: 'https' }], { ipv6: true }),
      nmapHost('10.3.0.3', [{ port: 22, name: 'ssh' }], { down: true }),
    ]);
    const { findings, hosts } = await parse('nmap', xml);
    expect(findings.map((f) => [f.host, f.port, f.protocol, f.service, f.product, f.cves])).toEqual([
      ['10.3.0.2', 22, 'tcp', 'ssh', 'OpenSSH 8.2p1', []],
      ['10.3.0.2', 80, 'tcp', 'http', 'Apache httpd 2.4.49', ['CVE-2021-41773']],
      ['10.3.0.2', 161, 'udp', 'snmp', null, []],
      ['2001:db8::20', 443, 'tcp', 'https', null, []],
    ]);
    expect(hosts.map((h) => [h.address, h.hostname, h.os, h.services.length])).toEqual([['10.3.0.2', 'mail.so-c.gov.vn', 'Linux 5.0 - 5.14', 3], ['2001:db8::20', null, null, 1]]);
  });
});

describe('bad reports are refused with the reason and where', () => {
  test.each([
    ['nessus', nessusReport([nessusHost('h', '10.0.0.1', [{ port: 80, severity: 2, pluginId: '1', name: 'x' }])]).slice(0, -40), /scan\.xml:\d+: not well-formed XML/],
    ['nessus', '<nmaprun></nmaprun>', /the root element is <nmaprun>, not <NessusClientData_v2>: is it the right --format\?/],
    ['openvas', openvasReport([{ host: 'not-an-address', port: '80/tcp', name: 'x' }]), /scan\.xml:\d+: <result id="r-0"> has no host address/],
    ['nmap', nmapReport(['<host><status state="up"/><ports/></host>']), /scan\.xml:\d+: <host> has no IPv4 or IPv6 <address>/],
    ['nmap', '', /scan\.xml:1: not well-formed XML: document must contain a root element/],
    ['nmap', '<nmaprun><host><address addr="10.0.0.1" addrtype="ipv4"/></host>', /not well-formed XML: unclosed tag: nmaprun/],
  ] as const)('%s: %p', async (format, xml, reason) => {
    await expect(parse(format, xml)).rejects.toThrow(ScanFileError);
    await expect(parse(format, xml)).rejects.toThrow(reason);
  });
});

test('a huge report is streamed: 200 000 findings (over 150 MB) go through while memory holds a record at a time', async () => {
  const hosts = 20_000;
  const item = (h: number, p: number) => ({ port: 1000 + p, svc: 'www', severity: 3, pluginId: String(90000 + p), name: `Check ${p} on host ${h}`, cves: [`CVE-2026-${10000 + p}`], cvss3: 7.5, solution: 'x'.repeat(200) });
  let bytes = 0;
  function* gen() {
    yield nessusHead;
    for (let h = 0; h < hosts; h++) {
      const chunk = nessusHost(`h${h}`, `10.${h >> 16}.${(h >> 8) & 255}.${h & 255}`, Array.from({ length: 10 }, (_, p) => item(h, p)));
      bytes += chunk.length;
      yield chunk;
    }
    yield nessusTail;
  }
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let count = 0;
  await PARSERS.nessus(Readable.from(gen()), 'huge.nessus', {
    host: () => undefined,
    finding: () => {
      if (++count % 5000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    },
  });
  expect(count).toBe(hosts * 10);
  expect(bytes).toBeGreaterThan(150e6);
  // the report loaded whole would take at least its size as a string, and a tree several times that; the parser holds a
  // record and the host list (the heap also carries uncollected garbage between GCs: 50–83 MB seen, so the bound is the size)
  expect(peak - before).toBeLessThan(bytes);
}, 120_000);
