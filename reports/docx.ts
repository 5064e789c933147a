/**
 * An incident report (reports/incident.ts) as a Word document (the `docx` package), in the
 * layout of a Vietnamese administrative document: Times New Roman 13 pt, Unicode text, A4
 * with NĐ 30/2020/NĐ-CP's margins, the issuing agency and the national motto side by side.
 */
import { AlignmentType, BorderStyle, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { IncidentReport } from './incident';

const FONT = 'Times New Roman'; // the font of Vietnamese administrative documents (NĐ 30/2020/NĐ-CP, Unicode TCVN 6909:2001)
const mm = (n: number) => Math.round((n / 25.4) * 1440); // twips
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };

const run = (text: string, o: { bold?: boolean; italics?: boolean; size?: number } = {}) => new TextRun({ text, bold: o.bold, italics: o.italics, size: (o.size ?? 13) * 2, font: FONT });
const centered = (...runs: TextRun[]) => new Paragraph({ alignment: AlignmentType.CENTER, children: runs });

/** Text with line breaks as runs separated by breaks (a field's value may hold several lines). */
function lines(text: string, o: { bold?: boolean; italics?: boolean } = {}): TextRun[] {
  return text.split('\n').map((line, i) => new TextRun({ text: line, bold: o.bold, italics: o.italics, size: 26, font: FONT, break: i > 0 ? 1 : undefined }));
}

export function renderReportDocx(r: IncidentReport): Promise<Buffer> {
  const header = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        children: [
          new TableCell({ width: { size: 42, type: WidthType.PERCENTAGE }, borders: NO_BORDERS, children: [centered(run(r.header.issuer.toUpperCase(), { bold: true, size: 12 })), centered(run(r.header.number))] }),
          new TableCell({
            width: { size: 58, type: WidthType.PERCENTAGE }, borders: NO_BORDERS,
            children: [centered(run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: 12 })), centered(run('Độc lập - Tự do - Hạnh phúc', { bold: true })), centered(run(r.header.placeDate, { italics: true }))],
          }),
        ],
      }),
    ],
  });
  const body: (Paragraph | Table)[] = [
    header,
    new Paragraph({ text: '' }),
    centered(run(r.form.title, { bold: true, size: 14 })),
    centered(run(`(${r.form.name} theo ${r.form.source})`, { italics: true, size: 11 })),
    new Paragraph({ spacing: { before: 200, after: 120 }, children: [run('Kính gửi: ', { bold: true }), run(r.header.recipient)] }),
  ];
  for (const s of r.sections) {
    body.push(new Paragraph({ spacing: { before: 160, after: 60 }, children: [run(s.title, { bold: true })] }));
    for (const f of s.fields) body.push(new Paragraph({ spacing: { after: 60 }, children: [run(`${f.label}: `, { bold: true }), ...lines(f.value === '' ? '…………………………' : f.value)] }));
  }
  body.push(
    new Paragraph({ text: '' }),
    new Paragraph({ alignment: AlignmentType.RIGHT, indent: { left: mm(80) }, children: [] }),
    new Paragraph({ alignment: AlignmentType.CENTER, indent: { left: mm(80) }, children: [run(r.signer.title, { bold: true })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, indent: { left: mm(80) }, children: [run('(Ký, ghi rõ họ tên, đóng dấu)', { italics: true, size: 12 })] }),
    new Paragraph({ spacing: { before: 1200 }, alignment: AlignmentType.CENTER, indent: { left: mm(80) }, children: [run(r.signer.name, { bold: true })] }),
    new Paragraph({ spacing: { before: 400 }, children: [run(`Lập bằng canhgac từ sự cố ${r.incidentId} lúc ${r.generated}; các trường đã được người lập báo cáo kiểm tra, chỉnh sửa trước khi xuất.`, { italics: true, size: 9 })] }),
  );
  const doc = new Document({
    creator: 'canhgac', title: `${r.form.title} – ${r.incidentId}`, description: r.form.source,
    styles: { default: { document: { run: { font: FONT, size: 26 } } } },
    sections: [{ properties: { page: { size: { width: mm(210), height: mm(297) }, margin: { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) } } }, children: body }],
  });
  return Packer.toBuffer(doc);
}
