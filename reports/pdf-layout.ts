/**
 * What every canhgac PDF report shares (incident reports, the periodic report): an A4 page with the
 * margins of NĐ 30/2020/NĐ-CP, Noto Serif embedded from its npm package so diacritics render without
 * system fonts, the agency and national motto at the top, the title with the text it follows, the signature.
 */
import PDFDocument from 'pdfkit';
import { reportFonts } from './fonts';

export const MM = 72 / 25.4;

export interface PdfPage {
  doc: PDFKit.PDFDocument;
  done: Promise<Buffer>; // resolves once doc.end() has flushed
  left: number;
  width: number;
}

export function openPdf(info: { Title: string; Author: string; Subject: string }): PdfPage {
  const fonts = reportFonts();
  // margins of NĐ 30/2020/NĐ-CP's layout: top and bottom 20 mm, left 30 mm, right 15 mm
  const doc = new PDFDocument({
    size: 'A4', margins: { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM },
    info: { ...info, Creator: 'canhgac' }, lang: 'vi-VN', pdfVersion: '1.7',
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
  return { doc, done, left, width: doc.page.width - left - doc.page.margins.right };
}

/** The issuing agency and the document number at the left, the national motto and place-date at the right. */
export function nationalHeader(p: PdfPage, h: { issuer: string; number: string; placeDate: string }): void {
  const { doc, left, width } = p;
  const colL = width * 0.42;
  const colR = width - colL;
  const top = doc.y;
  doc.font('serif-bold').fontSize(12).text(h.issuer.toUpperCase(), left, top, { width: colL, align: 'center' });
  doc.font('serif').fontSize(12).text(h.number, left, doc.y + 4, { width: colL, align: 'center' });
  const leftEnd = doc.y;
  doc.font('serif-bold').fontSize(12).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', left + colL, top, { width: colR, align: 'center' });
  doc.font('serif-bold').fontSize(13).text('Độc lập - Tự do - Hạnh phúc', left + colL, doc.y, { width: colR, align: 'center' });
  doc.font('serif-italic').fontSize(12).text(h.placeDate, left + colL, doc.y + 8, { width: colR, align: 'center' });
  doc.y = Math.max(doc.y, leftEnd) + 18;
}

/** The title, and under it "(<name> theo <source>)": which text the document follows. */
export function titleBlock(p: PdfPage, title: string, name: string, source: string): void {
  const { doc, left, width } = p;
  doc.font('serif-bold').fontSize(14).text(title, left, doc.y, { width, align: 'center' });
  doc.font('serif-italic').fontSize(10).text(`(${name} theo ${source})`, left, doc.y + 2, { width, align: 'center' });
  doc.moveDown(0.8);
}

/** Room for `h` points on this page, else a new page. */
export function ensureRoom(p: PdfPage, h: number): void {
  if (p.doc.y + h > p.doc.page.height - p.doc.page.margins.bottom) p.doc.addPage();
}

export function signature(p: PdfPage, title: string, name: string): void {
  const { doc, left, width } = p;
  doc.moveDown(0.5);
  ensureRoom(p, 90);
  const signX = left + width * 0.5;
  doc.font('serif-bold').fontSize(13).text(title, signX, doc.y, { width: width * 0.5, align: 'center' });
  doc.font('serif-italic').fontSize(12).text('(Ký, ghi rõ họ tên, đóng dấu)', signX, doc.y, { width: width * 0.5, align: 'center' });
  doc.moveDown(3);
  if (name) doc.font('serif-bold').fontSize(13).text(name, signX, doc.y, { width: width * 0.5, align: 'center' });
  doc.moveDown(1.5);
}
