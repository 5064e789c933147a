/**
 * auditd records sent one per syslog message become the one event of their serial, through the intake
 * (what the bus takes is what the indexer and the correlator read). Records are OTRF's dd binary padding
 * recording from ../shared/corpus.
 */
import fs from 'node:fs';
import path from 'node:path';
import { silentLogger } from '../../core/log';
import { parse } from '../parsers';
import { Counters } from '../counters';
import { Intake } from '../intake';
import { fakeBus, type FakeBus } from '../listeners/fake-bus';
import { AuditdAssembler, auditRecordOf } from './assembler';

type Ev = { event: { id: string; original?: string; kind?: string }; host?: { hostname?: string }; process?: { executable?: string; command_line?: string; name?: string }; auditd?: { log?: { record_types?: string[]; sequence?: number } }; message?: string };

const CORPUS = process.env.CANHGAC_CORPUS ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
const DD = fs
  .readFileSync(path.join(CORPUS, 'logs', 'OTRF-Security-Datasets', 'datasets', 'atomic', 'linux', 'defense_evasion', 'host', 'sh_binary_padding_dd_2020-11-10081941.log'), 'utf8')
  .split('\n')
  .filter((l) => l.trim());
const EOE = 'type=EOE msg=audit(1604996384.965:93777): ';
/** As audisp-syslog sends a record: one syslog message each, from host `h`. */
const syslog = (h: string, rec: string) => `<85>Nov 10 08:19:44 ${h} audispd: ${rec}`;
/** The same execution with another serial (and pid), as another process on the host ran it. */
const other = (rec: string, serial: number) => rec.replace(':93777)', `:${serial})`).replace('pid=2168', 'pid=3000');

