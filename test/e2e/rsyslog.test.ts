/**
 * A real rsyslog forwards to canhgac as agencies configure it: RFC 5424
 * (RSYSLOG_SyslogProtocol23Format) over TCP with octet-counting framing.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { ApiClient, ROOT, sh, startCanhgac, tempDataDir, waitFor, type Running } from '../helpers/canhgac';

const RSYSLOG = path.join(ROOT, 'deploy', 'local', '.cache', 'rsyslog');
const RSYSLOGD = path.join(RSYSLOG, 'usr', 'sbin', 'rsyslogd');
const MODULES = path.join(RSYSLOG, 'usr', 'lib', 'x86_64-linux-gnu', 'rsyslog');

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let canhgac: Running;
beforeAll(async () => {
  if (!fs.existsSync(RSYSLOGD)) throw new Error(`rsyslogd is not unpacked at ${RSYSLOGD}: run deploy/local/peers.sh (as .ci/run does)`);
  canhgac = await startCanhgac();
});
afterAll(async () => canhgac?.stop());

test('rsyslog forwarding RFC 5424 with octet counting delivers parsed sshd events', async () => {
  const dir = tempDataDir();
  const udpPort = await freeUdpPort();
  const conf = path.join(dir, 'rsyslog.conf');
  fs.writeFileSync(
    conf,
    `global(workDirectory="${dir}")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="${udpPort}")
action(type="omfwd" target="127.0.0.1" port="${canhgac.syslogTcpPort}" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")
`,
  );
  const rs = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', path.join(dir, 'rsyslogd.pid'), '-M', MODULES], { stdio: ['ignore', 'pipe', 'pipe'] });
  let rsErr = '';
  rs.stderr!.on('data', (d: Buffer) => (rsErr += d.toString()));
  try {
    const api = await ApiClient.login(canhgac.consoleUrl);
    // rsyslog needs a moment to open its input; resend until something arrives
    await waitFor('events relayed by rsyslog', async () => {
      sh('logger', ['--udp', '-P', String(udpPort), '-n', '127.0.0.1', '-t', 'sshd', 'Failed password for invalid user relay from 192.0.2.55 port 6000 ssh2']);
      const r = await api.get<{ total: number }>(`/api/events?q=${encodeURIComponent('user.name:relay')}`);
      return r.body.total > 0;
    }, 30000).catch((e: Error) => {
      throw new Error(`${e.message}\nrsyslogd stderr: ${rsErr}`);
    });
    const r = await api.get<{ items: { source: { ip: string }; event: { outcome: string; original: string }; log: { syslog: { version?: string; appname?: string } } }[] }>(
      `/api/events?q=${encodeURIComponent('user.name:relay')}`,
    );
    const ev = r.body.items[0];
    expect(ev.source.ip).toBe('192.0.2.55');
    expect(ev.event.outcome).toBe('failure');
    expect(ev.event.original).toMatch(/^<\d+>1 /); // RFC 5424 as rsyslog sent it, framing removed
    expect(ev.log.syslog.appname).toBe('sshd');
  } finally {
    rs.kill('SIGTERM');
    await new Promise((r) => rs.on('exit', r));
  }
});
