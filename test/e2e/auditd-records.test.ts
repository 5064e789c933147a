/**
 * auditd records sent one per syslog message, as audisp-syslog and rsyslog imfile send them, on the real
 * binary: the records of one serial are one event, and SigmaHQ's Linux process_creation rule 'DD File
 * Overwrite' (Image from the SYSCALL, CommandLine from the EXECVE) fires once on it. The records follow
 * OTRF's dd recording (../shared/corpus), run here with of=/dev/sda.
 */
import net from 'node:net';
import path from 'node:path';
import { ApiClient, cli, sh, startCanhgac, waitFor, type Running } from '../helpers/canhgac';

const CORPUS = process.env.CANHGAC_CORPUS ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
const RULE = path.join(CORPUS, 'sigma', 'rules', 'linux', 'process_creation', 'proc_creation_lnx_dd_file_overwrite.yml');
const TITLE = 'DD File Overwrite';

/** One execution's records, each its own message; `node` names the host as audisp's name_format=hostname does. */
function serial(node: string, at: string, seq: number, argv: string[], exe: string): string[] {
  const head = (type: string) => `node=${node} type=${type} msg=audit(${at}:${seq}):`;
  const hex = Buffer.from(argv.join('\0')).toString('hex').toUpperCase();
  return [
    `${head('SYSCALL')} arch=c000003e syscall=59 success=yes exit=0 a0=558e25052c70 a1=558e251641a0 a2=558e25160800 a3=1b6 items=2 ppid=29002 pid=${seq} auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=104 comm="${path.basename(exe)}" exe="${exe}" key=(null)`,
    `${head('EXECVE')} argc=${argv.length} ${argv.map((a, i) => `a${i}="${a}"`).join(' ')}`,
    `${head('CWD')} cwd="/home/wardog"`,
    `${head('PATH')} item=0 name="${exe}" inode=20 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
    `${head('PROCTITLE')} proctitle=${hex}`,
    `${head('EOE')}`,
  ];
}

type Ev = { process?: { executable?: string; command_line?: string }; auditd?: { log?: { record_types?: string[] } } };

async function found(api: ApiClient, q: string): Promise<{ total: number; items: Ev[] }> {
  return (await api.get<{ total: number; items: Ev[] }>(`/api/events?q=${encodeURIComponent(q)}&limit=100`)).body;
}

async function alertsOf(api: ApiClient): Promise<{ rule: { title?: string } | string; title?: string }[]> {
  const items = (await api.get<{ items: Record<string, unknown>[] }>('/api/alerts?limit=1000')).body.items;
  return items.filter((a) => JSON.stringify(a).includes(TITLE)) as { rule: { title?: string } }[];
}

let canhgac: Running | undefined;
afterEach(async () => {
  await canhgac?.stop();
  canhgac = undefined;
});

test('dd records sent one per message with logger over TCP, mixed with another host and other logs, are one event that fires DD File Overwrite once', async () => {
  canhgac = await startCanhgac({ env: { CANHGAC_RULES: RULE } });
  const api = await ApiClient.login(canhgac.consoleUrl);
  const wipe = serial('web01', '1604996384.965', 93777, ['dd', 'if=/dev/zero', 'of=/dev/sda', 'bs=1M'], '/usr/bin/dd');
  const ls = serial('db02', '1604996384.965', 93777, ['ls', '-la'], '/usr/bin/ls'); // the same serial and time on another host
  const send = (msg: string) => sh('logger', ['--tcp', '-P', String(canhgac!.syslogTcpPort), '-n', '127.0.0.1', '-t', 'audispd', msg]);
  for (let i = 0; i < wipe.length; i++) {
    send(wipe[i]);
    send(ls[i]);
    if (i === 2) sh('logger', ['--tcp', '-P', String(canhgac.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', 'Accepted password for wardog from 192.0.2.5 port 50000 ssh2']);
  }
  const dd = await waitFor('the dd event', async () => ((await found(api, 'process.executable:"/usr/bin/dd"')).total > 0 ? found(api, 'process.executable:"/usr/bin/dd"') : null), 30000);
  expect(dd.items).toHaveLength(1);
  expect(dd.items[0].process).toMatchObject({ executable: '/usr/bin/dd', command_line: 'dd if=/dev/zero of=/dev/sda bs=1M' });
  expect(dd.items[0].auditd?.log?.record_types).toEqual(['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PROCTITLE', 'EOE']);
  const other = await found(api, 'process.executable:"/usr/bin/ls"');
  expect(other.items.map((e) => e.process?.command_line)).toEqual(['ls -la']);
  await waitFor('the DD File Overwrite alert', async () => (await alertsOf(api)).length > 0, 30000);
  await new Promise((r) => setTimeout(r, 3000)); // past the assembler's timeout: nothing else comes of these records
  expect(await alertsOf(api)).toHaveLength(1);
  expect((await found(api, 'auditd.log.sequence:93777')).total).toBe(2); // one event per host, no leftover record
  expect((await found(api, 'process.name:sshd OR user.name:wardog')).total).toBeGreaterThanOrEqual(1);
}, 90000);

test('records held when the process is killed (-9) were not acknowledged: sent again after the restart, they make the event once', async () => {
  const first = await startCanhgac({ env: { CANHGAC_RULES: RULE } });
  canhgac = first;
  const dataDir = first.dataDir;
  const token = /ingest token \(shown once\): (\S+)/.exec(cli(dataDir, ['tenant', 'add', 'so-tc', '--name', 'Sở Tài chính']).stdout)![1];
  const wipe = serial('web01', '1604996390.100', 5001, ['dd', 'if=/dev/zero', 'of=/dev/sdb'], '/bin/dd');
  const post = (url: string, lines: string[]) => fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body: lines.map((message) => JSON.stringify({ message })).join('\n') });
  // the serial without its EOE: held, so no answer yet
  const held = post(first.ingestUrl, wipe.slice(0, 3)).then((r) => r.status, () => 'no answer');
  await new Promise((r) => setTimeout(r, 500));
  await first.kill9();
  expect(await held).toBe('no answer');

  canhgac = await startCanhgac({ dataDir, env: { CANHGAC_RULES: RULE } });
  const api = await ApiClient.login(canhgac.consoleUrl);
  await new Promise((r) => setTimeout(r, 3000)); // the journal is replayed: nothing of the unanswered request
  expect((await found(api, 'auditd.log.sequence:5001')).total).toBe(0);
  // the sender sends again what was not acknowledged, and the rest of the serial
  const res = await post(canhgac.ingestUrl, wipe);
  expect(res.status).toBe(202);
  await waitFor('the DD File Overwrite alert', async () => (await alertsOf(api)).length > 0, 30000);
  const dd = await found(api, 'auditd.log.sequence:5001');
  expect(dd.items).toHaveLength(1);
  expect(dd.items[0].process).toMatchObject({ executable: '/bin/dd', command_line: 'dd if=/dev/zero of=/dev/sdb' });
  await new Promise((r) => setTimeout(r, 3000));
  expect(await alertsOf(api)).toHaveLength(1);
}, 120000);

test('a graceful stop publishes the serials still open: the dd records sent without their EOE are one event after the restart', async () => {
  const first = await startCanhgac({ env: { CANHGAC_RULES: RULE } });
  canhgac = first;
  const wipe = serial('web03', '1604996395.500', 7007, ['dd', 'if=/dev/zero', 'of=/dev/sdc'], '/usr/bin/dd');
  // one connection: once the sshd line after the records is searchable, the records are in the collector
  const sock = net.connect(first.syslogTcpPort, '127.0.0.1');
  const lines = [...wipe.slice(0, 5).map((r) => `<85>Nov 10 08:19:55 relay audispd: ${r}`), '<38>Nov 10 08:19:55 web03 sshd[9]: Accepted password for marker7007 from 192.0.2.5 port 50000 ssh2'];
  await new Promise<void>((resolve) => sock.write(lines.join('\n') + '\n', () => resolve()));
  const api1 = await ApiClient.login(first.consoleUrl);
  await waitFor('the line after the records', async () => (await found(api1, 'user.name:marker7007')).total === 1);
  sock.end();
  await first.stop(); // well inside the assembler's 2 s timeout
  canhgac = await startCanhgac({ dataDir: first.dataDir, env: { CANHGAC_RULES: RULE } });
  const api = await ApiClient.login(canhgac.consoleUrl);
  const dd = await waitFor('the dd event', async () => ((await found(api, 'auditd.log.sequence:7007')).total > 0 ? found(api, 'auditd.log.sequence:7007') : null), 30000);
  expect(dd.items).toHaveLength(1);
  expect(dd.items[0].process).toMatchObject({ executable: '/usr/bin/dd', command_line: 'dd if=/dev/zero of=/dev/sdc' });
  expect(dd.items[0].auditd?.log?.record_types).toEqual(['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PROCTITLE']);
}, 90000);
