import { applyOverrides, buildIncidentReport, overridableKeys, vnTime } from './incident';
import { CHANGES, INCIDENT, TENANT } from './fixtures';

const NOW = new Date('2026-12-06T06:00:00.000Z');
const value = (r: ReturnType<typeof buildIncidentReport>, key: string) => r.sections.flatMap((s) => s.fields).find((f) => f.key === key)?.value;

test('the initial report is prefilled from the incident, its agency and its history, and names its form and source', () => {
  const r = buildIncidentReport({ kind: 'initial', incident: INCIDENT, tenant: TENANT, changes: CHANGES, reporter: 'nguyen.van.an', now: NOW, place: 'Ninh Thuận' });
  expect(r.form.title).toBe('BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG');
  expect(r.form.source).toMatch(/Thông tư 20\/2017\/TT-BTTTT/);
  expect(r.header.placeDate).toBe('Ninh Thuận, ngày 06 tháng 12 năm 2026');
  expect(value(r, 'agency')).toBe('Sở Khoa học và Công nghệ tỉnh Ninh Thuận');
  expect(value(r, 'security_level')).toMatch(/^Cấp độ 3 /);
  expect(value(r, 'detected_at')).toBe('06/12/2026 08:02 (giờ Việt Nam)');
  expect(value(r, 'kind')).toBe('Tấn công dò quét, đánh cắp mật khẩu, tài khoản');
  expect(value(r, 'severity')).toBe('Nghiêm trọng');
  expect(value(r, 'assets')).toBe('portal-01, db-02');
  expect(value(r, 'sources')).toBe('203.0.113.7, 198.51.100.23');
  expect(value(r, 'rules')).toMatch(/SSH Brute Force \(ssh-brute\): 40 lần/);
  expect(value(r, 'actions')).toMatch(/tran\.thi\.binh: giao xử lý cho nguyen\.van\.an\n.*Đã chặn địa chỉ 203\.0\.113\.7/);
  expect(value(r, 'actions')).not.toMatch(/system/); // the system's own 'created' is not a responder's action
  expect(value(r, 'status')).toBe('Đã xử lý xong');
  expect(value(r, 'handler')).toBe('nguyen.van.an');
  expect(value(r, 'deadline')).toMatch(/^07\/12\/2026 08:02 .*24 giờ/);
  expect(value(r, 'cause')).toBeUndefined();
});

test('the final report adds the end of the response, the cause and the 72-hour deadline; a setting changes the deadline', () => {
  const r = buildIncidentReport({ kind: 'final', incident: INCIDENT, tenant: TENANT, changes: CHANGES, now: NOW, deadlineHours: { final: 48 } });
  expect(r.form.title).toBe('BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ AN TOÀN THÔNG TIN MẠNG');
  expect(value(r, 'closed_at')).toBe(vnTime('2026-12-06T05:00:00.000Z'));
  expect(value(r, 'cause')).toMatch(/Khóa tài khoản quantri/);
  expect(value(r, 'deadline')).toMatch(/^08\/12\/2026 08:02/);
  expect(r.form.deadlineHours).toBe(48);
});

test('an agency without a security level, and an incident with no history, say so rather than leave it blank', () => {
  const r = buildIncidentReport({ kind: 'initial', incident: { ...INCIDENT, rules: undefined, entities: undefined, tactics: undefined, rule: { ...INCIDENT.rule, tags: [] } }, tenant: null, changes: [], now: NOW });
  expect(value(r, 'agency')).toBe('so-tttt');
  expect(value(r, 'security_level')).toBe('Chưa xác định cấp độ');
  expect(value(r, 'actions')).toBe('Chưa ghi nhận biện pháp xử lý.');
  expect(value(r, 'kind')).toBe('Khác: Dò mật khẩu SSH trên cổng thông tin điện tử');
  expect(value(r, 'assets')).toBe('portal-01');
});

test('every field can be edited before export, and an unknown field is refused by name', () => {
  const r = buildIncidentReport({ kind: 'initial', incident: INCIDENT, tenant: TENANT, changes: CHANGES, now: NOW });
  const edited = applyOverrides(r, { system: 'Cổng thông tin điện tử tỉnh', number: 'Số: 12/BC-SKHCN', contact: '0259 3822 123' });
  if (!('report' in edited)) throw new Error(edited.problem);
  expect(value(edited.report, 'system')).toBe('Cổng thông tin điện tử tỉnh');
  expect(value(edited.report, 'contact')).toBe('0259 3822 123');
  expect(edited.report.header.number).toBe('Số: 12/BC-SKHCN');
  expect(value(r, 'system')).not.toBe('Cổng thông tin điện tử tỉnh'); // the prefilled report is not changed
  expect(overridableKeys(r)).toEqual(expect.arrayContaining(['agency', 'kind', 'actions', 'recipient', 'signer_name']));
  const bad = applyOverrides(r, { cause: 'x' }); // a field of the final report only
  expect(bad).toEqual({ problem: expect.stringMatching(/^fields: no field "cause" in the initial report; the fields are number, /) });
});
