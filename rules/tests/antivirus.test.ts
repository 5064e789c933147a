import { run, iso } from './helpers';

const T0 = '2026-11-28T06:00:00Z';

/** An antivirus detection as the CEF / FortiGate parsers emit it. */
function detection(sec: number, host: string, malware: string, action: string, tenant = 'so-tc'): Record<string, unknown> {
  return {
    '@timestamp': iso(T0, sec),
    event: { id: `av-${sec}-${host}`, kind: 'alert', category: ['malware'], type: ['info'], action, dataset: 'cef.log', severity: 8 },
    rule: { name: malware },
    threat: { software: { name: malware } },
    file: { path: `C:\\Users\\canbo\\Downloads\\hoadon_${sec}.exe`, name: `hoadon_${sec}.exe` },
    host: { hostname: host },
    organization: { id: tenant },
  };
}

describe('antivirus detection left uncleaned', () => {
  test.each(['Detected', 'Left alone', 'Clean failed, file left', 'Quarantine error', 'None'])('action %s fires', (action) => {
    expect(run([detection(0, 'pc-ketoan-01', 'Trojan.Win32.Agent', action)])).toEqual(['0:Antivirus Detection Left Uncleaned']);
  });

  test.each(['Quarantined', 'Deleted', 'Cleaned', 'blocked', 'Removed'])('action %s does not', (action) => {
    expect(run([detection(0, 'pc-ketoan-01', 'Trojan.Win32.Agent', action)])).toEqual([]);
  });

  test('a non-malware event with the same action does not', () => {
    const e = detection(0, 'pc-ketoan-01', 'x', 'Detected');
    (e.event as Record<string, unknown>).category = ['network'];
    expect(run([e])).toEqual([]);
  });
});

describe('malware outbreak', () => {
  test('the same malware on three hosts within an hour fires at the third host', () => {
    const evs = [detection(0, 'pc-01', 'Worm.Win32.Conficker', 'Quarantined'), detection(600, 'pc-01', 'Worm.Win32.Conficker', 'Quarantined'), detection(1200, 'pc-02', 'Worm.Win32.Conficker', 'Quarantined'), detection(3000, 'pc-03', 'Worm.Win32.Conficker', 'Quarantined')];
    expect(run(evs)).toEqual(['3:Malware Outbreak']);
  });

  test('different malware on three hosts, or the same malware over more than an hour, does not', () => {
    expect(run([detection(0, 'pc-01', 'A', 'Quarantined'), detection(1, 'pc-02', 'B', 'Quarantined'), detection(2, 'pc-03', 'C', 'Quarantined')])).toEqual([]);
    expect(run([detection(0, 'pc-01', 'A', 'Quarantined'), detection(1800, 'pc-02', 'A', 'Quarantined'), detection(3601, 'pc-03', 'A', 'Quarantined')])).toEqual([]);
  });

  test('hosts of different agencies do not make an outbreak', () => {
    expect(run([detection(0, 'pc-01', 'A', 'Quarantined', 'so-a'), detection(1, 'pc-02', 'A', 'Quarantined', 'so-b'), detection(2, 'pc-03', 'A', 'Quarantined', 'so-c')])).toEqual([]);
  });
});
