import { LiteralSet, compileGlob } from './matchers';
import { parseSigmaString } from './strings';

describe('LiteralSet (long value lists)', () => {
  const build = (lits: Array<[string, 'eq' | 'contains' | 'startswith' | 'endswith']>): LiteralSet => {
    const s = new LiteralSet();
    for (const [l, m] of lits) s.add(l, m);
    return s;
  };

  test('modes: contains anywhere, startswith at 0, endswith at the end, eq whole value', () => {
    const s = build([
      ['mimikatz', 'contains'],
      ['c:\\windows\\temp\\', 'startswith'],
      ['\\evil.exe', 'endswith'],
      ['exact', 'eq'],
    ]);
    expect(s.test('run mimikatz now')).toBe(true);
    expect(s.test('c:\\windows\\temp\\x.exe')).toBe(true);
    expect(s.test('d:\\c:\\windows\\temp\\x.exe')).toBe(false);
    expect(s.test('c:\\x\\evil.exe')).toBe(true);
    expect(s.test('c:\\x\\evil.exe.txt')).toBe(false);
    expect(s.test('exact')).toBe(true);
    expect(s.test('exactly')).toBe(false);
  });

  test('ASCII lists match raw values case-insensitively without lowercasing', () => {
    const s = build(Array.from({ length: 50 }, (_, i) => [`sha256=${i.toString(16).padStart(4, '0')}`, 'contains'] as [string, 'contains']));
    expect(s.usesRaw()).toBe(true);
    expect(s.testRaw('MD5=1,SHA256=002A,IMPHASH=3')).toBe(true);
    expect(s.testRaw('MD5=1,SHA256=FFFF')).toBe(false);
  });

  test('non-ASCII literals use the exact automaton on lowercased text', () => {
    const s = build([['привет', 'contains'], ['😀', 'contains'], ['ĐĂNG NHẬP'.toLowerCase(), 'endswith'], ['x', 'startswith']]);
    expect(s.usesRaw()).toBe(false);
    expect(s.test('скажи привет')).toBe(true);
    expect(s.test('ok 😀')).toBe(true);
    expect(s.test('lỗi đăng nhập')).toBe(true);
    expect(s.test('đăng nhập lỗi')).toBe(false);
    expect(s.test('😃')).toBe(false);
  });
});

describe('compileGlob', () => {
  const g = (p: string, s: string): boolean => compileGlob(parseSigmaString(p))(s);
  test.each([
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['*ab*ab', 'abab', true],
    ['*ab*ab', 'abxab', true],
    ['*ab*ab', 'ab', false],
    ['a?c*', 'abcd', true],
    ['a?c*', 'ac', false],
    ['*?', '', false],
    ['*?', 'x', true],
    ['?', '\u{1F600}', true],
    ['??', '\u{1F600}', false],
    ['*', '', true],
    ['', '', true],
  ])('%s on %s is %s', (p, s, want) => {
    expect(g(p, s)).toBe(want);
  });
});

describe('compileGlob agrees with a regular expression on random patterns (? and classes found in one pass)', () => {
  // a seeded generator, so a failure names a case that can be replayed
  let seed = 42;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const ALPHABET = ['a', 'b', '-', '/', 'é'];
  const esc = (c: string) => c.replace(/[.+?^${}()|[\]\\*\-/]/g, '\\$&');
  test('2000 cases over a small alphabet', () => {
    for (let t = 0; t < 2000; t++) {
      const atoms: Parameters<typeof compileGlob>[0] = [];
      let re = '';
      for (let k = rnd(9); k >= 0; k--) {
        const r = rnd(10);
        if (r < 2) {
          atoms.push({ t: 'any' });
          re += '[\\s\\S]*';
        } else if (r < 4) {
          atoms.push({ t: 'one' });
          re += '[\\s\\S]';
        } else if (r < 5) {
          atoms.push({ t: 'cls', chars: ['-', '/'] });
          re += '[-/]';
        } else {
          const c = ALPHABET[rnd(ALPHABET.length)].repeat(1 + rnd(2));
          atoms.push({ t: 'lit', s: c });
          re += esc(c);
        }
      }
      const value = Array.from({ length: rnd(14) }, () => ALPHABET[rnd(ALPHABET.length)]).join('');
      const want = new RegExp(`^${re}$`).test(value);
      expect([JSON.stringify(atoms), value, compileGlob(atoms)(value)]).toEqual([JSON.stringify(atoms), value, want]);
    }
  });
});
