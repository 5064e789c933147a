/**
 * The content of an incident report in the Vietnamese forms (initial report, report at the end
 * of the response), prefilled from an incident, its agency and its history: a plain structure
 * that reports/pdf.ts and reports/docx.ts lay out, with every field overridable before export.
 */
import type { Incident, IncidentChange, IncidentStatus, Severity, Tenant } from '../core/model';

export type ReportKind = 'initial' | 'final';
export const REPORT_KINDS: ReportKind[] = ['initial', 'final'];

export interface ReportForm {
  title: string; // the form's heading, as printed
  name: string; // which form it is
  source: string; // the text the form follows, printed in the document as "<name> theo <source>"
  deadlineHours: number; // from detection (a setting, with its source)
  deadlineSource: string;
}

const SOURCE = 'Thông tư 20/2017/TT-BTTTT quy định về điều phối, ứng cứu sự cố an toàn thông tin mạng trên toàn quốc; thời hạn báo cáo theo Điều 31.2.d Nghị định 331/2026/NĐ-CP';
// The fields follow the forms of TT 20/2017/TT-BTTTT as published; the annex text was not at hand, so the source line says "modelled on".
export const FORMS: Record<ReportKind, ReportForm> = {
  initial: {
    title: 'BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG',
    name: 'Mẫu báo cáo ban đầu sự cố',
    source: SOURCE,
    deadlineHours: 24,
    deadlineSource: 'NĐ 331/2026/NĐ-CP Điều 31.2.d: thông báo ban đầu trong 24 giờ',
  },
  final: {
    title: 'BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ AN TOÀN THÔNG TIN MẠNG',
    name: 'Mẫu báo cáo kết thúc ứng phó sự cố',
    source: SOURCE,
    deadlineHours: 72,
    deadlineSource: 'NĐ 331/2026/NĐ-CP Điều 31.2.d: nguyên nhân, phạm vi, khắc phục trong 72 giờ',
  },
};

export interface ReportField {
  key: string; // what an override names
  label: string;
  value: string; // may hold several lines
}

export interface ReportSection {
  title: string;
  fields: ReportField[];
}

export interface IncidentReport {
  kind: ReportKind;
  form: ReportForm;
  incidentId: string;
  agency: { id: string; name: string };
  header: { issuer: string; number: string; placeDate: string; recipient: string };
  sections: ReportSection[];
  signer: { title: string; name: string };
  generated: string; // ISO time the report was built
}

export interface ReportInput {
  kind: ReportKind;
  incident: Incident;
  tenant: Tenant | null;
  changes: IncidentChange[];
  alerts?: { summary: Incident['summary'] }[];
  reporter?: string; // the user producing it
  now?: Date;
  deadlineHours?: Partial<Record<ReportKind, number>>; // settings; defaults in FORMS
  place?: string; // "Ninh Thuận, ngày …"; blank dots when not given
}

export const SEVERITY_VI: Record<Severity, string> = { informational: 'Thông tin', low: 'Thấp', medium: 'Trung bình', high: 'Cao', critical: 'Nghiêm trọng' };
export const STATUS_VI: Record<IncidentStatus, string> = {
  new: 'Mới phát hiện, chưa xử lý', acknowledged: 'Đã tiếp nhận', in_progress: 'Đang xử lý', resolved: 'Đã xử lý xong', false_positive: 'Cảnh báo nhầm (không phải sự cố)', duplicate: 'Trùng với sự cố khác',
};

// ATT&CK tactic → the kind of incident in the words the forms use, most telling first
export const KIND_BY_TACTIC: [string, string][] = [
  ['impact', 'Tấn công gây gián đoạn, phá hoại hệ thống (từ chối dịch vụ, mã hóa dữ liệu)'],
  ['exfiltration', 'Lộ lọt, đánh cắp dữ liệu'],
  ['command_and_control', 'Mã độc, máy bị điều khiển từ xa'],
  ['lateral_movement', 'Xâm nhập, lây lan trong mạng nội bộ'],
  ['privilege_escalation', 'Chiếm quyền điều khiển hệ thống'],
  ['persistence', 'Cài cắm mã độc, duy trì truy cập trái phép'],
  ['execution', 'Thực thi mã độc'],
  ['credential_access', 'Tấn công dò quét, đánh cắp mật khẩu, tài khoản'],
  ['initial_access', 'Truy cập trái phép, khai thác lỗ hổng'],
  ['defense_evasion', 'Vô hiệu hóa, lẩn tránh biện pháp bảo vệ'],
  ['discovery', 'Do thám, dò quét hệ thống'],
  ['reconnaissance', 'Do thám, dò quét hệ thống'],
];

