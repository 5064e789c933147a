import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z') };

describe('Zeek JSON', () => {
  test('dns with dotted id keys: question, answers and resolved addresses', () => {
    const line = JSON.stringify({ ts: 1773457200.25, uid: 'CAbc1', 'id.orig_h': '10.1.1.5', 'id.orig_p': 5353, 'id.resp_h': '10.0.0.53', 'id.resp_p': 53, proto: 'udp', trans_id: 4242, query: 'evil.example', qtype_name: 'A', rcode_name: 'NOERROR', answers: ['cdn.evil.example', '198.51.100.8'], TTLs: [60.0, 30.0] });
    const ev = parse(line, ctx) as Record<string, any>;
    expect(ev['@timestamp']).toBe('2026-03-14T03:00:00.250Z');
    expect(ev.event.dataset).toBe('zeek.dns');
    expect(ev.dns).toMatchObject({ question: { name: 'evil.example', type: 'A' }, response_code: 'NOERROR', id: '4242', resolved_ip: ['198.51.100.8'] });
    expect(ev.source).toMatchObject({ ip: '10.1.1.5', port: 5353 });
    expect(ev.zeek.session_id).toBe('CAbc1');
    expect(ev.related.ip).toEqual(expect.arrayContaining(['10.1.1.5', '10.0.0.53', '198.51.100.8']));
  });

  test('a notice is an alert with the note as the rule', () => {
    const ev = parse({ ts: 1773457300, note: 'SSH::Password_Guessing', msg: '198.51.100.9 appears to be guessing SSH passwords (seen in 30 connections).', src: '198.51.100.9', dropped: false }, { ...ctx, dataset: 'zeek.notice' }) as Record<string, any>;
    expect(ev.event).toMatchObject({ kind: 'alert', category: ['intrusion_detection'], dataset: 'zeek.notice' });
    expect(ev.rule.name).toBe('SSH::Password_Guessing');
    expect(ev.source.ip).toBe('198.51.100.9');
  });

  test('conn with nested id, duration and local flags', () => {
    const ev = parse({ ts: 1773457400, uid: 'C2', id: { orig_h: '10.1.1.5', orig_p: 50000, resp_h: '203.0.113.9', resp_p: 443 }, proto: 'tcp', service: 'ssl', duration: 1.5, orig_bytes: 100, resp_bytes: 2000, conn_state: 'SF', local_orig: true, local_resp: false }, ctx) as Record<string, any>;
    expect(ev.event.dataset).toBe('zeek.conn');
    expect(ev.event.duration).toBe(1.5e9);
    expect(ev.network).toMatchObject({ transport: 'tcp', protocol: 'ssl', direction: 'outbound' });
    expect(ev.destination).toMatchObject({ ip: '203.0.113.9', port: 443, bytes: 2000 });
  });
});
