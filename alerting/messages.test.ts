import { formatTime, incidentLink, renderDigest, renderIncident, renderIncidentText } from './messages';
import { sampleIncident } from './testing';
import { ZALO_TEXT_LIMIT } from './channels/zalo';

const consoleUrl = 'https://soc.tinh.gov.vn/';

describe('incident messages', () => {
  test('Vietnamese by default: severity, title and agency in the subject; what, where, how bad, how many, when, author and link in the body', () => {
    const m = renderIncident(sampleIncident(), { consoleUrl, agencyName: 'Sở X' });
    expect(m.subject).toBe('[CAO] Tấn công dò mật khẩu SSH — Sở X');
    expect(m.body).toContain('Sự việc: SSH brute force — Many failed SSH logins from one source address');
    expect(m.body).toContain('Vị trí: đơn vị Sở X (so-x); máy web-01; địa chỉ nguồn 203.0.113.7; người dùng root');
    expect(m.body).toContain('Mức độ: CAO (high)');
    expect(m.body).toContain('Số lần: 12');
    // 07:05:03Z is 14:05:03 in Vietnam (UTC+7)
    expect(m.body).toContain('Lần đầu: 14:05:03 28/11/2026 (giờ Việt Nam)');
    expect(m.body).toContain('Lần cuối: 14:09:41 28/11/2026 (giờ Việt Nam)');
    expect(m.body).toContain('tác giả: Florian Roth (Nextron Systems)');
    expect(m.body).toContain('Mở sự cố: https://soc.tinh.gov.vn/#/incidents/inc-1');
  });

  test('English on request', () => {
    const m = renderIncident(sampleIncident({ severity: 'critical', title: 'SSH brute force' }), { consoleUrl, agencyName: 'Department X', language: 'en' });
    expect(m.subject).toBe('[CRITICAL] SSH brute force — Department X');
    expect(m.body).toContain('Where: agency Department X (so-x); host web-01; source address 203.0.113.7; user root');
    expect(m.body).toContain('First seen: 2026-11-28 14:05:03 (Vietnam time)');
    expect(m.body).toContain('Count: 12');
    expect(m.body).toContain('author: Florian Roth (Nextron Systems)');
    expect(m.body).toContain('Open the incident: https://soc.tinh.gov.vn/#/incidents/inc-1');
  });

  test('an escalation says so in the subject and states how long it went unacknowledged', () => {
    const vi = renderIncident(sampleIncident(), { consoleUrl, agencyName: 'Sở X', reason: 'escalation', escalationMinutes: 30 });
    expect(vi.subject).toBe('[LEO THANG] [CAO] Tấn công dò mật khẩu SSH — Sở X');
    expect(vi.body.split('\n')[0]).toBe('Sự cố chưa được xác nhận sau 30 phút.');
    const en = renderIncident(sampleIncident(), { consoleUrl, language: 'en', reason: 'escalation', escalationMinutes: 15 });
    expect(en.subject.startsWith('[ESCALATION] [HIGH]')).toBe(true);
    expect(en.body).toContain('Not acknowledged after 15 minutes.');
  });

  test('values from logs cannot forge lines or headers', () => {
    const m = renderIncident(sampleIncident({ title: 'x\r\nBcc: victim@example.com', summary: { user: 'root\nMức độ: THẤP' } }), { consoleUrl });
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.body.split('\n').filter((l) => l.startsWith('Mức độ:'))).toEqual(['Mức độ: CAO (high)']);
  });

  test('without an agency name or author the id and "unknown" are shown', () => {
    const inc = sampleIncident();
    inc.rule = { ...inc.rule, author: undefined };
    const m = renderIncident(inc, { consoleUrl });
    expect(m.subject).toBe('[CAO] Tấn công dò mật khẩu SSH — so-x');
    expect(m.body).toContain('tác giả: không rõ');
  });

  test('the Zalo text fits the limit and keeps the headline and the link even with a huge description', () => {
    const inc = sampleIncident();
    inc.rule = { ...inc.rule, description: 'Mô tả rất dài. '.repeat(500) };
    const text = renderIncidentText(inc, { consoleUrl, agencyName: 'Sở X' });
    expect(Array.from(text).length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
    expect(text.split('\n')[0]).toBe('[CAO] Tấn công dò mật khẩu SSH — Sở X');
    expect(text.endsWith('Mở sự cố: https://soc.tinh.gov.vn/#/incidents/inc-1')).toBe(true);
    expect(text).toContain('Số lần: 12');
    // a tight limit still keeps headline and link
    const tight = renderIncidentText(inc, { consoleUrl }, 200);
    expect(Array.from(tight).length).toBeLessThanOrEqual(200);
    expect(tight.endsWith('#/incidents/inc-1')).toBe(true);
  });

  test('times are Vietnam time and links escape the id', () => {
    expect(formatTime('2026-12-31T17:30:00Z', 'vi')).toBe('00:30:00 01/01/2027');
    expect(incidentLink('https://soc/', 'a b')).toBe('https://soc/#/incidents/a%20b');
  });
});

describe('daily digest', () => {
  test('counts by severity and lists incidents worst first, in Vietnamese', () => {
    const incidents = [
      sampleIncident({ id: 'i-low', severity: 'low', title: 'Quét cổng', count: 3 }),
      sampleIncident({ id: 'i-crit', severity: 'critical', title: 'Mã độc lây lan', status: 'acknowledged', count: 40 }),
      sampleIncident({ id: 'i-high', severity: 'high', status: 'resolved' }),
    ];
    const d = renderDigest(incidents, { consoleUrl, agencyName: 'Sở X', tenant: 'so-x', at: new Date('2026-11-28T00:00:00Z') });
    expect(d.subject).toBe('[canhgac] Tổng hợp ngày 28/11/2026 — Sở X: 3 sự cố');
    expect(d.body).toContain('Theo mức độ: NGHIÊM TRỌNG: 1, CAO: 1, THẤP: 1');
    expect(d.body).toContain('Chưa xử lý xong: 2');
    const items = d.body.split('\n').filter((l) => l.startsWith('- '));
    expect(items.map((l) => /incidents\/(\S+)/.exec(l)?.[1])).toEqual(['i-crit', 'i-high', 'i-low']);
    expect(items[0]).toContain('40 lần');
  });

  test('an empty day says so, in English on request', () => {
    const d = renderDigest([], { consoleUrl, tenant: 'so-x', language: 'en', at: new Date('2026-11-28T00:00:00Z') });
    expect(d.subject).toBe('[canhgac] Daily digest 2026-11-28 — so-x: 0 incidents');
    expect(d.body).toContain('No new incidents.');
  });
});
