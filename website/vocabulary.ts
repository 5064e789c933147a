/** The spam vocabulary: a shipped, editable list of gambling, betting, loan and adult terms (spam-terms.txt). */
import fs from 'node:fs';
import path from 'node:path';

export interface Vocabulary {
  readonly terms: readonly string[];
  /** The terms found in `text` as whole phrases (case- and Unicode-normalised), each once, in list order. */
  find(text: string): string[];
}

export const norm = (s: string): string => s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ');

/** The list shipped beside this module (also when running from dist/). */
export function defaultVocabularyFile(): string {
  for (const dir of [__dirname, path.resolve(__dirname, '..', '..', 'website')]) {
    const p = path.join(dir, 'spam-terms.txt');
    if (fs.existsSync(p)) return p;
  }
  return path.join(__dirname, 'spam-terms.txt');
}

export function parseVocabulary(text: string, where: string): Vocabulary {
  const terms: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    if (line.length < 3) throw new Error(`${where}:${i + 1}: the term "${line}" is shorter than 3 characters and would match inside ordinary words`);
    terms.push(norm(line));
  });
  if (!terms.length) throw new Error(`${where}: holds no terms (one per line; "#" starts a comment)`);
  return createVocabulary(terms);
}

export function loadVocabulary(file: string = defaultVocabularyFile()): Vocabulary {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`website.vocabulary: cannot read "${file}": ${(e as Error).message}`);
  }
  return parseVocabulary(text, file);
}

const LETTER = /[\p{L}\p{N}]/u;

export function createVocabulary(terms: string[]): Vocabulary {
  const list = [...new Set(terms.map(norm))];
  return {
    terms: list,
    find(text) {
      const t = norm(text);
      return list.filter((term) => {
        for (let at = t.indexOf(term); at >= 0; at = t.indexOf(term, at + 1)) {
          const before = at > 0 ? t[at - 1] : ' ';
          const after = t[at + term.length] ?? ' ';
          if (!LETTER.test(before) && !LETTER.test(after)) return true;
        }
        return false;
      });
    },
  };
}
