/**
 * Report-deadline reminders: a serious incident's responders are reminded before the initial and the
 * final report are due and once each has passed, in Vietnamese, through the outbox, once per recipient;
 * a report recorded as sent stops its reminders.
 */
import { createSqliteStore } from '../core/store/sqlite';
import type { Store } from '../core/store/store';
import { DEFAULT_REPORTING } from '../reports/deadlines';
import { changeIncident } from './incidents';
import { createOutbox } from './outbox';
import { createReportReminders } from './report-reminders';
import { createNotifier, parseRoutesConfig } from './routes';
import { sampleIncident } from './testing';
import { silentLogger } from './channels/channel';

const H = 3600e3;
const created = '2026-12-01T02:00:00.000Z';
const at = (h: number) => new Date(Date.parse(created) + h * H);

let store: Store;
let clock: number;
beforeEach(async () => {
  store = createSqliteStore({ path: ':memory:' });
  await store.init();
  await store.putTenant({ id: 'so-x', name: 'Sở X', created: '2026-01-01T00:00:00Z' });
  clock = at(0).getTime();
});
afterEach(() => store.close());

function reminders() {
  const now = () => clock;
  const outbox = createOutbox({ store, channels: [], now });
  const routes = parseRoutesConfig({ console_url: 'https://soc.tinh.gov.vn', channels: { email: { url: 'smtp://127.0.0.1:2525', from: 'soc@canhgac.example' } }, routes: [{ name: 'soc', notify: [{ channel: 'email', to: ['soc@tinh.gov.vn', 'lanh.dao@tinh.gov.vn'] }] }] });
  const notifier = createNotifier({ store, routes, outbox, now });
  return createReportReminders({ store, notifier, settings: DEFAULT_REPORTING, logger: silentLogger });
}
const sent = async () => (await store.listNotifications({ tenants: null, limit: 1000 })).filter((n) => n.reason.startsWith('report-'));
const bus = { publish: async () => undefined } as never;

test('before and after each deadline, once per recipient, in Vietnamese with the due time', async () => {
  await store.saveIncident(sampleIncident({ id: 'inc-serious', severity: 'high', created }), null);
  await store.saveIncident(sampleIncident({ id: 'inc-medium', severity: 'medium', created }), null);
  const r = reminders();
  expect(await r.check(at(19))).toBe(0);
  expect(await r.check(at(20.5))).toBe(2); // initial due soon, to both recipients
  expect(await r.check(at(21))).toBe(0); // never twice
  const soon = await sent();
  expect(soon.map((n) => `${n.incidentId} ${n.recipient} ${n.reason}`).sort()).toEqual(['inc-serious lanh.dao@tinh.gov.vn report-initial-due_soon', 'inc-serious soc@tinh.gov.vn report-initial-due_soon']);
  expect(soon[0].subject).toBe('[SẮP HẾT HẠN BÁO CÁO] [CAO] Tấn công dò mật khẩu SSH — Sở X');
  expect(soon[0].body).toContain('Hạn gửi báo cáo ban đầu sự cố tới cơ quan có thẩm quyền: 09:00:00 02/12/2026 (giờ Việt Nam)');
  expect(await r.check(at(25))).toBe(2); // overdue
  expect((await sent()).filter((n) => n.reason === 'report-initial-overdue')[0].body).toContain('Đã quá hạn gửi báo cáo ban đầu sự cố (hạn 09:00:00 02/12/2026');
});

test('a report recorded as sent stops its reminders; the other deadline still runs', async () => {
  await store.saveIncident(sampleIncident({ id: 'inc-1', severity: 'critical', created }), null);
  await changeIncident({ store, bus }, 'inc-1', null, 'lan', { action: 'report_sent', kind: 'initial', reference: 'Công văn 12/SOC-ATTT' });
  await expect(changeIncident({ store, bus }, 'inc-1', null, 'lan', { action: 'report_sent', kind: 'initial' })).rejects.toThrow('already recorded as sent');
  const r = reminders();
  expect(await r.check(at(25))).toBe(0);
  expect(await r.check(at(69))).toBe(2);
  expect((await sent()).map((n) => n.reason)).toEqual(['report-final-due_soon', 'report-final-due_soon']);
});

test('an overdue report of long ago is not paged at a first start; a false positive never', async () => {
  await store.saveIncident(sampleIncident({ id: 'inc-old', severity: 'high', created }), null);
  await store.saveIncident(sampleIncident({ id: 'inc-fp', severity: 'high', created, status: 'false_positive' }), null);
  expect(await reminders().check(at(24 * 10))).toBe(0);
  expect(await reminders().check(at(21))).toBe(2);
  expect((await sent()).every((n) => n.incidentId === 'inc-old')).toBe(true);
});
