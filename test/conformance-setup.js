/**
 * `npm run conformance` runs over the shared corpus (real device logs, SigmaHQ rules and their events,
 * attack recordings), which is not part of this repository. Without it every suite would fail on a missing
 * file; this says once what to set instead.
 */
const fs = require('node:fs');
const path = require('node:path');

module.exports = async () => {
  const corpus = process.env.CANHGAC_CORPUS ?? path.resolve(__dirname, '..', '..', 'shared', 'corpus');
  const wanted = ['logs', 'sigma'];
  const missing = wanted.filter((d) => !fs.existsSync(path.join(corpus, d)));
  if (missing.length === 0) return;
  throw new Error(
    `npm run conformance needs the shared corpus, and ${corpus} ${fs.existsSync(corpus) ? `has no ${missing.join(', ')} folder` : 'does not exist'}.\n` +
      `Set CANHGAC_CORPUS to the corpus folder (the one with logs/ and sigma/, see its SOURCE.txt files), e.g.\n` +
      `  CANHGAC_CORPUS=/path/to/shared/corpus npm run conformance\n` +
      `The default is ../shared/corpus beside this checkout. npm test needs no corpus.`,
  );
};
