import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:10:00Z'), timezone: 'UTC' };
const p = (line: string, extra = {}) => parse(line, { ...ctx, ...extra }) as Record<string, any>;

describe('Kaspersky Security Center syslog export', () => {
  test('a detection names the managed computer, the object, the user and the malware; the KSC server is the observer', () => {
    const ev = p('<132>1 2026-03-15T04:05:00.000Z ksc-srv KES - GNRL_EV_OBJECT_QUARANTINED [event@23668 et="GNRL_EV_OBJECT_QUARANTINED" hdn="PC-TAICHINH-04" hip="10.40.7.4" gn="Tai chinh"] Result: Quarantined: Trojan-Ransom.Win32.Agent.b\\r\\nUser: SO\\\\thuquy\\r\\nObject: C:\\Users\\thuquy\\Desktop\\bang_luong.xlsm');
    expect(ev.event).toMatchObject({ kind: 'alert', category: ['malware'], code: 'GNRL_EV_OBJECT_QUARANTINED', action: 'quarantined', dataset: 'kaspersky_ksc.log' });
    expect(ev.host).toMatchObject({ hostname: 'PC-TAICHINH-04', ip: ['10.40.7.4'] });
    expect(ev.observer).toMatchObject({ vendor: 'Kaspersky', hostname: 'ksc-srv' });
    expect(ev.file).toMatchObject({ path: 'C:\\Users\\thuquy\\Desktop\\bang_luong.xlsm', name: 'bang_luong.xlsm' });
    expect(ev.user).toMatchObject({ name: 'thuquy', domain: 'SO' });
    expect(ev.kaspersky.ksc.gn).toBe('Tai chinh');
  });

  test('the key=value form and a non-detection event (an agent that stopped reporting)', () => {
    const ev = p('<134>Mar 15 04:06:00 ksc-srv KSC: et=KLSRV_HOST_STATUS_CRITICAL hdn=PC-VANTHU-02 hip=10.40.7.9 gn=Van_thu');
    expect(ev.event).toMatchObject({ kind: 'event', code: 'KLSRV_HOST_STATUS_CRITICAL', category: ['host'] });
    expect(ev.host.hostname).toBe('PC-VANTHU-02');
    expect(ev.observer.hostname).toBe('ksc-srv');
  });

  test('a pinned line without KSC fields says what it needed', () => {
    const ev = p('<134>Mar 15 04:06:00 ksc-srv KSC: hdn=PC-1 (line cut', { format: 'kaspersky_ksc' });
    expect(ev.error.message).toMatch(/KSC event needs/);
    expect(ev.event.original).toContain('line cut');
  });
});
