/**
 * What a responder reads: an incident rendered into a subject and a body, in Vietnamese by
 * default or English. It says what happened, where, how bad, how many times, when (Vietnam
 * time), who wrote the rule (the DRL licence of Sigma rules requires the author) and the link.
 */
import type { Incident, Severity } from '../core/model';
import { severityRank } from '../core/model';
import { ZALO_TEXT_LIMIT } from './channels/zalo';

export type Language = 'vi' | 'en';
export const LANGUAGES: Language[] = ['vi', 'en'];
export const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export const SEVERITY_LABELS: Record<Language, Record<Severity, string>> = {
  vi: { informational: 'THÔNG TIN', low: 'THẤP', medium: 'TRUNG BÌNH', high: 'CAO', critical: 'NGHIÊM TRỌNG' },
  en: { informational: 'INFO', low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL' },
};

const STATUS_LABELS: Record<Language, Record<string, string>> = {
  vi: { new: 'mới', acknowledged: 'đã xác nhận', in_progress: 'đang xử lý', resolved: 'đã xử lý xong', false_positive: 'cảnh báo nhầm', duplicate: 'trùng lặp' },
  en: { new: 'new', acknowledged: 'acknowledged', in_progress: 'in progress', resolved: 'resolved', false_positive: 'false positive', duplicate: 'duplicate' },
};

const T = {
  vi: {
    what: 'Sự việc',
    where: 'Vị trí',
    agency: 'đơn vị',
    host: 'máy',
    source: 'địa chỉ nguồn',
    destination: 'địa chỉ đích',
    user: 'người dùng',
    severity: 'Mức độ',
    count: 'Số lần',
    firstSeen: 'Lần đầu',
    lastSeen: 'Lần cuối',
    vnTime: 'giờ Việt Nam',
    status: 'Trạng thái',
    rule: 'Quy tắc',
    author: 'tác giả',
    unknownAuthor: 'không rõ',
    open: 'Mở sự cố',
    escalation: 'LEO THANG',
    raised: 'MỨC ĐỘ TĂNG',
    rules: 'Các quy tắc đã kích hoạt',
    notAcked: (m: number) => `Sự cố chưa được xác nhận sau ${m} phút.`,
    reportSoon: 'SẮP HẾT HẠN BÁO CÁO',
    reportLate: 'QUÁ HẠN BÁO CÁO',
    reportKind: { initial: 'báo cáo ban đầu', final: 'báo cáo kết thúc ứng phó' } as Record<string, string>,
    reportDueLine: (kind: string, due: string) => `Hạn gửi ${kind} sự cố tới cơ quan có thẩm quyền: ${due} (giờ Việt Nam). Ghi nhận "đã gửi" trên trang sự cố khi đã gửi.`,
    reportLateLine: (kind: string, due: string) => `Đã quá hạn gửi ${kind} sự cố (hạn ${due}, giờ Việt Nam) mà chưa ghi nhận đã gửi.`,
    digestSubject: (agency: string, day: string, n: number) => `[canhgac] Tổng hợp ngày ${day} — ${agency}: ${n} sự cố`,
    digestIntro: (agency: string, day: string) => `Tổng hợp sự cố an ninh của ${agency} trong 24 giờ tính đến ${day}.`,
    digestNone: 'Không có sự cố mới.',
    digestBySeverity: 'Theo mức độ',
    digestOpen: 'Chưa xử lý xong',
    times: 'lần',
    more: (n: number) => `… và ${n} sự cố khác.`,
    console: 'Bảng điều khiển',
  },
  en: {
    what: 'What',
    where: 'Where',
    agency: 'agency',
    host: 'host',
    source: 'source address',
    destination: 'destination address',
    user: 'user',
    severity: 'Severity',
    count: 'Count',
    firstSeen: 'First seen',
    lastSeen: 'Last seen',
    vnTime: 'Vietnam time',
    status: 'Status',
    rule: 'Rule',
    author: 'author',
    unknownAuthor: 'unknown',
    open: 'Open the incident',
    escalation: 'ESCALATION',
    raised: 'SEVERITY RAISED',
    rules: 'Rules that fired',
    notAcked: (m: number) => `Not acknowledged after ${m} minutes.`,
    reportSoon: 'REPORT DUE SOON',
    reportLate: 'REPORT OVERDUE',
    reportKind: { initial: 'initial report', final: 'final report' } as Record<string, string>,
    reportDueLine: (kind: string, due: string) => `The ${kind} of this incident to the competent authority is due by ${due} (Vietnam time). Record it as sent on the incident page once sent.`,
    reportLateLine: (kind: string, due: string) => `The ${kind} of this incident is overdue (due ${due}, Vietnam time) and not recorded as sent.`,
    digestSubject: (agency: string, day: string, n: number) => `[canhgac] Daily digest ${day} — ${agency}: ${n} incident${n === 1 ? '' : 's'}`,
    digestIntro: (agency: string, day: string) => `Security incidents of ${agency} in the 24 hours up to ${day}.`,
    digestNone: 'No new incidents.',
    digestBySeverity: 'By severity',
    digestOpen: 'Still open',
    times: 'times',
    more: (n: number) => `… and ${n} more.`,
    console: 'Console',
  },
} as const;

/** Untrusted values (they come from logs) on one line, bounded: no forged lines or headers. */
export function clean(value: unknown, max = 200): string {
  const s = String(value ?? '')
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .trim();
  const chars = Array.from(s);
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : s;
}

export function incidentLink(consoleUrl: string, id: string): string {
  return `${consoleUrl.replace(/\/+$/, '')}/#/incidents/${encodeURIComponent(id)}`;
}

/** `14:05:03 28/11/2026` (vi) or `2026-11-28 14:05:03` (en), in Vietnam time. */
export function formatTime(iso: string, language: Language): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return clean(iso, 40);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: VN_TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  return language === 'vi' ? `${time} ${parts.day}/${parts.month}/${parts.year}` : `${parts.year}-${parts.month}-${parts.day} ${time}`;
}

