/**
 * An incident report (reports/incident.ts) as PDF, laid out like a Vietnamese administrative
 * document (A4, national motto at the top right, the issuing agency at the top left), in Noto
 * Serif embedded from its npm package so diacritics render without system fonts.
 */
import PDFDocument from 'pdfkit';
import { reportFonts } from './fonts';
import type { IncidentReport } from './incident';

const MM = 72 / 25.4;

export function renderReportPdf(r: IncidentReport): Promise<Buffer> {
  const fonts = reportFonts();
  // margins of NĐ 30/2020/NĐ-CP's layout: top and bottom 20 mm, left 30 mm, right 15 mm
  const doc = new PDFDocument({
    size: 'A4', margins: { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM },
    info: { Title: `${r.form.title} – ${r.incidentId}`, Author: r.agency.name, Subject: r.form.source, Creator: 'canhgac' },
    lang: 'vi-VN', pdfVersion: '1.7',
  } as PDFKit.PDFDocumentOptions);
  doc.registerFont('serif', fonts.regular);
  doc.registerFont('serif-bold', fonts.bold);
  doc.registerFont('serif-italic', fonts.italic);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const colL = width * 0.42;
  const colR = width - colL;
  const top = doc.y;
  doc.font('serif-bold').fontSize(12).text(r.header.issuer.toUpperCase(), left, top, { width: colL, align: 'center' });
  doc.font('serif').fontSize(12).text(r.header.number, left, doc.y + 4, { width: colL, align: 'center' });
  const leftEnd = doc.y;
  doc.font('serif-bold').fontSize(12).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', left + colL, top, { width: colR, align: 'center' });
  doc.font('serif-bold').fontSize(13).text('Độc lập - Tự do - Hạnh phúc', left + colL, doc.y, { width: colR, align: 'center' });
  doc.font('serif-italic').fontSize(12).text(r.header.placeDate, left + colL, doc.y + 8, { width: colR, align: 'center' });
  doc.y = Math.max(doc.y, leftEnd) + 18;

  doc.font('serif-bold').fontSize(14).text(r.form.title, left, doc.y, { width, align: 'center' });
  doc.font('serif-italic').fontSize(10).text(`(${r.form.name} theo ${r.form.source})`, left, doc.y + 2, { width, align: 'center' });
  doc.moveDown(0.8);
  doc.font('serif-bold').fontSize(13).text('Kính gửi: ', left, doc.y, { continued: true, width }).font('serif').text(r.header.recipient);
  doc.moveDown(0.6);

  for (const s of r.sections) {
    doc.font('serif-bold').fontSize(13).text(s.title, left, doc.y, { width });
    doc.moveDown(0.2);
    for (const f of s.fields) {
      doc.font('serif-bold').fontSize(12).text(`${f.label}: `, left, doc.y, { continued: true, width, align: 'left' }).font('serif').text(f.value === '' ? '…………………………' : f.value, { align: 'left' });
      doc.moveDown(0.15);
    }
    doc.moveDown(0.5);
  }

  doc.moveDown(0.5);
  if (doc.y > doc.page.height - doc.page.margins.bottom - 90) doc.addPage();
  const signX = left + width * 0.5;
  doc.font('serif-bold').fontSize(13).text(r.signer.title, signX, doc.y, { width: width * 0.5, align: 'center' });
  doc.font('serif-italic').fontSize(12).text('(Ký, ghi rõ họ tên, đóng dấu)', signX, doc.y, { width: width * 0.5, align: 'center' });
  doc.moveDown(3);
  if (r.signer.name) doc.font('serif-bold').fontSize(13).text(r.signer.name, signX, doc.y, { width: width * 0.5, align: 'center' });
  doc.moveDown(1.5);
  doc.font('serif-italic').fontSize(9).text(`Lập bằng canhgac từ sự cố ${r.incidentId} lúc ${r.generated}; các trường đã được người lập báo cáo kiểm tra, chỉnh sửa trước khi xuất.`, left, doc.y, { width });
  doc.end();
  return done;
}
