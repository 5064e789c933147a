/**
 * Cases (cases-model.ts): creating one for an agency, editing it, linking and unlinking that
 * agency's incidents, observables, comments. Every change is written into the case's history
 * (who, when, from, to) in the same save, with a version check; the console audits each call.
 */
import { newId } from '../core/event';
import type { Incident, Severity } from '../core/model';
import { ConflictError, type Store, type TenantScope } from '../core/store/store';
import { incidentObservables, observableValue } from './case-observables';
import type { Case, CaseChange, CaseChangeKind, CaseStatus, ObservableType, Tlp } from './cases-model';
import { WorkflowError } from './incidents';

export interface CaseDeps {
  store: Store;
  now?: () => Date;
}

export interface NewCase {
  tenant?: string;
  title: string;
  description?: string;
  severity?: Severity;
  tlp?: Tlp;
  assignee?: string | null;
  incidents?: string[];
}

export interface CasePatch {
  title?: string;
  description?: string;
  assignee?: string | null;
  status?: CaseStatus;
  resolution?: string | null;
  severity?: Severity;
  tlp?: Tlp;
}

export interface NewObservable {
  type: ObservableType;
  value: string;
  note?: string | null;
  tags?: string[];
}

const MAX_OBSERVABLES = 5000;
const MAX_COMMENTS = 5000;
const MAX_INCIDENTS = 1000;
const FIELDS = ['title', 'description', 'assignee', 'severity', 'tlp'] as const;

const nowOf = (d: CaseDeps) => (d.now ? d.now() : new Date()).toISOString();
const notFound = (id: string) => new WorkflowError(`case ${id} does not exist or is not visible to you`, 404);

/** The incident, when the caller sees it and it is of the case's agency; else why not. */
async function incidentFor(d: CaseDeps, incidentId: string, tenant: string, scope: TenantScope): Promise<Incident> {
  const inc = await d.store.getIncident(incidentId, scope);
  if (!inc) throw new WorkflowError(`incident ${incidentId} does not exist or is not visible to you`, 404);
  if (inc.tenant !== tenant) throw new WorkflowError(`incident ${incidentId} is of agency ${inc.tenant}, not of the case's agency ${tenant}: a case holds the incidents of one agency`, 400);
  return inc;
}

export async function createCase(d: CaseDeps, input: NewCase, scope: TenantScope, actor: string): Promise<Case> {
  const tenant = input.tenant ?? (scope?.length === 1 ? scope[0] : undefined) ?? (input.incidents?.length ? (await d.store.getIncident(input.incidents[0], scope))?.tenant : undefined);
  if (!tenant) throw new WorkflowError('body/tenant: name the agency of the case (or link an incident, whose agency it takes)', 400);
  if ((scope !== null && !scope.includes(tenant)) || !(await d.store.getTenant(tenant))) throw new WorkflowError(`body/tenant: agency ${tenant} does not exist or is not visible to you`, 404);
  const incidents = [...new Set(input.incidents ?? [])];
  for (const id of incidents) await incidentFor(d, id, tenant, scope);
  const at = nowOf(d);
  const id = `case-${newId().toLowerCase()}`;
  const history: CaseChange[] = [{ at, actor, action: 'created', from: null, to: input.title }, ...incidents.map((i) => ({ at, actor, action: 'incident_linked' as const, from: null, to: i }))];
  const c: Case = {
    id, tenant, title: input.title.trim(), description: input.description ?? '', assignee: input.assignee ?? null, status: 'new', resolution: null,
    severity: input.severity ?? 'medium', tlp: input.tlp ?? 'AMBER', incidents, observables: [], comments: [], history, created: at, createdBy: actor, updated: at, version: 1,
  };
  await d.store.cases.saveCase(c, null);
  return c;
}

export async function getCase(d: CaseDeps, id: string, scope: TenantScope): Promise<Case> {
  const c = await d.store.cases.getCase(id, scope);
  if (!c) throw notFound(id);
  return c;
}

type Edit = (c: Case, note: (action: CaseChangeKind, from: string | null, to: string | null) => void, at: string) => Promise<void> | void;

/** Reads the case, applies `edit` to a copy, records what it noted in the history and saves against the version read (three tries). */
async function changeCase(d: CaseDeps, id: string, scope: TenantScope, actor: string, edit: Edit): Promise<Case> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = await getCase(d, id, scope);
    const c: Case = structuredClone(before);
    const at = nowOf(d);
    const notes: CaseChange[] = [];
    await edit(c, (action, from, to) => notes.push({ at, actor, action, from, to }), at);
    if (!notes.length) return before;
    c.history.push(...notes);
    c.updated = at;
    c.version = before.version + 1;
    try {
      await d.store.cases.saveCase(c, before.version);
      return c;
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
    }
  }
  throw new WorkflowError(`case ${id} is being changed by someone else right now; reload it and try again`, 409);
}

const refuseClosed = (c: Case, what: string) => {
  if (c.status === 'closed') throw new WorkflowError(`case ${c.id} is closed: reopen it (status new or in_progress) to ${what}`, 409);
};

