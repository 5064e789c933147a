/** What free-text search looks in, the same for every store: every string and number value of the event. */
import type { EcsEvent } from '../event';

export function searchableText(ev: EcsEvent): string {
  const parts: string[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 8) return;
    if (typeof v === 'string') parts.push(v);
    else if (typeof v === 'number') parts.push(String(v));
    else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (v && typeof v === 'object') Object.values(v).forEach((x) => walk(x, depth + 1));
  };
  walk(ev, 0);
  return parts.join(' ').slice(0, 65536);
}
