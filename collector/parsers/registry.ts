/** Family parsers in auto-detection order (most specific first). Adding a family = one file + one line here. */
import type { Parser } from './types';

export const PARSERS_BY_FAMILY: Parser[] = [];
