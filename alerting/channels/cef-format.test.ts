import type { Alert, Incident } from '../../core/model';
import { parse } from '../../collector/parsers';
import { CEF_SEVERITY, attackTechniques, escapeCefHeader, escapeCefValue, formatCef, formatSyslog, syslogTimestamp } from './cef-format';

const alert: Alert = {
  id: 'a1b2c3',
  '@timestamp': '2026-12-07T09:15:02.345Z',
  created: '2026-12-07T09:15:03.000Z',
  tenant: 'so-yte',
  rule: { id: 'ssh-brute-force', title: 'Dò mật khẩu SSH | brute force', level: 'high', tags: ['attack.credential_access', 'attack.t1110.001', 'attack.T1021'], references: [] },
  kind: 'correlation',
  severity: 'high',
  groupKey: 'source_ip=203.0.113.7',
  groupBy: null,
  eventIds: ['e1'],
  summary: { source_ip: '203.0.113.7', destination_ip: '10.30.0.5', user: 'root', host: 'web-01' },
  incidentId: 'inc-42',
};
const event = { sourcePort: 4242, destinationPort: 22, sourceUser: 'attacker', destinationHost: 'web-01.soyte.gov.vn', action: 'denied' };
const opts = { hostname: 'soc-canhgac', version: '0.1.0' };

describe('escaping per the CEF standard', () => {
  test('header fields escape backslash and pipe, and a line break becomes a space', () => {
    expect(escapeCefHeader('a|b\\c')).toBe('a\\|b\\\\c');
    expect(escapeCefHeader('one\ntwo')).toBe('one two');
    expect(escapeCefHeader('x=y')).toBe('x=y');
  });
  test('extension values escape backslash, equals sign and line breaks; a pipe stays', () => {
    expect(escapeCefValue('C:\\Windows\\a=b|c')).toBe('C:\\\\Windows\\\\a\\=b|c');
    expect(escapeCefValue('line1\r\nline2')).toBe('line1\\r\\nline2');
  });
});

test('the header carries vendor, product, version, rule id, title and severity 0-10', () => {
  const line = formatCef({ kind: 'alert', alert, event }, opts);
  expect(line.startsWith('CEF:0|canhgac|canhgac|0.1.0|ssh-brute-force|Dò mật khẩu SSH \\| brute force|8|')).toBe(true);
  expect(line).toContain('src=203.0.113.7 spt=4242 dst=10.30.0.5 dpt=22 suser=attacker duser=root dhost=web-01.soyte.gov.vn act=denied');
  expect(line).not.toContain('cs4'); // no malware: neither the value nor its label
  expect(line).not.toContain('shost='); // no source host known: the key is left out, not sent empty
  expect(line).toContain('cs1Label=agency cs1=so-yte cs2Label=incident cs2=inc-42 cs3Label=attack_techniques cs3=T1110.001,T1021');
  expect(line).toContain('externalId=a1b2c3 deviceExternalId=soc-canhgac');
  expect(line).toContain('rt=1796634902345');
});

test('severity mapping: informational 1, low 3, medium 5, high 8, critical 10; syslog PRI from the same severity', () => {
  expect(CEF_SEVERITY).toEqual({ informational: 1, low: 3, medium: 5, high: 8, critical: 10 });
  const pri = (s: Alert['severity']) => Number(/^<(\d+)>1 /.exec(formatSyslog({ kind: 'alert', alert: { ...alert, severity: s } }, { ...opts, format: 'cef' }))![1]);
  // facility 4 (security/authorization) × 8 + crit 2, err 3, warning 4, notice 5, info 6
  expect(['critical', 'high', 'medium', 'low', 'informational'].map((s) => pri(s as Alert['severity']))).toEqual([34, 35, 36, 37, 38]);
});

test('the RFC 5424 header has a timestamp with milliseconds and offset, the hostname, app-name canhgac and a msgid', () => {
  const msg = formatSyslog({ kind: 'alert', alert, event }, { ...opts, format: 'cef' }, new Date('2026-12-07T09:15:03.007Z'));
  expect(msg).toMatch(/^<35>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d soc-canhgac canhgac - alert - CEF:0\|/);
  expect(Date.parse(syslogTimestamp(new Date('2026-12-07T09:15:03.007Z')))).toBe(Date.parse('2026-12-07T09:15:03.007Z'));
});

