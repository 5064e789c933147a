import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config';
import { consoleOptions } from './config-schema';
import { DEFAULT_SLA } from './sla';

/** The error message of loading `yaml` as canhgac.yml, and the file's path. */
function refused(yaml: string, env: NodeJS.ProcessEnv = {}): { message: string; file: string } {
  const cwd = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-console-cfg-'));
  const file = path.join(cwd, 'canhgac.yml');
  fs.writeFileSync(file, yaml);
  try {
    loadConfig({ env, cwd });
  } catch (e) {
    return { message: (e as Error).message, file };
  }
  throw new Error('the config was accepted');
}

test('SLA targets and the login limit come from the console section, what is left out keeps its default', () => {
  const cwd = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-console-cfg-'));
  fs.writeFileSync(path.join(cwd, 'canhgac.yml'), 'console:\n  sla:\n    critical: { acknowledge_minutes: 5 }\n    low:\n  login_limit: { max_failures: 10 }\n');
  const { config } = loadConfig({ env: {}, cwd });
  expect(consoleOptions(config.console)).toEqual({
    sla: { critical: { acknowledge_minutes: 5, resolve_minutes: DEFAULT_SLA.critical.resolve_minutes } },
    loginLimit: { maxFailures: 10, windowSeconds: 300 },
  });
  expect(consoleOptions(loadConfig({ env: {}, cwd: fs.mkdtempSync(path.join(tmpdir(), 'canhgac-console-cfg-')) }).config.console)).toEqual({});
});

test('a bad SLA or login-limit value is refused with the other errors, naming the key, the value, what is allowed and the line', () => {
  const { message, file } = refused('console:\n  sla:\n    urgent: { acknowledge_minutes: 5 }\n    high: { resolve_minutes: 0, acknowledge_minute: 3 }\n  login_limit:\n    max_failures: 0\n    window_seconds: "5m"\nlog:\n  level: hihg\n');
  expect(message).toContain('6 invalid settings');
  expect(message).toContain(`console.sla.urgent: unknown key; allowed here: critical, high, medium, low, informational (${file}:3:5)`);
  expect(message).toContain(`console.sla.high.acknowledge_minute: unknown key; did you mean console.sla.high.acknowledge_minutes? (${file}:4:33)`);
  expect(message).toContain(`console.sla.high.resolve_minutes: 0 is not allowed: Too small: expected number to be >=1 (${file}:4:30)`);
  expect(message).toContain(`console.login_limit.max_failures: 0 is not allowed: Too small: expected number to be >=1 (${file}:6:19)`);
  expect(message).toContain(`console.login_limit.window_seconds: "5m" is not allowed: expected number (${file}:7:21)`);
  expect(message).toContain(`log.level: "hihg" is not allowed: one of "fatal"`);
});
