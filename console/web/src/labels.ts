// What the console shows for stored codes and English titles: rules (shipped ones by hand, SigmaHQ's from
// the maintained table in rules/i18n/), incident titles (stored as the rule's English title), audit actions.
import shipped from '../../../rules/i18n/shipped.vi.json';
import sigmahq from '../../../rules/i18n/sigmahq.vi.json';
import { lang } from './i18n';

const SHIPPED = shipped as Record<string, { en: string; title: string; summary: string }>;
const SIGMAHQ = (sigmahq as { rules: Record<string, { vi: string; en: string }> }).rules;

/** English title → Vietnamese, for an incident shown without its rule (a host's incidents, a case's). */
const BY_ENGLISH = new Map<string, string>([...Object.values(SIGMAHQ).map((r) => [r.en, r.vi] as const), ...Object.values(SHIPPED).map((r) => [r.en, r.title] as const)]);

interface RuleLike { id: string; title: string; description?: string | null }

/** The rule's title in the reader's language: Vietnamese where the tables have one, else as written. */
export function ruleTitle(r: RuleLike): string {
  if (lang.get() === 'en') return r.title;
  return SHIPPED[r.id]?.title ?? SIGMAHQ[r.id]?.vi ?? r.title;
}

/** The rule's summary in the reader's language (the shipped rules have one by hand). */
export function ruleSummary(r: RuleLike): string | undefined {
  if (lang.get() === 'en') return r.description ?? undefined;
  return SHIPPED[r.id]?.summary ?? r.description ?? undefined;
}

/** An incident keeps its rule's English title as stored (a correlation's, above its base rule); it is shown as that rule's localized title. */
export function incidentTitle(inc: { title: string; rule?: RuleLike; rules?: RuleLike[] | null }): string {
  const rule = [...(inc.rule ? [inc.rule] : []), ...(inc.rules ?? [])].find((r) => r.title === inc.title);
  if (rule) return ruleTitle(rule);
  return lang.get() === 'en' ? inc.title : BY_ENGLISH.get(inc.title) ?? inc.title;
}

const AUDIT: Record<string, [vi: string, en: string]> = {
  login: ['Đăng nhập', 'Signed in'], 'login.failed': ['Đăng nhập thất bại', 'Sign-in failed'], 'login.locked': ['Tạm khóa do đăng nhập sai', 'Locked out after failed sign-ins'], logout: ['Đăng xuất', 'Signed out'],
  'password.change': ['Đổi mật khẩu', 'Changed password'], 'password.change.failed': ['Đổi mật khẩu thất bại', 'Password change failed'],
  'totp.setup': ['Thiết lập xác thực hai lớp', 'Set up two-factor'], 'totp.enable': ['Bật xác thực hai lớp', 'Turned on two-factor'], 'totp.disable': ['Tắt xác thực hai lớp', 'Turned off two-factor'],
  'incident.view': ['Xem sự cố', 'Viewed an incident'], 'incident.status': ['Đổi trạng thái sự cố', 'Changed an incident status'], 'incident.assign': ['Giao xử lý sự cố', 'Assigned an incident'], 'incident.comment': ['Bình luận sự cố', 'Commented on an incident'],
  'incident.report': ['Xuất báo cáo sự cố', 'Exported an incident report'], 'incident.report_sent': ['Ghi nhận đã gửi báo cáo sự cố', 'Recorded an incident report as sent'], 'vulnerabilities.import': ['Nhập kết quả quét lỗ hổng', 'Imported a vulnerability scan'], 'vulnerabilities.export': ['Xuất danh sách lỗ hổng', 'Exported vulnerabilities'],
  'incident.merge': ['Gộp sự cố', 'Merged incidents'], 'incident.split': ['Tách cảnh báo khỏi sự cố', 'Split alerts off an incident'], 'incidents.export': ['Xuất danh sách sự cố', 'Exported incidents'], 'sharing.stix': ['Xuất STIX 2.1 cho trung tâm quốc gia', 'Exported STIX 2.1 for the national centre'], 'report.periodic': ['Xuất báo cáo định kỳ', 'Exported a periodic report'],
  'incidents.bulk.acknowledge': ['Tiếp nhận hàng loạt sự cố', 'Acknowledged incidents in bulk'], 'incidents.bulk.assign': ['Giao xử lý hàng loạt', 'Assigned incidents in bulk'], 'incidents.bulk.close': ['Đóng hàng loạt sự cố', 'Closed incidents in bulk'],
  'events.search': ['Tìm kiếm sự kiện', 'Searched events'], 'events.export': ['Xuất sự kiện', 'Exported events'], 'search.save': ['Lưu tìm kiếm', 'Saved a search'], 'search.delete': ['Xóa tìm kiếm đã lưu', 'Deleted a saved search'],
  'rule.edit': ['Sửa thiết lập quy tắc', 'Edited rule settings'], 'rule.test': ['Chạy thử quy tắc', 'Tested a rule'],
  'tenant.create': ['Thêm đơn vị', 'Added an agency'], 'token.create': ['Tạo khóa gửi dữ liệu', 'Created an ingest token'], 'token.rotate': ['Cấp lại khóa gửi dữ liệu', 'Rotated an ingest token'], 'token.revoke': ['Thu hồi khóa gửi dữ liệu', 'Revoked an ingest token'],
  'user.create': ['Thêm người dùng', 'Added a user'], 'user.change': ['Sửa người dùng', 'Changed a user'], 'user.unlock': ['Mở khóa người dùng', 'Unlocked a user'],
  'audit.export': ['Xuất nhật ký thao tác', 'Exported the audit log'], 'audit.verify': ['Kiểm tra chuỗi băm nhật ký', 'Verified the audit chain'],
  'website.add': ['Thêm website giám sát', 'Added a watched website'], 'website.remove': ['Xóa website giám sát', 'Removed a watched website'], 'website.pause': ['Tạm dừng giám sát website', 'Paused a website'], 'website.resume': ['Tiếp tục giám sát website', 'Resumed a website'], 'website.rebaseline': ['Học lại nội dung chuẩn website', 'Re-learned a website baseline'],
  'ioc.import': ['Nhập chỉ dấu tấn công', 'Imported indicators'], 'blocklist.add': ['Thêm vào danh sách chặn', 'Added to the blocklist'], 'blocklist.feed_token': ['Tạo khóa nguồn danh sách chặn', 'Created a blocklist feed token'],
};
const AUDIT_PREFIX: Record<string, [string, string]> = {
  case: ['Hồ sơ điều tra', 'Case'], incident: ['Sự cố', 'Incident'], incidents: ['Sự cố', 'Incidents'], totp: ['Xác thực hai lớp', 'Two-factor'], website: ['Website', 'Website'], user: ['Người dùng', 'User'], token: ['Khóa', 'Token'],
};

/** An audit action code ("incident.view") as a label; a code the table lacks is named by its kind with the code after it. */
export function auditLabel(code: string): string {
  const i = lang.get() === 'en' ? 1 : 0;
  const known = AUDIT[code];
  if (known) return known[i];
  const kind = AUDIT_PREFIX[code.split('.')[0]];
  return kind ? `${kind[i]}: ${code.split('.').slice(1).join(' ')}` : code;
}
