import { parse } from './index';
import { decodeCef, parseCefExtension } from './cef';
import { decodeLeef } from './leef';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z') };
const p = (line: string) => parse(line, ctx) as Record<string, any>;

describe('CEF and LEEF', () => {
  test('extension values keep spaces, escaped "=" and backslashes', () => {
    expect(parseCefExtension('msg=a b=c? no\\= really filePath=C:\\\\Users\\\\x cs1=one two cs1Label=L')).toEqual({
      msg: 'a', b: 'c? no= really', filePath: 'C:\\Users\\x', cs1: 'one two', cs1Label: 'L',
    });
  });

  test('escaped pipes in the header', () => {
    const d = decodeCef('CEF:0|Ven\\|dor|Prod|1.0|100|Name with \\| pipe|5|src=10.0.0.1');
    expect(d.device).toMatchObject({ vendor: 'Ven|dor', product: 'Prod' });
    expect(d.name).toBe('Name with | pipe');
    expect((d.extensions as Record<string, unknown>).sourceAddress).toBe('10.0.0.1');
  });

  test('a Kaspersky detection over syslog becomes a malware alert with file and host', () => {
    const ev = p('<132>Mar 14 10:00:00 ksc01 CEF:0|KasperskyLab|SecurityCenter|14.2.0.26967|GNRL_EV_VIRUS_FOUND|Malicious object detected|8|msg=Detected: HEUR:Trojan.Win32.Generic rt=1773482400000 dhost=PC-KETOAN-01 dst=10.40.1.21 filePath=C:\\\\Users\\\\ketoan\\\\AppData\\\\Local\\\\Temp\\\\setup.exe act=Quarantined cs1=HEUR:Trojan.Win32.Generic cs1Label=VirusName');
    expect(ev.event).toMatchObject({ kind: 'alert', category: ['malware'], code: 'GNRL_EV_VIRUS_FOUND', severity: 8, action: 'Quarantined', dataset: 'cef.log' });
    expect(ev['@timestamp']).toBe('2026-03-14T10:00:00.000Z');
    expect(ev.file.path).toBe('C:\\Users\\ketoan\\AppData\\Local\\Temp\\setup.exe');
    expect(ev.destination).toMatchObject({ ip: '10.40.1.21', domain: 'PC-KETOAN-01' });
    expect(ev.rule.name).toBe('Malicious object detected');
    expect(ev.observer).toMatchObject({ vendor: 'KasperskyLab', product: 'SecurityCenter', hostname: 'ksc01' });
    expect(ev.cef.extensions.deviceCustomString1Label).toBe('VirusName');
    // the relay rule: the managed computer is the host, the console the observer; the malware is the detected object
    expect(ev.host).toMatchObject({ hostname: 'PC-KETOAN-01', ip: ['10.40.1.21'] });
    expect(ev.threat.software.name).toBe('HEUR:Trojan.Win32.Generic');
  });

  test('a firewall CEF event maps endpoints, MACs and bytes', () => {
    const ev = p('CEF:0|Acme|NGFW|2.1|traffic|Allowed|3|src=10.1.1.1 spt=1234 dst=203.0.113.5 dpt=443 proto=TCP smac=00:0c:29:eb:35:de in=500 out=1500 suser=hoa act=allow');
    expect(ev.source).toMatchObject({ ip: '10.1.1.1', port: 1234, mac: '00-0C-29-EB-35-DE', bytes: 500, user: { name: 'hoa' } });
    expect(ev.destination).toMatchObject({ ip: '203.0.113.5', port: 443, bytes: 1500 });
    expect(ev.network.transport).toBe('tcp');
    expect(ev.event.kind).toBe('event');
  });

  test('a CEF header cut short is a pipeline error', () => {
    const ev = parse('CEF:0|Acme|NGFW|2.1', { ...ctx, format: 'cef' });
    expect(ev.event.kind).toBe('pipeline_error');
    expect((ev.error as { message: string }).message).toMatch(/CEF header needs 7/);
  });

  test('LEEF 1.0 (tab) and 2.0 (custom delimiter)', () => {
    const one = decodeLeef('LEEF:1.0|Microsoft|MSExchange|4.0 SP1|15345|src=192.0.2.0\tdst=172.50.123.1\tsev=5\tusrName=joe.black');
    expect(one.fields).toEqual({ src: '192.0.2.0', dst: '172.50.123.1', sev: '5', usrName: 'joe.black' });
    const ev = p('<13>Mar 14 10:00:00 qr LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=10.0.1.8^dst=10.0.0.5^sev=5^usrName=an^proto=UDP');
    expect(ev.source.ip).toBe('10.0.1.8');
    expect(ev.user.name).toBe('an');
    expect(ev.event).toMatchObject({ code: '41', severity: 5, dataset: 'leef.log' });
  });

  test('a Filebeat document with a raw CEF line in message, pinned to cef.log, is read as the line', () => {
    const ev = parse({ message: 'CEF:0|Trend Micro|Deep Security Agent|10.0|4000030|Malware detected|6|dvchost=ws-12 act=Quarantine filePath=C:\\Users\\lan\\a.exe', agent: { type: 'filebeat' } }, { ...ctx, dataset: 'cef.log' }) as Record<string, any>;
    expect(ev.event).toMatchObject({ kind: 'alert', code: '4000030', action: 'Quarantine', dataset: 'cef.log' });
    // the relay rule: Deep Security's dvchost is the protected computer, not the manager that relayed it
    expect(ev.observer).toMatchObject({ vendor: 'Trend Micro' });
    expect(ev.host.hostname).toBe('ws-12');
    expect(ev.agent).toEqual({ type: 'filebeat' });
  });
});
