/**
 * The zone SFOS writes in `timezone=` (an abbreviation such as "CEST", "ICT", "GMT", or an offset "+07").
 * Only unambiguous abbreviations are resolved (IST, CST, BST name several zones: the source's zone applies then).
 */
import { isValidTimezone, lookupTable } from './util';

/** abbreviation -> hours east of UTC */
const ABBREVIATIONS: Record<string, number> = lookupTable({
  WET: 0, WEST: 1, CET: 1, CEST: 2, MET: 1, MEST: 2, EET: 2, EEST: 3, MSK: 3, GST: 4, PKT: 5, NPT: 5.75, ICT: 7, WIB: 7,
  SGT: 8, HKT: 8, AWST: 8, PHT: 8, JST: 9, KST: 9, ACST: 9.5, AEST: 10, AEDT: 11, NZST: 12, NZDT: 13,
  HST: -10, AKST: -9, AKDT: -8, PST: -8, PDT: -7, MST: -7, MDT: -6, EST: -5, EDT: -4, AST: -4, ADT: -3, BRT: -3,
});

/** An IANA zone for the device's `timezone` value, or undefined when it names none unambiguously */
export function deviceZone(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^(?:GMT|UTC|Z)$/i.test(v)) return v.toUpperCase() === 'Z' ? 'UTC' : v.toUpperCase();
  if (/^[+-]\d/.test(v)) return isValidTimezone(v) ? v : undefined;
  const hours = ABBREVIATIONS[v.toUpperCase()];
  if (hours === undefined) return undefined;
  // whole hours have an Etc zone (its sign is inverted: Etc/GMT-2 is UTC+2); others are written as an offset
  if (Number.isInteger(hours)) return hours === 0 ? 'UTC' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
  const m = Math.round(Math.abs(hours) * 60);
  return `${hours < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
