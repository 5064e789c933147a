/** The reporting clock of an incident and its settings: what a responder sees counting down, and when it stops. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../core/config';
import type { IncidentChange } from '../core/model';
import { sampleIncident } from '../alerting/testing';
import { DEFAULT_REPORTING, remindersDue, reportingClock } from './deadlines';
import { reportingSettings } from './config-schema';

const created = '2026-12-01T02:00:00.000Z';
const H = 3600e3;
const at = (h: number) => Date.parse(created) + h * H;
const change = (over: Partial<IncidentChange>): IncidentChange => ({ id: `c-${Math.random()}`, incidentId: 'inc-1', tenant: 'so-x', at: new Date(at(1)).toISOString(), actor: 'lan', action: 'comment', ...over });

describe('reporting clock', () => {
  test('a serious incident must be reported within 24 h and 72 h of its detection', () => {
    const clock = reportingClock(sampleIncident({ severity: 'high', created }), [], DEFAULT_REPORTING, at(2));
    expect(clock).toMatchObject({ required: true, since: created });
    expect(clock.source).toContain('NĐ 331/2026/NĐ-CP Điều 31.2.d');
    expect(clock.deadlines.map((d) => [d.kind, d.due, d.state, d.remaining_ms])).toEqual([
      ['initial', '2026-12-02T02:00:00.000Z', 'open', 22 * H],
      ['final', '2026-12-04T02:00:00.000Z', 'open', 70 * H],
    ]);
  });

  test('inside the last hours it is due soon, past the deadline overdue, and a recorded report stops it (late or not)', () => {
    const inc = sampleIncident({ severity: 'critical', created });
    expect(reportingClock(inc, [], DEFAULT_REPORTING, at(21)).deadlines[0].state).toBe('due_soon');
    expect(reportingClock(inc, [], DEFAULT_REPORTING, at(25)).deadlines.map((d) => d.state)).toEqual(['overdue', 'open']);
    const sent = [change({ action: 'report_sent', to: 'initial', at: new Date(at(23)).toISOString(), comment: 'Công văn 12/SOC' }), change({ action: 'report_sent', to: 'final', at: new Date(at(80)).toISOString() })];
    const clock = reportingClock(inc, sent, DEFAULT_REPORTING, at(90));
    expect(clock.deadlines.map((d) => [d.state, d.sent_by, d.reference])).toEqual([['sent', 'lan', 'Công văn 12/SOC'], ['sent_late', 'lan', null]]);
    expect(clock.deadlines[1].remaining_ms).toBe(-8 * H);
    expect(remindersDue(clock)).toEqual([]);
  });

  test('a medium incident needs no report until it is raised to a serious severity: the clock starts at the raise', () => {
    const medium = sampleIncident({ severity: 'medium', created });
    expect(reportingClock(medium, [], DEFAULT_REPORTING, at(1))).toMatchObject({ required: false, not_required: 'severity', deadlines: [] });
    const raisedAt = new Date(at(5)).toISOString();
    const raised = reportingClock({ ...medium, severity: 'critical' }, [change({ action: 'severity', from: 'medium', to: 'high', at: raisedAt }), change({ action: 'severity', from: 'high', to: 'critical', at: new Date(at(6)).toISOString() })], DEFAULT_REPORTING, at(6));
    expect(raised).toMatchObject({ required: true, since: raisedAt });
    expect(raised.deadlines[0].due).toBe(new Date(at(29)).toISOString());
  });

  test('a false positive or a duplicate needs no report', () => {
    for (const status of ['false_positive', 'duplicate'] as const) expect(reportingClock(sampleIncident({ status, created }), [], DEFAULT_REPORTING, at(30))).toMatchObject({ required: false, not_required: 'closed_not_incident' });
  });

  test('reminders: one before each unsent deadline and one past it', () => {
    const inc = sampleIncident({ severity: 'high', created });
    expect(remindersDue(reportingClock(inc, [], DEFAULT_REPORTING, at(19)))).toEqual([]);
    expect(remindersDue(reportingClock(inc, [], DEFAULT_REPORTING, at(20.5))).map((r) => `${r.kind}:${r.reason}`)).toEqual(['initial:due_soon']);
    expect(remindersDue(reportingClock(inc, [], DEFAULT_REPORTING, at(69))).map((r) => `${r.kind}:${r.reason}`)).toEqual(['initial:overdue', 'final:due_soon']);
  });
});

describe('reporting: settings', () => {
  test('defaults follow NĐ 331 and each figure can be set', () => {
    const { config } = loadConfig({ env: {}, cwd: '/nonexistent' });
    expect(reportingSettings(config.reporting)).toEqual({ seriousSeverities: ['high', 'critical'], initialHours: 24, finalHours: 72, remindBeforeHours: 4 });
    const set = loadConfig({ env: {}, cwd: '/nonexistent', overrides: { reporting: { serious_severities: ['critical'], initial_hours: 12, final_hours: 48, remind_before_hours: 2 } } });
    expect(reportingSettings(set.config.reporting)).toEqual({ seriousSeverities: ['critical'], initialHours: 12, finalHours: 48, remindBeforeHours: 2 });
  });

  test('a bad value is refused naming the key', () => {
    const bad = (reporting: unknown) => {
      try {
        loadConfig({ env: {}, cwd: '/nonexistent', overrides: { reporting } });
        return '';
      } catch (e) {
        return String(e);
      }
    };
    expect(bad({ serious_severities: ['urgent'] })).toContain('reporting.serious_severities');
    expect(bad({ initial_hours: 48, final_hours: 24 })).toContain('reporting.final_hours');
  });

  test('a misspelt key in canhgac.yml is named with its line and the key meant', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-reporting-'));
    fs.writeFileSync(path.join(dir, 'canhgac.yml'), 'reporting:\n  inital_hours: 12\n');
    expect(() => loadConfig({ env: {}, cwd: dir })).toThrow(/reporting\.inital_hours: unknown key; did you mean reporting\.initial_hours\? \(.*canhgac\.yml:2:3\)/);
    fs.rmSync(dir, { recursive: true });
  });
});
