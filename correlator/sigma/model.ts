/** The typed Sigma rule model: what a YAML document means, before field mapping and compilation. */

export interface LogSource {
  product?: string;
  category?: string;
  service?: string;
}

/** A string value as Sigma reads it: literal text, wildcards, and (after some modifiers) character classes. */
export type Atom =
  | { t: 'lit'; s: string }
  | { t: 'any' } // '*'
  | { t: 'one' } // '?'
  | { t: 'cls'; chars: string[] } // one of these (windash)
  | { t: 'ph'; name: string }; // %placeholder% (expand)

/** One value of a detection item after its modifiers ran. */
export type SValue =
  | { k: 'str'; atoms: Atom[]; bytes: boolean } // bytes: the atoms hold a binary (latin1) string, e.g. after wide
  | { k: 'alt'; options: SValue[] } // expansions: ORed even under |all
  | { k: 're'; source: string; i: boolean; m: boolean; s: boolean }
  | { k: 'cmp'; op: 'gt' | 'gte' | 'lt' | 'lte'; n: number }
  | { k: 'cidr'; cidr: string }
  | { k: 'null' }
  | { k: 'exists'; want: boolean }
  | { k: 'fieldref'; field: string; mode: 'eq' | 'contains' | 'startswith' | 'endswith' }
  | { k: 'time'; part: 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year'; n: number }
  | { k: 'bool'; v: boolean };

/** `Field|mods: values` — a field (null for keywords), its values, how they combine. */
export interface DetectionItem {
  field: string | null;
  modifiers: string[];
  values: SValue[];
  all: boolean; // values ANDed
  cased: boolean;
  negated: boolean; // neq
  line?: number;
}

/** A search identifier: AND of items (a map), or OR of sub-detections (a list). */
export type Detection = { k: 'and'; items: DetectionItem[] } | { k: 'or'; parts: Detection[] };

export type CondNode =
  | { k: 'id'; name: string }
  | { k: 'of'; quant: 'one' | 'all'; pattern: string }
  | { k: 'and'; a: CondNode; b: CondNode }
  | { k: 'or'; a: CondNode; b: CondNode }
  | { k: 'not'; a: CondNode }
  | { k: 'const'; v: boolean };

export interface MetaInfo {
  id?: string;
  name?: string;
  title: string;
  status?: string;
  description?: string;
  author?: string;
  level?: string;
  tags: string[];
  references: string[];
  falsepositives?: string[];
  path: string;
  line: number;
}

export interface SigmaRuleModel extends MetaInfo {
  kind: 'rule';
  logsource: LogSource;
  detections: Map<string, Detection>;
  conditions: CondNode[]; // a list means OR
  placeholders: string[]; // names used under |expand
  warnings: string[];
}

export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered' | 'value_sum' | 'value_avg' | 'value_percentile' | 'value_median';

export interface CountCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
  neq?: number;
}

/** A temporal correlation's boolean condition over the names of its rules. */
export type CorrExpr = { k: 'rule'; name: string } | { k: 'not'; a: CorrExpr } | { k: 'and' | 'or'; a: CorrExpr; b: CorrExpr };

export interface SigmaCorrelationModel extends MetaInfo {
  kind: 'correlation';
  type: CorrelationType;
  rules: string[];
  groupBy: string[];
  timespanMs: number;
  condition: CountCondition | null; // null: temporal default (all rules), or `expr`
  /** temporal types: a boolean condition over rule names (`a and not b`, SigmaHQ SEP #198) */
  expr?: CorrExpr | null;
  field: string | null; // value_* types
  percentile?: number;
  aliases: Record<string, Record<string, string>>; // alias -> rule name/id -> field
  generate: boolean;
  warnings: string[];
}

export interface SigmaFilterModel extends MetaInfo {
  kind: 'filter';
  logsource: LogSource;
  rules: string[] | 'any';
  detections: Map<string, Detection>;
  condition: CondNode;
  warnings: string[];
}

export type SigmaDocument = SigmaRuleModel | SigmaCorrelationModel | SigmaFilterModel;

/** An error with the place it came from: file, line, what. */
export class SigmaError extends Error {
  constructor(message: string, public line?: number) {
    super(message);
  }
}
