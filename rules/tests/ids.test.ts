import { run } from './helpers';

/** A Suricata alert as the collector's suricata parser emits it. */
function suricata(severity: number, dataset = 'suricata.eve'): Record<string, unknown> {
  return {
    '@timestamp': '2026-11-28T05:00:00.000Z',
    event: { id: `ids-${severity}-${dataset}`, kind: 'alert', category: ['network', 'intrusion_detection'], type: ['allowed'], outcome: 'success', severity, dataset, module: 'suricata' },
    rule: { id: '2024897', name: 'ET EXPLOIT Apache Struts RCE', category: 'Attempted Administrator Privilege Gain' },
    source: { ip: '185.220.101.4', port: 44321 },
    destination: { ip: '10.20.0.8', port: 80 },
    organization: { id: 'so-tnmt' },
  };
}

describe('high severity IDS alert', () => {
  test('a Suricata priority 1 alert fires', () => {
    expect(run([suricata(1)])).toEqual(['0:High Severity IDS Alert']);
  });

  test('priority 2 and 3 alerts do not', () => {
    expect(run([suricata(2), suricata(3)])).toEqual([]);
  });

  test('a sensor that reports its level as critical fires; one that says medium does not', () => {
    const pan = (level: string): Record<string, unknown> => ({ ...suricata(5, 'panw.panos'), log: { level } });
    expect(run([pan('critical')])).toEqual(['0:High Severity IDS Alert']);
    expect(run([pan('medium')])).toEqual([]);
  });

  test('a severity-1 event that is not an alert does not', () => {
    const flow = suricata(1);
    (flow.event as Record<string, unknown>).kind = 'event';
    expect(run([flow])).toEqual([]);
  });
});