test('Vietnamese text stays UTF-8 and values with =, \\ and newlines survive', () => {
  const tricky: Alert = { ...alert, summary: { ...alert.summary, user: 'Nguyễn Văn Đức=admin\\x\nnext' } };
  const line = formatCef({ kind: 'alert', alert: tricky }, opts);
  expect(line).toContain('duser=Nguyễn Văn Đức\\=admin\\\\x\\nnext');
  expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
  expect(line.includes('\n')).toBe(false); // one message, one line
});

test('ATT&CK techniques are read from the rule tags', () => {
  expect(attackTechniques(['attack.t1110', 'attack.T1110', 'attack.lateral_movement', 'attack.t1059.001', 'cve.2021-44228'])).toEqual(['T1110', 'T1059.001']);
});

describe('round trip: what canhgac forwards, canhgac parses back', () => {
  const ctx = { receivedAt: new Date('2026-12-07T09:15:04Z') };
  test('an alert arrives with the same rule, addresses, ports, users and agency', () => {
    const tricky: Alert = { ...alert, summary: { ...alert.summary, user: 'Trần Thị Bình=x\\y' } };
    const ev = parse(formatSyslog({ kind: 'alert', alert: tricky, event }, { ...opts, format: 'cef' }), ctx) as unknown as Record<string, any>;
    expect(ev.event.dataset).toBe('cef.log');
    expect(ev.event.code).toBe('ssh-brute-force');
    expect(ev.cef.name).toBe('Dò mật khẩu SSH | brute force');
    expect(ev.event.severity).toBe(8);
    expect(ev.source).toMatchObject({ ip: '203.0.113.7', port: 4242 });
    expect(ev.destination).toMatchObject({ ip: '10.30.0.5', port: 22, domain: 'web-01.soyte.gov.vn' });
    expect(ev.source.user.name).toBe('attacker');
    expect(ev.destination.user.name).toBe('Trần Thị Bình=x\\y');
    expect(ev.event.action).toBe('denied');
    expect(ev.cef.extensions).toMatchObject({ deviceCustomString1Label: 'agency', deviceCustomString1: 'so-yte', deviceCustomString2: 'inc-42', deviceCustomString3: 'T1110.001,T1021', externalId: 'a1b2c3' });
    expect(ev['@timestamp']).toBe('2026-12-07T09:15:02.345Z');
    expect(ev.observer).toMatchObject({ vendor: 'canhgac', product: 'canhgac', version: '0.1.0' });
  });
  test('an incident opening arrives with its id, count and agency', () => {
    const incident = {
      id: 'inc-42', tenant: 'so-gd', rule: alert.rule, severity: 'critical', status: 'new', groupKey: 'k', title: 'Tấn công dò mật khẩu', summary: { source_ip: '198.51.100.9', host: 'mail' },
      count: 17, first_seen: '2026-12-07T09:00:00.000Z', last_seen: '2026-12-07T09:15:00.000Z', created: '2026-12-07T09:00:01.000Z', updated: '2026-12-07T09:15:01.000Z', version: 3,
    } as Incident;
    const ev = parse(formatSyslog({ kind: 'incident', incident, change: 'opened' }, { ...opts, format: 'cef' }), ctx) as unknown as Record<string, any>;
    expect(ev.cef.name).toBe('Tấn công dò mật khẩu');
    expect(ev.event.severity).toBe(10);
    expect(ev.source.ip).toBe('198.51.100.9');
    expect(ev.cef.extensions).toMatchObject({ baseEventCount: 17, deviceCustomString1: 'so-gd', deviceCustomString2: 'inc-42', deviceEventCategory: 'incident/opened', externalId: 'inc-42:opened' });
    expect(ev.event.start).toBe('2026-12-07T09:00:00.000Z');
  });
  test('format json puts the alert as one JSON object in the MSG', () => {
    const msg = formatSyslog({ kind: 'alert', alert, event }, { ...opts, format: 'json' });
    const body = JSON.parse(msg.slice(msg.indexOf(' - alert - ') + ' - alert - '.length));
    expect(body).toMatchObject({ type: 'alert', alert: { id: 'a1b2c3', tenant: 'so-yte', rule: { id: 'ssh-brute-force' } }, event: { destinationPort: 22 } });
  });
});
