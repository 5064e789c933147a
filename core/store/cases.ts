/** The case repository (alerting/cases.ts): its own narrow interface, one implementation per store, one contract (cases.contract.ts). */
import type { Case, CaseStatus } from '../../alerting/cases-model';
import type { TenantScope } from './store';

export interface CaseQuery {
  tenants: TenantScope;
  status?: CaseStatus[];
  incidentId?: string; // only the cases this incident is linked to
  assignee?: string;
  limit?: number; // default 100
  offset?: number;
}

export interface CaseRepository {
  /** Insert (expectedVersion null) or replace; a ConflictError when the id exists on insert or the stored version is not `expectedVersion`. */
  saveCase(c: Case, expectedVersion: number | null): Promise<void>;
  /** The case when it exists and its agency is in `tenants`. */
  getCase(id: string, tenants: TenantScope): Promise<Case | null>;
  /** Cases of the scope, last updated first. */
  listCases(q: CaseQuery): Promise<{ items: Case[]; total: number }>;
}
