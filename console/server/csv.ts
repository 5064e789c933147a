/** CSV for exports (RFC 4180 quoting; cells that a spreadsheet would run as a formula are prefixed with '). */
import { getPath } from '../../core/event';

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}

export function pick(doc: unknown, field: string): unknown {
  return getPath(doc, field);
}
