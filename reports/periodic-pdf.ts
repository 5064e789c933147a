/**
 * The periodic monitoring report (reports/periodic.ts) as a Vietnamese PDF: the administrative header
 * and title of reports/pdf-layout.ts, one table per section, and charts drawn with pdfkit (events,
 * alerts and incidents per month; incidents by kind) so a reader sees the trend at a glance.
 */
import { SEVERITY_VI, vnDateWords, vnTime } from './incident';
import { durationVi, vnDay } from './periodic-stats';
import type { PeriodicReport } from './periodic';
import { barChart, columnChart, table } from './pdf-parts';
import { nationalHeader, openPdf, signature, titleBlock, type PdfPage } from './pdf-layout';

const n = (x: number) => x.toLocaleString('vi-VN');

function heading(p: PdfPage, text: string): void {
  p.doc.font('serif-bold').fontSize(13).fillColor('black').text(text, p.left, p.doc.y, { width: p.width });
  p.doc.moveDown(0.3);
}

function line(p: PdfPage, label: string, value: string): void {
  p.doc.font('serif-bold').fontSize(12).text(`${label}: `, p.left, p.doc.y, { continued: true, width: p.width }).font('serif').text(value);
  p.doc.moveDown(0.1);
}

function general(p: PdfPage, r: PeriodicReport): void {
  heading(p, 'I. THÔNG TIN CHUNG');
  line(p, 'Đơn vị báo cáo', r.subject);
  line(p, 'Kỳ báo cáo', `từ ${vnTime(r.period.from)} đến ${vnTime(r.period.to)}`);
  if (r.scope === 'agency' && r.agencies.length === 1) {
    const level = r.agencies[0].securityLevel;
    line(p, 'Cấp độ an toàn hệ thống thông tin', level ? `Cấp độ ${level}` : 'Chưa xác định cấp độ');
  }
  line(p, 'Số nguồn nhật ký được giám sát', n(r.sources.count));
  line(p, 'Tổng số sự kiện', n(r.events.total));
  line(p, 'Tổng số cảnh báo', n(r.alerts.total));
  line(p, 'Tổng số sự cố', n(r.incidents.total));
  p.doc.moveDown(0.4);
  if (r.scope === 'province' || r.agencies.length > 1) {
    table(p, [
      { title: 'Đơn vị', width: 0.3 }, { title: 'Cấp độ', width: 0.09, align: 'center' }, { title: 'Nguồn', width: 0.09, align: 'right' }, { title: 'Sự kiện', width: 0.13, align: 'right' },
      { title: 'Cảnh báo', width: 0.13, align: 'right' }, { title: 'Sự cố', width: 0.1, align: 'right' }, { title: 'Lỗ hổng mở', width: 0.16, align: 'right' },
    ], r.agencies.map((a) => [a.name, a.securityLevel ? String(a.securityLevel) : '—', n(a.sources), n(a.events), n(a.alerts), n(a.incidents), a.openFindings === null ? '—' : n(a.openFindings)]));
  }
}

function sources(p: PdfPage, r: PeriodicReport): void {
  heading(p, 'II. NGUỒN NHẬT KÝ ĐƯỢC GIÁM SÁT');
  const names = new Map(r.agencies.map((a) => [a.id, a.name]));
  table(p, [{ title: 'Đơn vị', width: 0.28 }, { title: 'Nguồn gửi', width: 0.24 }, { title: 'Loại dữ liệu', width: 0.18 }, { title: 'Sự kiện từ đầu kỳ', width: 0.12, align: 'right' }, { title: 'Lần cuối nhận', width: 0.18 }],
    r.sources.items.map((s) => [names.get(s.tenant) ?? s.tenant, s.source, s.dataset ?? '—', n(s.events), vnTime(s.lastSeen).replace(' (giờ Việt Nam)', '')]));
}

function eventsAndAlerts(p: PdfPage, r: PeriodicReport): void {
  heading(p, 'III. SỰ KIỆN VÀ CẢNH BÁO');
  columnChart(p, 'Biểu đồ 1. Số sự kiện theo tháng', r.months.map((m) => ({ label: m.label, value: m.events })));
  table(p, [{ title: 'Tháng', width: 0.25 }, { title: 'Sự kiện', width: 0.25, align: 'right' }, { title: 'Cảnh báo', width: 0.25, align: 'right' }, { title: 'Sự cố', width: 0.25, align: 'right' }],
    r.months.map((m) => [m.label, n(m.events), n(m.alerts), n(m.incidents)]));
  table(p, [{ title: 'Mức độ cảnh báo', width: 0.6 }, { title: 'Số cảnh báo', width: 0.4, align: 'right' }], r.alerts.bySeverity.map((c) => [c.label, n(c.count)]));
  table(p, [{ title: 'Loại dữ liệu (event.dataset)', width: 0.6 }, { title: 'Số sự kiện', width: 0.4, align: 'right' }], r.events.byDataset.map((c) => [c.label, n(c.count)]));
  table(p, [{ title: 'Mức của sự kiện (event.severity, theo thiết bị gửi)', width: 0.6 }, { title: 'Số sự kiện', width: 0.4, align: 'right' }], r.events.bySeverity.map((c) => [c.label, n(c.count)]));
}

