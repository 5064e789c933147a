/**
 * GET/POST /api/incidents/:id/report through app.inject on the kit's two agencies: the PDF read
 * by pdftotext and the DOCX by LibreOffice show the incident's prefilled fields in Vietnamese,
 * edits are exported, each export is audited, and so-b's incident is never reachable by so-a.
 */
import { docxText, pdfText } from '../../reports/readers';
import { OTHER, startKit, type Caller, type Kit } from './testkit';

jest.setTimeout(180_000);
let kit: Kit;
let analystA: Caller;
let adminProv: Caller;
let analystB: Caller;
beforeAll(async () => {
  kit = await startKit();
  const a = (await kit.store.getTenant('so-a'))!;
  await kit.store.putTenant({ ...a, name: 'Sở Tài chính tỉnh A', securityLevel: 3 });
  analystA = kit.callers.find((c) => c.username === 'analyst-a')!;
  adminProv = kit.callers.find((c) => c.username === 'admin-prov')!;
  analystB = await kit.session('analyst-bbbb');
  await kit.call(analystA, 'POST', '/api/incidents/inc-so-a/actions', { action: 'assign', assignee: 'responder-a' });
  await kit.call(analystA, 'POST', '/api/incidents/inc-so-a/actions', { action: 'comment', comment: 'Đã cô lập máy host-a khỏi mạng' });
});
afterAll(() => kit.close());

async function raw(c: Caller, method: 'GET' | 'POST', url: string, body?: object) {
  const headers: Record<string, string> = { cookie: `canhgac_session=${c.cookie}` };
  if (method !== 'GET') headers['x-csrf-token'] = c.csrf;
  const res = await kit.app.inject({ method, url, headers, ...(body ? { payload: body } : {}) });
  return { status: res.statusCode, headers: res.headers, file: res.rawPayload, text: res.body };
}
const flat = (s: string) => s.replace(/\s+/g, ' ');

test('the initial report as PDF is prefilled from the incident and its agency, in Vietnamese, as an attachment', async () => {
  const res = await raw(analystA, 'GET', '/api/incidents/inc-so-a/report?kind=initial&format=pdf');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  expect(res.headers['content-disposition']).toBe('attachment; filename="bao-cao-ban-dau-inc-so-a.pdf"');
  const text = flat(pdfText(res.file));
  for (const s of ['BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG', 'Thông tư 20/2017/TT-BTTTT', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'SỞ TÀI CHÍNH TỈNH A', 'Sở Tài chính tỉnh A',
    'Cấp độ 3', 'host-a', 'SSH Brute Force (rule-x)', 'Tấn công dò quét, đánh cắp mật khẩu, tài khoản', 'Mức độ nghiêm trọng: Cao', 'giao xử lý cho responder-a',
    'Đã cô lập máy host-a khỏi mạng', 'Người xử lý: responder-a', 'Người báo cáo, chức vụ: analyst-a', 'inc-so-a']) expect({ s, found: text.includes(s) }).toEqual({ s, found: true });
  expect(text).not.toMatch(OTHER);
});

test("the final report as DOCX with the responder's edits: LibreOffice reads the edited and the prefilled fields", async () => {
  const res = await raw(analystA, 'POST', '/api/incidents/inc-so-a/report?kind=final&format=docx', { fields: { system: 'Cổng dịch vụ công tỉnh A', cause: 'Mật khẩu yếu của tài khoản quản trị', number: 'Số: 15/BC-STC' } });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  expect(res.headers['content-disposition']).toBe('attachment; filename="bao-cao-ket-thuc-inc-so-a.docx"');
  const text = flat(docxText(res.file));
  for (const s of ['BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ AN TOÀN THÔNG TIN MẠNG', 'Độc lập - Tự do - Hạnh phúc', 'Số: 15/BC-STC', 'Cổng dịch vụ công tỉnh A', 'Mật khẩu yếu của tài khoản quản trị',
    'Sở Tài chính tỉnh A', 'host-a', 'SSH Brute Force', 'Thời điểm kết thúc ứng phó: Chưa kết thúc']) expect({ s, found: text.includes(s) }).toEqual({ s, found: true });
  expect(text).not.toMatch(OTHER);
});

test('format=json gives the prefilled fields a console edits; an unknown field or format is refused by name', async () => {
  const res = await kit.call(analystA, 'GET', '/api/incidents/inc-so-a/report?kind=initial&format=json');
  expect(res.status).toBe(200);
  expect(res.body.form.title).toBe('BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG');
  expect(res.body.sections.flatMap((s: { fields: { key: string }[] }) => s.fields.map((f) => f.key))).toEqual(expect.arrayContaining(['agency', 'system', 'security_level', 'detected_at', 'kind', 'severity', 'assets', 'sources', 'rules', 'actions', 'status', 'handler']));
  const unknown = await kit.call(analystA, 'POST', '/api/incidents/inc-so-a/report?kind=initial&format=pdf', { fields: { cause: 'x' } });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error).toMatch(/^body\/fields: no field "cause" in the initial report/);
  const format = await kit.call(analystA, 'GET', '/api/incidents/inc-so-a/report?kind=initial&format=xls');
  expect(format.status).toBe(400);
  expect(format.body.error).toMatch(/^querystring\/format/);
  const kind = await kit.call(analystA, 'GET', '/api/incidents/inc-so-a/report?format=pdf');
  expect(kind).toMatchObject({ status: 400, body: { error: 'querystring/kind: required' } });
});

test("another agency's incident report is never reachable: 404 in every kind and format, both ways, and visible to the province", async () => {
  for (const kind of ['initial', 'final']) {
    for (const format of ['pdf', 'docx', 'json']) {
      for (const [who, id] of [[analystA, 'inc-so-b'], [analystB, 'inc-so-a']] as const) {
        const get = await kit.call(who, 'GET', `/api/incidents/${id}/report?kind=${kind}&format=${format}`);
        const post = await kit.call(who, 'POST', `/api/incidents/${id}/report?kind=${kind}&format=${format}`, { fields: { system: 'x' } });
        for (const r of [get, post]) expect({ id, kind, format, status: r.status, error: r.body.error }).toEqual({ id, kind, format, status: 404, error: `incident ${id} does not exist or is not visible to you` });
      }
    }
  }
  const prov = await raw(adminProv, 'GET', '/api/incidents/inc-so-b/report?kind=initial&format=pdf');
  expect(prov.status).toBe(200);
  const text = flat(pdfText(prov.file));
  expect(text).toContain('Agency bbbb');
  expect(text).toContain('host-bbbb');
  expect(text).not.toContain('Sở Tài chính tỉnh A');
});

test('each export is audited as incident.report with its kind, format, edited fields and agency; a refused one is not', async () => {
  await kit.call(analystA, 'POST', '/api/incidents/inc-so-a/report?kind=final&format=json', { fields: { remediation: 'Đổi mật khẩu' } });
  await kit.call(analystA, 'GET', '/api/incidents/inc-so-b/report?kind=final&format=json');
  const log = await kit.store.listAudit({ limit: 500, order: 'desc' });
  const mine = log.filter((e) => e.action === 'incident.report');
  expect(mine[0]).toMatchObject({ actor: 'analyst-a', target: 'inc-so-a', details: { kind: 'final', format: 'json', edited: ['remediation'], agencies: ['so-a'] } });
  expect(mine.filter((e) => e.actor === 'analyst-a' && e.target === 'inc-so-b')).toEqual([]);
});
