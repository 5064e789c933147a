/**
 * The periodic monitoring report (báo cáo định kỳ công tác giám sát) of one agency or of the province
 * over a period (6 months by default, as TT 31/2017/TT-BTTTT asks): sources monitored, events and
 * alerts, incidents by kind and outcome, times to acknowledge and resolve, top attackers and targets,
 * open weaknesses, and month series for the charts. A plain structure from what reports/periodic-read.ts
 * read; reports/periodic-pdf.ts lays it out, and the console answers it as JSON.
 */
import { SEVERITIES, type IncidentStatus, type Severity } from '../core/model';
import { VULN_SEVERITIES, type VulnSeverity } from '../vuln/finding';
import { summarize } from '../vuln/summary';
import { slaOf } from '../console/server/sla';
import { incidentKindName, SEVERITY_VI, STATUS_VI, VN_OFFSET_MS } from './incident';
import type { PeriodicData } from './periodic-read';
import { count, median, mean, monthsOf, monthOf, top } from './periodic-stats';

export interface PeriodicForm {
  title: string;
  name: string;
  source: string; // the text the report follows, printed under the title
  periodMonths: number; // the default period (a setting, with its source)
  provinceIssuer: string; // who issues the province's report (the top left of its first page)
}

// VN-COMPLIANCE.md: "TT 31/2017/TT-BTTTT: a monitoring report every 6 months"; the sections follow what the issue and the circular ask, the layout is NĐ 30/2020's.
export const PERIODIC_FORM: PeriodicForm = {
  title: 'BÁO CÁO ĐỊNH KỲ CÔNG TÁC GIÁM SÁT AN TOÀN THÔNG TIN MẠNG',
  name: 'Báo cáo định kỳ 6 tháng',
  source: 'Thông tư 31/2017/TT-BTTTT quy định hoạt động giám sát an toàn hệ thống thông tin; cấp độ theo Nghị định 85/2016/NĐ-CP, nay Nghị định 331/2026/NĐ-CP',
  periodMonths: 6,
  provinceIssuer: 'Trung tâm giám sát an toàn thông tin mạng của tỉnh',
};

export const VULN_SEVERITY_VI: Record<VulnSeverity, string> = { critical: 'Nghiêm trọng', high: 'Cao', medium: 'Trung bình', low: 'Thấp', info: 'Thông tin' };

export interface Counted { key: string; label: string; count: number }
export interface Ranked { value: string; incidents: number; alerts: number }
export interface MonthRow { month: string; label: string; events: number; alerts: number; incidents: number }
export interface AgencyRow { id: string; name: string; securityLevel: number | null; sources: number; events: number; alerts: number; incidents: number; openFindings: number | null }
export interface TimeFigures { count: number; meanMs: number | null; medianMs: number | null }

export interface PeriodicReport {
  form: PeriodicForm;
  scope: 'agency' | 'province';
  subject: string; // the agency's name, or "Toàn tỉnh"
  period: { from: string; to: string };
  agencies: AgencyRow[];
  sources: { count: number; items: { tenant: string; source: string; dataset: string | null; events: number; lastSeen: string }[] };
  events: { total: number; bySeverity: Counted[]; byDataset: Counted[] };
  alerts: { total: number; bySeverity: Counted[] };
  incidents: { total: number; byKind: Counted[]; byStatus: Counted[]; bySeverity: Counted[]; truncated: boolean };
  times: { acknowledge: TimeFigures; resolve: TimeFigures };
  topAttackers: Ranked[];
  topTargets: Ranked[];
  vulns: { open: Counted[]; total: number; exposed: { address: string; hostname: string | null; open: number; critical: number; high: number; maxCvss: number | null }[] } | null;
  months: MonthRow[];
  reporter: string | null;
  generated: string;
}

export interface PeriodicOptions {
  scope: 'agency' | 'province';
  subject?: string; // defaults to the one agency's name, or "Toàn tỉnh"
  reporter?: string;
  now?: Date;
  form?: Partial<PeriodicForm>; // settings; defaults in PERIODIC_FORM
}

const uniq = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x && x.trim() !== ''))];
const bySev = <S extends string>(order: S[], labels: Record<S, string>, counts: Map<string, number>): Counted[] => order.map((s) => ({ key: s, label: labels[s], count: counts.get(s) ?? 0 }));

/** Who attacked or was attacked most: per address or host, the incidents and the alerts they hold. */
function ranked(items: { addresses: string[]; alerts: number }[], size: number): Ranked[] {
  const m = new Map<string, Ranked>();
  for (const it of items) {
    for (const v of it.addresses) {
      const r = m.get(v) ?? { value: v, incidents: 0, alerts: 0 };
      r.incidents++;
      r.alerts += it.alerts;
      m.set(v, r);
    }
  }
  return [...m.values()].sort((a, b) => b.incidents - a.incidents || b.alerts - a.alerts || a.value.localeCompare(b.value)).slice(0, size);
}

function timesOf(d: PeriodicData, now: number): PeriodicReport['times'] {
  const ack: number[] = [];
  const res: number[] = [];
  for (const { incident, changes } of d.incidents) {
    const s = slaOf(incident, changes, undefined, now);
    if (s.acknowledged_at || s.closed_at) ack.push(s.time_to_acknowledge_ms);
    if (s.closed_at) res.push(s.time_open_ms);
  }
  return { acknowledge: { count: ack.length, meanMs: mean(ack), medianMs: median(ack) }, resolve: { count: res.length, meanMs: mean(res), medianMs: median(res) } };
}

