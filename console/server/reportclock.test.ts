/**
 * The reporting clock over HTTP: a serious incident's detail carries its deadlines, a responder records a
 * report as sent (once per kind, audited, in the history), a viewer cannot, and another agency's analyst
 * cannot reach the incident at all.
 */
import { startKit, type Caller, type Kit } from './testkit';

jest.setTimeout(120_000);
let kit: Kit;
let analystA: Caller;
let viewerA: Caller;
let analystB: Caller;
beforeAll(async () => {
  kit = await startKit();
  analystA = kit.callers.find((c) => c.username === 'analyst-a')!;
  viewerA = kit.callers.find((c) => c.role === 'viewer' && c.agencies.includes('so-a'))!;
  analystB = await kit.session('analyst-bbbb');
});
afterAll(() => kit.close());

test('a high incident must be reported within 24 h and 72 h of detection, counting down', async () => {
  const r = await kit.call(analystA, 'GET', '/api/incidents/inc-so-a');
  expect(r.status).toBe(200);
  const created = Date.parse(r.body.incident.created);
  expect(r.body.reporting).toMatchObject({ required: true, since: r.body.incident.created });
  expect(r.body.reporting.source).toContain('NĐ 331/2026/NĐ-CP');
  expect(r.body.reporting.deadlines.map((d: { kind: string; due: string; state: string }) => [d.kind, Date.parse(d.due) - created, d.state])).toEqual([
    ['initial', 24 * 3600e3, 'open'],
    ['final', 72 * 3600e3, 'open'],
  ]);
});

test('recording the initial report as sent: once, audited, in the history; a viewer and another agency are refused', async () => {
  expect(viewerA).toBeDefined();
  expect((await kit.call(viewerA, 'POST', '/api/incidents/inc-so-a/actions', { action: 'report_sent', kind: 'initial' })).status).toBe(403);
  expect((await kit.call(analystB, 'POST', '/api/incidents/inc-so-a/actions', { action: 'report_sent', kind: 'initial' })).status).toBe(404);
  const missing = await kit.call(analystA, 'POST', '/api/incidents/inc-so-a/actions', { action: 'report_sent' });
  expect(missing.status).toBe(400);
  expect(missing.text).toContain('body/kind');
  const ok = await kit.call(analystA, 'POST', '/api/incidents/inc-so-a/actions', { action: 'report_sent', kind: 'initial', reference: 'Công văn 15/STC-CNTT gửi Sở TT&TT' });
  expect(ok.status).toBe(200);
  const again = await kit.call(analystA, 'POST', '/api/incidents/inc-so-a/actions', { action: 'report_sent', kind: 'initial' });
  expect(again.status).toBe(409);
  expect(again.text).toContain('already recorded as sent');

  const d = (await kit.call(analystA, 'GET', '/api/incidents/inc-so-a')).body;
  expect(d.reporting.deadlines[0]).toMatchObject({ kind: 'initial', state: 'sent', sent_by: 'analyst-a', reference: 'Công văn 15/STC-CNTT gửi Sở TT&TT' });
  expect(d.reporting.deadlines[1]).toMatchObject({ kind: 'final', state: 'open', sent_at: null });
  expect(d.changes.filter((c: { action: string }) => c.action === 'report_sent')).toEqual([expect.objectContaining({ actor: 'analyst-a', to: 'initial', comment: 'Công văn 15/STC-CNTT gửi Sở TT&TT' })]);
  const audit = await kit.store.listAudit({ limit: 200, order: 'desc' });
  expect(audit.some((e) => e.action === 'incident.report_sent' && e.target === 'inc-so-a' && e.actor === 'analyst-a')).toBe(true);
});
