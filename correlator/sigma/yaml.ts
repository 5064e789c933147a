/**
 * YAML for Sigma: multi-document files, scalars kept the way Sigma reads them
 * (unquoted dates and hex stay strings), and a line number for every node so errors can point at it.
 */
import { parseAllDocuments, LineCounter, isMap, isSeq, isScalar, isAlias, Scalar, Node as YamlNode } from 'yaml';

/** A parsed YAML document: plain JS value plus line lookup by object identity. */
export interface YamlDoc {
  value: unknown;
  /** 1-based line where the document starts. */
  line: number;
  /** line of a key inside a map, if known */
  keyLine(obj: object, key: string): number | undefined;
  /** line where an object or array starts, if known */
  nodeLine(obj: object): number | undefined;
  error?: { line: number; message: string };
}

export function parseYamlDocuments(text: string): YamlDoc[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, schema: 'core', uniqueKeys: true, prettyErrors: false, strict: false });
  const out: YamlDoc[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    const startLine = d.range ? lc.linePos(d.range[0]).line : 1;
    const keyLines = new WeakMap<object, Map<string, number>>();
    const nodeLines = new WeakMap<object, number>();
    const lineOf = (n: YamlNode | null | undefined): number | undefined => (n && n.range ? lc.linePos(n.range[0]).line : undefined);
    if (d.errors.length > 0) {
      const e = d.errors[0];
      const line = e.linePos ? e.linePos[0].line : e.pos ? lc.linePos(e.pos[0]).line : startLine;
      out.push({ value: undefined, line: startLine, keyLine: () => undefined, nodeLine: () => undefined, error: { line, message: e.message.split('\n')[0] } });
      continue;
    }
    const toJs = (n: unknown, depth: number): unknown => {
      if (depth > 64) throw new Error('YAML nested deeper than 64 levels');
      if (n === null || n === undefined) return null;
      if (isAlias(n)) return toJs(n.resolve(d), depth + 1);
      if (isScalar(n)) return scalarValue(n);
      if (isMap(n)) {
        const obj: Record<string, unknown> = {};
        const kl = new Map<string, number>();
        for (const pair of n.items) {
          const k = isScalar(pair.key) ? String(pair.key.source ?? pair.key.value) : String(toJs(pair.key, depth + 1));
          obj[k] = toJs(pair.value, depth + 1);
          const ln = lineOf(pair.key as YamlNode);
          if (ln !== undefined) kl.set(k, ln);
        }
        keyLines.set(obj, kl);
        const ln = lineOf(n);
        if (ln !== undefined) nodeLines.set(obj, ln);
        return obj;
      }
      if (isSeq(n)) {
        const arr = n.items.map((x) => toJs(x, depth + 1));
        const ln = lineOf(n);
        if (ln !== undefined) nodeLines.set(arr, ln);
        return arr;
      }
      return null;
    };
    let value: unknown;
    try {
      value = toJs(d.contents, 0);
    } catch (e) {
      out.push({ value: undefined, line: startLine, keyLine: () => undefined, nodeLine: () => undefined, error: { line: startLine, message: (e as Error).message } });
      continue;
    }
    // a trailing '---' yields an empty document: skip it
    if (value === null && d.contents === null) continue;
    out.push({
      value,
      line: startLine,
      keyLine: (obj, key) => keyLines.get(obj)?.get(key),
      nodeLine: (obj) => nodeLines.get(obj),
    });
  }
  return out;
}

/** Plain scalars whose canonical form differs from the source (0x1F, 1e3, 010) stay strings as written. */
function scalarValue(s: Scalar): unknown {
  const v = s.value;
  if (typeof v === 'number' && s.type === 'PLAIN') {
    const src = s.source;
    if (typeof src === 'string' && String(v) !== src) return src;
    return v;
  }
  if (typeof v === 'bigint') return String(v);
  if (v instanceof Date) return s.source ?? v.toISOString().slice(0, 10);
  return v;
}
