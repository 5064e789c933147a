/** The PDF read back by pdftotext and the DOCX by LibreOffice: the Vietnamese text and the prefilled fields as a reader sees them. */
import { renderReportDocx } from './docx';
import { CHANGES, INCIDENT, TENANT } from './fixtures';
import { applyOverrides, buildIncidentReport, type IncidentReport } from './incident';
import { renderReportPdf } from './pdf';
import { docxText, pdfFonts, pdfText } from './readers';

jest.setTimeout(180_000);
const NOW = new Date('2026-12-06T06:00:00.000Z');
const flat = (s: string) => s.replace(/\s+/g, ' '); // the layout breaks long lines

function edited(kind: 'initial' | 'final'): IncidentReport {
  const r = applyOverrides(buildIncidentReport({ kind, incident: INCIDENT, tenant: TENANT, changes: CHANGES, reporter: 'nguyen.van.an', now: NOW, place: 'Ninh Thuận' }), { system: 'Cổng thông tin điện tử tỉnh Ninh Thuận' });
  if (!('report' in r)) throw new Error(r.problem);
  return r.report;
}

// what both formats must show: the form and its source, the motto, diacritics of every kind, the prefilled fields
const EXPECTED = (kind: 'initial' | 'final') => [
  kind === 'initial' ? 'BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG' : 'BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ AN TOÀN THÔNG TIN MẠNG',
  'Thông tư 20/2017/TT-BTTTT', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'Ninh Thuận, ngày 06 tháng 12 năm 2026',
  'SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH NINH THUẬN', 'Sở Khoa học và Công nghệ tỉnh Ninh Thuận', 'Cổng thông tin điện tử tỉnh Ninh Thuận', 'Cấp độ 3',
  '06/12/2026 08:02 (giờ Việt Nam)', 'Tấn công dò quét, đánh cắp mật khẩu, tài khoản', 'Nghiêm trọng', 'portal-01, db-02', '203.0.113.7, 198.51.100.23',
  'SSH Brute Force (ssh-brute)', 'Đăng nhập thành công sau nhiều lần thất bại', 'Đã chặn địa chỉ 203.0.113.7 trên tường lửa biên', 'Đã xử lý xong', 'nguyen.van.an',
  ...(kind === 'final' ? ['Khóa tài khoản quantri', 'Thời điểm kết thúc ứng phó'] : ['Đề nghị hỗ trợ']),
];

test.each(['initial', 'final'] as const)('the %s report as PDF: pdftotext reads the Vietnamese text and the prefilled fields, in an embedded font', async (kind) => {
  const pdf = await renderReportPdf(edited(kind));
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const text = flat(pdfText(pdf));
  for (const s of EXPECTED(kind)) expect({ s, found: text.includes(s) }).toEqual({ s, found: true });
  expect(text).not.toMatch(/\uFFFD/);
  const fonts = pdfFonts(pdf);
  expect(fonts).toMatch(/NotoSerif/);
  for (const line of fonts.split('\n').filter((l) => /NotoSerif/.test(l))) expect(line).toMatch(/\byes\s+yes\s+yes\b/); // embedded, subset, with a Unicode map
});

test.each(['initial', 'final'] as const)('the %s report as DOCX: LibreOffice opens it and reads the Vietnamese text and the prefilled fields', async (kind) => {
  const docx = await renderReportDocx(edited(kind));
  expect(docx.subarray(0, 2).toString()).toBe('PK');
  const text = flat(docxText(docx));
  for (const s of EXPECTED(kind)) expect({ s, found: text.includes(s) }).toEqual({ s, found: true });
});