function incidents(p: PdfPage, r: PeriodicReport): void {
  heading(p, 'IV. SỰ CỐ AN TOÀN THÔNG TIN MẠNG');
  if (r.incidents.truncated) p.doc.font('serif-italic').fontSize(10).text('Lưu ý: số sự cố vượt giới hạn đọc của báo cáo; các số liệu sự cố dưới đây chỉ tính phần đã đọc.', p.left, p.doc.y, { width: p.width });
  barChart(p, 'Biểu đồ 2. Số sự cố theo loại', r.incidents.byKind.map((k) => ({ label: k.label, value: k.count })));
  table(p, [{ title: 'Loại sự cố', width: 0.75 }, { title: 'Số sự cố', width: 0.25, align: 'right' }], r.incidents.byKind.map((k) => [k.label, n(k.count)]));
  table(p, [{ title: 'Kết quả xử lý (trạng thái)', width: 0.75 }, { title: 'Số sự cố', width: 0.25, align: 'right' }], r.incidents.byStatus.map((k) => [k.label, n(k.count)]));
  table(p, [{ title: 'Mức độ sự cố', width: 0.75 }, { title: 'Số sự cố', width: 0.25, align: 'right' }], r.incidents.bySeverity.map((k) => [k.label, n(k.count)]));
  const t = r.times;
  table(p, [{ title: 'Thời gian (tính từ khi phát hiện)', width: 0.4 }, { title: 'Số sự cố', width: 0.14, align: 'right' }, { title: 'Trung bình', width: 0.23, align: 'right' }, { title: 'Trung vị', width: 0.23, align: 'right' }], [
    ['Thời gian tiếp nhận', n(t.acknowledge.count), durationVi(t.acknowledge.meanMs), durationVi(t.acknowledge.medianMs)],
    ['Thời gian xử lý xong', n(t.resolve.count), durationVi(t.resolve.meanMs), durationVi(t.resolve.medianMs)],
  ]);
}

function attacks(p: PdfPage, r: PeriodicReport): void {
  heading(p, 'V. NGUỒN TẤN CÔNG VÀ ĐỐI TƯỢNG BỊ TẤN CÔNG');
  const cols = (what: string) => [{ title: 'TT', width: 0.08, align: 'center' as const }, { title: what, width: 0.52 }, { title: 'Số sự cố', width: 0.2, align: 'right' as const }, { title: 'Số cảnh báo', width: 0.2, align: 'right' as const }];
  table(p, cols('Địa chỉ nguồn tấn công (10 địa chỉ nhiều nhất)'), r.topAttackers.map((a, i) => [String(i + 1), a.value, n(a.incidents), n(a.alerts)]));
  table(p, cols('Máy, địa chỉ bị tấn công (10 đối tượng nhiều nhất)'), r.topTargets.map((a, i) => [String(i + 1), a.value, n(a.incidents), n(a.alerts)]));
}

function weaknesses(p: PdfPage, r: PeriodicReport): void {
  heading(p, 'VI. ĐIỂM YẾU, LỖ HỔNG CÒN TỒN TẠI');
  if (!r.vulns) {
    p.doc.font('serif-italic').fontSize(11).text('Kho dữ liệu không lưu kết quả rà quét lỗ hổng.', p.left, p.doc.y, { width: p.width });
    p.doc.moveDown(0.6);
    return;
  }
  p.doc.font('serif-italic').fontSize(10).text(`Theo kết quả rà quét, tại thời điểm lập báo cáo: ${n(r.vulns.total)} lỗ hổng chưa khắc phục.`, p.left, p.doc.y, { width: p.width });
  p.doc.moveDown(0.3);
  table(p, [{ title: 'Mức độ lỗ hổng', width: 0.6 }, { title: 'Số lỗ hổng chưa khắc phục', width: 0.4, align: 'right' }], r.vulns.open.map((c) => [c.label, n(c.count)]));
  table(p, [{ title: 'Tài sản', width: 0.4 }, { title: 'Lỗ hổng mở', width: 0.15, align: 'right' }, { title: SEVERITY_VI.critical, width: 0.15, align: 'right' }, { title: SEVERITY_VI.high, width: 0.15, align: 'right' }, { title: 'CVSS cao nhất', width: 0.15, align: 'right' }],
    r.vulns.exposed.map((e) => [e.hostname ? `${e.address} (${e.hostname})` : e.address, n(e.open), n(e.critical), n(e.high), e.maxCvss === null ? '—' : e.maxCvss.toFixed(1)]));
}

export function renderPeriodicPdf(r: PeriodicReport): Promise<Buffer> {
  const p = openPdf({ Title: `${r.form.title} – ${r.subject}`, Author: r.subject, Subject: r.form.source });
  nationalHeader(p, { issuer: r.scope === 'province' ? r.form.provinceIssuer : r.subject, number: 'Số: ……/BC-……', placeDate: `……………, ${vnDateWords(new Date(r.generated))}` });
  titleBlock(p, r.form.title, r.form.name, r.form.source);
  p.doc.font('serif-bold').fontSize(12).text(`Kỳ báo cáo: từ ngày ${vnDay(r.period.from)} đến ngày ${vnDay(new Date(Date.parse(r.period.to) - 1).toISOString())}`, p.left, p.doc.y, { width: p.width, align: 'center' });
  p.doc.moveDown(0.6);
  for (const section of [general, sources, eventsAndAlerts, incidents, attacks, weaknesses]) section(p, r);
  signature(p, 'THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ', '');
  p.doc.font('serif-italic').fontSize(9).text(`Lập bằng canhgac lúc ${r.generated}${r.reporter ? ` bởi ${r.reporter}` : ''} từ dữ liệu giám sát của kỳ báo cáo.`, p.left, p.doc.y, { width: p.width });
  p.doc.end();
  return p.done;
}
