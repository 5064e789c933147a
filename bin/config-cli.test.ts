import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configSchema, ENV } from '../core/config';
import { schemaKeys } from '../core/config-keys';
import { ALERTING_ENV } from '../alerting/config-schema';
import { COMPONENT_ENV, renderReference } from '../core/config-reference';
import { configCli } from './config-cli';

const root = path.join(__dirname, '..');

function run(argv: string[], files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) {
  const cwd = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-config-cli-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(cwd, name), text);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = configCli(argv, { stdout: (s) => stdout.push(s), stderr: (s) => stderr.push(s), env, cwd });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

test('docs/configuration.md is the generated reference and lists every key and every environment variable', () => {
  const doc = fs.readFileSync(path.join(root, 'docs', 'configuration.md'), 'utf8');
  expect(doc).toBe(renderReference()); // regenerate with: canhgac config reference > docs/configuration.md
  for (const k of schemaKeys(configSchema)) expect(doc).toContain(`| \`${k.key}\` |`);
  for (const [name] of ENV) expect(doc).toContain(`\`${name}\``);
  for (const e of COMPONENT_ENV) expect(doc).toContain(`| \`${e.name}\` |`); // alerting's quick setup (CANHGAC_SMTP_URL, CANHGAC_ZALO_*...) and the others'
  for (const e of ALERTING_ENV) if (!e.sets.includes('[]')) expect(schemaKeys(configSchema).map((k) => k.key)).toContain(e.sets); // each fills a key that exists
  expect(schemaKeys(configSchema).length).toBeGreaterThan(90);
});

test('every CANHGAC_ variable the code reads is declared in the config tables', () => {
  const declared = new Set([...ENV.map(([n]) => n), ...COMPONENT_ENV.map((e) => e.name)]);
  const read = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && !['node_modules', 'web', 'demo'].includes(e.name)) walk(p);
      else if (/\.ts$/.test(e.name) && !/\.test\.ts$|fuzz|conformance|testkit|harness/.test(e.name)) for (const m of fs.readFileSync(p, 'utf8').matchAll(/CANHGAC_[A-Z0-9_]*[A-Z0-9]\b/g)) read.add(m[0]);
    }
  };
  for (const d of ['alerting', 'bin', 'collector', 'console/server', 'core', 'correlator', 'indexer', 'intel', 'website']) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));
  expect([...read].filter((n) => !declared.has(n)).sort()).toEqual([]);
  for (const name of ['CANHGAC_SMTP_URL', 'CANHGAC_ZALO_APP_ID', 'CANHGAC_ZALO_SECRET_KEY', 'CANHGAC_ZALO_REFRESH_TOKEN', 'CANHGAC_ZALO_USER_IDS', 'CANHGAC_ALERT_EMAIL_TO']) expect(declared.has(name)).toBe(true);
});

test('config check reports a bad log level and a bad alerting route together, without starting anything', () => {
  const r = run(['check'], { 'canhgac.yml': 'log:\n  level: hihg\nalerting:\n  routes:\n    - name: soc\n      channel: pigeon\n' });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/log\.level: "hihg" is not allowed: one of "fatal".* \(.*canhgac\.yml:2:10\)/);
  expect(r.stderr).toMatch(/alerting\.routes\[0\]\.notify: \(missing\) is not allowed: expected array \(.*canhgac\.yml:5:7\)/);
  expect(r.stderr).toMatch(/alerting\.routes\[0\]\.channel: unknown key; allowed here: name, .*notify.* \(.*canhgac\.yml:6:7\)/);
  expect(r.stderr).toContain('3 invalid settings');
});

test('config check prints the effective configuration with secrets masked', () => {
  const r = run(['check'], { 'canhgac.yml': 'store:\n  elasticsearch:\n    password: hunter2-es\n' }, { CANHGAC_KAFKA_PASSWORD: 'kafka-pw-9', CANHGAC_ELASTICSEARCH_URL: 'https://elastic:pw-in-url@127.0.0.1:9200' });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('configuration is valid');
  expect(r.stdout).toContain('port: 5514');
  expect(r.stdout).not.toMatch(/hunter2-es|kafka-pw-9|pw-in-url/);
  expect(r.stdout).toContain('password: "***"');
});

test('config check refuses two listeners on one port, from the ports each listener declares', () => {
  const r = run(['check'], { 'canhgac.yml': 'collector:\n  beats:\n    port: 5514\n' });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('collector.beats.port: 5514 is also the port of collector.syslog.tcp (both TCP on 127.0.0.1)');
  expect(run(['check'], { 'canhgac.yml': 'collector:\n  syslog:\n    udp:\n      port: 5514\n' }).code).toBe(0); // UDP and TCP may share a number
});

