/**
 * Check Point lines written for this test in the shapes Check Point's Log Exporter documents: the key:"value"; syslog
 * layout of R80/R81 (CME, firewall with SIC name) and the older RFC 5424 structured-data layout (Fields@…), plus cut lines.
 */
import { parse } from './index';

const ctx = { receivedAt: new Date('2026-12-07T04:00:00Z'), timezone: 'UTC' };
const p = (line: string, extra = {}) => parse(line, { ...ctx, ...extra }) as Record<string, any>;

describe('Check Point exporter variants', () => {
  test('R81 firewall accept: the gateway named by its SIC CN, rule and zones', () => {
    const ev = p('<134>1 2026-12-07T03:10:00Z gw-so CheckPoint 2201 - [action:"Accept"; flags:"411908"; ifdir:"inbound"; ifname:"eth1"; logid:"0"; loguid:"{0x1,0x2,0x3,0x4}"; origin:"10.8.0.1"; originsicname:"CN=gw-sotttt,O=mgmt-so..abc123"; sequencenum:"4"; time:"1796613000"; version:"5"; dst:"10.8.1.20"; inzone:"Internal"; outzone:"DMZ"; layer_name:"Network"; rule_name:"Allow DNS"; rule_uid:"aaaa-bbbb"; service:"53"; s_port:"51000"; src:"10.8.2.7"; proto:"17"; product:"VPN-1 & FireWall-1"]');
    expect(ev['@timestamp']).toBe('2026-12-07T03:10:00.000Z');
    expect(ev.observer).toMatchObject({ vendor: 'Checkpoint', name: '10.8.0.1', hostname: 'gw-sotttt', product: 'VPN-1 & FireWall-1', ingress: { zone: 'Internal', interface: { name: 'eth1' } }, egress: { zone: 'DMZ' } });
    expect(ev.event).toMatchObject({ action: 'Accept', category: ['network'], outcome: 'success' });
    expect(ev.rule).toMatchObject({ name: 'Allow DNS', uuid: 'aaaa-bbbb' });
    expect(ev.network).toMatchObject({ transport: 'udp', direction: 'inbound' });
  });

  test('CME alert without an action: network category, creation_time as the start, a bad creation_time ignored', () => {
    const ok = p('<134>1 2026-12-07T03:11:00Z cme-host CheckPoint 9001 - [alert:"cme_alerting"; ifdir:"inbound"; loguid:"{0x9,0x9,0x9,0x9}"; origin:"10.8.0.2"; sequencenum:"1"; time:"1796613060"; version:"5"; calc_desc:"Error during synchronization with Security Gateways."; creation_time:"2026-12-07 03:10:59.626375"; product:"CME"; severity:"Critical"]');
    expect(ok.event).toMatchObject({ category: ['network'], start: '2026-12-07T03:10:59.626Z' });
    expect(ok.checkpoint.calc_desc).toMatch(/synchronization/);
    const bad = p('<134>1 2026-12-07T03:11:01Z cme-host CheckPoint 9002 - [alert:"cme_alerting"; origin:"10.8.0.2"; time:"1796613061"; creation_time:"not-a-timestamp"; product:"CME"]');
    expect(bad.event.start).toBeUndefined();
    expect(bad['@timestamp']).toBe('2026-12-07T03:11:01.000Z');
  });

  test('the Fields@ structured-data layout: addresses, NAT, zones, service and rule, its "--7:00" offset', () => {
    const ev = p('<85>1 2026-12-07T10:10:16--7:00 10.8.0.3 CP-GW - Log [Fields@1.3.6.1.4.1.2620 inzone="Internal" outzone="External" service_id="https" src="10.8.2.9" dst="203.0.113.10" proto="6" xlatesrc="113.160.1.9" xlatedst="" NAT_rulenum="12" user="alice" src_user_name="bob" dst_user_name="dave" dst_user_dn="sotttt" UP_match_table="TABLE_START" ROW_START="0" match_id="31" layer_name="SO Security" rule_uid="cccc-dddd" rule_name="" ROW_END="0" UP_match_table="TABLE_END" ProductName="VPN-1 & FireWall-1" svc="443" sport_svc="56530" ProductFamily="Network" ]');
    expect(ev['@timestamp']).toBe('2026-12-07T17:10:16.000Z');
    expect(ev.event.timezone).toBe('-07:00');
    expect(ev.source).toMatchObject({ ip: '10.8.2.9', nat: { ip: '113.160.1.9' } });
    expect(ev.destination.ip).toBe('203.0.113.10');
    expect(ev.observer).toMatchObject({ vendor: 'Checkpoint', ingress: { zone: 'Internal' }, egress: { zone: 'External' } });
    expect(ev.network).toMatchObject({ application: 'https', transport: 'tcp', name: 'SO Security' });
    expect(ev.rule.uuid).toBe('cccc-dddd');
    expect(ev.checkpoint).toMatchObject({ nat_rulenum: '12', match_id: '31', svc: '443' });
    expect(ev.checkpoint.up_match_table).toBeUndefined();
    expect(ev.user.name).toBe('alice');
    expect(ev.source.user.name).toBe('bob');
    expect(ev.destination.user).toEqual({ name: 'dave', domain: 'sotttt' });
  });

  test('a line cut inside its first value is partial with the vendor and header, not a pipeline error', () => {
    const ev = p('<134>1 2026-12-07T03:12:00Z gw-so CheckPoint 2201 - [action:"Acc');
    expect(ev.event.kind).not.toBe('pipeline_error');
    expect(ev.observer.vendor).toBe('Checkpoint');
    expect(ev.tags).toContain('partial');
    expect(ev['@timestamp']).toBe('2026-12-07T03:12:00.000Z');
  });
});
