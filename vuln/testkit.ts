/** Scan reports for tests, written after the published shapes (GMP get_reports, Nessus v2, Nmap -oX). */
export interface FixtureVuln {
  host: string;
  hostname?: string;
  port: string; // "443/tcp", "general/tcp"
  oid?: string;
  name: string;
  cves?: string[];
  cvss?: number;
  vector?: string;
  threat?: string;
  solution?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function openvasResult(v: FixtureVuln, i = 0): string {
  const refs = (v.cves ?? []).map((c) => `<ref type="cve" id="${c}"/>`).join('');
  return `<result id="r-${i}"><name>${esc(v.name)}</name><host>${v.host}<asset asset_id="a-${i}"/><hostname>${v.hostname ?? ''}</hostname></host><port>${v.port}</port>
<nvt oid="${v.oid ?? `1.3.6.1.4.1.25623.1.0.${1000 + i}`}"><type>nvt</type><name>${esc(v.name)}</name><family>Web application abuses</family><cvss_base>${v.cvss ?? ''}</cvss_base>
<severities score="${v.cvss ?? 0}"><severity type="cvss_base_v3"><origin/><date>2026-01-01T00:00:00Z</date><score>${v.cvss ?? 0}</score><value>${v.vector ?? ''}</value></severity></severities>
<tags>cvss_base_vector=${v.vector ?? ''}|summary=A flaw.|insight=|affected=|solution_type=VendorFix</tags><solution type="VendorFix">${esc(v.solution ?? '')}</solution><refs>${refs}<ref type="url" id="https://example.org/advisory"/></refs></nvt>
<scan_nvt_version/><threat>${v.threat ?? 'High'}</threat><severity>${v.cvss ?? 0}</severity><qod><value>80</value><type>remote_banner</type></qod><description>found</description></result>`;
}

export function openvasReport(vulns: FixtureVuln[], hosts: { ip: string; os?: string; hostname?: string }[] = []): string {
  const hs = hosts.map((h) => `<host><ip>${h.ip}</ip><asset asset_id="x"/><start>2026-12-01T01:00:00Z</start><end>2026-12-01T01:30:00Z</end>
<detail><name>best_os_txt</name><value>${esc(h.os ?? '')}</value><source><type>nvt</type></source></detail><detail><name>hostname</name><value>${h.hostname ?? ''}</value></detail></host>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<get_reports_response status="200" status_text="OK"><report id="rep-1" format_id="a994b278" extension="xml" content_type="text/xml"><owner><name>admin</name></owner><name>2026-12-01T01:00:00Z</name>
<report id="rep-1"><gmp><version>22.4</version></gmp><scan_run_status>Done</scan_run_status><scan_start>2026-12-01T01:00:00Z</scan_start>
<results start="1" max="-1">
${vulns.map(openvasResult).join('\n')}
</results>
<result_count>${vulns.length}<full>${vulns.length}</full></result_count>
${hs}
<scan_end>2026-12-01T01:30:00Z</scan_end></report></report></get_reports_response>`;
}

export interface FixtureItem {
  port: number;
  protocol?: string;
  svc?: string;
  severity: number; // 0..4
  pluginId: string;
  name: string;
  cves?: string[];
  cvss3?: number;
  vector?: string;
  solution?: string;
}

export function nessusItem(it: FixtureItem): string {
  return `<ReportItem port="${it.port}" svc_name="${it.svc ?? 'general'}" protocol="${it.protocol ?? 'tcp'}" severity="${it.severity}" pluginID="${it.pluginId}" pluginName="${esc(it.name)}" pluginFamily="Web Servers">
<description>desc</description><fname>x.nasl</fname><plugin_modification_date>2026/01/01</plugin_modification_date><plugin_name>${esc(it.name)}</plugin_name><plugin_type>remote</plugin_type>
<risk_factor>High</risk_factor><script_version>1.1</script_version><solution>${esc(it.solution ?? 'n/a')}</solution><synopsis>s</synopsis>${it.cvss3 !== undefined ? `<cvss3_base_score>${it.cvss3}</cvss3_base_score><cvss3_vector>${it.vector ?? ''}</cvss3_vector>` : ''}
${(it.cves ?? []).map((c) => `<cve>${c}</cve>`).join('')}<plugin_output>out</plugin_output></ReportItem>`;
}

export function nessusHost(name: string, ip: string, items: FixtureItem[], props: { fqdn?: string; os?: string } = {}): string {
  return `<ReportHost name="${name}"><HostProperties><tag name="HOST_END">Mon Dec  1 02:00:00 2026</tag>${props.os ? `<tag name="operating-system">${esc(props.os)}</tag>` : ''}<tag name="host-ip">${ip}</tag>${props.fqdn ? `<tag name="host-fqdn">${props.fqdn}</tag>` : ''}<tag name="HOST_START">Mon Dec  1 01:00:00 2026</tag></HostProperties>
${items.map(nessusItem).join('\n')}</ReportHost>`;
}

export const nessusHead = `<?xml version="1.0" ?>\n<NessusClientData_v2><Policy><policyName>Basic</policyName><Preferences><ServerPreferences><preference><name>TARGET</name><value>10.0.0.0/24</value></preference></ServerPreferences></Preferences></Policy>\n<Report name="Scan 1" xmlns:cm="http://www.nessus.org/cm">\n`;
export const nessusTail = '</Report>\n</NessusClientData_v2>\n';
export const nessusReport = (hosts: string[]) => nessusHead + hosts.join('\n') + nessusTail;

export interface FixturePort { port: number; protocol?: string; state?: string; name?: string; product?: string; version?: string; cpe?: string; script?: string }

export function nmapHost(addr: string, ports: FixturePort[], opts: { ipv6?: boolean; hostname?: string; os?: string; down?: boolean } = {}): string {
  return `<host starttime="1764550800" endtime="1764551100"><status state="${opts.down ? 'down' : 'up'}" reason="syn-ack" reason_ttl="0"/>
<address addr="${addr}" addrtype="${opts.ipv6 ? 'ipv6' : 'ipv4'}"/><address addr="00:0C:29:AA:BB:CC" addrtype="mac" vendor="VMware"/>
<hostnames>${opts.hostname ? `<hostname name="${opts.hostname}" type="PTR"/>` : ''}</hostnames>
<ports><extraports state="closed" count="995"><extrareasons reason="resets" count="995"/></extraports>
${ports.map((p) => `<port protocol="${p.protocol ?? 'tcp'}" portid="${p.port}"><state state="${p.state ?? 'open'}" reason="syn-ack" reason_ttl="64"/>${p.name ? `<service name="${p.name}"${p.product ? ` product="${esc(p.product)}"` : ''}${p.version ? ` version="${p.version}"` : ''} method="probed" conf="10">${p.cpe ? `<cpe>${p.cpe}</cpe>` : ''}</service>` : ''}${p.script ? `<script id="vulners" output="${esc(p.script)}"/>` : ''}</port>`).join('\n')}
</ports>${opts.os ? `<os><portused state="open" proto="tcp" portid="22"/><osmatch name="${esc(opts.os)}" accuracy="98" line="1"><osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="5.X" accuracy="98"/></osmatch></os>` : ''}
<times srtt="400" rttvar="100" to="100000"/></host>`;
}

export const nmapHead = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n<nmaprun scanner="nmap" args="nmap -sV -oX - 10.0.0.0/24" start="1764550800" version="7.94" xmloutputversion="1.05">\n<scaninfo type="syn" protocol="tcp" numservices="1000" services="1-1000"/>\n<verbose level="0"/>\n';
export const nmapTail = '<runstats><finished time="1764551100" elapsed="300" exit="success"/><hosts up="1" down="0" total="1"/></runstats>\n</nmaprun>\n';
export const nmapReport = (hosts: string[]) => nmapHead + hosts.join('\n') + nmapTail;
