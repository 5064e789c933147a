/**
 * The condition grammar: or < and < not < `x of` < parentheses (loosest to tightest).
 *   or_expr := and_expr ("or" and_expr)* ; and_expr := not_expr ("and" not_expr)*
 *   not_expr := "not" not_expr | atom ; atom := "(" or_expr ")" | ("1"|"any"|"all") "of" pattern | identifier
 */
import type { CondNode } from './model';
import { SigmaError } from './model';

function tokenize(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const c of text) {
    if (c === '(' || c === ')') {
      if (cur) out.push(cur);
      cur = '';
      out.push(c);
    } else if (/\s/.test(c)) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

export function parseCondition(text: string): CondNode {
  if (typeof text !== 'string' || text.trim() === '') throw new SigmaError('condition is empty');
  const toks = tokenize(text);
  for (const t of toks) {
    if (t === '|' || t.startsWith('|')) throw new SigmaError(`condition '${text}' uses the deprecated aggregation syntax ('| count() ...'); write a Sigma correlation rule instead`);
  }
  if (toks.includes('near')) throw new SigmaError(`condition '${text}' uses the deprecated 'near' operator; write a temporal correlation rule instead`);
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const fail = (what: string): never => {
    throw new SigmaError(`condition '${text}': ${what} at token ${i + 1} ('${toks[i] ?? 'end'}')`);
  };
  const orExpr = (): CondNode => {
    let a = andExpr();
    while (peek() === 'or') {
      i++;
      a = { k: 'or', a, b: andExpr() };
    }
    return a;
  };
  const andExpr = (): CondNode => {
    let a = notExpr();
    while (peek() === 'and') {
      i++;
      a = { k: 'and', a, b: notExpr() };
    }
    return a;
  };
  const notExpr = (): CondNode => {
    if (peek() === 'not') {
      i++;
      return { k: 'not', a: notExpr() };
    }
    return atom();
  };
  const atom = (): CondNode => {
    const t = peek();
    if (t === undefined) return fail('expected an identifier');
    if (t === '(') {
      i++;
      const e = orExpr();
      if (peek() !== ')') fail("expected ')'");
      i++;
      return e;
    }
    if ((t === '1' || t === 'any' || t === 'all') && toks[i + 1] === 'of') {
      const pattern = toks[i + 2];
      if (pattern === undefined || ['(', ')', 'and', 'or', 'not'].includes(pattern)) {
        i += 2;
        fail("expected a pattern or 'them' after 'of'");
      }
      i += 3;
      return { k: 'of', quant: t === 'all' ? 'all' : 'one', pattern: pattern! };
    }
    if (t === ')' || t === 'and' || t === 'or' || t === 'of') return fail('expected an identifier');
    i++;
    return { k: 'id', name: t };
  };
  const tree = orExpr();
  if (i < toks.length) fail('unexpected token');
  return tree;
}

/** Identifiers a `1 of`/`all of` pattern selects: whole-name match; `_`-prefixed ones only by a `_` pattern. */
export function resolvePattern(pattern: string, names: string[]): string[] {
  if (pattern === 'them') return names.filter((n) => !n.startsWith('_'));
  return names.filter((n) => starMatch(pattern, n) && (pattern.startsWith('_') || !n.startsWith('_')));
}

/** `*` as any run, everything else literal and case-sensitive; pieces found leftmost-first (no backtracking RegExp). */
function starMatch(pattern: string, name: string): boolean {
  const pieces = pattern.split('*');
  const head = pieces[0];
  if (pieces.length === 1) return name === head;
  const tail = pieces[pieces.length - 1];
  if (name.length < head.length + tail.length || !name.startsWith(head) || !name.endsWith(tail)) return false;
  let pos = head.length;
  const end = name.length - tail.length;
  for (const piece of pieces.slice(1, -1)) {
    const at = name.indexOf(piece, pos);
    if (at < 0 || at + piece.length > end) return false;
    pos = at + piece.length;
  }
  return true;
}

/** Checks every identifier and pattern resolves; returns the error text or undefined. */
export function checkCondition(node: CondNode, names: string[]): string | undefined {
  switch (node.k) {
    case 'id':
      return names.includes(node.name) ? undefined : `condition refers to '${node.name}', which is not a search identifier in detection (have: ${names.join(', ')})`;
    case 'of':
      return resolvePattern(node.pattern, names).length > 0 ? undefined : `condition pattern '${node.pattern}' matches no search identifier (have: ${names.join(', ')})`;
    case 'and':
    case 'or':
      return checkCondition(node.a, names) ?? checkCondition(node.b, names);
    case 'not':
      return checkCondition(node.a, names);
    default:
      return undefined;
  }
}
