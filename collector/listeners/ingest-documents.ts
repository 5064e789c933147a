/**
 * The documents of one HTTP ingest body (a JSON object, a JSON array, or NDJSON), each
 * judged on its own: one that is too large, nested too deep or not an object is rejected
 * with its reason and its own text, and the others are kept. Nesting is measured by
 * scanning the text without recursion, so no document can exhaust the stack here or later
 * (a serializer or a recursive walker) whatever its depth.
 */

/** Deeper than any real log; a document nested beyond it is a dead letter, not an event. */
export const MAX_DOCUMENT_DEPTH = 256;

export interface Document {
  line: number; // 1-based: the NDJSON line, or the array element
  value: Record<string, unknown>;
}

export interface RejectedDocument {
  line: number;
  error: string;
  text: string; // the document's own text, for the dead letter
}

export type SplitBody = { docs: Document[]; rejected: RejectedDocument[] } | { malformed: string }; // malformed: JSON.parse's message

interface Span {
  start: number;
  end: number;
  depth: number;
}

/** How deep brackets nest in text[start, end), strings skipped; a scan, not a recursion. */
export function jsonDepth(text: string, start = 0, end = text.length): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** The top-level elements of a JSON array text (already known to be valid JSON), with their nesting depth. */
function arrayElements(text: string): Span[] {
  const spans: Span[] = [];
  let depth = 0;
  let max = 0;
  let inString = false;
  let start = -1;
  const close = (end: number) => {
    if (start >= 0) spans.push({ start, end, depth: max });
    start = -1;
    max = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (depth === 1 && start < 0 && c > 0x20 && c !== 0x2c && c !== 0x5d) start = i;
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth - 1 > max) max = depth - 1;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
      if (depth === 0) close(i);
    } else if (c === 0x2c && depth === 1) close(i);
  }
  return spans.map((s) => ({ ...s, end: trimEnd(text, s.end) }));
}

function trimEnd(text: string, end: number): number {
  while (end > 0 && text.charCodeAt(end - 1) <= 0x20) end--;
  return end;
}

/** One document's text judged: an object (or a string, kept as its message), or the reason it is refused. */
function judge(text: string, line: number, depth: number, maxBytes: number, what: string, strings = true): Document | RejectedDocument {
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) return { line, error: `${what} of ${bytes} bytes exceeds collector.max_message_bytes (${maxBytes})`, text };
  if (depth > MAX_DOCUMENT_DEPTH) return { line, error: `${what} nests ${depth} levels deep; at most ${MAX_DOCUMENT_DEPTH} are accepted`, text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { line, error: `${what} is not JSON: ${(e as Error).message}`, text };
  }
  if (typeof value === 'string' && strings) return { line, value: { message: value } };
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { line, error: `${what} must be a JSON object${strings ? ' or a string' : ''}`, text };
  return { line, value: value as Record<string, unknown> };
}

function collect(results: (Document | RejectedDocument)[]): SplitBody {
  const docs: Document[] = [];
  const rejected: RejectedDocument[] = [];
  for (const r of results) {
    if ('value' in r) docs.push(r);
    else rejected.push(r);
  }
  return { docs, rejected };
}

function splitLines(text: string, maxBytes: number): SplitBody {
  const results: (Document | RejectedDocument)[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const bytes = Buffer.byteLength(line);
    results.push(judge(line, i + 1, bytes > maxBytes ? 0 : jsonDepth(line), maxBytes, `NDJSON line ${i + 1}`, false));
  }
  return collect(results);
}

/** Splits a body into documents; `lines` when the content type says NDJSON. */
export function splitBody(text: string, lines: boolean, maxBytes: number): SplitBody {
  const trimmed = text.trim();
  if (lines) return splitLines(text, maxBytes);
  try {
    JSON.parse(trimmed);
  } catch (e) {
    // several lines whose first is a JSON document: NDJSON sent as application/json
    const first = trimmed.split('\n', 1)[0];
    if (first.length < trimmed.length && isJson(first)) return splitLines(text, maxBytes);
    return { malformed: (e as Error).message };
  }
  if (trimmed.startsWith('[')) return collect(arrayElements(trimmed).map((s, i) => judge(trimmed.slice(s.start, s.end), i + 1, s.depth, maxBytes, `element ${i + 1}`)));
  return collect([judge(trimmed, 1, jsonDepth(trimmed), maxBytes, 'the document')]);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
