#!/usr/bin/env node
/** The canhgac command: run the center (all components or one), and administer it. */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../core/config';
import { createLogger } from '../core/log';
import { COMPONENTS, type ComponentName } from '../core/runtime';
import { verifyAuditChain } from '../core/audit';
import { retentionCli, tenantSetCli } from '../core/retention/cli';
import { retentionContext } from '../core/retention/context';
import { parseCli } from '../collector/parsers/cli';
import { startDemo } from '../collector/demo/demo';
import { sigmaCli } from '../correlator/sigma/cli';
import { userRecoveryCli } from '../console/server/cli';
import { periodicReportCli } from '../console/server/periodicroutes-cli';
import { adminCli } from '../console/server/admincli';
import { adminTarget, openAdminStore } from './admin-store';
import { configCli } from './config-cli';
import { startNode } from './node';
import { websiteCli } from '../website/cli';
import { intelCli } from '../intel/cli';
import { vulnCli } from '../vuln/cli';

const VERSION: string = (() => {
  try {
    return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'dev';
  }
})();

const USAGE = `canhgac ${VERSION} — security event monitoring and alerting center

Run:
  canhgac start [--demo] [--config FILE]     every component in one process (embedded default)
  canhgac collector|correlator|indexer|alerting|console [--config FILE]
                                             one component (scale-out on Kafka + Elasticsearch)
Configure:
  canhgac config check [--config FILE]       validate every setting without starting; print the effective ones, secrets masked
  canhgac config reference                   every key and environment variable (docs/configuration.md)
Administer (use the same --config / CANHGAC_* settings as the running center):
  canhgac tenant add <id> --name "<name>"    create an agency and print its ingest token
  canhgac tenant list
  canhgac tenant token <id>                  issue another ingest token for an agency
  canhgac tenant set <id> --security-level 1-5 [--retention-days D|default] [--reason TEXT]
                                             the agency's level; events are kept its minimum unless D is set
                                             (below the minimum only with --reason; audited)
  canhgac tenant set <id> --share-tlp clear|green|amber|amber+strict|red [--share-observed yes|no] [--share-enabled yes|no]
                                             what the agency shares with the national centre as STIX 2.1 (audited)
  canhgac token create --user <name> [--label L]   API token for scripts (Authorization: Bearer)
  canhgac token revoke <token-id>
  canhgac user add <name> --role admin|analyst|responder|auditor|viewer [--agency ID ...]
                                             the password is read from standard input; with
                                             --agency the user sees only those agencies (any role)
  canhgac user unlock <name>                 lift a lockout after failed logins
  canhgac user totp-reset <name>             turn off a user's second factor (lost phone)
  canhgac audit verify                       check the audit log's hash chain
  canhgac report periodic [--tenant ID] [--from D] [--to D] --out FILE.pdf|.json
                                             the periodic monitoring report of an agency or (no --tenant) the province;
                                             the 6 months ending now unless --from/--to (YYYY-MM-DD, Vietnam time)
  canhgac retention run | status             delete events past each agency's retention now (what the daily
                                             schedule does, audited) | each agency's level, minimum and oldest event
  canhgac sigma check <paths...>             load Sigma rules and report each
  canhgac sigma match --rules <paths...> --events <file>
  canhgac parse --input <file> [--format F] [--dataset D] [--tenant T]
  canhgac website add <url> --tenant <agency> [--interval 60s] [--keyword K]   watch an agency's site
  canhgac website list | pause | resume | remove | rebaseline <id>
  canhgac vuln import <file> --format openvas|nessus|nmap --tenant <agency>   import a scan's findings
  canhgac vuln list [--tenant <agency>] [--host H] [--severity S] | export --tenant <agency>   (CSV)
  canhgac ioc import <file> --format csv|stix|misp [--tenant T] [--source S] [--ttl 30d]   threat indicators
  canhgac ioc list | export --format stix|csv
  canhgac blocklist add <agency> <value> --reason R [--ttl 7d] | list <agency> | token <agency>
`;

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n');