export const VN_OFFSET_MS = 7 * 3600e3; // reports are read in Vietnam time (UTC+7, no summer time)
const pad = (n: number) => String(n).padStart(2, '0');

/** "07/12/2026 08:14 (giờ Việt Nam)" */
export function vnTime(iso: string | Date | null | undefined): string {
  if (!iso) return '';
  const d = new Date(new Date(iso).getTime() + VN_OFFSET_MS);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} (giờ Việt Nam)`;
}

export function vnDateWords(d: Date): string {
  const v = new Date(d.getTime() + VN_OFFSET_MS);
  return `ngày ${pad(v.getUTCDate())} tháng ${pad(v.getUTCMonth() + 1)} năm ${v.getUTCFullYear()}`;
}

const uniq = (xs: (string | undefined | null)[]) => [...new Set(xs.filter((x): x is string => !!x && x.trim() !== ''))];
const listOr = (xs: string[], none: string) => (xs.length ? xs.join(', ') : none);

export const KIND_MALWARE = 'Mã độc';
export const KIND_OTHER = 'Khác';

/** The kind alone, without the malware names or the title: what a periodic report counts incidents by. */
export function incidentKindName(inc: Incident): string {
  if (inc.entities?.malware?.length || inc.summary.malware) return KIND_MALWARE;
  const tactics = new Set([...(inc.tactics ?? []), ...[inc.rule, ...(inc.rules ?? [])].flatMap((r) => r.tags ?? []).filter((t) => t.startsWith('attack.')).map((t) => t.slice(7))]);
  return KIND_BY_TACTIC.find(([t]) => tactics.has(t))?.[1] ?? KIND_OTHER;
}

export function incidentKind(inc: Incident): string {
  const kind = incidentKindName(inc);
  if (kind === KIND_MALWARE) return `Mã độc (${listOr(uniq([...(inc.entities?.malware ?? []), inc.summary.malware]), '')})`;
  return kind === KIND_OTHER ? `Khác: ${inc.title}` : kind;
}

/** What responders did, from the incident's history: one line per change, oldest first. */
export function actionsTaken(changes: IncidentChange[]): string {
  const lines = [...changes].sort((a, b) => a.at.localeCompare(b.at)).flatMap((c) => {
    const who = c.actor;
    const at = vnTime(c.at).replace(' (giờ Việt Nam)', '');
    switch (c.action) {
      case 'status': return [`${at} – ${who}: chuyển trạng thái sang "${STATUS_VI[c.to as IncidentStatus] ?? c.to}"${c.comment ? `: ${c.comment}` : ''}`];
      case 'assign': return [`${at} – ${who}: ${c.to ? `giao xử lý cho ${c.to}` : 'bỏ phân công'}`];
      case 'comment': return [`${at} – ${who}: ${c.comment ?? c.to ?? ''}`];
      case 'merge': return [`${at} – ${who}: gộp sự cố ${c.to ?? ''}`];
      case 'split': return [`${at} – ${who}: tách cảnh báo sang sự cố ${c.to ?? ''}`];
      case 'severity': return [`${at} – ${who}: đổi mức độ từ ${SEVERITY_VI[c.from as Severity] ?? c.from} sang ${SEVERITY_VI[c.to as Severity] ?? c.to}`];
      default: return []; // created and alert_added are the system's, not a responder's action
    }
  });
  return lines.length ? lines.join('\n') : 'Chưa ghi nhận biện pháp xử lý.';
}

const field = (key: string, label: string, value: string): ReportField => ({ key, label, value });

/** The report as prefilled from the incident; `applyOverrides` then puts the responder's edits in. */
export function buildIncidentReport(input: ReportInput): IncidentReport {
  const { kind, incident: inc, tenant, changes } = input;
  const now = input.now ?? new Date();
  const form = { ...FORMS[kind], deadlineHours: input.deadlineHours?.[kind] ?? FORMS[kind].deadlineHours };
  const agency = { id: inc.tenant, name: tenant?.name ?? inc.tenant };
  const summaries = [inc.summary, ...(input.alerts ?? []).map((a) => a.summary)];
  const hosts = uniq([...(inc.entities?.host ?? []), ...summaries.flatMap((s) => [s.host, s.asset, s.destination_ip])]);
  const sources = uniq([...(inc.entities?.source_ip ?? []), ...summaries.map((s) => s.source_ip)]);
  const users = uniq([...(inc.entities?.user ?? []), ...summaries.map((s) => s.user)]);
  const rules = inc.rules?.length ? inc.rules.map((r) => `${r.title} (${r.id}): ${r.count} lần, mức ${SEVERITY_VI[r.severity] ?? r.severity}`) : [`${inc.rule.title} (${inc.rule.id})`];
  const level = tenant?.securityLevel;
  const detected = inc.created;
  const deadline = new Date(new Date(detected).getTime() + form.deadlineHours * 3600e3).toISOString();
  const closedAt = [...changes].reverse().find((c) => c.action === 'status' && ['resolved', 'false_positive', 'duplicate'].includes(String(c.to)))?.at;
  const weaknesses = (inc.weaknesses ?? []).map((w) => `${w.host}${w.port ? `:${w.port}` : ''}: ${w.name}${w.cves.length ? ` (${w.cves.join(', ')})` : ''}`);

  const sections: ReportSection[] = [
    {
      title: 'I. THÔNG TIN ĐƠN VỊ BÁO CÁO',
      fields: [
        field('agency', 'Tên cơ quan, đơn vị (chủ quản hệ thống)', agency.name),
        field('operator', 'Đơn vị vận hành hệ thống thông tin', agency.name),
        field('reporter', 'Người báo cáo, chức vụ', input.reporter ?? ''),
        field('contact', 'Điện thoại, thư điện tử liên hệ', ''),
      ],
    },
    {
      title: 'II. THÔNG TIN HỆ THỐNG BỊ SỰ CỐ',
      fields: [
        field('system', 'Tên hệ thống thông tin bị sự cố', hosts.length ? `Hệ thống thông tin của ${agency.name} (${hosts.slice(0, 3).join(', ')})` : `Hệ thống thông tin của ${agency.name}`),
        field('security_level', 'Cấp độ an toàn hệ thống thông tin', level ? `Cấp độ ${level} (NĐ 85/2016/NĐ-CP, TT 12/2022/TT-BTTTT; nay NĐ 331/2026/NĐ-CP)` : 'Chưa xác định cấp độ'),
        field('assets', 'Tài sản, máy chủ bị ảnh hưởng', listOr(hosts, 'Chưa xác định')),
        field('users', 'Tài khoản liên quan', listOr(users, 'Không có')),
      ],
    },
    {
      title: 'III. THÔNG TIN SỰ CỐ',
      fields: [
        field('incident_id', 'Mã sự cố (canhgac)', inc.id),
        field('title', 'Tên sự cố', inc.title),
        field('detected_at', 'Thời điểm phát hiện', vnTime(detected)),
        field('occurred_at', 'Thời điểm xảy ra (sự kiện đầu tiên – gần nhất)', `${vnTime(inc.first_seen)} – ${vnTime(inc.last_seen)}`),
        field('kind', 'Loại sự cố', incidentKind(inc)),
        field('severity', 'Mức độ nghiêm trọng', SEVERITY_VI[inc.severity] ?? inc.severity),
        field('description', 'Mô tả sự cố', `${inc.title}: ${inc.count} cảnh báo${inc.tactics?.length ? `; chiến thuật ATT&CK: ${inc.tactics.join(', ')}` : ''}.`),
        field('sources', 'Địa chỉ nguồn tấn công', listOr(sources, 'Chưa xác định')),
        field('rules', 'Luật phát hiện đã kích hoạt', rules.join('\n')),
        ...(weaknesses.length ? [field('weaknesses', 'Điểm yếu liên quan trên tài sản', weaknesses.join('\n'))] : []),
      ],
    },
    {
      title: kind === 'initial' ? 'IV. TÌNH HÌNH XỬ LÝ BAN ĐẦU' : 'IV. KẾT QUẢ ỨNG PHÓ SỰ CỐ',
      fields: [
        field('status', 'Tình trạng', STATUS_VI[inc.status] ?? inc.status),
        field('handler', 'Người xử lý', inc.assignee ?? 'Chưa phân công'),
        field('actions', 'Các biện pháp đã triển khai', actionsTaken(changes)),
        ...(kind === 'initial'
          ? [field('support', 'Đề nghị hỗ trợ', 'Không'), field('deadline', `Thời hạn báo cáo (${form.deadlineHours} giờ từ khi phát hiện)`, `${vnTime(deadline)}; ${form.deadlineSource}`)]
          : [
              field('closed_at', 'Thời điểm kết thúc ứng phó', closedAt ? vnTime(closedAt) : 'Chưa kết thúc'),
              field('cause', 'Nguyên nhân sự cố', inc.resolution ?? ''),
              field('impact', 'Phạm vi, mức độ ảnh hưởng', `${listOr(hosts, 'Chưa xác định')}; mức ${SEVERITY_VI[inc.severity] ?? inc.severity}`),
              field('remediation', 'Kết quả khắc phục', inc.resolution ?? ''),
              field('recommendations', 'Đề xuất, kiến nghị', ''),
              field('deadline', `Thời hạn báo cáo (${form.deadlineHours} giờ từ khi phát hiện)`, `${vnTime(deadline)}; ${form.deadlineSource}`),
            ]),
      ],
    },
  ];
  return {
    kind, form, incidentId: inc.id, agency,
    header: { issuer: agency.name, number: 'Số: ……/BC-……', placeDate: `${input.place ?? '……………'}, ${vnDateWords(now)}`, recipient: 'Cơ quan điều phối quốc gia về ứng cứu sự cố; Đội ứng cứu sự cố an toàn thông tin mạng của tỉnh' },
    sections,
    signer: { title: 'THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ', name: '' },
    generated: now.toISOString(),
  };
}

/** Keys an override may name: every field's key and the header's parts. */
export function overridableKeys(r: IncidentReport): string[] {
  return ['number', 'place_date', 'recipient', 'signer_title', 'signer_name', ...r.sections.flatMap((s) => s.fields.map((f) => f.key))];
}

/** The report with the responder's edits; an unknown key is refused, naming it and the keys there are. */
export function applyOverrides(r: IncidentReport, overrides: Record<string, string>): { report: IncidentReport } | { problem: string } {
  const keys = overridableKeys(r);
  const unknown = Object.keys(overrides).filter((k) => !keys.includes(k));
  if (unknown.length) return { problem: `fields: no field ${unknown.map((k) => `"${k}"`).join(', ')} in the ${r.kind} report; the fields are ${keys.join(', ')}` };
  const o = (k: string, v: string) => (Object.hasOwn(overrides, k) ? overrides[k].normalize('NFC') : v);
  return {
    report: {
      ...r,
      header: { ...r.header, number: o('number', r.header.number), placeDate: o('place_date', r.header.placeDate), recipient: o('recipient', r.header.recipient) },
      signer: { title: o('signer_title', r.signer.title), name: o('signer_name', r.signer.name) },
      sections: r.sections.map((s) => ({ ...s, fields: s.fields.map((f) => ({ ...f, value: o(f.key, f.value) })) })),
    },
  };
}

/** "bao-cao-ban-dau-inc-1.pdf": an ASCII file name (Content-Disposition). */
export function reportFileName(r: IncidentReport, ext: string): string {
  return `bao-cao-${r.kind === 'initial' ? 'ban-dau' : 'ket-thuc'}-${r.incidentId.replace(/[^A-Za-z0-9_-]/g, '_')}.${ext}`;
}
