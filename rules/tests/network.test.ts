import { run, iso } from './helpers';

const T0 = '2026-11-28T03:00:00Z';

/** A firewall deny as the Cisco ASA / FortiGate parsers emit it. */
function deny(sec: number, src: string, dst: string, port: number, tenant = 'so-gtvt'): Record<string, unknown> {
  return {
    '@timestamp': iso(T0, sec),
    event: { id: `deny-${sec}-${src}-${dst}-${port}`, kind: 'event', category: ['network'], type: ['connection', 'denied'], outcome: 'failure', action: 'firewall-rule', dataset: 'cisco_asa.log' },
    source: { ip: src, port: 40000 + port },
    destination: { ip: dst, port },
    network: { transport: 'tcp' },
    observer: { vendor: 'Cisco', product: 'ASA' },
    organization: { id: tenant },
  };
}

describe('port scan from firewall denies', () => {
  test('fifteen different ports from one source within a minute fire at the fifteenth', () => {
    const evs = Array.from({ length: 20 }, (_, i) => deny(i * 2, '45.33.1.1', '10.10.0.5', 1000 + i));
    expect(run(evs)).toEqual(['14:Port Scan From Firewall Denies']);
  });

  test('retries to one port, fourteen ports, or a slow scan do not', () => {
    expect(run(Array.from({ length: 40 }, (_, i) => deny(i, '45.33.1.1', '10.10.0.5', 3389)))).toEqual([]);
    expect(run(Array.from({ length: 14 }, (_, i) => deny(i, '45.33.1.1', '10.10.0.5', 20 + i)))).toEqual([]);
    expect(run(Array.from({ length: 15 }, (_, i) => deny(i * 5, '45.33.1.1', '10.10.0.5', 20 + i)))).toEqual([]);
  });

  test('allowed connections are not denies', () => {
    const evs = Array.from({ length: 20 }, (_, i) => ({ ...deny(i, '45.33.1.1', '10.10.0.5', 1000 + i), event: { category: ['network'], type: ['connection', 'start'], outcome: 'success' } }));
    expect(run(evs)).toEqual([]);
  });
});

describe('network sweep from firewall denies', () => {
  test('fifteen different hosts on one port fire', () => {
    const evs = Array.from({ length: 15 }, (_, i) => deny(i, '45.33.1.2', `10.10.0.${i + 1}`, 445));
    expect(run(evs)).toEqual(['14:Network Sweep From Firewall Denies']);
  });

  test('two agencies seeing the same scanner do not add up', () => {
    const evs = Array.from({ length: 15 }, (_, i) => deny(i, '45.33.1.2', `10.10.0.${i + 1}`, 445, i % 2 ? 'so-a' : 'so-b'));
    expect(run(evs)).toEqual([]);
  });
});
