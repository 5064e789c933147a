/**
 * The key=value reader of Sophos XG / SFOS lines. SFOS does not quote every value and leaves spaces in
 * unquoted ones (`device_id=C44313350024- P29PUA`, `threatname=C2 /Generic-A`, `ether_type=Unknown (0x0000)`),
 * and truncated lines end inside a quote (`appresolvedby="Signature`). As Elastic's kv (split on a space
 * followed by `key=`), a value runs to the next ` key=`; a quoted value runs to its closing quote when one
 * follows, so a `x=` inside a quoted message does not split it.
 */

const isKeyChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;

/** true when a key (letters, digits, `_`, `-`) followed by `=` starts at p */
function keyAt(text: string, p: number): boolean {
  let k = p;
  while (k < text.length && isKeyChar(text.charCodeAt(k))) k++;
  return k > p && text.charCodeAt(k) === 61;
}

/** index of the space that ends an unquoted value starting at i (a space followed by `key=`), or the end */
function unquotedEnd(text: string, i: number): number {
  let j = text.indexOf(' ', i);
  while (j >= 0) {
    if (keyAt(text, j + 1)) return j;
    j = text.indexOf(' ', j + 1);
  }
  return text.length;
}

/** index of the closing quote of a value opened at i - 1: a quote followed by the end or by ` key=`; -1 when none */
function closingQuote(text: string, i: number): number {
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34 && (j + 1 === text.length || (text.charCodeAt(j + 1) === 32 && keyAt(text, j + 2)))) return j;
  }
  return -1;
}

const trimQuotes = (v: string): string => v.replace(/^"+|"+$/g, '');

export function parseXgKeyValues(text: string): Record<string, string> {
  // no prototype: a line's `__proto__=` key is data like any other
  const out: Record<string, string> = Object.create(null);
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    const keyStart = i;
    while (i < n && isKeyChar(text.charCodeAt(i))) i++;
    if (i === keyStart || text.charCodeAt(i) !== 61) {
      // not a key: skip to the next ` key=`
      i = unquotedEnd(text, i);
      continue;
    }
    const key = text.slice(keyStart, i);
    i++;
    if (text.charCodeAt(i) === 34) {
      const close = closingQuote(text, i + 1);
      if (close >= 0) {
        out[key] = text.slice(i + 1, close).replace(/\\(["\\])/g, '$1');
        i = close + 1;
        continue;
      }
    }
    // unquoted, or a quote never closed (a truncated line): the value runs to the next ` key=`
    const end = unquotedEnd(text, i);
    out[key] = trimQuotes(text.slice(i, end));
    i = end;
  }
  return out;
}
