/**
 * Rule exceptions (console, Rules view) on hostile events: a wildcard exception on a long value
 * finishes and suppresses exactly the matching events; one that is too costly lets the alert through.
 */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { TOPICS } from '../core/bus/bus';
import { createEmbeddedBus } from '../core/bus/embedded';
import { createLogger } from '../core/log';
import type { Alert } from '../core/model';
import type { RuleSetting, Store } from '../core/store/store';
import { matchesQuery, parseQuery } from '../core/query';
import { startDetection, unflatten } from './detection';

const RULE_ID = '0f3c2a5e-1111-4aaa-8bbb-123456789abc';
const RULE = `title: Test long message
id: ${RULE_ID}
status: test
logsource: { product: linux, service: sshd }
detection:
  sel: { message|contains: 'Failed password' }
  condition: sel
level: high
`;

/** The three calls the detection loop makes on the store. */
function settingsStore(settings: RuleSetting[]): Store {
  const state = new Map<string, string>();
  return {
    listRuleSettings: async () => settings,
    getState: async (k: string) => state.get(k) ?? null,
    putState: async (k: string, v: string) => void state.set(k, v),
  } as unknown as Store;
}

async function alertsFor(exception: string, messages: string[]): Promise<{ alerts: Alert[]; warnings: string[] }> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-exception-'));
  fs.writeFileSync(path.join(dir, 'rule.yml'), RULE);
  const warnings: string[] = [];
  const logger = createLogger({ level: 'warn', destination: new Writable({ write: (chunk, _enc, done) => done(void warnings.push(String(chunk))) }) });
  const bus = createEmbeddedBus({ dir: path.join(dir, 'bus') });
  const store = settingsStore([{ ruleId: RULE_ID, disabledFor: [], exception, updated: new Date().toISOString(), by: 'analyst' }]);
  const loop = await startDetection({ bus, store, logger, rulePaths: [path.join(dir, 'rule.yml')], stages: ['match'] });
  const alerts: Alert[] = [];
  const sub = await bus.subscribe<Alert>({ topic: TOPICS.alerts, group: 'test', handler: async (b) => void alerts.push(...b.map((m) => m.value)) });
  try {
    await bus.publish(TOPICS.events, messages.map((message, i) => ({ key: 'h', value: { event: { id: `e${i}`, kind: 'event' }, organization: { id: 'so-a' }, host: { name: `h${i}` }, log: { syslog: { appname: 'sshd' } }, process: { name: 'sshd' }, message } })));
    for (let i = 0; i < 600 && (await loop.lag()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await loop.lag()).toBe(0);
    for (let i = 0; i < 600 && (await sub.lag()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    return { alerts, warnings };
  } finally {
    await sub.close();
    await loop.stop();
    await bus.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

jest.setTimeout(60_000);

test('a wildcard exception that would backtrack on a long value finishes and suppresses exactly the events it matches', async () => {
  const long = 'a'.repeat(200_000);
  const { alerts } = await alertsFor('message:*a*a*a*a*a*a*a*a*b', [`Failed password ${long}`, `Failed password ${long}b`]);
  expect(alerts.map((a) => a.summary.host)).toEqual(['h0']); // h1 ends in b: excepted
});

test('an exception too costly for an event lets its alert through and says so', async () => {
  const pattern = 'a?'.repeat(1000) + 'c';
  const { alerts, warnings } = await alertsFor(`message:*${pattern}*`, [`Failed password ${'a'.repeat(1024 * 1024)}`]);
  expect(alerts.map((a) => a.summary.host)).toEqual(['h0']);
  const said = warnings.map((l) => JSON.parse(l) as { msg: string; rule?: string; err?: string }).filter((l) => /rule exception is too costly/.test(l.msg));
  expect(said).toEqual([expect.objectContaining({ rule: RULE_ID, err: expect.stringMatching(/stopped after \d+ steps \(the limit is \d+\)/) })]);
});

test('group-by values named __proto__ or constructor stay data when an exception reads them', () => {
  const doc = unflatten({ '__proto__.polluted': 'yes', 'constructor.prototype.polluted': 'yes', 'source.ip': '10.0.0.1' });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(matchesQuery(parseQuery('__proto__.polluted:yes AND source.ip:10.0.0.1'), { ...doc })).toBe(true);
});

test('a rule switched off in the console applies at once through the settings topic, without waiting for the store to be read again', async () => {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-settings-'));
  fs.writeFileSync(path.join(dir, 'rule.yml'), RULE);
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: new Writable({ write: (chunk, _enc, done) => done(void lines.push(String(chunk))) }) });
  const bus = createEmbeddedBus({ dir: path.join(dir, 'bus') });
  const loop = await startDetection({ bus, store: settingsStore([]), logger, rulePaths: [path.join(dir, 'rule.yml')], stages: ['match'] });
  const alerts: Alert[] = [];
  const sub = await bus.subscribe<Alert>({ topic: TOPICS.alerts, group: 'test', handler: async (b) => void alerts.push(...b.map((m) => m.value)) });
  const send = async (tenant: string, host: string) => {
    await bus.publish(TOPICS.events, [{ key: host, value: { event: { id: host, kind: 'event' }, organization: { id: tenant }, host: { name: host }, log: { syslog: { appname: 'sshd' } }, process: { name: 'sshd' }, message: 'Failed password for root' } }]);
    for (let i = 0; i < 600 && ((await loop.lag()) > 0 || (await sub.lag()) > 0); i++) await new Promise((r) => setTimeout(r, 20));
  };
  try {
    await send('so-a', 'before');
    const setting: RuleSetting = { ruleId: RULE_ID, disabledFor: ['so-a'], exception: null, updated: new Date().toISOString(), by: 'analyst' };
    await bus.publish(TOPICS.settings, [{ key: RULE_ID, value: { type: 'rule_setting', setting } }]);
    for (let i = 0; i < 250 && !lines.some((l) => l.includes('rule setting applied')); i++) await new Promise((r) => setTimeout(r, 20));
    await send('so-a', 'after-off');
    await send('so-b', 'other-agency');
    // an older notice (one that was overtaken) does not switch it back on
    await bus.publish(TOPICS.settings, [{ key: RULE_ID, value: { type: 'rule_setting', setting: { ...setting, disabledFor: [], updated: '2020-01-01T00:00:00.000Z' } } }]);
    await new Promise((r) => setTimeout(r, 200));
    await send('so-a', 'after-stale');
    expect(alerts.map((a) => a.summary.host)).toEqual(['before', 'other-agency']);
  } finally {
    await sub.close();
    await loop.stop();
    await bus.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
