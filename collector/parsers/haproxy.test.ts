import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'UTC', dataset: 'haproxy.log' };
const p = (line: string) => parse(line, ctx) as Record<string, any>;

describe('HAProxy log formats', () => {
  test('the default format (no httplog/tcplog option) gives both ends, the frontend and its mode', () => {
    const ev = p('Mar 14 08:00:01 edge-lb haproxy[3101]: Connect from 198.51.100.23:51515 to 10.20.0.5:8443 (public_tls/TCP)');
    expect(ev.event).toMatchObject({ kind: 'event', category: ['web', 'network'], type: ['connection'] });
    expect(ev.source).toMatchObject({ ip: '198.51.100.23', port: 51515 });
    expect(ev.destination).toMatchObject({ ip: '10.20.0.5', port: 8443 });
    expect(ev.haproxy).toEqual({ frontend_name: 'public_tls', mode: 'TCP', source: 'edge-lb' });
    expect(ev.process).toMatchObject({ name: 'haproxy', pid: 3101 });
  });

  test('a TCP log line carries the connection counts and queues', () => {
    const ev = p('Mar 14 08:00:02 edge-lb haproxy[3101]: 10.1.1.9:40100 [14/Mar/2026:08:00:02.120] db_in db_pool/pg2 2/0/4000 1480 -- 7/6/3/2/1 4/5');
    expect(ev.haproxy).toMatchObject({
      frontend_name: 'db_in', backend_name: 'db_pool', server_name: 'pg2', bytes_read: 1480, termination_state: '--',
      connections: { active: 7, frontend: 6, backend: 3, server: 2, retries: 1 }, server_queue: 4, backend_queue: 5, source: 'edge-lb',
    });
    expect(ev.event.duration).toBe(4000e6);
  });

  test('a line whose syslog header was cut to the tag still names the process', () => {
    const ev = p('haproxy[77]: 10.1.1.9:40101 [14/Mar/2026:08:00:03.000] db_in db_pool/pg1 0/0/10 60 CD 1/1/1/1/0 0/0');
    expect(ev.process).toMatchObject({ name: 'haproxy', pid: 77 });
    expect(ev.source.ip).toBe('10.1.1.9');
    expect(ev.haproxy.connections.retries).toBe(0);
  });

  test('a truncated line on a pinned source says what it needed, and the line is kept', () => {
    const ev = p('Mar 14 08:00:04 edge-lb haproxy[3101]: Connect from 198.51.100.23:515');
    expect(ev.event.kind).not.toBe('alert');
    expect(ev.error.message).toMatch(/Connect from/);
    expect(ev.event.original).toContain('Connect from 198.51.100.23:515');
  });
});
