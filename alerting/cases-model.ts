/**
 * A case: one investigation of one agency grouping several incidents (Security Onion's cases are
 * the model): title, description, assignee, status with a resolution, severity, TLP, linked
 * incidents, observables, comments, and a history of every change (who, when, what).
 * No imports of server code, so the web app's types can be computed from the same constants.
 */
import type { Severity } from '../core/model';

export const CASE_STATUSES = ['new', 'in_progress', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** FIRST's Traffic Light Protocol 2.0: who the case's content may be shared with. */
export const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLPS)[number];

export const OBSERVABLE_TYPES = ['ip', 'domain', 'url', 'hash', 'user', 'host', 'other'] as const;
export type ObservableType = (typeof OBSERVABLE_TYPES)[number];

export interface Observable {
  id: string;
  type: ObservableType;
  value: string;
  note: string | null;
  tags: string[];
  added: string;
  by: string;
  incidentId: string | null; // the linked incident it was taken from, if any
}

export interface CaseComment {
  id: string;
  at: string;
  author: string;
  text: string;
}

export const CASE_CHANGES = [
  'created', 'title', 'description', 'assignee', 'status', 'resolution', 'severity', 'tlp',
  'incident_linked', 'incident_unlinked', 'observable_added', 'observable_removed', 'comment',
] as const;
export type CaseChangeKind = (typeof CASE_CHANGES)[number];

/** One entry of a case's history: who changed what, when, from which value to which. */
export interface CaseChange {
  at: string;
  actor: string;
  action: CaseChangeKind;
  from: string | null;
  to: string | null;
}

export interface Case {
  id: string;
  tenant: string; // the one agency the case and all its incidents belong to
  title: string;
  description: string;
  assignee: string | null;
  status: CaseStatus;
  resolution: string | null; // why it was closed; set when closed
  severity: Severity;
  tlp: Tlp;
  incidents: string[];
  observables: Observable[];
  comments: CaseComment[];
  history: CaseChange[];
  created: string;
  createdBy: string;
  updated: string;
  version: number;
}
