/**
 * For tests: a report's text as real readers see it — pdftotext (poppler-utils) for a PDF,
 * LibreOffice headless for a DOCX (both in deploy/local/peers.sh's list).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `layout`: keep the page's columns (pdftotext -layout), so a table row reads as one line. */
export function pdfText(pdf: Buffer, opts: { layout?: boolean } = {}): string {
  return execFileSync('pdftotext', [...(opts.layout ? ['-layout'] : []), '-enc', 'UTF-8', '-', '-'], { input: pdf, encoding: 'utf8' }).normalize('NFC');
}

/** The PDF's fonts (pdffonts): which are embedded. */
export function pdfFonts(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-pdf-'));
  try {
    fs.writeFileSync(path.join(dir, 'r.pdf'), pdf);
    return execFileSync('pdffonts', [path.join(dir, 'r.pdf')], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function docxText(docx: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-docx-'));
  try {
    fs.writeFileSync(path.join(dir, 'r.docx'), docx);
    // a profile of its own, so parallel tests and a running LibreOffice do not lock each other out
    execFileSync('soffice', [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', 'txt:Text (encoded):UTF8', '--outdir', dir, path.join(dir, 'r.docx')], { stdio: 'pipe', timeout: 120_000 });
    const out = path.join(dir, 'r.txt');
    if (!fs.existsSync(out)) throw new Error(`LibreOffice did not convert the DOCX (no ${out}): is libreoffice-writer installed?`);
    return fs.readFileSync(out, 'utf8').replace(/^\uFEFF/, '').normalize('NFC');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