export function formatDay(at: Date, language: Language): string {
  return formatTime(at.toISOString(), language).replace(/^\d\d:\d\d:\d\d /, '').replace(/ \d\d:\d\d:\d\d$/, '');
}

export interface RenderOptions {
  language?: Language;
  consoleUrl: string;
  /** The agency's display name; its id is shown beside it. */
  agencyName?: string | null;
  reason?: 'opened' | 'escalation' | 'update' | string; // also report-<initial|final>-<due_soon|overdue>
  escalationMinutes?: number;
  /** For a report reminder: when the report is due (ISO). */
  reportDue?: string;
}

/** A report reminder's reason (`report-initial-due_soon`, `report-final-overdue`), or null. */
export function reportReason(reason: string | undefined): { kind: string; late: boolean } | null {
  const m = /^report-(initial|final)-(due_soon|overdue)$/.exec(reason ?? '');
  return m ? { kind: m[1], late: m[2] === 'overdue' } : null;
}

export interface RenderedMessage {
  subject: string;
  body: string;
}

export function renderSubject(incident: Incident, opts: RenderOptions): string {
  const lang = opts.language ?? 'vi';
  const sev = SEVERITY_LABELS[lang][incident.severity] ?? clean(incident.severity).toUpperCase();
  const agency = clean(opts.agencyName || incident.tenant, 80);
  const report = reportReason(opts.reason);
  const prefix = opts.reason === 'escalation' ? `[${T[lang].escalation}] ` : opts.reason?.startsWith('raised-') ? `[${T[lang].raised}] ` : report ? `[${report.late ? T[lang].reportLate : T[lang].reportSoon}] ` : '';
  return `${prefix}[${sev}] ${clean(incident.title || incident.rule.title, 150)} — ${agency}`;
}

/** The lines of the body except the link, most important first. */
function bodyLines(incident: Incident, opts: RenderOptions, descriptionMax: number): string[] {
  const lang = opts.language ?? 'vi';
  const t = T[lang];
  const s = incident.summary ?? {};
  const lines: string[] = [];
  if (opts.reason === 'escalation' && opts.escalationMinutes !== undefined) lines.push(t.notAcked(opts.escalationMinutes));
  const report = reportReason(opts.reason);
  if (report && opts.reportDue) lines.push((report.late ? t.reportLateLine : t.reportDueLine)(t.reportKind[report.kind] ?? report.kind, formatTime(opts.reportDue, lang)));
  const description = incident.rule.description ? ` — ${clean(incident.rule.description, descriptionMax)}` : '';
  lines.push(`${t.what}: ${clean(incident.rule.title, 150)}${descriptionMax > 0 ? description : ''}`);
  const where = [`${t.agency} ${clean(opts.agencyName || incident.tenant, 80)}${opts.agencyName ? ` (${clean(incident.tenant, 40)})` : ''}`];
  if (s.host) where.push(`${t.host} ${clean(s.host, 100)}`);
  if (s.source_ip) where.push(`${t.source} ${clean(s.source_ip, 60)}`);
  if (s.destination_ip) where.push(`${t.destination} ${clean(s.destination_ip, 60)}`);
  if (s.user) where.push(`${t.user} ${clean(s.user, 100)}`);
  lines.push(`${t.where}: ${where.join('; ')}`);
  if ((incident.rules?.length ?? 0) > 1) lines.push(`${t.rules}: ${incident.rules!.map((r) => `${clean(r.title, 100)} (${r.count})`).join('; ')}`);
  lines.push(`${t.severity}: ${SEVERITY_LABELS[lang][incident.severity] ?? clean(incident.severity)} (${clean(incident.severity, 20)})`);
  lines.push(`${t.count}: ${incident.count}`);
  lines.push(`${t.firstSeen}: ${formatTime(incident.first_seen, lang)} (${t.vnTime})`);
  lines.push(`${t.lastSeen}: ${formatTime(incident.last_seen, lang)} (${t.vnTime})`);
  lines.push(`${t.status}: ${STATUS_LABELS[lang][incident.status] ?? clean(incident.status)}`);
  lines.push(`${t.rule}: ${clean(incident.rule.title, 150)} (${clean(incident.rule.id, 80)}); ${t.author}: ${clean(incident.rule.author || t.unknownAuthor, 150)}`);
  return lines;
}

