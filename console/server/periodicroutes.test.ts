/**
 * GET /api/reports/periodic through app.inject on the kit's two agencies with six months of monitoring
 * (reports/periodic-fixtures.ts): agency A's figures exactly, its PDF read by pdftotext -layout, nothing of
 * agency B in A's report, the province for a provincial caller only, bad periods refused by field, audited.
 */
import { B_SECRETS, FROM, FROM_ISO, seedPeriodic, TO, TO_ISO } from '../../reports/periodic-fixtures';
import { pdfText } from '../../reports/readers';
import { OTHER, startKit, type Caller, type Kit } from './testkit';

jest.setTimeout(180_000);
let kit: Kit;
let analystA: Caller;
let viewerA: Caller;
let adminProv: Caller;
const by = (name: string) => kit.callers.find((c) => c.username === name)!;
beforeAll(async () => {
  kit = await startKit();
  await seedPeriodic(kit.store);
  [analystA, viewerA, adminProv] = [by('analyst-a'), by('viewer-a'), by('admin-prov')];
});
afterAll(() => kit.close());

const period = `from=${FROM}&to=${TO}`;
async function pdf(c: Caller, url: string) {
  const res = await kit.app.inject({ method: 'GET', url, headers: { cookie: `canhgac_session=${c.cookie}` } });
  const ok = res.statusCode === 200;
  return { status: res.statusCode, headers: res.headers, text: ok ? pdfText(res.rawPayload, { layout: true }) : res.body, plain: ok ? pdfText(res.rawPayload).replace(/\s+/g, ' ') : '' };
}

test("agency A's report as JSON: the period's figures exactly", async () => {
  const res = await kit.call(analystA, 'GET', `/api/reports/periodic?tenant=so-a&${period}&format=json`);
  expect(res.status).toBe(200);
  const r = res.body;
  expect(r.period).toEqual({ from: FROM_ISO, to: TO_ISO });
  expect(r.subject).toBe('Sở Tài chính tỉnh A');
  expect(r.scope).toBe('agency');
  expect([r.events.total, r.alerts.total, r.incidents.total]).toEqual([5, 3, 3]);
  expect(r.alerts.bySeverity.filter((c: { count: number }) => c.count)).toEqual([{ key: 'critical', label: 'Nghiêm trọng', count: 1 }, { key: 'high', label: 'Cao', count: 2 }]);
  expect(r.times).toEqual({ acknowledge: { count: 3, meanMs: 2_000_000, medianMs: 1_800_000 }, resolve: { count: 2, meanMs: 9_000_000, medianMs: 9_000_000 } });
  expect(r.topAttackers).toEqual([{ value: '203.0.113.7', incidents: 2, alerts: 7 }, { value: '198.51.100.23', incidents: 2, alerts: 3 }]);
  expect(r.topTargets[0]).toEqual({ value: 'portal-01', incidents: 2, alerts: 6 });
  expect(r.incidents.byKind.map((k: { label: string }) => k.label)).toEqual(['Mã độc', 'Tấn công dò quét, đánh cắp mật khẩu, tài khoản', 'Tấn công gây gián đoạn, phá hoại hệ thống (từ chối dịch vụ, mã hóa dữ liệu)']);
  // the kit's own scan of so-a (10.1.1.1, critical) and the fixture's (10.1.1.20, high and medium)
  expect(r.vulns.open.map((c: { count: number }) => c.count)).toEqual([1, 1, 1, 0, 0]);
  expect(r.months.map((m: { events: number }) => m.events)).toEqual([0, 3, 0, 2, 0, 0]);
  for (const s of B_SECRETS) expect({ s, found: res.text.includes(s) }).toEqual({ s, found: false });
});

