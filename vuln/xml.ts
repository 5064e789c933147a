/**
 * Streams an XML report with saxes and hands over one record element at a time (a Nessus ReportItem, an
 * OpenVAS result, an Nmap host) as a small tree, so memory holds one record, never the whole report.
 */
import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';

export interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
  text: string;
  line: number;
}

/** A report that cannot be read: says which file, where, and what was wrong. */
export class ScanFileError extends Error {
  constructor(file: string, line: number | null, reason: string) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
    this.name = 'ScanFileError';
  }
}

export interface RecordSpec {
  /** The root elements a report of this format starts with (the first is named in the error). */
  roots: string[];
  /** Whether an element, under this parent, is a record to collect. */
  isRecord(name: string, parent: string | null): boolean;
  /** Called for each record, in document order, with its open ancestors (outermost first). */
  onRecord(node: XNode, ancestors: { name: string; attrs: Record<string, string> }[]): void | Promise<void>;
}

const MAX_RECORD_CHARS = 16 * 1024 * 1024; // one record's text (plugin output can be long, never this long)

export const child = (n: XNode, name: string): XNode | undefined => n.children.find((c) => c.name === name);
export const childText = (n: XNode, name: string): string | null => {
  const t = child(n, name)?.text.trim();
  return t ? t : null;
};

export async function streamRecords(input: Readable, file: string, spec: RecordSpec): Promise<void> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const open: { name: string; attrs: Record<string, string> }[] = [];
  const building: XNode[] = []; // the record being collected, outermost first
  let size = 0;
  let sawRoot = false;
  const done: { node: XNode; ancestors: { name: string; attrs: Record<string, string> }[] }[] = [];
  let failure: Error | null = null;
  const fail = (reason: string) => {
    failure ??= new ScanFileError(file, parser.line, reason);
  };

  parser.on('error', (e) => fail(`not well-formed XML: ${e.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`));
  parser.on('opentag', (tag) => {
    const attrs = tag.attributes as Record<string, string>;
    if (!sawRoot) {
      sawRoot = true;
      if (!spec.roots.includes(tag.name)) fail(`the root element is <${tag.name}>, not <${spec.roots[0]}>: is it the right --format?`);
    }
    if (building.length) {
      const n: XNode = { name: tag.name, attrs, children: [], text: '', line: parser.line };
      building[building.length - 1].children.push(n);
      building.push(n);
    } else if (spec.isRecord(tag.name, open.length ? open[open.length - 1].name : null)) {
      size = 0;
      building.push({ name: tag.name, attrs, children: [], text: '', line: parser.line });
    } else {
      open.push({ name: tag.name, attrs });
    }
  });
  const text = (t: string) => {
    if (!building.length) return;
    size += t.length;
    if (size > MAX_RECORD_CHARS) return fail(`<${building[0].name}> holds more than ${MAX_RECORD_CHARS} characters`);
    building[building.length - 1].text += t;
  };
  parser.on('text', text);
  parser.on('cdata', text);
  parser.on('closetag', () => {
    if (building.length) {
      const n = building.pop()!;
      if (!building.length) done.push({ node: n, ancestors: open.slice() });
    } else open.pop();
  });

  const drain = async () => {
    if (failure) throw failure;
    for (const r of done.splice(0)) {
      try {
        await spec.onRecord(r.node, r.ancestors);
      } catch (e) {
        if (e instanceof ScanFileError) throw e;
        throw new ScanFileError(file, r.node.line, (e as Error).message);
      }
    }
  };
  input.setEncoding('utf8');
  for await (const chunk of input) {
    parser.write(chunk as string);
    await drain();
  }
  parser.close();
  await drain();
  if (!sawRoot) throw new ScanFileError(file, null, `empty: no <${spec.roots[0]}> element`);
}
