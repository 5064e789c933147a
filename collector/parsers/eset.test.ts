import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z') };

describe('ESET PROTECT (JSON over syslog) and JSON bodies behind syslog headers', () => {
  test('a Threat_Event is a malware alert with the file, host and user', () => {
    const body = { event_type: 'Threat_Event', ipv4: '10.40.3.21', hostname: 'pc-ketoan-02.so-tttt.local', source_uuid: 'a1b2', occured: '14-Mar-2026 02:00:00', severity: 'Warning', threat_type: 'trojan', threat_name: 'Win32/Agent.ABC', scanner_id: 'Real-time file system protection', object_type: 'file', object_uri: 'file:///C:/Users/ketoan/Downloads/hoadon.exe', action_taken: 'cleaned by deleting', threat_handled: true, need_restart: false, username: 'SO-TTTT\\ketoan', processname: 'C:\\Windows\\explorer.exe', hash: 'AABBCCDDEEFF00112233445566778899AABBCCDD' };
    const ev = parse(`<12>1 2026-03-14T02:00:01Z era01 ERAServer 1234 - - ${JSON.stringify(body)}`, ctx) as Record<string, any>;
    expect(ev['@timestamp']).toBe('2026-03-14T02:00:00.000Z');
    expect(ev.event).toMatchObject({ kind: 'alert', category: ['malware'], action: 'cleaned by deleting', outcome: 'success', dataset: 'eset.protect' });
    expect(ev.file).toMatchObject({ path: 'C:\\Users\\ketoan\\Downloads\\hoadon.exe', name: 'hoadon.exe', hash: { sha1: 'aabbccddeeff00112233445566778899aabbccdd' } });
    expect(ev.threat.software).toEqual({ name: 'Win32/Agent.ABC', type: 'trojan' });
    expect(ev.host).toMatchObject({ hostname: 'pc-ketoan-02.so-tttt.local', ip: ['10.40.3.21'] });
    expect(ev.user).toEqual({ domain: 'SO-TTTT', name: 'ketoan' });
    expect(ev.log.syslog).toMatchObject({ appname: 'ERAServer', hostname: 'era01' });
    expect(ev.event.original).toMatch(/^<12>1 2026-03-14T02:00:01Z era01 ERAServer/);
  });

  test('Suricata EVE sent with eve-log filetype syslog', () => {
    const eve = JSON.stringify({ timestamp: '2026-03-14T09:30:01.000000+0000', event_type: 'alert', src_ip: '10.1.2.3', src_port: 1, dest_ip: '198.51.100.66', dest_port: 443, proto: 'TCP', alert: { action: 'blocked', signature_id: 7, signature: 'blocked sig', severity: 1 } });
    const ev = parse(`<14>Mar 14 09:30:01 sensor01 suricata[4321]: ${eve}`, { ...ctx, timezone: 'UTC' }) as Record<string, any>;
    expect(ev.event).toMatchObject({ kind: 'alert', dataset: 'suricata.eve', type: ['denied'] });
    expect(ev.host.hostname).toBe('sensor01');
    expect(ev.process).toBeUndefined();
  });
});
