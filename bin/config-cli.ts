/**
 * `canhgac config check` and `canhgac config reference`. Every component's section is typed in
 * the composed schema (core/config.ts), so check reports alerting and console errors with the rest.
 */
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { ConfigError, loadConfig, type Config } from '../core/config';
import { maskSecrets, renderReference } from '../core/config-reference';
import { LISTENERS, settingsOf } from '../collector/listeners/registry';

/** Two enabled listeners (or a listener and the console) declaring one TCP or UDP port on one host. */
export function portConflicts(config: Config): string[] {
  const taken = new Map<string, string>();
  const out: string[] = [];
  const claim = (key: string, host: string | undefined, port: number, transport: 'tcp' | 'udp') => {
    if (port === 0) return; // any free port
    const where = `${transport}:${host ?? config.bind}:${port}`;
    const other = taken.get(where);
    if (other) out.push(`  ${key}.port: ${port} is also the port of ${other} (both ${transport.toUpperCase()} on ${host ?? config.bind}); give one of them another port`);
    else taken.set(where, key);
  };
  for (const spec of LISTENERS) {
    const settings = settingsOf(config, spec);
    if (spec.enabled(settings)) for (const p of spec.ports(settings)) claim(spec.key, p.host, p.port, p.protocol === 'udp' ? 'udp' : 'tcp');
  }
  if (config.console.enabled) claim('console', config.console.host, config.console.port, 'tcp');
  return out;
}

export function configCli(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void; env?: NodeJS.ProcessEnv; cwd?: string }): number {
  const sub = argv[0];
  if (sub === 'reference') {
    io.stdout(renderReference());
    return 0;
  }
  if (sub !== 'check') {
    io.stderr('usage: canhgac config check [--config FILE] | canhgac config reference');
    return 2;
  }
  const { values } = parseArgs({ args: argv.slice(1), options: { config: { type: 'string' } }, strict: true });
  const env = io.env ?? process.env;
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig({ file: values.config ?? null, env, cwd: io.cwd });
    const clashes = portConflicts(loaded.config);
    if (clashes.length) throw new ConfigError(`config${loaded.file ? ` (${loaded.file})` : ''}: ${clashes.length} invalid setting${clashes.length === 1 ? '' : 's'}:\n${clashes.join('\n')}`);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(e.message);
    return 1;
  }
  for (const n of loaded.notices) io.stderr(`notice: ${n}`);
  io.stdout(`# configuration is valid (${loaded.file ?? 'no file: defaults and environment'}); effective settings, secrets masked:`);
  io.stdout(YAML.stringify(maskSecrets(loaded.config)));
  return 0;
}
