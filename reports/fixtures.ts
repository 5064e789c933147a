/** For tests: an incident of a provincial agency with a history, as the report modules see it. */
import type { Incident, IncidentChange, Tenant } from '../core/model';

export const TENANT: Tenant = { id: 'so-tttt', name: 'Sở Khoa học và Công nghệ tỉnh Ninh Thuận', created: '2026-01-01T00:00:00.000Z', securityLevel: 3 };

export const INCIDENT: Incident = {
  id: 'inc-7', tenant: 'so-tttt', severity: 'critical', status: 'resolved', groupKey: 'source_ip=203.0.113.7', title: 'Dò mật khẩu SSH trên cổng thông tin điện tử',
  rule: { id: 'ssh-brute', title: 'SSH Brute Force', level: 'high', tags: ['attack.credential_access', 'attack.t1110'], references: [] },
  summary: { host: 'portal-01', source_ip: '203.0.113.7', user: 'quantri' },
  rules: [
    { id: 'ssh-brute', title: 'SSH Brute Force', severity: 'high', tags: ['attack.credential_access'], count: 40, first_seen: '2026-12-06T01:00:00.000Z', last_seen: '2026-12-06T01:20:00.000Z' },
    { id: 'ssh-success-after-fail', title: 'Đăng nhập thành công sau nhiều lần thất bại', severity: 'critical', tags: ['attack.initial_access'], count: 1, first_seen: '2026-12-06T01:21:00.000Z', last_seen: '2026-12-06T01:21:00.000Z' },
  ],
  entities: { host: ['portal-01', 'db-02'], source_ip: ['203.0.113.7', '198.51.100.23'], user: ['quantri'] },
  tactics: ['initial_access', 'credential_access'],
  count: 41, first_seen: '2026-12-06T01:00:00.000Z', last_seen: '2026-12-06T01:21:00.000Z', created: '2026-12-06T01:02:00.000Z', updated: '2026-12-06T05:00:00.000Z',
  assignee: 'nguyen.van.an', resolution: 'Khóa tài khoản quantri, chặn địa chỉ 203.0.113.7 trên tường lửa, vá OpenSSH', version: 5,
};

export const CHANGES: IncidentChange[] = [
  { id: 'c1', incidentId: 'inc-7', tenant: 'so-tttt', at: '2026-12-06T01:02:00.000Z', actor: 'system', action: 'created', to: 'new' },
  { id: 'c2', incidentId: 'inc-7', tenant: 'so-tttt', at: '2026-12-06T01:10:00.000Z', actor: 'tran.thi.binh', action: 'assign', from: null, to: 'nguyen.van.an' },
  { id: 'c3', incidentId: 'inc-7', tenant: 'so-tttt', at: '2026-12-06T01:15:00.000Z', actor: 'nguyen.van.an', action: 'comment', comment: 'Đã chặn địa chỉ 203.0.113.7 trên tường lửa biên' },
  { id: 'c4', incidentId: 'inc-7', tenant: 'so-tttt', at: '2026-12-06T05:00:00.000Z', actor: 'nguyen.van.an', action: 'status', from: 'in_progress', to: 'resolved', comment: 'Đã khắc phục' },
];
