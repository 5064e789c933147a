/** Which rules an event can possibly match (refined by logsource and literal values in rule-index step). */
import type { EventView } from './event-view';
import type { CompiledRule } from './index';

export interface RuleIndex {
  candidates(view: EventView): ArrayLike<number>;
}

export function buildIndex(rules: CompiledRule[]): RuleIndex {
  const all = rules.map((_, i) => i);
  return { candidates: () => all };
}