export function renderIncident(incident: Incident, opts: RenderOptions): RenderedMessage {
  const lang = opts.language ?? 'vi';
  const lines = bodyLines(incident, opts, 1000);
  lines.push('', `${T[lang].open}: ${incidentLink(opts.consoleUrl, incident.id)}`);
  return { subject: renderSubject(incident, opts), body: lines.join('\n') };
}

/**
 * One text for Zalo: the subject, then the body, within Zalo's limit. The description is
 * shortened first, then the middle lines, so the headline and the link always survive.
 */
export function renderIncidentText(incident: Incident, opts: RenderOptions, limit: number = ZALO_TEXT_LIMIT): string {
  const lang = opts.language ?? 'vi';
  const subject = renderSubject(incident, opts);
  const link = `${T[lang].open}: ${incidentLink(opts.consoleUrl, incident.id)}`;
  for (const descriptionMax of [1000, 300, 100, 0]) {
    const text = [subject, ...bodyLines(incident, opts, descriptionMax), link].join('\n');
    if (Array.from(text).length <= limit) return text;
  }
  const head = Array.from([subject, ...bodyLines(incident, opts, 0)].join('\n'));
  const room = Math.max(0, limit - Array.from(link).length - 2);
  return head.slice(0, room).join('') + '…\n' + link;
}

/** Shortens a text to `limit` characters keeping its last line (the link) whole. */
export function fitKeepingLastLine(text: string, limit: number = ZALO_TEXT_LIMIT): string {
  if (Array.from(text).length <= limit) return text;
  const cut = text.lastIndexOf('\n');
  const last = cut < 0 ? '' : text.slice(cut + 1);
  const head = Array.from(cut < 0 ? text : text.slice(0, cut));
  const room = Math.max(0, limit - Array.from(last).length - 2);
  return head.slice(0, room).join('') + '…' + (last ? '\n' + last : '');
}

export interface DigestOptions {
  language?: Language;
  consoleUrl: string;
  agencyName?: string | null;
  tenant: string;
  /** End of the digest period. */
  at: Date;
  /** How many incidents to list by name. */
  maxListed?: number;
}

/** The daily digest of one agency: counts by severity, then the incidents, worst first. */
export function renderDigest(incidents: Incident[], opts: DigestOptions): RenderedMessage {
  const lang = opts.language ?? 'vi';
  const t = T[lang];
  const agency = clean(opts.agencyName || opts.tenant, 80);
  const day = formatDay(opts.at, lang);
  const sorted = [...incidents].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.count - a.count);
  const lines = [t.digestIntro(agency, day), ''];
  if (sorted.length === 0) {
    lines.push(t.digestNone);
  } else {
    const bySeverity = (['critical', 'high', 'medium', 'low', 'informational'] as Severity[])
      .map((sev) => [sev, sorted.filter((i) => i.severity === sev).length] as const)
      .filter(([, n]) => n > 0)
      .map(([sev, n]) => `${SEVERITY_LABELS[lang][sev]}: ${n}`);
    lines.push(`${t.digestBySeverity}: ${bySeverity.join(', ')}`);
    const open = sorted.filter((i) => ['new', 'acknowledged', 'in_progress'].includes(i.status)).length;
    lines.push(`${t.digestOpen}: ${open}`, '');
    const max = opts.maxListed ?? 20;
    for (const i of sorted.slice(0, max)) {
      const where = [i.summary?.host, i.summary?.source_ip, i.summary?.user].filter(Boolean).map((v) => clean(v, 60));
      lines.push(
        `- [${SEVERITY_LABELS[lang][i.severity]}] ${clean(i.title || i.rule.title, 120)}${where.length ? ' — ' + where.join(', ') : ''} — ${i.count} ${t.times} — ${STATUS_LABELS[lang][i.status] ?? i.status} — ${incidentLink(opts.consoleUrl, i.id)}`,
      );
    }
    if (sorted.length > max) lines.push(t.more(sorted.length - max));
  }
  lines.push('', `${t.console}: ${opts.consoleUrl.replace(/\/+$/, '')}/`);
  return { subject: t.digestSubject(agency, day, sorted.length), body: lines.join('\n') };
}
