/**
 * Forwarding to another SIEM through the built binary: `canhgac start` with alerting.forward
 * sends an SSH brute force (a shipped rule, fired by lines sent with `logger`) as CEF over TCP
 * to a real rsyslogd, which writes what it parsed to a file, and to a second canhgac, whose CEF
 * parser files it as an event with the same rule, addresses and agency. A receiver that is down,
 * while canhgac is killed and started again, still gets the forwards once it is up.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freeTcpPort, startStreamReceiver } from '../../alerting/channels/syslog-testing';
import { ApiClient, ROOT, sh, startCanhgac, tempDataDir, waitFor, type Running } from '../helpers/canhgac';

const RSYSLOG = path.join(ROOT, 'deploy', 'local', '.cache', 'rsyslog');
const RSYSLOGD = path.join(RSYSLOG, 'usr', 'sbin', 'rsyslogd');
const MODULES = path.join(RSYSLOG, 'usr', 'lib', 'x86_64-linux-gnu', 'rsyslog');

const running: Running[] = [];
afterAll(async () => {
  for (const r of running) await r.stop();
});
async function start(opts: Parameters<typeof startCanhgac>[0] = {}): Promise<Running> {
  const r = await startCanhgac(opts);
  running.push(r);
  return r;
}

test('an SSH brute force reaches rsyslog and another canhgac as CEF over TCP, with rule, addresses and agency', async () => {
  if (!fs.existsSync(RSYSLOGD)) throw new Error(`rsyslogd is not unpacked at ${RSYSLOGD}: run deploy/local/peers.sh (as .ci/run does)`);
  const dir = tempDataDir();
  const rsPort = await freeTcpPort();
  const out = path.join(dir, 'forwarded.log');
  const conf = path.join(dir, 'rsyslog.conf');
  // what rsyslog parsed from the RFC 5424 header, then the MSG as it arrived
  fs.writeFileSync(
    conf,
    `global(workDirectory="${dir}")
module(load="imtcp")
template(name="parsed" type="string" string="%app-name% %msgid% %hostname% %timereported:::date-rfc3339% %syslogseverity-text% %msg%\\n")
ruleset(name="fromcanhgac") { action(type="omfile" file="${out}" template="parsed") }
input(type="imtcp" address="127.0.0.1" port="${rsPort}" ruleset="fromcanhgac")
`,
  );
  const rs = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', path.join(dir, 'rsyslogd.pid'), '-M', MODULES], { stdio: ['ignore', 'pipe', 'pipe'] });
  let rsErr = '';
  rs.stderr!.on('data', (d: Buffer) => (rsErr += d.toString()));
  try {
    const receiver = await start();
    const senderDir = tempDataDir();
    fs.writeFileSync(
      path.join(senderDir, 'canhgac.yml'),
      `alerting:
  forward:
    - { name: rsyslog, url: "tcp://127.0.0.1:${rsPort}", what: [alerts, incidents] }
    - { name: canhgac-tinh, url: "tcp://127.0.0.1:${receiver.syslogTcpPort}", what: [alerts] }
`,
    );
    const sender = await start({ dataDir: senderDir });
    const attacker = '203.0.113.77';
    for (let i = 0; i < 6; i++) sh('logger', ['--tcp', '-P', String(sender.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', `Failed password for nguyenvana from ${attacker} port ${42000 + i} ssh2`]);

    const lines = () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\n').filter(Boolean) : []);
    await waitFor('the brute force in rsyslog\'s file', () => lines().some((l) => l.includes('|SSH Brute Force|')) && lines().some((l) => l.startsWith('canhgac incident ')), 40000).catch((e: Error) => {
      throw new Error(`${e.message}\nrsyslogd stderr: ${rsErr}\nfile: ${lines().join('\n')}\nsender stderr: ${sender.stderr()}`);
    });
    const alertLine = lines().find((l) => l.startsWith('canhgac alert ') && l.includes('|SSH Brute Force|'))!;
    // rsyslog read app-name, msgid, a timestamp with milliseconds and the severity from the header
    expect(alertLine).toMatch(/^canhgac alert \S+ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (err|warning|crit|notice) /);
    const cef = alertLine.slice(alertLine.indexOf('CEF:0|'));
    expect(cef).toMatch(/^CEF:0\|canhgac\|canhgac\|[\d.]+\|[^|]+\|SSH Brute Force\|\d+\|/);
    expect(cef).toContain(`src=${attacker}`);
    expect(cef).toContain('cs1Label=agency cs1=default');
    expect(cef).toMatch(/cs2Label=incident cs2=\S+/);
    const incidentLine = lines().find((l) => l.startsWith('canhgac incident '))!;
    expect(incidentLine).toMatch(/cat=incident\/opened .*cs1=default/);

    // the other canhgac parsed the forward as a CEF event with the same rule and addresses
    const api = await ApiClient.login(receiver.consoleUrl);
    const ruleId = /\|([^|]+)\|SSH Brute Force\|/.exec(cef)![1];
    const found = await waitFor('the forward as an event in the receiving canhgac', async () => {
      const r = await api.get<{ total: number; items: Record<string, any>[] }>(`/api/events?q=${encodeURIComponent('event.dataset:cef.log')}`);
      return r.body.items.find((e) => e.cef?.name === 'SSH Brute Force');
    }, 30000);
    expect(found.event.code).toBe(ruleId);
    expect(found.source.ip).toBe(attacker);
    expect(found.observer).toMatchObject({ vendor: 'canhgac', product: 'canhgac' });
    expect(found.cef.extensions).toMatchObject({ deviceCustomString1Label: 'agency', deviceCustomString1: 'default' });

    // the sender shows the forwards like any notification: sent, on channel syslog
    const sapi = await ApiClient.login(sender.consoleUrl);
    const n = await sapi.get<{ items: { channel: string; recipient: string; status: string }[] }>('/api/notifications?limit=100');
    const forwards = n.body.items.filter((x) => x.channel === 'syslog');
    expect(forwards.map((x) => x.recipient).sort()).toEqual(expect.arrayContaining(['canhgac-tinh', 'rsyslog']));
    expect(forwards.every((x) => x.status === 'sent')).toBe(true);
  } finally {
    rs.kill('SIGTERM');
    await new Promise((r) => rs.on('exit', r));
  }
});

test('forwards queued while the receiver is down survive a kill -9 of canhgac and arrive once the receiver is up', async () => {
  const port = await freeTcpPort();
  const dataDir = tempDataDir();
  fs.writeFileSync(path.join(dataDir, 'canhgac.yml'), `alerting:\n  forward:\n    - { name: siem, url: "tcp://127.0.0.1:${port}", what: [alerts, incidents] }\n`);
  let c = await start({ dataDir });
  const attacker = '198.51.100.23';
  for (let i = 0; i < 6; i++) sh('logger', ['--tcp', '-P', String(c.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', `Failed password for tranthib from ${attacker} port ${43000 + i} ssh2`]);
  let api = await ApiClient.login(c.consoleUrl);
  await waitFor('a forward that could not be sent', async () => {
    const n = await api.get<{ items: { channel: string; lastError: string | null }[] }>('/api/notifications?limit=100');
    return n.body.items.some((x) => x.channel === 'syslog' && /ECONNREFUSED/.test(x.lastError ?? ''));
  }, 30000);
  await c.kill9();
  c = await start({ dataDir });
  const receiver = await startStreamReceiver(port);
  try {
    // the outbox retries after its back-off (30 s at first)
    await waitFor('the forwards after the restart', () => receiver.messages.some((m) => m.includes(' alert - ') && m.includes(`src=${attacker}`)) && receiver.messages.some((m) => m.includes(' incident - ')), 90000);
    const ids = receiver.messages.map((m) => /externalId=(\S+)/.exec(m)?.[1]);
    expect(new Set(ids).size).toBe(ids.length); // each once
    api = await ApiClient.login(c.consoleUrl);
    await waitFor('recorded as sent', async () => (await api.get<{ items: { channel: string; status: string }[] }>('/api/notifications?limit=100')).body.items.filter((x) => x.channel === 'syslog').every((x) => x.status === 'sent'), 10000);
  } finally {
    await receiver.close();
  }
}, 150000);
