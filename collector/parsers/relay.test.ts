/**
 * The relay rule: a console that reports its agents' detections names the agent in host.* and itself in
 * observer.*, so that one malware on three agents of one console is three machines (Malware Outbreak fires).
 */
import { parse } from './index';
import { createEvaluator } from '../../correlator/sigma/index';
import { shippedRules } from '../../rules/tests/helpers';

const ctx = (sec = 0) => ({ receivedAt: new Date(Date.parse('2026-03-15T04:00:00Z') + sec * 1000), timezone: 'UTC' });
const p = (line: string, sec = 0) => parse(line, ctx(sec)) as Record<string, any>;

const trend = (agent: string, ip: string, malware: string, sec: number) =>
  `<134>Mar 15 04:00:${String(sec).padStart(2, '0')} dsm01 CEF:0|Trend Micro|Deep Security Agent|20.0.1|4000000|${malware}|6|cn1=1${sec} cn1Label=Host ID dvchost=${agent} dvc=${ip} ` +
  `filePath=C:\\Users\\canbo\\Downloads\\${malware}.exe act=Quarantine msg=Realtime`;
const ksc = (agent: string, ip: string, malware: string, sec: number) =>
  `<132>Mar 15 04:01:${String(sec).padStart(2, '0')} ksc01 CEF:0|KasperskyLab|SecurityCenter|14.2.0.26967|GNRL_EV_VIRUS_FOUND|Malicious object detected|5|` +
  `msg=Result: Detected: ${malware}\\nUser: SO\\\\ketoan\\nObject: C:\\Users\\ketoan\\AppData\\Local\\Temp\\x.dll rt=1773547260000 cs9=Ke toan cs9Label=GroupName dhost=${agent} dst=${ip} cs2=KES cs2Label=ProductName dvchost=ksc01`;
const sepm = (agent: string, ip: string, malware: string, sec: number) =>
  `<54>Mar 15 04:02:${String(sec).padStart(2, '0')} sepm01 SymantecServer: Virus found,IP Address: ${ip},Computer name: ${agent},Source: Real Time Scan,Risk name: ${malware},Occurrences: 1,File path: C:\\Users\\a\\${malware}.exe,` +
  `Description: ,Actual action: Quarantined,Requested action: Quarantined,Secondary action: Deleted,Event time: 2026-03-15 04:02:${String(sec).padStart(2, '0')},Event Insert Time: 2026-03-15 04:02:${String(sec).padStart(2, '0')},End Time: 2026-03-15 04:02:${String(sec).padStart(2, '0')},Domain Name: Default,Group Name: My Company\\Ke toan,Server Name: sepm01,User Name: ketoan`;
const eset = (agent: string, ip: string, malware: string, sec: number) =>
  `<14>1 2026-03-15T04:03:${String(sec).padStart(2, '0')}.000Z era01 ERAServer 1111 Threat_Event - {"event_type":"Threat_Event","ipv4":"${ip}","hostname":"${agent}","source_uuid":"5a1e${sec}","occured":"15-Mar-2026 04:03:${String(sec).padStart(2, '0')}","severity":"Warning","threat_type":"trojan","threat_name":"${malware}","scanner_id":"Real-time file system protection","scan_id":"virlog.dat","engine_version":"27000","object_type":"file","object_uri":"file:///C:/Users/a/x.exe","action_taken":"cleaned by deleting","threat_handled":true,"need_restart":false}`;

const kscSyslog = (agent: string, ip: string, malware: string, sec: number) =>
  `<132>1 2026-03-15T04:04:${String(sec).padStart(2, '0')}.000Z ksc02 KES - GNRL_EV_VIRUS_FOUND [event@23668 et="GNRL_EV_VIRUS_FOUND" etdn="Malicious object detected" hdn="${agent}" hip="${ip}" gn="Ke toan"] ` +
  `Result: Detected: ${malware}\\r\\nUser: SO\\\\ketoan\\r\\nObject: C:\\Users\\ketoan\\Downloads\\hoadon.exe`;

describe.each([
  ['Kaspersky Security Center (syslog)', kscSyslog, 'ksc02'],
  ['Trend Micro Deep Security (CEF)', trend, 'dsm01'],
  ['Kaspersky Security Center (CEF)', ksc, 'ksc01'],
  ['Symantec SEPM', sepm, 'sepm01'],
  ['ESET PROTECT', eset, undefined],
])('%s: a relayed detection names the agent, not the console', (_name, line, consoleName) => {
  test('host.* is the agent, observer.* the console', () => {
    const ev = p(line('PC-KETOAN-07', '10.20.30.7', 'Trojan.Win32.Relay.a', 1));
    expect(ev.event.kind).toBe('alert');
    expect(ev.event.category).toContain('malware');
    expect(ev.host.hostname).toBe('PC-KETOAN-07');
    expect(ev.host.ip).toEqual(['10.20.30.7']);
    expect(ev.threat.software.name).toBe('Trojan.Win32.Relay.a');
    if (consoleName) expect(ev.observer?.hostname ?? ev.log?.syslog?.hostname).toBe(consoleName);
  });

  test('the shipped Malware Outbreak rule fires for three agents of one console', () => {
    const ev = createEvaluator(shippedRules());
    const fired: string[] = [];
    ['PC-01', 'PC-02', 'PC-03'].forEach((agent, i) => {
      const e = p(line(agent, `10.20.30.${i + 1}`, 'Worm.Win32.Spread.b', 10 + i), 10 + i) as Record<string, unknown>;
      e.organization = { id: 'so-tc' };
      for (const d of ev.evaluate(e)) fired.push(`${i}:${d.rule.title}`);
    });
    expect(fired.filter((f) => f.endsWith('Malware Outbreak'))).toEqual(['2:Malware Outbreak']);
  });
});

describe('CEF keeps what the sender sent', () => {
  test('an unescaped Windows path keeps its backslashes (\\n, \\U are no escapes in a path)', () => {
    const ev = p('<134>Mar 15 04:00:01 dsm01 CEF:0|Trend Micro|Deep Security Agent|20.0.1|4000000|Eicar_test_file|6|dvchost=pc1 filePath=C:\\Users\\new\\Downloads\\eicar.com act=Delete');
    expect(ev.file.path).toBe('C:\\Users\\new\\Downloads\\eicar.com');
  });

  test('escaped values are unescaped: \\\\ and \\= and a \\n in a message', () => {
    const ev = p('<134>Mar 15 04:00:01 fw CEF:0|Vendor|Product|1|100|x|3|filePath=C:\\\\Temp\\\\a.exe msg=line one\\nk\\=v');
    expect(ev.file.path).toBe('C:\\Temp\\a.exe');
    expect(ev.message).toBe('line one\nk=v');
  });

  test('a CEF line cut inside its header is kept with the reason', () => {
    const ev = parse('<134>Mar 15 04:00:01 dsm01 CEF:0|Trend Micro|Deep Secu', { ...ctx(), dataset: 'cef.log' }) as Record<string, any>;
    expect(ev.error.message).toMatch(/CEF header needs 7/);
    expect(ev.event.original).toContain('Deep Secu');
  });
});