export function updateCase(d: CaseDeps, id: string, scope: TenantScope, actor: string, patch: CasePatch): Promise<Case> {
  return changeCase(d, id, scope, actor, (c, note) => {
    const reopening = patch.status !== undefined && patch.status !== 'closed' && c.status === 'closed';
    if (!reopening && FIELDS.some((f) => patch[f] !== undefined && patch[f] !== c[f])) refuseClosed(c, 'edit it');
    for (const f of FIELDS) {
      const v = patch[f];
      if (v === undefined || v === c[f]) continue;
      note(f, c[f], v);
      (c as unknown as Record<string, unknown>)[f] = f === 'title' ? String(v).trim() : v;
    }
    if (patch.status !== undefined && patch.status !== c.status) {
      if (patch.status === 'closed' && !patch.resolution?.trim()) throw new WorkflowError('body/resolution: say how the case ended to close it', 400);
      note('status', c.status, patch.status);
      c.status = patch.status;
      const resolution = patch.status === 'closed' ? patch.resolution!.trim() : null;
      if (resolution !== c.resolution) note('resolution', c.resolution, resolution);
      c.resolution = resolution;
    }
  });
}

export function linkIncident(d: CaseDeps, id: string, incidentId: string, scope: TenantScope, actor: string): Promise<Case> {
  return changeCase(d, id, scope, actor, async (c, note) => {
    refuseClosed(c, 'link incidents');
    await incidentFor(d, incidentId, c.tenant, scope);
    if (c.incidents.includes(incidentId)) return;
    if (c.incidents.length >= MAX_INCIDENTS) throw new WorkflowError(`case ${id} already holds ${MAX_INCIDENTS} incidents; open another case`, 409);
    c.incidents.push(incidentId);
    note('incident_linked', null, incidentId);
  });
}

export function unlinkIncident(d: CaseDeps, id: string, incidentId: string, scope: TenantScope, actor: string): Promise<Case> {
  return changeCase(d, id, scope, actor, (c, note) => {
    refuseClosed(c, 'unlink incidents');
    if (!c.incidents.includes(incidentId)) throw new WorkflowError(`incident ${incidentId} is not linked to case ${id}`, 404);
    c.incidents = c.incidents.filter((i) => i !== incidentId);
    note('incident_unlinked', incidentId, null);
  });
}

export async function addObservable(d: CaseDeps, id: string, o: NewObservable, scope: TenantScope, actor: string): Promise<Case> {
  const value = observableValue(o.type, o.value);
  return changeCase(d, id, scope, actor, (c, note, at) => {
    refuseClosed(c, 'add observables');
    if (c.observables.some((x) => x.type === o.type && x.value === value)) throw new WorkflowError(`observable ${o.type} ${value} is already in case ${id}`, 409);
    if (c.observables.length >= MAX_OBSERVABLES) throw new WorkflowError(`case ${id} already holds ${MAX_OBSERVABLES} observables`, 409);
    c.observables.push({ id: `obs-${newId().toLowerCase()}`, type: o.type, value, note: o.note?.trim() || null, tags: [...new Set(o.tags ?? [])], added: at, by: actor, incidentId: null });
    note('observable_added', null, `${o.type}:${value}`);
  });
}

export function removeObservable(d: CaseDeps, id: string, observableId: string, scope: TenantScope, actor: string): Promise<Case> {
  return changeCase(d, id, scope, actor, (c, note) => {
    refuseClosed(c, 'remove observables');
    const o = c.observables.find((x) => x.id === observableId);
    if (!o) throw new WorkflowError(`observable ${observableId} is not in case ${id}`, 404);
    c.observables = c.observables.filter((x) => x !== o);
    note('observable_removed', `${o.type}:${o.value}`, null);
  });
}

/** Adds the linked incident's entities (addresses, users, hosts, malware) as observables; those already there (or past the limit) are skipped and counted. */
export async function observablesFromIncident(d: CaseDeps, id: string, incidentId: string, scope: TenantScope, actor: string): Promise<{ case: Case; added: number; skipped: number }> {
  let added = 0;
  let skipped = 0;
  const c = await changeCase(d, id, scope, actor, async (c, note, at) => {
    refuseClosed(c, 'add observables');
    if (!c.incidents.includes(incidentId)) throw new WorkflowError(`incident ${incidentId} is not linked to case ${id}: link it first`, 400);
    const inc = await incidentFor(d, incidentId, c.tenant, scope);
    added = 0;
    skipped = 0;
    for (const o of incidentObservables(inc)) {
      if (c.observables.some((x) => x.type === o.type && x.value === o.value) || c.observables.length >= MAX_OBSERVABLES) {
        skipped++;
        continue;
      }
      c.observables.push({ id: `obs-${newId().toLowerCase()}`, type: o.type, value: o.value, note: null, tags: o.tags, added: at, by: actor, incidentId });
      note('observable_added', null, `${o.type}:${o.value}`);
      added++;
    }
  });
  return { case: c, added, skipped };
}

export async function addComment(d: CaseDeps, id: string, text: string, scope: TenantScope, actor: string): Promise<Case> {
  const body = text.trim();
  if (!body) throw new WorkflowError('body/text: a comment needs some text', 400);
  return changeCase(d, id, scope, actor, (c, note, at) => {
    if (c.comments.length >= MAX_COMMENTS) throw new WorkflowError(`case ${id} already holds ${MAX_COMMENTS} comments`, 409);
    const comment = { id: `cm-${newId().toLowerCase()}`, at, author: actor, text: body };
    c.comments.push(comment);
    note('comment', null, comment.id);
  });
}
