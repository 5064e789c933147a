import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'Asia/Ho_Chi_Minh', sourceIp: '10.40.0.2' };
const p = (line: string, extra = {}) => parse(line, { ...ctx, ...extra }) as Record<string, any>;

describe('Microsoft DHCP Server audit log', () => {
  test('a new lease ties the address to the machine and its MAC at the server\'s local time', () => {
    const ev = p('10,03/14/26,09:15:01,Assign,10.40.2.15,PC-KETOAN-03.so.local,A1B2C3D4E5F6,,123456789,0,,,,0x4D53465420352E30,MSFT 5.0,,,,0');
    expect(ev.event).toMatchObject({ dataset: 'microsoft_dhcp.log', code: '10', action: 'dhcp-new', category: ['network'], type: ['allowed', 'connection'], outcome: 'success' });
    expect(ev['@timestamp']).toBe('2026-03-14T02:15:01.000Z');
    expect(ev.source).toMatchObject({ ip: '10.40.2.15', domain: 'pc-ketoan-03.so.local', mac: 'A1-B2-C3-D4-E5-F6' });
    expect(ev.message).toBe('Assign');
    expect(ev.microsoft.dhcp).toMatchObject({ transaction_id: '123456789', result: '0', result_description: 'NoQuarantine', vendor: { hex: '0x4D53465420352E30', string: 'MSFT 5.0' }, dns_error_code: '0' });
    expect(ev.observer).toMatchObject({ vendor: 'Microsoft', product: 'DHCP Server' });
  });

  test.each([
    ['15', 'NACK', 'dhcp-deny', ['connection', 'denied'], 'failure'],
    ['14', 'Scope Full', 'dhcp-pool-exhausted', ['connection', 'denied'], 'failure'],
    ['54', 'Unauthorized', 'rogue-server-detection', ['connection', 'denied'], 'failure'],
    ['31', 'DNS Update Failed', 'dhcp-dns-update', ['connection'], 'failure'],
    ['12', 'Release', 'dhcp-release', ['allowed', 'connection'], 'success'],
  ])('event id %s (%s) is %s', (code, text, action, type, outcome) => {
    const ev = p(`${code},03/14/26,09:16:00,${text},10.40.2.16,pc2.so.local,00155D010203,,42,0,,,,,,,,,0`);
    expect(ev.event).toMatchObject({ code, action, type, outcome });
  });

  test('a server event without a client, the file\'s header when the source is pinned, and a cut row', () => {
    const start = p('00,03/14/26,00:00:01,Started,,,,,0,6,,,,,,,,,0');
    expect(start.event).toMatchObject({ action: 'log-start', category: ['process'] });
    expect(start.source).toBeUndefined();
    const header = p('Microsoft DHCP Service Activity Log', { format: 'microsoft_dhcp' });
    expect(header.event.kind).toBe('event');
    expect(header.event.dataset).toBe('microsoft_dhcp.log');
    const cut = p('11,03/14/26,09:17:00,Renew,10.40.2.17', { dataset: 'microsoft_dhcp.log' });
    expect(cut.event).toMatchObject({ action: 'dhcp-renew', dataset: 'microsoft_dhcp.log' });
    expect(cut.source.ip).toBe('10.40.2.17');
    const garbled = p('1x,03/14/26,09:17:00,Renew', { dataset: 'microsoft_dhcp.log' });
    expect(garbled.error.message).toMatch(/DHCP server log row/);
  });
});
