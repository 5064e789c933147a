/**
 * Reads events from text in any of the shapes people hand us: a JSON array, JSON lines, or a stream of
 * concatenated (pretty-printed) JSON objects as in the SigmaHQ regression data.
 */
export class EventParseError extends Error {
  constructor(message: string, public offset: number, public line: number) {
    super(message);
  }
}

export function readEvents(text: string): Array<Record<string, unknown>> {
  const first = text.search(/\S/);
  if (first < 0) return [];
  if (text[first] === '[') {
    let arr: unknown;
    try {
      arr = JSON.parse(text);
    } catch (e) {
      throw new EventParseError(`events are not a valid JSON array: ${(e as Error).message}`, first, 1);
    }
    return (arr as unknown[]).map((x, i) => {
      if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new EventParseError(`event ${i} of the array is not a JSON object`, first, 1);
      return x as Record<string, unknown>;
    });
  }
  const out: Array<Record<string, unknown>> = [];
  let i = first;
  const lineAt = (pos: number): number => text.slice(0, pos).split('\n').length;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    if (text[i] !== '{') throw new EventParseError(`expected '{' to start event ${out.length} at line ${lineAt(i)}`, i, lineAt(i));
    // find the end of this object, honouring strings and escapes
    let depth = 0;
    let inStr = false;
    let esc = false;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inStr) {
        if (esc) esc = false;
        else if (c === '\\') esc = true;
        else if (c === '"') inStr = false;
        continue;
      }
      if (c === '"') inStr = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          j++;
          break;
        }
      }
    }
    if (depth !== 0) throw new EventParseError(`event ${out.length} starting at line ${lineAt(i)} is not closed`, i, lineAt(i));
    try {
      out.push(JSON.parse(text.slice(i, j)));
    } catch (e) {
      throw new EventParseError(`event ${out.length} at line ${lineAt(i)} is not valid JSON: ${(e as Error).message}`, i, lineAt(i));
    }
    i = j;
  }
  return out;
}
