/**
 * CSV and plain lists. A CSV has a header naming its columns (type and value required;
 * confidence, tags, description, expires, first_seen, last_seen, source optional); a plain
 * list has one value per line and each value's type is inferred. `#` starts a comment line.
 * Any bad line rejects the whole file, naming the line.
 */
import { ImportError, inferType, isoTime, normalizeValue, type IndicatorInput } from '../indicator';
import type { ImportResult } from './types';

const COLUMNS = ['type', 'value', 'confidence', 'tags', 'description', 'expires', 'first_seen', 'last_seen', 'source'] as const;
const ALIASES: Record<string, (typeof COLUMNS)[number]> = { indicator: 'value', ioc: 'value', valid_until: 'expires', comment: 'description', labels: 'tags' };

/** One CSV record (RFC 4180 quoting: "a ""quoted"" field"), or an error naming the column. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`field ${out.length + 1}: a quote is opened and never closed`);
        v += line.slice(i, q);
        if (line[q + 1] === '"') { v += '"'; i = q + 2; continue; }
        i = q + 1;
        break;
      }
      if (i < line.length && line[i] !== ',') throw new Error(`field ${out.length + 1}: text after the closing quote`);
      out.push(v);
    } else {
      const c = line.indexOf(',', i);
      out.push((c < 0 ? line.slice(i) : line.slice(i, c)).trim());
      i = c < 0 ? line.length : c;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

function headerOf(cells: string[], lineNo: number): (typeof COLUMNS)[number][] | null {
  const names = cells.map((c) => c.trim().toLowerCase());
  if (!names.includes('value') && !names.includes('indicator') && !names.includes('ioc')) return null;
  return names.map((n, i) => {
    const col = (COLUMNS as readonly string[]).includes(n) ? (n as (typeof COLUMNS)[number]) : ALIASES[n];
    if (!col) throw new ImportError(`line ${lineNo}, column ${i + 1}`, `unknown column "${cells[i]}" (known: ${COLUMNS.join(', ')})`);
    return col;
  });
}

function rowOf(header: (typeof COLUMNS)[number][], cells: string[]): IndicatorInput {
  if (cells.length !== header.length) throw new Error(`${cells.length} fields, the header has ${header.length}`);
  const r: Partial<Record<(typeof COLUMNS)[number], string>> = {};
  header.forEach((h, i) => (r[h] = cells[i]));
  if (!r.value) throw new Error('the value is empty');
  const typed = r.type ? normalizeValue(r.type, r.value) : inferType(r.value);
  const out: IndicatorInput = { ...typed };
  if (r.confidence) {
    const c = Number(r.confidence);
    if (!Number.isFinite(c) || c < 0 || c > 100) throw new Error(`confidence "${r.confidence}" is not a number from 0 to 100`);
    out.confidence = c;
  }
  if (r.tags) out.tags = r.tags.split(/[;|]/).map((t) => t.trim()).filter(Boolean);
  if (r.description) out.description = r.description;
  if (r.source) out.source = r.source;
  for (const f of ['expires', 'first_seen', 'last_seen'] as const) if (r[f]) out[f] = isoTime(r[f], f);
  return out;
}

export function importCsv(text: string): ImportResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const indicators: IndicatorInput[] = [];
  let header: (typeof COLUMNS)[number][] | null | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const where = `line ${n + 1}`;
    let cells: string[];
    try {
      cells = splitCsvLine(line);
    } catch (e) {
      throw new ImportError(where, (e as Error).message);
    }
    if (header === undefined) {
      header = headerOf(cells, n + 1);
      if (header) continue;
    }
    try {
      indicators.push(header ? rowOf(header, cells) : inferType(line));
    } catch (e) {
      throw new ImportError(where, (e as Error).message);
    }
  }
  if (!indicators.length) throw new ImportError('the file', 'holds no indicator (an empty file, or only a header and comments)');
  return { indicators, skipped: [] };
}
