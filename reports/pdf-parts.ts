/**
 * Tables and charts for PDF reports, drawn with pdfkit's own text and vector primitives (rect, line):
 * no image, no chart library, so a chart's numbers and labels stay text a reader (pdftotext) finds.
 */
import { ensureRoom, type PdfPage } from './pdf-layout';

export interface Column {
  title: string;
  width: number; // a share of the page width; the shares of a table add up to 1
  align?: 'left' | 'right' | 'center';
}

const PAD = 3;
const SIZE = 10;

function rowHeight(p: PdfPage, cols: Column[], cells: string[], font: string): number {
  p.doc.font(font).fontSize(SIZE);
  return Math.max(...cells.map((c, i) => p.doc.heightOfString(c, { width: cols[i].width * p.width - 2 * PAD }))) + 2 * PAD;
}

function drawRow(p: PdfPage, cols: Column[], cells: string[], font: string, shade: boolean): void {
  const { doc, left, width } = p;
  const h = rowHeight(p, cols, cells, font);
  ensureRoom(p, h);
  const y = doc.y;
  if (shade) doc.save().rect(left, y, width, h).fill('#e8edf3').restore();
  let x = left;
  cells.forEach((c, i) => {
    const w = cols[i].width * width;
    doc.save().lineWidth(0.5).strokeColor('#555555').rect(x, y, w, h).stroke().restore();
    doc.fillColor('black').font(font).fontSize(SIZE).text(c, x + PAD, y + PAD, { width: w - 2 * PAD, align: cols[i].align ?? 'left' });
    x += w;
  });
  doc.x = left;
  doc.y = y + h;
}

/** A bordered table with a shaded header row; the header repeats at the top of a new page. */
export function table(p: PdfPage, cols: Column[], rows: string[][], empty = 'Không có số liệu trong kỳ.'): void {
  const head = cols.map((c) => c.title);
  ensureRoom(p, rowHeight(p, cols, head, 'serif-bold') + (rows[0] ? rowHeight(p, cols, rows[0], 'serif') : 20));
  drawRow(p, cols, head, 'serif-bold', true);
  if (!rows.length) drawRow(p, [{ title: '', width: 1 }], [empty], 'serif-italic', false);
  for (const r of rows) {
    if (p.doc.y + rowHeight(p, cols, r, 'serif') > p.doc.page.height - p.doc.page.margins.bottom) {
      p.doc.addPage();
      drawRow(p, cols, head, 'serif-bold', true);
    }
    drawRow(p, cols, r, 'serif', false);
  }
  p.doc.moveDown(0.6);
}

export interface Bar { label: string; value: number }

const fmt = (n: number) => n.toLocaleString('vi-VN');

/** Vertical bars (a series over months): the value above each bar, its label under it. */
export function columnChart(p: PdfPage, title: string, bars: Bar[], color = '#2f5d8a'): void {
  const { doc, left, width } = p;
  const h = 150;
  ensureRoom(p, h + 50);
  doc.font('serif-bold').fontSize(11).fillColor('black').text(title, left, doc.y, { width, align: 'center' });
  const top = doc.y + 14;
  const base = top + h;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = width / Math.max(1, bars.length);
  const bw = Math.min(40, slot * 0.6);
  doc.save().lineWidth(0.7).strokeColor('#333333').moveTo(left, base).lineTo(left + width, base).stroke().restore();
  bars.forEach((b, i) => {
    const bh = (b.value / max) * h;
    const x = left + i * slot + (slot - bw) / 2;
    if (bh > 0) doc.save().rect(x, base - bh, bw, bh).fill(color).restore();
    doc.fillColor('black').font('serif').fontSize(8).text(fmt(b.value), left + i * slot, base - bh - 11, { width: slot, align: 'center' });
    doc.fontSize(8).text(b.label, left + i * slot, base + 3, { width: slot, align: 'center' });
  });
  doc.x = left;
  doc.y = base + 22;
}

/** Horizontal bars (counts by kind): the label at the left, the bar, the count after it. */
export function barChart(p: PdfPage, title: string, bars: Bar[], color = '#a33b3b'): void {
  const { doc, left, width } = p;
  const rowH = 16;
  const labelW = width * 0.45;
  ensureRoom(p, 30 + Math.max(1, bars.length) * rowH);
  doc.font('serif-bold').fontSize(11).fillColor('black').text(title, left, doc.y, { width, align: 'center' });
  doc.moveDown(0.3);
  if (!bars.length) {
    doc.font('serif-italic').fontSize(10).text('Không có số liệu trong kỳ.', left, doc.y, { width, align: 'center' });
    doc.moveDown(0.6);
    return;
  }
  const max = Math.max(1, ...bars.map((b) => b.value));
  const barMax = width - labelW - 40;
  let y = doc.y;
  for (const b of bars) {
    doc.fillColor('black').font('serif').fontSize(8).text(b.label, left, y + 3, { width: labelW - 6, height: rowH, ellipsis: true, lineBreak: false });
    const bw = (b.value / max) * barMax;
    if (bw > 0) doc.save().rect(left + labelW, y + 2, bw, rowH - 5).fill(color).restore();
    doc.fillColor('black').fontSize(8).text(fmt(b.value), left + labelW + bw + 4, y + 3, { lineBreak: false });
    y += rowH;
  }
  doc.x = left;
  doc.y = y + 8;
}