test('config check shows the channels the alerting quick setup configures, with their secrets masked', () => {
  const env = { CANHGAC_SMTP_URL: 'smtp://alerts:smtp-pw-77@127.0.0.1:2525', CANHGAC_ALERT_EMAIL_FROM: 'siem@tinh.gov.vn', CANHGAC_ALERT_EMAIL_TO: 'soc@tinh.gov.vn', CANHGAC_ZALO_APP_ID: '42', CANHGAC_ZALO_SECRET_KEY: 'zalo-secret-88', CANHGAC_ZALO_REFRESH_TOKEN: 'zalo-refresh-99' };
  const r = run(['check'], {}, env);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('url: smtp://***@127.0.0.1:2525');
  expect(r.stdout).toContain('from: siem@tinh.gov.vn');
  expect(r.stdout).toContain('name: default');
  expect(r.stdout).not.toMatch(/smtp-pw-77|zalo-secret-88|zalo-refresh-99/);
});

test('config check --config FILE reports an alerting schema error, a route naming a channel that is not configured and an unknown key elsewhere, all in one run', () => {
  const yml = [
    'collector:', //                          1
    '  syslog:', //                           2
    '    tcp:', //                            3
    '      idle_timeout_secs: 30', //         4
    'alerting:', //                           5
    '  routes:', //                           6
    '    - name: soc', //                     7
    '      min_severity: urgent', //          8
    '      notify:', //                       9
    '        - channel: email', //           10
    '          to: [soc@tinh.gov.vn]', //    11
    '    - name: ops', //                    12
    '      notify:', //                      13
    '        - channel: webhook', //         14
    '          to: [pager]', //              15
    '',
  ].join('\n');
  const cwd = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-config-cli-'));
  fs.writeFileSync(path.join(cwd, 'siem.yml'), yml);
  const r = run(['check', '--config', path.join(cwd, 'siem.yml')]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/collector\.syslog\.tcp\.idle_timeout_secs: unknown key; did you mean collector\.syslog\.tcp\.idle_timeout_seconds\? \(.*siem\.yml:4:7\)/);
  expect(r.stderr).toMatch(/alerting\.routes\[0\]\.min_severity: "urgent" is not allowed: one of .*"critical".* \(.*siem\.yml:8:21\)/);
  expect(r.stderr).toMatch(/alerting\.routes\[0\]\.notify\[0\]\.channel: "email" is not allowed: email is not configured .* \(.*siem\.yml:10:20\)/);
  expect(r.stderr).toMatch(/alerting\.routes\[1\]\.notify\[0\]\.to\[0\]: "pager" is not allowed: webhook target "pager" is not defined under channels\.webhooks \(.*siem\.yml:15:16\)/);
  expect(r.stderr).toContain('4 invalid settings');
});

test('config check takes an empty variable as unset and says so, naming the variable and the value in effect instead', () => {
  const r = run(['check'], { 'canhgac.yml': 'collector:\n  beats:\n    port: 5045\n' }, { CANHGAC_SYSLOG_PORT: '', CANHGAC_SYSLOG_TCP_PORT: '6514', CANHGAC_BEATS_PORT: ' ', CANHGAC_SMTP_URL: '' });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('port: 6514');
  expect(r.stderr).toContain('notice: CANHGAC_SYSLOG_PORT is set but empty: taken as unset, so collector.syslog.udp.port is 5514 (default) and collector.syslog.tcp.port is 6514 (from environment CANHGAC_SYSLOG_TCP_PORT)');
  expect(r.stderr).toMatch(/notice: CANHGAC_BEATS_PORT is set but empty: taken as unset, so collector\.beats\.port is 5045 \(.*canhgac\.yml:3:11\)/);
  expect(r.stderr).toContain('notice: CANHGAC_SMTP_URL is set but empty: taken as unset, so it sets nothing (alerting.channels.email.url)');
});

test('config check refuses an empty variable that cannot mean unset: a Zalo secret of a channel the other variables configure', () => {
  const r = run(['check'], {}, { CANHGAC_ZALO_APP_ID: '42', CANHGAC_ZALO_SECRET_KEY: '', CANHGAC_ZALO_REFRESH_TOKEN: 'zalo-refresh-99', CANHGAC_SYSLOG_PORT: '' });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('CANHGAC_ZALO_SECRET_KEY is set but empty; it is required when CANHGAC_ZALO_APP_ID, CANHGAC_ZALO_REFRESH_TOKEN is set');
  expect(r.stderr).toContain('(notice) CANHGAC_SYSLOG_PORT is set but empty: taken as unset');
  expect(r.stderr).not.toContain('zalo-refresh-99');
});
