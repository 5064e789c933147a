/**
 * An incident report (reports/incident.ts) as PDF, laid out like a Vietnamese administrative
 * document (A4, national motto at the top right, the issuing agency at the top left; reports/pdf-layout.ts).
 */
import type { IncidentReport } from './incident';
import { nationalHeader, openPdf, signature, titleBlock } from './pdf-layout';

export function renderReportPdf(r: IncidentReport): Promise<Buffer> {
  const p = openPdf({ Title: `${r.form.title} – ${r.incidentId}`, Author: r.agency.name, Subject: r.form.source });
  const { doc, left, width } = p;
  nationalHeader(p, r.header);
  titleBlock(p, r.form.title, r.form.name, r.form.source);
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

  signature(p, r.signer.title, r.signer.name);
  doc.font('serif-italic').fontSize(9).text(`Lập bằng canhgac từ sự cố ${r.incidentId} lúc ${r.generated}; các trường đã được người lập báo cáo kiểm tra, chỉnh sửa trước khi xuất.`, left, doc.y, { width });
  doc.end();
  return p.done;
}