test("agency A's PDF read by pdftotext -layout: Vietnamese headings and A's figures, nothing of B", async () => {
  const res = await pdf(analystA, `/api/reports/periodic?tenant=so-a&${period}&format=pdf`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  expect(res.headers['content-disposition']).toBe('attachment; filename="bao-cao-dinh-ky-so-a-2026-06-01-2026-11-30.pdf"');
  const flat = res.text.replace(/\s+/g, ' ');
  for (const s of ['BÁO CÁO ĐỊNH KỲ CÔNG TÁC GIÁM SÁT AN TOÀN THÔNG TIN MẠNG', 'SỞ TÀI CHÍNH TỈNH A', 'Kỳ báo cáo: từ ngày 01/06/2026 đến ngày 30/11/2026', 'Cấp độ 3',
    'Tổng số sự kiện: 5', 'Tổng số cảnh báo: 3', 'Tổng số sự cố: 3', 'Biểu đồ 1. Số sự kiện theo tháng', 'Biểu đồ 2. Số sự cố theo loại', 'ĐIỂM YẾU, LỖ HỔNG CÒN TỒN TẠI']) {
    expect({ s, found: flat.includes(s) }).toEqual({ s, found: true });
  }
  expect(res.text).toMatch(/1\s+203\.0\.113\.7\s+2\s+7/);
  expect(res.text).toMatch(/Thời gian tiếp nhận\s+3\s+33 phút\s+30 phút/);
  for (const s of B_SECRETS) expect({ s, found: flat.includes(s) }).toEqual({ s, found: false });
  expect(flat).not.toMatch(OTHER);
});

test('an agency viewer gets its own agency, never the province or another agency', async () => {
  const own = await kit.call(viewerA, 'GET', `/api/reports/periodic?${period}&format=json`);
  expect(own.status).toBe(200);
  expect(own.body.incidents.total).toBe(3);
  expect(own.text).not.toMatch(OTHER);
  const province = await kit.call(viewerA, 'GET', `/api/reports/periodic?tenant=*&${period}&format=pdf`);
  expect(province).toMatchObject({ status: 403, body: { error: "tenant: the province's report is only for a provincial user; you are scoped to so-a" } });
  const other = await kit.call(viewerA, 'GET', `/api/reports/periodic?tenant=so-b&${period}&format=pdf`);
  expect(other).toMatchObject({ status: 404, body: { error: 'agency so-b: not one of your agencies' } });
  const missing = await kit.call(adminProv, 'GET', '/api/reports/periodic?tenant=so-zz&format=json');
  expect(missing).toMatchObject({ status: 404, body: { error: 'agency so-zz does not exist' } });
});

test('the province for a provincial caller: both agencies, each in its own row, in the PDF too', async () => {
  const res = await kit.call(adminProv, 'GET', `/api/reports/periodic?${period}&format=json`);
  expect(res.status).toBe(200);
  expect(res.body.scope).toBe('province');
  expect(res.body.agencies.map((a: { name: string; incidents: number; events: number }) => [a.name, a.events, a.incidents])).toEqual([['Sở Tài chính tỉnh A', 5, 3], ['Sở Y tế bbbb', 2, 1]]);
  const file = await pdf(adminProv, `/api/reports/periodic?tenant=*&${period}`);
  expect(file.status).toBe(200);
  expect(file.headers['content-disposition']).toBe('attachment; filename="bao-cao-dinh-ky-toan-tinh-2026-06-01-2026-11-30.pdf"');
  expect(file.text).toMatch(/Sở Tài chính tỉnh A\s+3\s+/);
  expect(file.text).toContain('Sở Y tế bbbb');
  expect(file.text).toContain('Toàn tỉnh');
  expect(file.plain).toContain('TRUNG TÂM GIÁM SÁT AN TOÀN THÔNG TIN MẠNG CỦA TỈNH');
});

test('a bad period is refused naming the field; the default is the 6 months ending now', async () => {
  const cases: [string, string][] = [
    ['from=2026-13-01', 'querystring/from: "2026-13-01" is not a day of the calendar'],
    ['from=yesterday', 'querystring/from: "yesterday" is not a date: give YYYY-MM-DD (Vietnam time) or an ISO date-time with its offset, e.g. 2026-06-01T00:00:00+07:00'],
    ['to=2026-06-01T10:00:00', 'querystring/to: "2026-06-01T10:00:00" is not a date: give YYYY-MM-DD (Vietnam time) or an ISO date-time with its offset, e.g. 2026-06-01T00:00:00+07:00'],
    ['from=2026-12-01&to=2026-06-01', 'querystring/from: 2026-11-30T17:00:00.000Z must be before to (2026-05-31T17:00:00.000Z)'],
    ['from=2020-01-01&to=2026-01-01', 'querystring/to: the period from 2019-12-31T17:00:00.000Z to 2025-12-31T17:00:00.000Z is longer than 731 days; ask for a shorter one'],
  ];
  for (const [q, error] of cases) expect({ q, ...(await kit.call(analystA, 'GET', `/api/reports/periodic?tenant=so-a&${q}&format=json`)) }).toMatchObject({ q, status: 400, body: { error } });
  const format = await kit.call(analystA, 'GET', '/api/reports/periodic?format=xls');
  expect(format.status).toBe(400);
  expect(format.body.error).toMatch(/^querystring\/format/);
  const before = Date.now();
  const def = await kit.call(analystA, 'GET', '/api/reports/periodic?tenant=so-a&format=json');
  const to = Date.parse(def.body.period.to);
  expect(to).toBeGreaterThanOrEqual(before - 1000);
  const from = new Date(to);
  from.setUTCMonth(from.getUTCMonth() - 6);
  expect(def.body.period.from).toBe(from.toISOString());
  expect(def.body.incidents.total).toBe(4); // the kit's incident of today and the three of the fixture's period
});

test('each report is audited as report.periodic with its period, format and agency; a refused one is not', async () => {
  await kit.call(analystA, 'GET', `/api/reports/periodic?tenant=so-a&${period}&format=json`);
  await kit.call(analystA, 'GET', `/api/reports/periodic?tenant=so-b&${period}&format=json`);
  await kit.call(adminProv, 'GET', `/api/reports/periodic?tenant=*&${period}&format=json`);
  const log = (await kit.store.listAudit({ limit: 500, order: 'desc' })).filter((e) => e.action === 'report.periodic');
  expect(log.find((e) => e.actor === 'analyst-a')).toMatchObject({ target: 'so-a', details: { from: FROM_ISO, to: TO_ISO, format: 'json', agencies: ['so-a'] } });
  expect(log.filter((e) => e.actor === 'analyst-a' && e.target !== 'so-a')).toEqual([]);
  expect(log.find((e) => e.actor === 'admin-prov')).toMatchObject({ target: 'province', details: { format: 'json', agencies: [] } });
});
