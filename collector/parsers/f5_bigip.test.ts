import { parse } from './index';
import { f5Pairs } from './f5_bigip_security';

const ctx = { receivedAt: new Date('2026-03-15T05:00:00Z'), timezone: 'Asia/Ho_Chi_Minh' };
type Ev = Record<string, any>;
const p = (line: string, extra: Record<string, unknown> = {}): Ev => parse(line, { ...ctx, ...extra }) as Ev;
const pinned = (line: string): Ev => p(line, { dataset: 'f5_bigip.log' });

describe('F5 BIG-IP', () => {
  test('LTM pool member down: message id, level, process, the pool and the member; the BIG-IP is the observer', () => {
    const ev = p('<133>Mar 15 11:00:01 lb-dc1.agency.local notice mcpd[6312]: 01070638:5: Pool /Common/pool_portal member /Common/10.30.2.11:8080 monitor status down. [ /Common/http_portal: down; last error: No successful responses received before deadline. ]  [ was up for 2hrs:1min:4sec ]');
    expect(ev.event).toMatchObject({ dataset: 'f5_bigip.log', code: '01070638', action: 'pool-member-down', category: ['network'], type: ['change'], outcome: 'failure' });
    expect(ev.log.level).toBe('notice');
    expect(ev.process).toEqual({ name: 'mcpd', pid: 6312 });
    expect(ev.server).toEqual({ ip: '10.30.2.11', port: 8080 });
    expect(ev.f5_bigip.log.pool).toEqual({ name: '/Common/pool_portal', member: '/Common/10.30.2.11:8080', member_status: 'down' });
    expect(ev.observer).toMatchObject({ vendor: 'F5', product: 'BIG-IP', hostname: 'lb-dc1.agency.local' });
    expect(ev.host).toBeUndefined();
    const up = p('<133>Mar 15 11:02:01 lb-dc1 notice mcpd[6312]: 01070727:5: Pool /Common/pool_portal member /Common/10.30.2.11:8080 monitor status up. [ /Common/http_portal: up ]  [ was down for 0hr:2mins:0sec ]');
    expect(up.event).toMatchObject({ action: 'pool-member-up', outcome: 'success' });
    const none = p('<131>Mar 15 11:01:30 lb-dc1 err tmm1[22110]: 01010028:3: No members available for pool /Common/pool_portal');
    expect(none.event).toMatchObject({ action: 'pool-unavailable', outcome: 'failure' });
    expect(none.log.level).toBe('error');
  });

  test('configuration AUDIT records say who changed what and whether it applied; failed logins are authentication failures', () => {
    const change = p('<133>Mar 15 11:05:00 lb-dc1 notice httpd[4410]: 01070417:5: AUDIT - user admin.hai - transaction #811234-3 - object 0 - modify { ltm virtual /Common/vs_portal_443 { enabled } } [Status=Command OK]');
    expect(change.event).toMatchObject({ action: 'audit', category: ['configuration'], type: ['change'], outcome: 'success' });
    expect(change.user.name).toBe('admin.hai');
    expect(change.f5_bigip.log.audit.command).toBe('modify { ltm virtual /Common/vs_portal_443 { enabled } }');
    const fail = p('<132>Mar 15 11:06:00 lb-dc1 warning sshd(pam_audit)[7781]: 01070417:4: AUDIT - user baduser - RAW: sshd(pam_audit): User=baduser tty=ssh host=203.0.113.66 failed to login after 3 attempts (start="Sun Mar 15 11:05:40 2026" end="Sun Mar 15 11:06:00 2026").');
    expect(fail.event).toMatchObject({ action: 'login-failed', category: ['authentication'], outcome: 'failure' });
    expect(fail.user.name).toBe('baduser');
    expect(fail.source.ip).toBe('203.0.113.66');
    const pam = pinned('<131>Mar 15 11:06:10 lb-dc1 err httpd[4410]: pam_unix(httpd:auth): authentication failure; logname= uid=48 euid=48 tty= ruser= rhost=10.30.9.5  user=admin');
    expect(pam.event).toMatchObject({ action: 'login-failed', outcome: 'failure' });
    expect(pam.source.ip).toBe('10.30.9.5');
    expect(pam.user.name).toBe('admin');
  });

  test('APM access sessions: new session, username, failed authentication, the policy result, the end and its bytes', () => {
    const start = p('<133>Mar 15 11:10:00 vpn-gw notice apmd[9012]: 01490500:5: /Common/ap_vpn:Common:5e1f9a20: New session from client IP 203.0.113.80 (ST=/CC=VN/C=AS) at VIP 198.51.100.20 Listener /Common/vs_vpn_443 (Reputation=Unknown)');
    expect(start.event).toMatchObject({ code: '01490500', action: 'session-start', category: ['session', 'network'], type: ['start'] });
    expect(start.source).toMatchObject({ ip: '203.0.113.80', geo: { country_iso_code: 'VN' } });
    expect(start.destination.ip).toBe('198.51.100.20');
    expect(start.f5_bigip.log).toMatchObject({ session: { id: '5e1f9a20' }, access_profile: '/Common/ap_vpn', partition: 'Common', listener: '/Common/vs_vpn_443' });
    expect(start.observer.product).toBe('BIG-IP APM');
    const user = p('<133>Mar 15 11:10:05 vpn-gw notice apmd[9012]: 01490010:5: /Common/ap_vpn:Common:5e1f9a20: Username \'tran.b\'');
    expect(user.user.name).toBe('tran.b');
    const bad = p('<131>Mar 15 11:10:06 vpn-gw err apmd[9012]: 01490106:3: /Common/ap_vpn:Common:5e1f9a20: AD module: authentication with \'tran.b\' failed: Clients credentials have been revoked');
    expect(bad.f5_bigip.log.session.id).toBe('5e1f9a20');
    const agent = p('<131>Mar 15 11:10:06 vpn-gw err apmd[9012]: 01490017:3: /Common/ap_vpn:Common:5e1f9a20: AD agent: Auth (logon attempt:0): authenticate with \'tran.b\' failed');
    expect(agent.event).toMatchObject({ action: 'authentication-failed', outcome: 'failure' });
    expect(agent.user.name).toBe('tran.b');
    const deny = p('<133>Mar 15 11:10:07 vpn-gw notice apmd[9012]: 01490102:5: /Common/ap_vpn:Common:5e1f9a20: Access policy result: Logon_Deny');
    expect(deny.event).toMatchObject({ action: 'access-policy-result', type: ['denied'], outcome: 'failure' });
    const allow = p('<133>Mar 15 11:12:07 vpn-gw notice apmd[9012]: 01490102:5: /Common/ap_vpn:Common:77aa0b1c: Access policy result: Network_Access');
    expect(allow.event).toMatchObject({ type: ['allowed', 'start'], outcome: 'success' });
    const end = p('<133>Mar 15 12:00:00 vpn-gw notice apmd[9012]: 01490005:5: /Common/ap_vpn:Common:77aa0b1c: Session deleted due to user logout request.');
    expect(end.event).toMatchObject({ action: 'session-end', type: ['end'], reason: 'user logout request' });
    const bytes = p('<133>Mar 15 12:00:00 tmm notice tmm[15000]: 01490521:5: /Common/ap_vpn:Common:77aa0b1c: Session statistics - bytes in: 48213, bytes out: 9921344');
    expect(bytes.source.bytes).toBe(48213);
    expect(bytes.destination.bytes).toBe(9921344);
  });

  test('SSL handshake failures and iRule log lines', () => {
    const ssl = p('<132>Mar 15 11:20:00 lb-dc1 warning tmm[15000]: 01260013:4: SSL Handshake failed for TCP 203.0.113.9:51234 -> 198.51.100.10:443');
    expect(ssl.event).toMatchObject({ action: 'ssl-handshake-failed', outcome: 'failure' });
    expect(ssl.source).toMatchObject({ ip: '203.0.113.9', port: 51234 });
    expect(ssl.destination).toMatchObject({ ip: '198.51.100.10', port: 443 });
    const rule = p('<134>Mar 15 11:20:01 lb-dc1 info tmm2[15000]: Rule /Common/irule_log_host <HTTP_REQUEST>: client 10.30.5.5 asked for portal.agency.vn', { dataset: 'f5_bigip.log' });
    expect(rule.f5_bigip.log.irule).toEqual({ name: '/Common/irule_log_host', event: 'HTTP_REQUEST' });
    expect(rule.message).toBe('client 10.30.5.5 asked for portal.agency.vn');
  });

  test('ASM request records: a blocked SQL injection is an alert with the client, signature, policy and support id', () => {
    const ev = p('<131>Mar 15 11:30:00 waf-dc1 ASM:unit_hostname="waf-dc1.agency.local",management_ip_address="10.0.0.5",http_class_name="/Common/portal_policy",policy_name="/Common/portal_policy",violations="Attack signature detected,Illegal meta character in value",support_id="18205860747014045721",request_status="blocked",response_code="0",ip_client="203.0.113.9",route_domain="0",method="GET",protocol="HTTPS",query_string="id=1%27%20or%201=1--",x_forwarded_for_header_value="198.51.100.77",sig_ids="200002835",sig_names="SQL-INJ expressions like ""\' or 1 = 1"" (3)",date_time="2026-03-15 11:30:00",severity="Error",attack_type="SQL-Injection",geo_location="US",username="N/A",session_id="a1b2c3d4e5f6",src_port="51234",dest_port="443",dest_ip="198.51.100.10",uri="/search.php",violation_rating="5"');
    expect(ev['@timestamp']).toBe('2026-03-15T04:30:00.000Z');
    expect(ev.event).toMatchObject({ dataset: 'f5_bigip.log', kind: 'alert', category: ['network', 'web', 'intrusion_detection'], type: ['denied', 'access'], action: 'blocked', reason: 'Attack signature detected,Illegal meta character in value' });
    expect(ev.source).toMatchObject({ ip: '203.0.113.9', port: 51234, geo: { country_iso_code: 'US' } });
    expect(ev.destination).toMatchObject({ ip: '198.51.100.10', port: 443 });
    expect(ev.rule).toEqual({ id: '200002835', name: 'SQL-INJ expressions like "\' or 1 = 1" (3)', ruleset: '/Common/portal_policy' });
    expect(ev.url).toMatchObject({ path: '/search.php', query: 'id=1%27%20or%201=1--' });
    expect(ev.http.request.method).toBe('GET');
    expect(ev.user).toBeUndefined();
    expect(ev.f5_bigip.log).toMatchObject({ support: { id: '18205860747014045721' }, attack: { type: 'SQL-Injection' }, violation_rating: 5, request: { x_forwarded_for: '198.51.100.77' } });
    expect(ev.observer).toMatchObject({ product: 'BIG-IP ASM', type: 'waf', hostname: 'waf-dc1.agency.local', ip: ['10.0.0.5'] });
    expect(ev.related.ip).toEqual(expect.arrayContaining(['203.0.113.9', '198.51.100.10', '198.51.100.77']));
    const passed = p('<134>Mar 15 11:30:01 waf-dc1 ASM:unit_hostname="waf-dc1",management_ip_address="10.0.0.5",policy_name="/Common/portal_policy",violations="",support_id="18205860747014045722",request_status="passed",response_code="200",ip_client="10.30.5.5",method="POST",protocol="HTTPS",date_time="2026-03-15 11:30:01",severity="Informational",src_port="50000",dest_port="443",dest_ip="198.51.100.10",uri="/login"');
    expect(passed.event).toMatchObject({ kind: 'event', type: ['allowed', 'access'] });
    expect(passed.http.response.status_code).toBe(200);
  });

  test('AFM records: a rule drop is denied with the rule and policy; a DoS detection is an alert; route domains are stripped', () => {
    const drop = p('<134>Mar 15 11:40:00 fw-edge info tmm[15000]: acl_policy_name="/Common/edge_policy",acl_policy_type="Enforced",acl_rule_name="deny_ssh_from_internet",action="Drop",hostname="fw-edge.agency.local",bigip_mgmt_ip="10.0.0.6",context_name="/Common/vs_any",context_type="Virtual Server",date_time="Mar 15 2026 11:40:00",dest_ip="198.51.100.30%2",dest_port="22",device_product="Advanced Firewall Module",drop_reason="Policy",errdefs_msgno="23003137",errdefs_msg_name="Network Event",flow_id="0000000000000000",ip_protocol="TCP",severity="8",partition_name="Common",route_domain="2",source_ip="203.0.113.50%2",source_port="40001",src_geo="CN",vlan="/Common/external"');
    expect(drop['@timestamp']).toBe('2026-03-15T04:40:00.000Z');
    expect(drop.event).toMatchObject({ kind: 'event', code: '23003137', action: 'drop', type: ['connection', 'denied'], reason: 'Policy', severity: 8 });
    expect(drop.source).toMatchObject({ ip: '203.0.113.50', port: 40001, geo: { country_iso_code: 'CN' } });
    expect(drop.destination).toMatchObject({ ip: '198.51.100.30', port: 22 });
    expect(drop.network.transport).toBe('tcp');
    expect(drop.rule).toEqual({ name: 'deny_ssh_from_internet', ruleset: '/Common/edge_policy' });
    expect(drop.observer).toMatchObject({ product: 'BIG-IP AFM', type: 'firewall', hostname: 'fw-edge.agency.local', ingress: { interface: { name: '/Common/external' } } });
    const dos = p('<132>Mar 15 11:41:00 fw-edge warning tmm[15000]: action="Drop",hostname="fw-edge",bigip_mgmt_ip="10.0.0.6",date_time="Mar 15 2026 11:41:00",dest_ip="198.51.100.30",dest_port="53",dos_attack_event="Attack Sampled",dos_attack_id="3011229051",dos_attack_name="DNS A query flood",dos_packets_dropped="1200",dos_packets_received="5000",errdefs_msgno="23003138",errdefs_msg_name="Network DoS Event",severity="4",source_ip="203.0.113.51",source_port="5353"');
    expect(dos.event).toMatchObject({ kind: 'alert', category: ['network', 'intrusion_detection'] });
    expect(dos.rule.name).toBe('DNS A query flood');
    expect(dos.f5_bigip.log.dos).toMatchObject({ attack_id: '3011229051', packets_dropped: 1200 });
  });

  test('key="value" pairs: commas, doubled quotes, empty values', () => {
    expect(f5Pairs('a="1",b="say ""hi""",c="",d="x,y"')).toEqual({ a: '1', b: 'say "hi"', c: '', d: 'x,y' });
  });

  test('truncated and garbled BIG-IP lines keep header, dataset and vendor, tagged partial', () => {
    const cut = pinned('<133>Mar 15 11:50:00 lb-dc1 notice mcpd[6312]: 01070638:5: Pool /Common/pool_portal member /Common/10.30');
    expect(cut.event).toMatchObject({ kind: 'event', dataset: 'f5_bigip.log', code: '01070638' });
    expect(cut.server).toBeUndefined();
    const asmCut = pinned('<131>Mar 15 11:50:01 waf-dc1 ASM:unit_hostname="waf-dc1",ip_client="203.0.113.9",violations="Attack sig');
    expect(asmCut.event.kind).not.toBe('pipeline_error');
    expect(asmCut.observer).toMatchObject({ vendor: 'F5' });
    const empty = pinned('<133>Mar 15 11:50:02 lb-dc1 ');
    expect(empty.tags).toContain('partial');
    expect(empty.observer).toMatchObject({ vendor: 'F5', product: 'BIG-IP' });
    const noLevel = pinned('<133>Mar 15 11:50:03 lb-dc1 ### garbled ###');
    expect(noLevel.tags).toContain('partial');
    expect(noLevel.error.message).toMatch(/f5_bigip: a BIG-IP line needs "level process\[pid\]: "/);
  });
});
