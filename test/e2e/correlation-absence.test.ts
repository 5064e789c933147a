/**
 * Absence of an event through the detection loop (embedded bus): "a login with no MFA within the
 * timespan" fires for the user who never passed MFA once the frame has closed by the wall clock (the
 * window stage's tick), not for the user who did, and the partition's checkpoint is written after it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BusMessage } from '../../core/bus/bus';
import { TOPICS } from '../../core/bus/bus';
import { createEmbeddedBus } from '../../core/bus/embedded';
import { silentLogger } from '../../core/log';
import type { Alert } from '../../core/model';
import { createSqliteStore } from '../../core/store/sqlite';
import { startDetection, WINDOWS_STATE_PREFIX } from '../../correlator/detection';

const RULES = `title: Login without MFA
id: 7d3f0c52-8d8e-4d53-9a53-2f6b7a0e0001
correlation:
  type: temporal
  rules: [login_ok, mfa_passed]
  group-by: [user.name]
  timespan: 2s
  condition: login_ok and not mfa_passed
level: high
---
title: login ok
name: login_ok
logsource: {category: e2e_auth}
detection:
  sel: {event.action: login}
  condition: sel
---
title: mfa passed
name: mfa_passed
logsource: {category: e2e_auth}
detection:
  sel: {event.action: mfa}
  condition: sel
`;

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`waited ${ms} ms for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a login with no MFA fires when its frame closes; a login with MFA does not', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-absence-'));
  fs.writeFileSync(path.join(dir, 'absence.yml'), RULES);
  const bus = createEmbeddedBus({ dir: path.join(dir, 'bus') });
  const store = createSqliteStore({ path: path.join(dir, 'store.db') });
  await store.init();
  const alerts: Alert[] = [];
  const alertSub = await bus.subscribe<Alert>({ topic: TOPICS.alerts, group: 'test-alerts', handler: async (b: BusMessage<Alert>[]) => void alerts.push(...b.map((m) => m.value)) });
  const det = await startDetection({ bus, store, logger: silentLogger, rulePaths: [dir], allowedLatenessMs: 0 });
  try {
    const now = Date.now();
    const ev = (id: string, user: string, action: string, dt: number): Record<string, unknown> => ({
      '@timestamp': new Date(now + dt).toISOString(),
      event: { id, action },
      user: { name: user },
      host: { hostname: 'idp' },
      organization: { id: 'so-aaaa' },
    });
    await bus.publish(TOPICS.events, [ev('a1', 'alice', 'login', 0), ev('b1', 'bob', 'login', 0), ev('b2', 'bob', 'mfa', 500)].map((value) => ({ key: 'so-aaaa/idp', value })));
    await until('the absence alert', () => alerts.some((a) => a.rule.title === 'Login without MFA'));
    await until('nothing left to read', async () => (await det.lag()) === 0 && (await alertSub.lag()) === 0);
    const fired = alerts.filter((a) => a.rule.title === 'Login without MFA');
    expect(fired.map((a) => [a.kind, a.tenant, a.groupBy, a.eventIds])).toEqual([['correlation', 'so-aaaa', { 'user.name': 'alice' }, ['a1']]]);
    // bob's frame is judged (no alert) and both groups are gone: the checkpoint written after the tick says so
    await until('the windows are empty', () => det.windows().groups === 0);
    const cp = JSON.parse((await store.getState(`${WINDOWS_STATE_PREFIX}0`)) ?? '{}') as { state?: { v: number; corr: Record<string, unknown> } };
    expect(cp.state?.v).toBe(2);
  } finally {
    await det.stop();
    await alertSub.close();
    await bus.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
