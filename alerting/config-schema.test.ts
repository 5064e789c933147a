import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../core/config';
import { createAlerting } from './index';
import { createSqliteStore } from '../core/store/sqlite';

function load(yaml: string | null, env: NodeJS.ProcessEnv = {}) {
  const cwd = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-alerting-cfg-'));
  const file = path.join(cwd, 'canhgac.yml');
  if (yaml !== null) fs.writeFileSync(file, yaml);
  let message = '';
  try {
    return { config: loadConfig({ env, cwd }).config, message, file };
  } catch (e) {
    message = (e as Error).message;
  }
  return { config: null, message, file };
}

const SMTP = { CANHGAC_SMTP_URL: 'smtp://alerts:pw@127.0.0.1:2525', CANHGAC_ALERT_EMAIL_FROM: 'siem@tinh.gov.vn' };

test('bad routes, channels, digest and grouping are reported with every other error at once, each with its line', () => {
  const yaml = [
    'alerting:',
    '  routes:',
    '    - name: soc',
    '      min_severity: hihg',
    '      notify: [{ channel: webhook, to: [soar] }]',
    '      throtle: { max: 5, per_minutes: 10 }',
    '  channels:',
    '    webhooks:',
    '      soar: { url: "https://soar.tinh.gov.vn/hook", secert: "0123456789abcdef0123" }',
    '  digest: { schedule: "every morning" }',
    '  grouping: { keys: [ip] }',
    'console:',
    '  port: 99999',
    '',
  ].join('\n');
  const { config, message, file } = load(yaml);
  expect(config).toBeNull();
  expect(message).toContain('7 invalid settings');
  expect(message).toContain(`alerting.routes[0].min_severity: "hihg" is not allowed: one of "informational", "low", "medium", "high", "critical" (${file}:4:21)`);
  expect(message).toContain(`alerting.routes[0].throtle: unknown key; did you mean alerting.routes[0].throttle? (${file}:6:7)`);
  expect(message).toContain(`alerting.channels.webhooks.soar.secert: unknown key; did you mean alerting.channels.webhooks.soar.secret? (${file}:9:53)`);
  expect(message).toMatch(/alerting\.channels\.webhooks\.soar\.secret: \(missing\) is not allowed: expected string \(.*canhgac\.yml:9:13\)/);
  expect(message).toContain(`alerting.digest.schedule: "every morning" is not allowed: is not a cron expression (e.g. "0 7 * * *" for 07:00 every day) (${file}:10:23)`);
  expect(message).toMatch(/alerting\.grouping\.keys\[0\]: "ip" is not allowed: one of "malware", .* \(.*canhgac\.yml:11:22\)/);
  expect(message).toContain(`console.port: 99999 is not allowed`);
});

test('a route naming a channel nobody configured is refused at load, where the route is', () => {
  const { message, file } = load('alerting:\n  routes:\n    - name: soc\n      notify: [{ channel: email, to: [soc@tinh.gov.vn] }]\n');
  expect(message).toContain(`alerting.routes[0].notify[0].channel: "email" is not allowed: email is not configured (set channels.email or CANHGAC_SMTP_URL) (${file}:4:27)`);
  // the same route is fine once the environment's quick setup configures email
  expect(load('alerting:\n  routes:\n    - name: soc\n      notify: [{ channel: email, to: [soc@tinh.gov.vn] }]\n', SMTP).config?.alerting.channels.email?.from).toBe('siem@tinh.gov.vn');
});

test('a half-done quick setup is refused with the file\'s errors, naming the missing variable', () => {
  const { message, file } = load('log:\n  level: hihg\n', { CANHGAC_SMTP_URL: 'smtp://127.0.0.1:2525' });
  expect(message).toContain('2 invalid settings');
  expect(message).toContain('CANHGAC_ALERT_EMAIL_FROM is required when CANHGAC_SMTP_URL is set');
  expect(message).toContain(`log.level: "hihg" is not allowed`);
  expect(message).toContain(`(${file}:2:10)`);
  const bad = load(null, { ...SMTP, CANHGAC_ALERT_EMAIL_TO: 'soc@tinh.gov.vn, not-an-address' });
  expect(bad.message).toContain('alerting.routes[0].notify[0].to[1]: "not-an-address" is not allowed: "not-an-address" is not an email address (from environment CANHGAC_ALERT_EMAIL_TO)');
});

test('the quick setup gives a default route that matches first, and the file\'s route named default replaces it', async () => {
  const env = { ...SMTP, CANHGAC_ALERT_EMAIL_TO: 'soc@tinh.gov.vn' };
  const { config } = load('alerting:\n  routes:\n    - name: so-y\n      notify: [{ channel: email, to: [y@tinh.gov.vn] }]\n', env);
  expect(config!.alerting.routes.map((r) => r.name)).toEqual(['default', 'so-y']);
  expect(config!.alerting.routes[0]).toMatchObject({ min_severity: 'medium', notify: [{ channel: 'email', to: ['soc@tinh.gov.vn'] }] });
  const store = createSqliteStore({ path: ':memory:' });
  const { incident_window_minutes: _w, grouping: _g, ...section } = config!.alerting;
  const alerting = createAlerting({ store, config: section, env }); // what the node hands alerting: the same routes, once each
  expect(alerting.config.routes.map((r) => r.name)).toEqual(['default', 'so-y']);
  await store.close();
  const replaced = load('alerting:\n  routes:\n    - name: default\n      min_severity: high\n      notify: [{ channel: email, to: [x@tinh.gov.vn] }]\n', env).config!;
  expect(replaced.alerting.routes).toHaveLength(1);
  expect(replaced.alerting.routes[0]).toMatchObject({ min_severity: 'high', notify: [{ channel: 'email', to: ['x@tinh.gov.vn'] }] });
});
