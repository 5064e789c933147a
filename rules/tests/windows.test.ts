import { run, iso } from './helpers';

const T0 = '2026-11-28T02:00:00Z';

/** A Security 4625 as Winlogbeat ships it (winlog.* raw names) after canhgac's normalization. */
function failed4625(sec: number, ip: string, user: string, tenant = 'so-noivu'): Record<string, unknown> {
  return {
    '@timestamp': iso(T0, sec),
    event: { id: `4625-${sec}-${ip}-${user}`, code: '4625', kind: 'event', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'logon-failed', provider: 'Microsoft-Windows-Security-Auditing' },
    winlog: { channel: 'Security', event_id: '4625', provider_name: 'Microsoft-Windows-Security-Auditing', computer_name: 'dc01.noivu.local', event_data: { TargetUserName: user, TargetDomainName: 'NOIVU', LogonType: '3', IpAddress: ip, IpPort: '51234', Status: '0xc000006d', SubStatus: '0xc000006a' } },
    source: { ip },
    user: { name: user },
    host: { hostname: 'dc01' },
    organization: { id: tenant },
  };
}

describe('Windows logon brute force', () => {
  test('ten failures from one address within five minutes fire at the tenth', () => {
    const evs = Array.from({ length: 12 }, (_, i) => failed4625(i * 20, '198.51.100.20', 'administrator'));
    expect(run(evs)).toEqual(['9:Windows Logon Brute Force']);
  });

  test('nine failures, local logons, or another channel do not', () => {
    expect(run(Array.from({ length: 9 }, (_, i) => failed4625(i, '198.51.100.20', 'administrator')))).toEqual([]);
    expect(run(Array.from({ length: 12 }, (_, i) => failed4625(i, '-', 'administrator')))).toEqual([]);
    const system = Array.from({ length: 12 }, (_, i) => {
      const e = failed4625(i, '198.51.100.20', 'administrator');
      (e.winlog as Record<string, unknown>).channel = 'System';
      return e;
    });
    expect(run(system)).toEqual([]);
  });

  test('Winlogbeat events without ECS source.ip still group by the raw IpAddress', () => {
    const evs = Array.from({ length: 10 }, (_, i) => {
      const e = failed4625(i, '198.51.100.21', 'svc');
      delete e.source;
      return e;
    });
    expect(run(evs)).toEqual(['9:Windows Logon Brute Force']);
  });
});

describe('Windows password spraying', () => {
  test('five accounts from one address within ten minutes fire', () => {
    const users = ['lan.nguyen', 'minh.tran', 'hoa.le', 'tuan.pham', 'thu.vo'];
    expect(run(users.map((u, i) => failed4625(i * 60, '203.0.113.50', u)))).toEqual(['4:Windows Password Spraying']);
  });

  test('four accounts, or five spread over more than ten minutes, do not', () => {
    const users = ['lan.nguyen', 'minh.tran', 'hoa.le', 'tuan.pham', 'thu.vo'];
    expect(run(users.slice(0, 4).map((u, i) => failed4625(i, '203.0.113.50', u)))).toEqual([]);
    expect(run(users.map((u, i) => failed4625(i * 151, '203.0.113.50', u)))).toEqual([]);
  });
});