function config(configFile: string | undefined): Config {
  return loadConfig({ file: configFile ?? null }).config;
}

/** The banner's example: a sample line to the syslog port this center really listens on (TCP, else UDP). */
function tryLine(listeners: { name: string; address: { host: string; port: number } }[]): string {
  const l = listeners.find((x) => x.name === 'syslog-tcp') ?? listeners.find((x) => x.name === 'syslog-udp');
  if (!l) return 'logger: no syslog listener runs in this process (collector.syslog.udp / tcp in the config); send to a collector that has one';
  const host = l.address.host === '0.0.0.0' || l.address.host === '::' ? '127.0.0.1' : l.address.host;
  return `logger ${l.name === 'syslog-tcp' ? '--tcp' : '--udp'} -P ${l.address.port} -n ${host} -t sshd "Failed password for root from 203.0.113.7 port 4242 ssh2"`;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) err('password: (type it, then Enter)');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function run(argv: string[]): Promise<number> {
  const cmd = argv[0];
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    out(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === 'version') {
    out(VERSION);
    return 0;
  }
  if (cmd === 'config') {
    return configCli(argv.slice(1), { stdout: out, stderr: err });
  }
  if (cmd === 'sigma') {
    return sigmaCli(argv.slice(1), { stdout: out, stderr: err });
  }
  if (cmd === 'vuln') {
    return vulnCli(argv.slice(1), { stdout: out, stderr: err, openStore: (file) => openAdminStore(adminTarget({ file }), createLogger({ level: 'warn' }), err) });
  }
  if (cmd === 'website') {
    return websiteCli(argv.slice(1), { stdout: out, stderr: err, openStore: (file) => openAdminStore(adminTarget({ file }), createLogger({ level: 'warn' }), err) });
  }
  if (cmd === 'ioc' || cmd === 'blocklist') {
    return intelCli(cmd, argv.slice(1), { stdout: out, stderr: err, openStore: (file) => openAdminStore(adminTarget({ file }), createLogger({ level: 'warn' }), err) });
  }
  if (cmd === 'parse') {
    return parseCli(argv.slice(1), { stdout: out, stderr: err });
  }

  if (cmd === 'start' || (COMPONENTS as string[]).includes(cmd)) {
    const { values } = parseArgs({ args: argv.slice(1), options: { config: { type: 'string' }, demo: { type: 'boolean' } }, strict: true });
    const cfg = config(values.config);
    const logger = createLogger({ level: cfg.log.level });
    const components = cmd === 'start' ? COMPONENTS : [cmd as ComponentName];
    if (cmd !== 'start' && cfg.bus.kind === 'embedded') {
      throw new UsageError(`canhgac ${cmd} runs one component in its own process, which needs a shared bus: set CANHGAC_BUS=kafka (and CANHGAC_KAFKA_BROKERS), or run "canhgac start" for everything in one process`);
    }
    const node = await startNode(cfg, components, { logger });
    const a = node.addresses;
    out(`canhgac ${VERSION} is running (${cmd === 'start' ? 'all components' : cmd}; bus: ${cfg.bus.kind}, store: ${cfg.store.kind}; data in ${cfg.data_dir})`);
    if (a.console) out(`  console      ${a.console}`);
    if (a.syslogUdp || a.syslogTcp) out(`  syslog       ${[a.syslogUdp, a.syslogTcp].filter(Boolean).join('  ')}   (RFC 3164 / RFC 5424; TCP: LF or octet counting)`);
    if (a.syslogTls) out(`  syslog/tls   ${a.syslogTls}   (RFC 5425)`);
    if (a.httpIngest) out(`  http ingest  POST ${a.httpIngest}   (Authorization: Bearer <agency token>)`);
    const beats = node.collector?.listeners.find((l) => l.name === 'beats');
    if (beats) out(`  beats        ${beats.address.host}:${beats.address.port}   (Winlogbeat / Filebeat output.logstash${beats.address.protocol === 'tls' ? ', TLS' : ''})`);
    if (node.detection) {
      const ok = node.detection.report.filter((r) => r.ok).length;
      out(`  rules        loaded ${ok} of ${node.detection.report.length} Sigma rules from ${cfg.correlator.rules.join(', ')}`);
    }
    const boot = node.adminPassword;
    if (boot?.created && boot.generated) out(`  login        admin / ${boot.password}   (no admin existed: created with a generated password, shown only now; set CANHGAC_ADMIN_PASSWORD to choose it)`);
    else if (boot?.created) out('  login        admin / the password in CANHGAC_ADMIN_PASSWORD   (no admin existed: "admin" was created now)');
    else if (boot) out(`  login        ${boot.reason}`);
    let demo: { stop(): void } | undefined;
    if (values.demo) {
      if (!node.collector) throw new Error('--demo needs the collector component');
      demo = await startDemo({ intake: node.collector.intake, store: node.store, logger });
      out('  demo         replaying an attack scenario for agency "demo": incidents appear in the console within seconds');
    }
    // the last line of the banner: everything above it is up (scripts and tests wait for it)
    out(`  try          ${tryLine(node.collector?.listeners ?? [])}`);
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      demo?.stop();
      const force = setTimeout(() => process.exit(1), 15000);
      force.unref();
      await node.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    return -1; // keep running
  }

  // administration commands share the store with the running center; anything else is a typo,
  // answered before a store is looked for (a data directory message would hide it)
  if (!ADMIN_COMMANDS.has(cmd)) throw new UsageError(`${USAGE}\n\ncanhgac: unknown command "${cmd}"`);
  const { values, positionals } = parseArgs({
    args: argv.slice(1),
    options: { config: { type: 'string' }, name: { type: 'string' }, user: { type: 'string' }, label: { type: 'string' }, role: { type: 'string' }, agency: { type: 'string', multiple: true }, 'security-level': { type: 'string' }, 'retention-days': { type: 'string' }, reason: { type: 'string' }, 'share-tlp': { type: 'string' }, 'share-observed': { type: 'string' }, 'share-enabled': { type: 'string' }, tenant: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const target = adminTarget({ file: values.config });
  const cfg = target.config;
  const logger = createLogger({ level: 'warn' });
  const store = await openAdminStore(target, logger, err);
  try {
    const sub = positionals[0];
    const administered = await adminCli(store, cmd, { ...values, positionals, ingestPort: cfg.collector.http.port }, { stdout: out, stderr: err, readPassword: readStdin });
    if (administered !== null) return administered;
    if (cmd === 'tenant' && sub === 'set') return tenantSetCli(store, cfg.retention, positionals[1], values, { stdout: out, stderr: err });
    const retained = cmd === 'retention' ? await retentionCli(store, retentionContext(cfg), sub, { stdout: out, stderr: err }) : null;
    if (retained !== null) return retained;
    if (cmd === 'audit' && sub === 'verify') {
      const check = await verifyAuditChain(store);
      if (!check.intact) {
        const e = check.alteredAt;
        err(`audit log ALTERED at entry ${e.seq} (${e.at} ${e.actor} ${e.action}): its hash does not follow from the entries before it`);
        return 1;
      }
      out(`audit log intact: ${check.entries} entries, hash chain verified`);
      return 0;
    }
    if (cmd === 'user' && (sub === 'totp-reset' || sub === 'unlock')) return userRecoveryCli(store, positionals, { stdout: out, stderr: err });
    if (cmd === 'report') return await periodicReportCli(store, { ...values, positionals }, { stdout: out, stderr: err });
    throw new UsageError(`${USAGE}\n\ncanhgac: unknown command "${[cmd, sub].filter(Boolean).join(' ')}"`); // last, where the terminal shows it
  } finally {
    await store.close();
  }
}

class UsageError extends Error {}

/** The commands answered by adminCli and below: they open the center's store. */
const ADMIN_COMMANDS = new Set(['tenant', 'token', 'user', 'audit', 'retention', 'report']);

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: Error) => {
    if (e instanceof ConfigError || e instanceof UsageError) err(e.message);
    else err(`canhgac: ${e.message}`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