function rig(assembly: ConstructorParameters<typeof AuditdAssembler>[0] = {}): { bus: FakeBus; intake: Intake; send(lines: string[], tenant?: string): Promise<unknown>; events(): Ev[] } {
  const bus = fakeBus();
  const intake = new Intake({ bus, counters: new Counters(), logger: silentLogger, timezone: 'UTC', assembly });
  return {
    bus,
    intake,
    send: (lines, tenant = 'so-a') => intake.submit('syslog-tcp', lines.map((raw) => ({ raw, tenant, sourceIp: '192.0.2.7' }))),
    events: () => bus.of<Ev>('events'),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

afterEach(() => jest.useRealTimers());

test('records of one serial sent one per message are one event with the executable and the command line, as the joined block is', async () => {
  const r = rig();
  const acked = r.send([...DD, EOE].map((l) => syslog('web01', l)));
  await acked;
  const [ev] = r.events();
  expect(r.events()).toHaveLength(1);
  expect(ev.process).toMatchObject({ executable: '/bin/dd', command_line: 'dd if=/dev/zero bs=1 count=1', name: 'dd' });
  expect(ev.auditd?.log?.record_types).toEqual(['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PATH', 'PROCTITLE', 'EOE']);
  // the same fields the parser gives the block Auditbeat joins (the EOE aside)
  const joined = parse(DD.join('\n'), { receivedAt: new Date() }) as unknown as Ev;
  expect(ev.process).toEqual(joined.process);
  expect(ev.event.original).toContain('type=PROCTITLE msg=audit(1604996384.965:93777)');
  r.intake.stop();
});

test('interleaved serials of two hosts, sent in separate batches, each become their own event once their EOE arrives', async () => {
  const r = rig();
  // audisp with name_format=hostname names the host in node=; db02 reuses web01's serial and time
  const a = [...DD, EOE].map((l) => syslog('relay', `node=web01 ${l}`));
  const b = [...DD, EOE].map((l) => syslog('relay', `node=db02 ${l.replace('pid=2168', 'pid=3000')}`));
  const c = [...DD, EOE].map((l) => syslog('relay', `node=web01 ${other(l, 93778)}`));
  const mixed = a.flatMap((l, i) => [l, b[i], c[i]]);
  // in batches of two messages: no batch holds a whole serial
  const acks: Promise<unknown>[] = [];
  for (let i = 0; i < mixed.length; i += 2) acks.push(r.send(mixed.slice(i, i + 2)));
  await Promise.all(acks);
  const evs = r.events();
  expect(evs).toHaveLength(3);
  expect(evs.map((e) => `${e.host?.hostname}:${e.auditd?.log?.sequence}`).sort()).toEqual(['db02:93777', 'web01:93777', 'web01:93778']);
  for (const e of evs) expect(e.process).toMatchObject({ executable: '/bin/dd', command_line: 'dd if=/dev/zero bs=1 count=1' });
  r.intake.stop();
});

test('the same serial of two agencies is two events', async () => {
  const r = rig();
  await Promise.all([r.send([...DD, EOE].map((l) => syslog('web01', l)), 'so-a'), r.send([...DD, EOE].map((l) => syslog('web01', l)), 'so-b')]);
  expect(r.events().map((e) => (e as unknown as { organization: { id: string } }).organization.id).sort()).toEqual(['so-a', 'so-b']);
  r.intake.stop();
});

test('a serial whose EOE never comes is flushed after the timeout, and its batch is acknowledged only then', async () => {
  const r = rig({ timeoutMs: 300 });
  let acked = false;
  const sent = r.send(DD.map((l) => syslog('web01', l))).then(() => (acked = true));
  await new Promise((res) => setTimeout(res, 150));
  expect(r.events()).toHaveLength(0);
  expect(acked).toBe(false); // held records are not durable yet: nothing is acknowledged
  await sent;
  expect(r.events()).toHaveLength(1);
  expect(r.events()[0].process).toMatchObject({ executable: '/bin/dd', command_line: 'dd if=/dev/zero bs=1 count=1' });
  r.intake.stop();
});

test('a lone record is flushed as the event the parser makes of it; lines without a serial and other logs pass at once', async () => {
  const r = rig({ timeoutMs: 200 });
  const lone = r.send([syslog('web01', DD[0])]);
  await r.send(['<38>Dec  3 10:00:00 h sshd[1]: Accepted password for root from 192.0.2.1 port 22 ssh2', syslog('web01', 'type=USER_LOGIN msg=audit(1604996384.100:93700): pid=1 uid=0 auid=0 ses=1 msg=\'op=login acct="root" exe="/usr/sbin/sshd" hostname=? addr=192.0.2.1 terminal=ssh res=success\'')]);
  expect(r.events()).toHaveLength(2); // the sshd line and the standalone USER_LOGIN did not wait
  await lone;
  const evs = r.events();
  expect(evs).toHaveLength(3);
  const single = parse(syslog('web01', DD[0]), { receivedAt: new Date() }) as unknown as Ev;
  expect(evs[2].process).toEqual(single.process);
  expect(evs[2].auditd?.log?.record_types).toBeUndefined();
  r.intake.stop();
});

test('a full table flushes the oldest serial first and counts it', async () => {
  const r = rig({ maxOpen: 2, timeoutMs: 60_000 });
  const first = r.send([syslog('h1', DD[0])]);
  void r.send([syslog('h2', other(DD[0], 2))]);
  await tick();
  expect(r.events()).toHaveLength(0);
  void r.send([syslog('h3', other(DD[0], 3))]); // a third serial: h1's is pushed out
  await first;
  expect(r.events().map((e) => e.event.original)).toEqual([syslog('h1', DD[0])]);
  expect(r.intake.assembly?.assembler.stats).toMatchObject({ open: 2, flushed: { full: 1 } });
  r.intake.stop();
});

test('a record of the same host newer by more than the settle time closes the serials before it', () => {
  const a = new AuditdAssembler({ settleMs: 1000 });
  const rec = (epochMs: number, serial: string, type = 'SYSCALL') => ({ listener: 'l', item: { raw: '', tenant: 't' }, receivedAt: new Date(), id: serial, hostKey: 't/h', text: '', type, epochMs, serial });
  const w = { resolve: () => undefined, reject: () => undefined };
  expect(a.add(rec(10_000, '1'), w)).toEqual([]);
  expect(a.add(rec(10_500, '2'), w)).toEqual([]);
  expect(a.add(rec(11_200, '3'), w).map((f) => [f.reason, f.records[0].serial])).toEqual([['settled', '1']]);
  expect(a.stats.open).toBe(2);
});

test('what the assembler takes: single records with a serial; not joined blocks, documents or userspace records', () => {
  expect(auditRecordOf(syslog('h', DD[1]))).toMatchObject({ type: 'EXECVE', serial: '93777', epochMs: 1604996384965 });
  expect(auditRecordOf(`node=web01 ${DD[0]}`)).toMatchObject({ type: 'SYSCALL', host: 'web01' });
  expect(auditRecordOf(syslog('web02', DD[0]))).toMatchObject({ host: 'web02' });
  expect(auditRecordOf(DD.join('\n'))).toBeNull();
  expect(auditRecordOf({ message: DD[0] })).toMatchObject({ type: 'SYSCALL' }); // a document of one record (HTTP ingest, Filebeat)
  expect(auditRecordOf({ message: DD[0], auditd: { message_type: 'syscall' } })).toBeNull(); // Auditbeat's, already one event
  expect(auditRecordOf('type=USER_AUTH msg=audit(1.2:3): pid=1')).toBeNull();
  expect(auditRecordOf('Accepted password for root')).toBeNull();
});
