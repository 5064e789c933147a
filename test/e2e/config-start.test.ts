/**
 * The real `canhgac start` with a config whose alerting, console and core sections are all
 * wrong, and an alerting quick setup left half done: every error is printed at once, with its
 * line or variable, and nothing starts (no store, no data directory).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, baseEnv, tempDataDir } from '../helpers/canhgac';

test('canhgac start refuses a config with errors in several sections, listing them all before anything starts', () => {
  const cwd = tempDataDir();
  const dataDir = path.join(cwd, 'data');
  const file = path.join(cwd, 'canhgac.yml');
  fs.writeFileSync(
    file,
    ['bus:', '  kind: rabbit', 'alerting:', '  routes:', '    - name: soc', '      min_severity: hihg', '      notify: [{ channel: zalo, to: ["123"] }]', 'console:', '  login_limit: { max_failures: 0 }', '  sla: { urgent: {} }', ''].join('\n'),
  );
  const r = spawnSync(process.execPath, [BIN, 'start', '--config', file], { cwd, env: baseEnv(dataDir, { CANHGAC_SMTP_URL: 'smtp://127.0.0.1:2525' }), encoding: 'utf8', timeout: 60_000 });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('6 invalid settings');
  expect(r.stderr).toContain(`bus.kind: "rabbit" is not allowed: one of "embedded", "kafka" (${file}:2:9)`);
  expect(r.stderr).toContain(`alerting.routes[0].min_severity: "hihg" is not allowed: one of "informational", "low", "medium", "high", "critical" (${file}:6:21)`);
  // the route's channel is checked although the same route has another error (before, only once the section was valid)
  expect(r.stderr).toContain(`alerting.routes[0].notify[0].channel: "zalo" is not allowed: zalo is not configured (set channels.zalo or CANHGAC_ZALO_*) (${file}:7:27)`);
  expect(r.stderr).toContain(`console.login_limit.max_failures: 0 is not allowed: Too small: expected number to be >=1 (${file}:9:32)`);
  expect(r.stderr).toContain(`console.sla.urgent: unknown key; allowed here: critical, high, medium, low, informational (${file}:10:10)`);
  expect(r.stderr).toContain('CANHGAC_ALERT_EMAIL_FROM is required when CANHGAC_SMTP_URL is set');
  expect(fs.existsSync(dataDir)).toBe(false); // no store was opened, no component started
});
