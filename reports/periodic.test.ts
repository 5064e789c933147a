/**
 * The periodic report built from a real (SQLite) store seeded with six months of two agencies: the
 * figures of agency A exactly (events, alerts, incidents by kind and outcome, MTTA and MTTR, top
 * attackers and targets, open findings, month series), nothing of agency B in A's report, and the PDF
 * read with pdftotext -layout showing the Vietnamese headings, charts' labels and A's figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../core/store/sqlite';
import type { Store } from '../core/store/store';
import { buildPeriodicReport, type PeriodicReport } from './periodic';
import { B_SECRETS, FROM_ISO, seedPeriodic, TO_ISO } from './periodic-fixtures';
import { renderPeriodicPdf } from './periodic-pdf';
import { readPeriodic } from './periodic-read';
import { durationVi, monthsOf } from './periodic-stats';
import { pdfFonts, pdfText } from './readers';

let dir: string;
let store: Store;
let a: PeriodicReport;
const NOW = new Date('2026-12-07T00:00:00.000Z');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-periodic-'));
  store = createSqliteStore({ path: path.join(dir, 'c.db') });
  await store.init();
  await seedPeriodic(store, { tenants: true });
  a = buildPeriodicReport(await readPeriodic(store, { tenants: ['so-a'], from: FROM_ISO, to: TO_ISO }), { scope: 'agency', reporter: 'analyst-a', now: NOW });
});
afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("agency A's figures over the period, exactly: what falls before or after it is left out", () => {
  expect(a.subject).toBe('Sở Tài chính tỉnh A');
  expect(a.agencies).toEqual([{ id: 'so-a', name: 'Sở Tài chính tỉnh A', securityLevel: 3, sources: 2, events: 5, alerts: 3, incidents: 3, openFindings: 2 }]);
  expect(a.events.total).toBe(5);
  expect(a.events.byDataset).toEqual([{ key: 'linux.auth', label: 'linux.auth', count: 3 }, { key: 'fortinet.firewall', label: 'fortinet.firewall', count: 2 }]);
  expect(a.events.bySeverity).toEqual([{ key: '3', label: 'Mức 3', count: 3 }, { key: '5', label: 'Mức 5', count: 2 }]);
  expect(a.alerts.total).toBe(3);
  expect(a.alerts.bySeverity.filter((c) => c.count)).toEqual([{ key: 'critical', label: 'Nghiêm trọng', count: 1 }, { key: 'high', label: 'Cao', count: 2 }]);
  expect(a.incidents.total).toBe(3);
  expect(a.incidents.byKind.map((k) => [k.label, k.count])).toEqual([
    ['Mã độc', 1], ['Tấn công dò quét, đánh cắp mật khẩu, tài khoản', 1], ['Tấn công gây gián đoạn, phá hoại hệ thống (từ chối dịch vụ, mã hóa dữ liệu)', 1],
  ]);
  expect(a.incidents.byStatus).toEqual([
    { key: 'acknowledged', label: 'Đã tiếp nhận', count: 1 }, { key: 'resolved', label: 'Đã xử lý xong', count: 1 }, { key: 'false_positive', label: 'Cảnh báo nhầm (không phải sự cố)', count: 1 },
  ]);
  // acknowledged after 10, 30, 60 minutes; closed after 240 and 60
  expect(a.times).toEqual({ acknowledge: { count: 3, meanMs: 2_000_000, medianMs: 30 * 60e3 }, resolve: { count: 2, meanMs: 150 * 60e3, medianMs: 150 * 60e3 } });
  expect(a.topAttackers).toEqual([{ value: '203.0.113.7', incidents: 2, alerts: 7 }, { value: '198.51.100.23', incidents: 2, alerts: 3 }]);
  expect(a.topTargets).toEqual([{ value: 'portal-01', incidents: 2, alerts: 6 }, { value: 'pc-12', incidents: 1, alerts: 2 }]);
  expect(a.sources.items.map((s) => [s.source, s.dataset, s.events])).toEqual([['10.1.1.5', 'linux.auth', 4], ['10.1.1.254', 'fortinet.firewall', 2]]); // since the start: December's event too
  expect(a.vulns).toMatchObject({ total: 2, open: [{ key: 'critical', count: 0 }, { key: 'high', count: 1 }, { key: 'medium', count: 1 }, { key: 'low', count: 0 }, { key: 'info', count: 0 }], exposed: [{ address: '10.1.1.20', open: 2, high: 1, maxCvss: 7.5 }] });
  expect(a.months.map((m) => [m.label, m.events, m.alerts, m.incidents])).toEqual([
    ['T6/2026', 0, 0, 0], ['T7/2026', 3, 2, 1], ['T8/2026', 0, 0, 1], ['T9/2026', 2, 0, 1], ['T10/2026', 0, 1, 0], ['T11/2026', 0, 0, 0],
  ]);
});

test("agency A's report holds nothing of agency B", () => {
  const text = JSON.stringify(a);
  for (const s of B_SECRETS) expect({ s, found: text.includes(s) }).toEqual({ s, found: false });
});

test('the province report counts both agencies, each in its own row', async () => {
  const p = buildPeriodicReport(await readPeriodic(store, { tenants: null, from: FROM_ISO, to: TO_ISO }), { scope: 'province', now: NOW });
  expect(p.subject).toBe('Toàn tỉnh');
  expect(p.agencies.map((r) => [r.name, r.events, r.incidents, r.openFindings])).toEqual([['Sở Tài chính tỉnh A', 5, 3, 2], ['Sở Y tế bbbb', 2, 1, 1]]);
  expect([p.events.total, p.alerts.total, p.incidents.total]).toEqual([7, 4, 4]);
  expect(p.topAttackers[0]).toEqual({ value: '203.0.113.7', incidents: 2, alerts: 7 });
  expect(p.times.acknowledge).toEqual({ count: 4, meanMs: (10 + 30 + 60 + 5) * 60e3 / 4, medianMs: 20 * 60e3 });
});

test("the PDF, as pdftotext -layout reads it: Vietnamese headings, the period, A's figures and chart labels, the embedded font", async () => {
  const pdf = await renderPeriodicPdf(a);
  const text = pdfText(pdf, { layout: true });
  const flat = text.replace(/\s+/g, ' ');
  for (const s of ['BÁO CÁO ĐỊNH KỲ CÔNG TÁC GIÁM SÁT AN TOÀN THÔNG TIN MẠNG', 'Thông tư 31/2017/TT-BTTTT', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'SỞ TÀI CHÍNH TỈNH A',
    'Kỳ báo cáo: từ ngày 01/06/2026 đến ngày 30/11/2026', 'Cấp độ an toàn hệ thống thông tin: Cấp độ 3', 'I. THÔNG TIN CHUNG', 'II. NGUỒN NHẬT KÝ ĐƯỢC GIÁM SÁT',
    'III. SỰ KIỆN VÀ CẢNH BÁO', 'IV. SỰ CỐ AN TOÀN THÔNG TIN MẠNG', 'V. NGUỒN TẤN CÔNG VÀ ĐỐI TƯỢNG BỊ TẤN CÔNG', 'VI. ĐIỂM YẾU, LỖ HỔNG CÒN TỒN TẠI',
    'Biểu đồ 1. Số sự kiện theo tháng', 'Biểu đồ 2. Số sự cố theo loại', 'Tổng số sự kiện: 5', 'Tổng số cảnh báo: 3', 'Tổng số sự cố: 3', 'Số nguồn nhật ký được giám sát: 2',
    'Mã độc', 'Tấn công dò quét, đánh cắp mật khẩu, tài khoản', 'Cảnh báo nhầm (không phải sự cố)', '10.1.1.20']) expect({ s, found: flat.includes(s) }).toEqual({ s, found: true });
  // a table row reads as one line in -layout
  expect(text).toMatch(/T7\/2026\s+3\s+2\s+1/);
  expect(text).toMatch(/1\s+203\.0\.113\.7\s+2\s+7/);
  expect(text).toMatch(/Thời gian tiếp nhận\s+3\s+33 phút\s+30 phút/);
  expect(text).toMatch(/Thời gian xử lý xong\s+2\s+2 giờ 30 phút\s+2 giờ 30 phút/);
  for (const s of B_SECRETS) expect({ s, found: flat.includes(s) }).toEqual({ s, found: false });
  expect(pdfFonts(pdf)).toMatch(/NotoSerif.*yes/);
});

test('months and durations in Vietnamese', () => {
  expect(monthsOf('2026-11-30T17:00:00.000Z', '2027-01-31T17:00:00.000Z').map((m) => m.label)).toEqual(['T12/2026', 'T1/2027']);
  expect([durationVi(45_000), durationVi(90 * 60e3), durationVi(26 * 3600e3), durationVi(null)]).toEqual(['45 giây', '1 giờ 30 phút', '1 ngày 2 giờ', '—']);
});
