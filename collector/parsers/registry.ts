/** Family parsers in auto-detection order (most specific first). Adding a family = one file + one line here. */
import type { Parser } from './types';
import { ciscoAsa } from './cisco_asa';
import { fortigate } from './fortigate';
import { panos } from './panos';
import { suricata } from './suricata';
import { winlog } from './winlog';

export const PARSERS_BY_FAMILY: Parser[] = [ciscoAsa, fortigate, panos, suricata, winlog];
