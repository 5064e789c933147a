import { parse } from './index';
import { createEvaluator } from '../../correlator/sigma/index';
import { shippedRules } from '../../rules/tests/helpers';

const ctx = { receivedAt: new Date('2026-03-15T05:00:00Z'), timezone: 'UTC' };
type Ev = Record<string, any>;
const p = (line: string, extra: Record<string, unknown> = {}): Ev => parse(line, { ...ctx, ...extra }) as Ev;
const hdr = (t: string) => `<134>Mar 15 04:10:${t} dsm-hq CEF:0|Trend Micro|Deep Security Agent|20.0.877|`;

describe('Trend Micro Deep Security', () => {
  test('an anti-malware detection relayed by the Manager: the agent is the host, the Manager the observer, hashes and action kept', () => {
    const ev = p(`${hdr('01')}4000000|Trojan.Win32.FAKEAV.x|6|cn1=411 cn1Label=Host ID dvchost=pc-vanthu-02 dvc=10.40.1.22 TrendMicroDsTenant=Primary TrendMicroDsTenantId=0 filePath=C:\\Users\\vanthu\\Downloads\\hoso.exe act=Quarantine msg=Realtime TrendMicroDsMalwareTarget=N/A TrendMicroDsMalwareTargetType=N/A TrendMicroDsFileSHA256=9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08 TrendMicroDsDetectionConfidence=95`);
    expect(ev.event).toMatchObject({ dataset: 'trendmicro.deep_security', module: 'trendmicro', kind: 'alert', category: ['malware'], type: ['denied'], code: '4000000', action: 'Quarantine' });
    expect(ev.host).toMatchObject({ hostname: 'pc-vanthu-02', ip: ['10.40.1.22'] });
    expect(ev.observer).toMatchObject({ vendor: 'Trend Micro', product: 'Deep Security Agent', hostname: 'dsm-hq' });
    expect(ev.threat.software.name).toBe('Trojan.Win32.FAKEAV.x');
    expect(ev.file).toMatchObject({ path: 'C:\\Users\\vanthu\\Downloads\\hoso.exe', hash: { sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' } });
    expect(ev.trendmicro.deep_security).toMatchObject({ signature_id: 4000000, event_category: 'anti-malware-event', malware: { name: 'Trojan.Win32.FAKEAV.x' }, tenant: 'Primary', detection_confidence: '95' });
    expect(ev.cef).toBeUndefined();
  });

  test('an anti-malware scan notice (not a detection id) is an event, not an alert', () => {
    const ev = p(`${hdr('02')}4000100|Manual Scan Completed|3|cn1=411 cn1Label=Host ID dvchost=pc-vanthu-02 msg=Manual scan completed`);
    expect(ev.event).toMatchObject({ kind: 'event', category: ['malware'] });
    expect(ev.threat?.software).toBeUndefined();
  });

  test('intrusion prevention: an alert of category intrusion_detection with the rule and CVE, never a malware detection', () => {
    const ev = p(`${hdr('03')}1008610|Microsoft Windows SMB Remote Code Execution Exploit|10|cn1=412 cn1Label=Host ID dvchost=srv-file-01 dvc=10.40.2.5 TrendMicroDsTenant=Primary act=Reset src=203.0.113.44 spt=51515 dst=10.40.2.5 dpt=445 proto=TCP TrendMicroDsCve=CVE-2017-0144 TrendMicroDsFrameType=IP`);
    expect(ev.event).toMatchObject({ kind: 'alert', category: ['intrusion_detection', 'network'], type: ['denied'] });
    expect(ev.rule).toMatchObject({ name: 'Microsoft Windows SMB Remote Code Execution Exploit' });
    expect(ev.vulnerability.id).toEqual(['CVE-2017-0144']);
    expect(ev.source).toMatchObject({ ip: '203.0.113.44', port: 51515 });
    expect(ev.threat?.software).toBeUndefined();
    expect(ev.trendmicro.deep_security.event_category).toBe('intrusion-prevention-event');
  });

  test('firewall, web reputation, integrity monitoring, log inspection and application control are read by their module', () => {
    const fw = p(`${hdr('04')}20|Log for TCP Port 23|5|cn1=413 cn1Label=Host ID dvchost=srv-web-01 act=Deny src=198.51.100.9 dst=10.40.3.3 spt=40000 dpt=23 proto=TCP`);
    expect(fw.event).toMatchObject({ kind: 'event', category: ['network'], type: ['denied'] });
    const web = p(`${hdr('05')}5000000|WebReputation|6|cn1=414 cn1Label=Host ID dvchost=pc-ketoan-01 request=http://malicious.example/payload act=Blocked msg=Dangerous`);
    expect(web.event).toMatchObject({ category: ['web', 'network'], type: ['denied'] });
    expect(web.url.original).toBe('http://malicious.example/payload');
    const im = p(`${hdr('06')}2002779|Microsoft Windows - System file modified|8|cn1=415 cn1Label=Host ID dvchost=srv-dc-01 act=updated filePath=C:\\Windows\\System32\\drivers\\etc\\hosts`);
    expect(im.event).toMatchObject({ category: ['file'], type: ['change'] });
    expect(im.file.path).toBe('C:\\Windows\\System32\\drivers\\etc\\hosts');
    const li = p(`${hdr('07')}3002795|Microsoft Windows Events|8|cn1=416 cn1Label=Host ID dvchost=srv-dc-01 cs1=Multiple Windows Logon Failures cs1Label=LI Description fname=Security`);
    expect(li.event).toMatchObject({ kind: 'event', category: ['host'] });
    expect(li.trendmicro.deep_security.device.custom_string1).toEqual({ label: 'LI Description', value: 'Multiple Windows Logon Failures' });
    const ac = p(`${hdr('08')}6001100|Execution of Unrecognized Software|6|cn1=417 cn1Label=Host ID dvchost=pc-ketoan-01 act=blocked fileHash=ABCD TrendMicroDsProcess=C:\\Temp\\tool.exe`);
    expect(ac.event).toMatchObject({ category: ['process'], type: ['denied'] });
    expect(ac.process.executable).toBe('C:\\Temp\\tool.exe');
  });

  test('a Manager system event about a console sign-in is authentication on the Manager itself (no relay)', () => {
    const ev = p('<134>Mar 15 04:10:09 dsm-hq CEF:0|Trend Micro|Deep Security Manager|20.0.877|600|User Signed In|3|src=10.40.0.8 suser=admin.tm target=admin.tm msg=User signed in from 10.40.0.8');
    expect(ev.event).toMatchObject({ dataset: 'trendmicro.deep_security', category: ['authentication'], type: ['start'], outcome: 'success' });
    expect(ev.source.user.name).toBe('admin.tm');
    expect(ev.observer.product).toBe('Deep Security Manager');
  });

  test('a pinned source with a truncated or garbled CEF line keeps header and vendor, tagged partial', () => {
    const cut = p('<134>Mar 15 04:10:10 dsm-hq CEF:0|Trend Micro|Deep Secu', { dataset: 'trendmicro.deep_security' });
    expect(cut.event).toMatchObject({ kind: 'event', dataset: 'trendmicro.deep_security' });
    expect(cut.tags).toContain('partial');
    expect(cut.observer).toMatchObject({ vendor: 'Trend Micro', product: 'Deep Security' });
    const noExt = p(`${hdr('11')}4000000|Eicar_test_file|6|`, { dataset: 'trendmicro.deep_security' });
    expect(noExt.event).toMatchObject({ kind: 'alert', category: ['malware'] });
    // another vendor's CEF stays with the generic CEF parser
    expect(p('<134>Mar 15 04:10:12 fw1 CEF:0|Acme|Firewall|1.0|100|Deny|5|src=10.0.0.1').event.dataset).toBe('cef.log');
  });

  test('the LEEF 2.0 format of the same events is read alike: module, relay, hashes', () => {
    const tab = '\t';
    const ev = p(`<134>Mar 15 04:10:13 dsm-hq LEEF:2.0|Trend Micro|Deep Security Agent|20.0.877|4000000|cat=Anti-Malware${tab}name=Ransom.Win32.LOCKY.a${tab}desc=Ransom.Win32.LOCKY.a${tab}sev=6${tab}cn1=418${tab}cn1Label=Host ID${tab}dvchost=pc-tccb-05${tab}dvc=10.40.4.5${tab}TrendMicroDsTenant=Primary${tab}filePath=C:\\Users\\tccb\\AppData\\Local\\Temp\\inv.js${tab}act=Delete${tab}msg=Realtime${tab}TrendMicroDsFileSHA1=3CA25AE354E192B26879F651A51D92AA8A34D8D3`);
    expect(ev.event).toMatchObject({ dataset: 'trendmicro.deep_security', kind: 'alert', category: ['malware'], code: '4000000', severity: 6 });
    expect(ev.host).toMatchObject({ hostname: 'pc-tccb-05', ip: ['10.40.4.5'] });
    expect(ev.observer.hostname).toBe('dsm-hq');
    expect(ev.threat.software.name).toBe('Ransom.Win32.LOCKY.a');
    expect(ev.file.hash.sha1).toBe('3ca25ae354e192b26879f651a51d92aa8a34d8d3');
    const ips = p(`<134>Mar 15 04:10:14 dsm-hq LEEF:2.0|Trend Micro|Deep Security Agent|20.0.877|1000552|cat=Intrusion Prevention${tab}name=Generic Cross Site Scripting(XSS) Prevention${tab}sev=6${tab}cn1=419${tab}cn1Label=Host ID${tab}dvchost=srv-web-02${tab}src=198.51.100.60${tab}dst=10.40.3.8${tab}srcPort=44321${tab}dstPort=80${tab}proto=TCP${tab}act=Reset`);
    expect(ips.event).toMatchObject({ kind: 'alert', category: ['intrusion_detection', 'network'], type: ['denied'] });
    expect(ips.source).toMatchObject({ ip: '198.51.100.60', port: 44321 });
    expect(ips.network.transport).toBe('tcp');
  });

  test('the shipped Malware Outbreak rule fires for one malware on three agents of one Manager (LEEF and CEF mixed)', () => {
    const tab = '\t';
    const lines = [
      `<134>Mar 15 04:20:01 dsm-hq LEEF:2.0|Trend Micro|Deep Security Agent|20.0.877|4000000|cat=Anti-Malware${tab}name=Worm.Win32.DOWNAD.ad${tab}sev=6${tab}dvchost=pc-a${tab}dvc=10.40.5.1${tab}act=Quarantine`,
      `<134>Mar 15 04:20:02 dsm-hq CEF:0|Trend Micro|Deep Security Agent|20.0.877|4000000|Worm.Win32.DOWNAD.ad|6|dvchost=pc-b dvc=10.40.5.2 act=Quarantine`,
      `<134>Mar 15 04:20:03 dsm-hq CEF:0|Trend Micro|Deep Security Agent|20.0.877|4000000|Worm.Win32.DOWNAD.ad|6|dvchost=pc-c dvc=10.40.5.3 act=Delete`,
    ];
    const ev = createEvaluator(shippedRules());
    const fired: string[] = [];
    lines.forEach((line, i) => {
      const e = parse(line, { receivedAt: new Date(Date.parse('2026-03-15T04:20:00Z') + i * 1000), timezone: 'UTC' }) as Record<string, unknown>;
      e.organization = { id: 'so-tc' };
      for (const d of ev.evaluate(e)) fired.push(`${i}:${d.rule.title}`);
    });
    expect(fired.filter((f) => f.endsWith('Malware Outbreak'))).toEqual(['2:Malware Outbreak']);
  });
});
