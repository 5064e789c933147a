/**
 * The boolean condition of a temporal correlation over the names of its rules, as SigmaHQ approved it
 * (sigma-specification SEP #198, pySigma's "extended" correlation condition): `condition: "login_ok and
 * not mfa"`. A rule name is true when that rule matched an event of the group inside the time frame.
 * Grammar as pySigma's: identifiers [A-Za-z_][A-Za-z0-9_]*, `not` > `and` > `or`, parentheses.
 */
import type { CorrExpr } from './model';
import { SigmaError } from './model';

type Tok = { k: 'id' | 'and' | 'or' | 'not' | '(' | ')'; s: string; at: number };

function tokenize(text: string, line?: number): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(\()|(\))|(\S))/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    if (m[4]) throw new SigmaError(`correlation condition ${JSON.stringify(text)}: unexpected '${m[4]}' at position ${m.index + m[0].length}; use rule names with and, or, not and parentheses`, line);
    if (m[2]) out.push({ k: '(', s: '(', at: m.index });
    else if (m[3]) out.push({ k: ')', s: ')', at: m.index });
    else if (m[1]) {
      const w = m[1];
      out.push({ k: w === 'and' || w === 'or' || w === 'not' ? w : 'id', s: w, at: m.index });
    }
  }
  return out;
}

/** Parses `a and not (b or c)`; throws a SigmaError naming the position on a malformed condition. */
export function parseCorrelationCondition(text: string, line?: number): CorrExpr {
  const toks = tokenize(text, line);
  let i = 0;
  const fail = (what: string): never => {
    throw new SigmaError(`correlation condition ${JSON.stringify(text)}: ${what}`, line);
  };
  const orExpr = (): CorrExpr => {
    let a = andExpr();
    while (toks[i]?.k === 'or') {
      i++;
      a = { k: 'or', a, b: andExpr() };
    }
    return a;
  };
  const andExpr = (): CorrExpr => {
    let a = notExpr();
    while (toks[i]?.k === 'and') {
      i++;
      a = { k: 'and', a, b: notExpr() };
    }
    return a;
  };
  const notExpr = (): CorrExpr => {
    if (toks[i]?.k === 'not') {
      i++;
      return { k: 'not', a: notExpr() };
    }
    const t = toks[i++];
    if (!t) return fail('ends where a rule name was expected');
    if (t.k === 'id') return { k: 'rule', name: t.s };
    if (t.k === '(') {
      const e = orExpr();
      if (toks[i]?.k !== ')') fail(`missing ')' for the '(' at position ${t.at}`);
      i++;
      return e;
    }
    return fail(`'${t.s}' at position ${t.at} where a rule name was expected`);
  };
  const e = orExpr();
  if (i < toks.length) fail(`'${toks[i].s}' at position ${toks[i].at} is not expected`);
  return e;
}

/** The rule names a condition uses, in order of appearance. */
export function conditionRules(e: CorrExpr, out: string[] = []): string[] {
  if (e.k === 'rule') {
    if (!out.includes(e.name)) out.push(e.name);
  } else if (e.k === 'not') conditionRules(e.a, out);
  else {
    conditionRules(e.a, out);
    conditionRules(e.b, out);
  }
  return out;
}

/** True when a rule appears under a `not`: an event can then make the condition false, so it is only final when the frame closes. */
export function hasNegation(e: CorrExpr): boolean {
  if (e.k === 'rule') return false;
  if (e.k === 'not') return true;
  return hasNegation(e.a) || hasNegation(e.b);
}

/** A condition over rule indices (resolved against the correlation's `rules`). */
export type IndexedExpr = { k: 'rule'; r: number } | { k: 'not'; a: IndexedExpr } | { k: 'and' | 'or'; a: IndexedExpr; b: IndexedExpr };

export function indexExpr(e: CorrExpr, rules: string[]): IndexedExpr {
  if (e.k === 'rule') return { k: 'rule', r: rules.indexOf(e.name) };
  if (e.k === 'not') return { k: 'not', a: indexExpr(e.a, rules) };
  return { k: e.k, a: indexExpr(e.a, rules), b: indexExpr(e.b, rules) };
}

export function evalExpr(e: IndexedExpr, present: (r: number) => boolean): boolean {
  switch (e.k) {
    case 'rule':
      return present(e.r);
    case 'not':
      return !evalExpr(e.a, present);
    case 'and':
      return evalExpr(e.a, present) && evalExpr(e.b, present);
    case 'or':
      return evalExpr(e.a, present) || evalExpr(e.b, present);
  }
}
