/**
 * The report font: Noto Serif (SIL OFL) from the @expo-google-fonts/noto-serif package, a whole
 * TrueType font with every Vietnamese letter, so a PDF renders the same on a machine without system fonts.
 */
import fs from 'node:fs';
import path from 'node:path';

const dir = () => path.dirname(require.resolve('@expo-google-fonts/noto-serif/package.json'));

let cache: { regular: Buffer; bold: Buffer; italic: Buffer } | null = null;
export function reportFonts(): { regular: Buffer; bold: Buffer; italic: Buffer } {
  if (cache) return cache;
  const read = (sub: string, file: string) => {
    const p = path.join(dir(), sub, file);
    if (!fs.existsSync(p)) throw new Error(`report font ${p} is missing: run npm install (package @expo-google-fonts/noto-serif)`);
    return fs.readFileSync(p);
  };
  cache = { regular: read('400Regular', 'NotoSerif_400Regular.ttf'), bold: read('700Bold', 'NotoSerif_700Bold.ttf'), italic: read('400Regular_Italic', 'NotoSerif_400Regular_Italic.ttf') };
  return cache;
}