function monthsTable(d: PeriodicData): MonthRow[] {
  const rows = new Map(monthsOf(d.query.from, d.query.to).map((m) => [m.key, { month: m.key, label: m.label, events: 0, alerts: 0, incidents: 0 }]));
  const add = (iso: string, k: 'events' | 'alerts' | 'incidents', n: number) => {
    const r = rows.get(monthOf(iso));
    if (r) r[k] += n;
  };
  for (const b of d.events.hourly) add(b.t, 'events', b.count);
  for (const a of d.alerts) add(a.t, 'alerts', a.count);
  for (const { incident } of d.incidents) add(incident.created, 'incidents', 1);
  return [...rows.values()];
}

function agencyRows(d: PeriodicData): AgencyRow[] {
  const events = new Map(d.events.byAgency.map((v) => [v.value, v.count]));
  const sources = count(d.sources.map((s) => s.tenant));
  const incidents = count(d.incidents.map((i) => i.incident.tenant));
  const alerts = d.alertsByAgency;
  const findings = d.vulns ? count(d.vulns.open.map((f) => f.tenant)) : null;
  return d.tenants.map((t) => ({
    id: t.id, name: t.name, securityLevel: t.securityLevel ?? null, sources: sources.get(t.id) ?? 0, events: events.get(t.id) ?? 0,
    alerts: alerts.get(t.id) ?? 0, incidents: incidents.get(t.id) ?? 0, openFindings: findings ? findings.get(t.id) ?? 0 : null,
  }));
}

function vulnsOf(d: PeriodicData, now: number): PeriodicReport['vulns'] {
  if (!d.vulns) return null;
  const s = summarize('', d.vulns.open, d.vulns.assets, [], now);
  return {
    open: VULN_SEVERITIES.map((v) => ({ key: v, label: VULN_SEVERITY_VI[v], count: s.open[v] })),
    total: d.vulns.open.length,
    exposed: s.exposed.map((e) => ({ address: e.address, hostname: e.hostname, open: e.open, critical: e.critical, high: e.high, maxCvss: e.maxCvss })),
  };
}

export function buildPeriodicReport(d: PeriodicData, opts: PeriodicOptions): PeriodicReport {
  const now = opts.now ?? new Date();
  const incidents = d.incidents.map((i) => i.incident);
  const alertSev = new Map<string, number>();
  for (const a of d.alerts) alertSev.set(a.severity, (alertSev.get(a.severity) ?? 0) + a.count);
  const kinds = count(incidents.map(incidentKindName));
  const statuses = count(incidents.map((i) => i.status));
  const sevOrder = [...SEVERITIES].reverse() as Severity[];
  const subject = opts.subject ?? (opts.scope === 'province' ? 'Toàn tỉnh' : d.tenants.map((t) => t.name).join(', ') || 'Không có đơn vị');
  return {
    form: { ...PERIODIC_FORM, ...opts.form },
    scope: opts.scope,
    subject,
    period: { from: d.query.from, to: d.query.to },
    agencies: agencyRows(d),
    sources: {
      count: d.sources.length,
      items: [...d.sources].sort((a, b) => a.tenant.localeCompare(b.tenant) || b.count - a.count).map((s) => ({ tenant: s.tenant, source: s.source, dataset: s.dataset, events: s.count, lastSeen: s.last_seen })),
    },
    events: {
      total: d.events.hourly.reduce((n, b) => n + b.count, 0),
      bySeverity: top(d.events.bySeverity, (v) => `Mức ${v}`),
      byDataset: top(d.events.byDataset, (v) => v),
    },
    alerts: { total: d.alerts.reduce((n, a) => n + a.count, 0), bySeverity: bySev(sevOrder, SEVERITY_VI, alertSev) },
    incidents: {
      total: incidents.length,
      byKind: [...kinds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'vi')).map(([k, n]) => ({ key: k, label: k, count: n })),
      byStatus: (Object.keys(STATUS_VI) as IncidentStatus[]).map((s) => ({ key: s, label: STATUS_VI[s], count: statuses.get(s) ?? 0 })).filter((c) => c.count > 0),
      bySeverity: bySev(sevOrder, SEVERITY_VI, count(incidents.map((i) => i.severity))),
      truncated: d.incidentsTruncated,
    },
    times: timesOf(d, now.getTime()),
    topAttackers: ranked(incidents.map((i) => ({ addresses: uniq([...(i.entities?.source_ip ?? []), i.summary.source_ip]), alerts: i.count })), 10),
    topTargets: ranked(incidents.map((i) => ({ addresses: uniq([...(i.entities?.host ?? []), i.summary.host, i.summary.destination_ip]), alerts: i.count })), 10),
    vulns: vulnsOf(d, now.getTime()),
    months: monthsTable(d),
    reporter: opts.reporter ?? null,
    generated: now.toISOString(),
  };
}

/** "bao-cao-dinh-ky-so-a-2026-06-01-2026-11-30.pdf" (first and last day, Vietnam time): an ASCII file name (Content-Disposition). */
export function periodicFileName(r: PeriodicReport, tenant: string | null, ext: string): string {
  const day = (t: number) => new Date(t + VN_OFFSET_MS).toISOString().slice(0, 10);
  return `bao-cao-dinh-ky-${(tenant ?? 'toan-tinh').replace(/[^A-Za-z0-9_-]/g, '_')}-${day(Date.parse(r.period.from))}-${day(Date.parse(r.period.to) - 1)}.${ext}`;
}
