/**
 * The compiled rules (pySigma's "backend output" here is predicates): what loading produces and the
 * match and window engines run. The rule model itself is model.ts.
 */
import type { SigmaCorrelationModel, SigmaRuleModel } from './model';
import type { FieldContext, FieldGetter, Pred } from './compile';
import type { Mapping } from './mapping';
import type { RuleIndex } from './rule-index';

export interface LoadOptions {
  paths: string[];
  mappingsDir?: string;
  placeholders?: Record<string, string[]>;
}

export interface RuleInfo {
  id: string;
  title: string;
  level: string;
  status?: string;
  author?: string;
  description?: string;
  tags: string[];
  references: string[];
  falsepositives?: string[];
  path: string;
  kind: 'rule' | 'correlation' | 'filter';
  logsource?: { product?: string; category?: string; service?: string };
  enabled: boolean;
  /** the rule's `name`, which correlations and filters may reference */
  name?: string;
}

export interface LoadReport {
  path: string;
  ruleId?: string;
  title?: string;
  ok: boolean;
  error?: string;
  warnings: string[];
}

export interface Detection {
  rule: RuleInfo;
  kind: 'rule' | 'correlation';
  eventIds: string[];
  groupBy: Record<string, string> | null;
  timestamp: string;
  tenant?: string;
}


/** @internal a compiled base rule */
export interface CompiledRule {
  info: RuleInfo;
  model: SigmaRuleModel;
  pred: Pred;
  gates: number[];
  emit: boolean;
  corrs: Array<{ corr: CompiledCorrelation; r: number }>;
  ctx: FieldContext;
}

/** @internal a compiled correlation rule */
export interface CompiledCorrelation {
  info: RuleInfo;
  model: SigmaCorrelationModel;
  key: string;
  emit: boolean;
  parents: Array<{ corr: CompiledCorrelation; r: number }>;
  groupGetters: FieldGetter[][]; // per referenced rule, per group-by field
  valueGetters: Array<FieldGetter | null>;
}

export interface Ruleset {
  rules: RuleInfo[];
  /** @internal */
  compiled: { base: CompiledRule[]; correlations: CompiledCorrelation[]; gates: Pred[]; index: RuleIndex; mapping: Mapping };
}

export interface Source {
  path: string;
  text: string;
}
