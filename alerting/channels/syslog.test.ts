import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeServerCa } from '../../test/helpers/pki';
import type { Alert } from '../../core/model';
import { createSqliteStore } from '../../core/store/sqlite';
import type { Store } from '../../core/store/store';
import { type Alerting, createAlerting, loadRoutesConfig } from '../index';
import { sampleIncident, sampleNotification } from '../testing';
import type { Logger } from './channel';
import { parse } from '../../collector/parsers';
import { createSyslogChannel } from './syslog';
import { freeTcpPort, readFrames, startStreamReceiver, startUdpReceiver, until } from './syslog-testing';

function alertN(i: number, over: Partial<Alert> = {}): Alert {
  return {
    id: `alert-${String(i).padStart(3, '0')}`,
    '@timestamp': new Date(Date.parse('2026-12-07T09:00:00Z') + i * 1000).toISOString(),
    created: '2026-12-07T09:00:00.000Z',
    tenant: 'so-x',
    rule: { id: 'r-ssh-bf', title: 'Tấn công dò mật khẩu SSH', level: 'high', tags: ['attack.t1110'], references: [] },
    kind: 'rule',
    severity: 'high',
    groupKey: 'k',
    groupBy: null,
    eventIds: [`e-${i}`],
    summary: { source_ip: '203.0.113.7', destination_ip: '10.0.0.5', user: 'root' },
    ...over,
  };
}

const externalIds = (messages: string[]) => messages.map((m) => /externalId=(\S+)/.exec(m)?.[1]);

function recordingLogger() {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

let dir: string;
let store: Store;
let alerting: Alerting | undefined;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-forward-'));
  store = createSqliteStore({ path: path.join(dir, 'canhgac.db') });
  await store.init();
});
afterEach(async () => {
  await alerting?.stop();
  alerting = undefined;
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const fast = { pollMs: 20, sweepMs: 50, backoffBaseMs: 40, backoffMaxMs: 400, maxAttempts: 50 };

async function start(forward: unknown[], logger?: Logger, outbox = fast) {
  alerting = createAlerting({ store, config: { forward }, env: {}, logger, outbox });
  await alerting.start();
  return alerting;
}

describe('config', () => {
  test('bad destinations are reported with the key that is wrong', () => {
    const bad = (forward: unknown[]) => () => loadRoutesConfig({ forward }, {});
    expect(bad([{ name: 'siem', url: 'http://siem:514' }])).toThrow('alerting.forward[0].url: must be udp://host:port, tcp://host:port or tls://host:port');
    expect(bad([{ name: 'siem', url: 'tcp://siem:514', what: ['events'] }])).toThrow(/alerting\.forward\[0\]\.what\[0\]/);
    expect(bad([{ name: 'siem', url: 'tcp://siem:514', ca_file: '/x.pem' }])).toThrow('alerting.forward[0].ca_file: is only used with tls:// (url is tcp://)');
    expect(bad([{ name: 'a', url: 'udp://h:514' }, { name: 'a', url: 'udp://h:515' }])).toThrow('alerting.forward[1].name: "a" is used by two destinations');
    expect(bad([{ name: 'siem', url: 'tcp://siem:514', min_severity: 'urgent' }])).toThrow(/alerting\.forward\[0\]\.min_severity/);
  });
  test('a CA file that cannot be read fails at start, naming the key and the file', () => {
    expect(() => createSyslogChannel([{ name: 'siem', url: 'tls://127.0.0.1:6514', ca_file: '/nonexistent/ca.pem' }])).toThrow(/alerting\.forward\[0\]\.ca_file: cannot read \/nonexistent\/ca\.pem/);
  });
  test('defaults: cef, alerts only, every agency and severity, facility 4', () => {
    const cfg = loadRoutesConfig({ forward: [{ name: 'siem', url: 'tcp://127.0.0.1:6514' }] }, {});
    expect(cfg.forward[0]).toMatchObject({ format: 'cef', what: ['alerts'], agencies: [], min_severity: 'informational', facility: 4 });
  });
});

test('TCP: a receiver that is down at first gets every alert once it is up, in order, with octet-counting framing', async () => {
  const port = await freeTcpPort();
  const a = await start([{ name: 'soc-tinh', url: `tcp://127.0.0.1:${port}` }]);
  const incident = sampleIncident();
  for (let i = 1; i <= 5; i++) await a.onIncident(incident, 'updated', alertN(i));
  // the outbox tried and recorded why it could not send
  await until('failed attempts recorded', async () => (await store.listNotifications({ tenants: null })).every((n) => n.attempts >= 1 && /ECONNREFUSED|next connection attempt|waiting behind an earlier message/.test(n.lastError ?? '')));
  for (let i = 6; i <= 8; i++) await a.onIncident(incident, 'updated', alertN(i)); // more arrive while it is still down
  await new Promise((r) => setTimeout(r, 300));
  const receiver = await startStreamReceiver(port);
  try {
    for (let i = 9; i <= 10; i++) await a.onIncident(incident, 'updated', alertN(i));
    await until('10 messages received', () => receiver.messages.length >= 10);
    await new Promise((r) => setTimeout(r, 200)); // nothing more comes (no duplicates)
    expect(externalIds(receiver.messages)).toEqual(Array.from({ length: 10 }, (_, i) => alertN(i + 1).id));
    expect(receiver.messages[0]).toMatch(/^<35>1 \S+ \S+ canhgac - alert - CEF:0\|canhgac\|canhgac\|[^|]+\|r-ssh-bf\|Tấn công dò mật khẩu SSH\|8\|/);
    const all = await store.listNotifications({ tenants: null });
    expect(all.map((n) => n.status)).toEqual(Array(10).fill('sent'));
    expect(all.every((n) => n.channel === 'syslog' && n.recipient === 'soc-tinh' && n.tenant === 'so-x')).toBe(true);
  } finally {
    await receiver.close();
  }
});

test('TCP: a receiver that restarts is reconnected to; an alert delivered twice by the bus is forwarded once', async () => {
  let receiver = await startStreamReceiver();
  const port = receiver.port;
  const a = await start([{ name: 'siem', url: `tcp://127.0.0.1:${port}` }]);
  await a.onIncident(sampleIncident(), 'updated', alertN(1));
  await a.onIncident(sampleIncident(), 'updated', alertN(1));
  await until('first message', () => receiver.messages.length === 1);
  await receiver.close();
  await new Promise((r) => setTimeout(r, 100));
  receiver = await startStreamReceiver(port);
  try {
    await a.onIncident(sampleIncident(), 'updated', alertN(2));
    await until('message after the restart', () => receiver.messages.length === 1);
    expect(externalIds(receiver.messages)).toEqual(['alert-002']);
    expect(receiver.connections).toBe(1);
  } finally {
    await receiver.close();
  }
});

test('what, agencies and min_severity choose what each destination gets; incidents are forwarded on opening and on a rise of severity', async () => {
  const all = await startStreamReceiver();
  const picky = await startStreamReceiver();
  const a = await start([
    { name: 'all', url: `tcp://127.0.0.1:${all.port}`, what: ['alerts', 'incidents'] },
    { name: 'picky', url: `tcp://127.0.0.1:${picky.port}`, what: ['incidents'], agencies: ['so-y'], min_severity: 'critical' },
  ]);
  try {
    await a.onIncident(sampleIncident({ id: 'inc-x', tenant: 'so-x' }), 'created', alertN(1));
    await a.onIncident(sampleIncident({ id: 'inc-y', tenant: 'so-y', severity: 'high' }), 'created', alertN(2, { tenant: 'so-y' }));
    await a.onIncident(sampleIncident({ id: 'inc-y', tenant: 'so-y', severity: 'critical' }), 'raised', alertN(3, { tenant: 'so-y', severity: 'critical' }));
    await a.onIncident(sampleIncident({ id: 'inc-y', tenant: 'so-y', severity: 'critical' }), 'updated', alertN(4, { tenant: 'so-y' }));
    await until('all messages', () => all.messages.length === 7 && picky.messages.length === 1);
    expect(externalIds(all.messages)).toEqual(['alert-001', 'inc-x:opened', 'alert-002', 'inc-y:opened', 'alert-003', 'inc-y:critical', 'alert-004']);
    expect(picky.messages[0]).toMatch(/ canhgac - incident-severity - CEF:0\|.*\|10\|.*cat=incident\/severity .*cs1Label=agency cs1=so-y cs2Label=incident cs2=inc-y/);
  } finally {
    await all.close();
    await picky.close();
  }
});

test('an alert carries the ports, users, host and action of the stored event that completed it', async () => {
  const ev = parse('<38>1 2026-12-07T09:00:01.000Z web-01 sshd 811 - - Failed password for invalid user khach from 203.0.113.7 port 4242 ssh2', { receivedAt: new Date() });
  (ev.event as { id?: string }).id = 'e-1';
  ev.organization = { id: 'so-x' };
  await store.putEvents([ev]);
  expect(await store.getEvents(['e-1'], ['so-x'])).toHaveLength(1);
  const receiver = await startStreamReceiver();
  const a = await start([{ name: 'siem', url: `tcp://127.0.0.1:${receiver.port}` }]);
  try {
    await a.onIncident(sampleIncident(), 'updated', alertN(1, { summary: { source_ip: '203.0.113.7', user: 'khach', host: 'web-01' } }));
    await until('message', () => receiver.messages.length === 1);
    expect(receiver.messages[0]).toMatch(/ src=203\.0\.113\.7 spt=4242 duser=khach dhost=web-01 act=\S+ /);
  } finally {
    await receiver.close();
  }
});

test('UDP: one datagram per alert, JSON when asked', async () => {
  const receiver = await startUdpReceiver();
  const a = await start([{ name: 'siem', url: `udp://127.0.0.1:${receiver.port}`, format: 'json' }]);
  try {
    await a.onIncident(sampleIncident(), 'updated', alertN(7));
    await until('datagram', () => receiver.messages.length === 1);
    const m = receiver.messages[0];
    expect(m).toMatch(/^<35>1 .* canhgac - alert - \{/);
    expect(JSON.parse(m.slice(m.indexOf('{')))).toMatchObject({ type: 'alert', alert: { id: 'alert-007', tenant: 'so-x', incidentId: 'inc-1' } });
  } finally {
    await receiver.close();
  }
});

describe('TLS', () => {
  let pki: { ca: string; cert: string; key: string };
  beforeEach(() => {
    pki = makeServerCa(dir);
  });

  test('with the receiver\'s CA the alert arrives over TLS', async () => {
    const receiver = await startStreamReceiver(0, { cert: fs.readFileSync(pki.cert), key: fs.readFileSync(pki.key) });
    const a = await start([{ name: 'siem', url: `tls://127.0.0.1:${receiver.port}`, ca_file: pki.ca }]);
    try {
      await a.onIncident(sampleIncident(), 'updated', alertN(1));
      await until('message over TLS', () => receiver.messages.length === 1);
      expect(receiver.messages[0]).toContain('externalId=alert-001');
    } finally {
      await receiver.close();
    }
  });

  test('a certificate the CA did not sign is a clear error in the log and on the notification, and nothing is sent', async () => {
    const other = makeServerCa(fs.mkdtempSync(path.join(dir, 'other-')));
    const receiver = await startStreamReceiver(0, { cert: fs.readFileSync(pki.cert), key: fs.readFileSync(pki.key) });
    const { logger, lines } = recordingLogger();
    const a = await start([{ name: 'siem', url: `tls://127.0.0.1:${receiver.port}`, ca_file: other.ca }], logger);
    try {
      await a.onIncident(sampleIncident(), 'updated', alertN(1));
      await until('the refusal is recorded', async () => /TLS certificate of tls:\/\/127\.0\.0\.1:\d+ was refused/.test((await store.listNotifications({ tenants: null }))[0]?.lastError ?? ''));
      const err = lines.find((l) => l.level === 'error' && /forward destination siem: the TLS certificate/.test(l.msg ?? ''));
      expect(err?.msg).toMatch(/check ca_file/);
      expect(receiver.messages).toEqual([]);
      expect((await store.listNotifications({ tenants: null }))[0].status).toBe('pending'); // still retried: fixing ca_file and restarting delivers it
    } finally {
      await receiver.close();
    }
  });
});

test('what can never be sent is failed with the reason, like any other channel\'s notification', async () => {
  const port = await freeTcpPort();
  const a = await start([{ name: 'siem', url: `tcp://127.0.0.1:${port}` }], undefined, { ...fast, maxAttempts: 2 });
  await a.onIncident(sampleIncident(), 'updated', alertN(1));
  await until('given up', async () => (await store.listNotifications({ tenants: null, status: ['failed'] })).length === 1);
  const [n] = await store.listNotifications({ tenants: null, status: ['failed'] });
  expect(n.lastError).toMatch(/^gave up after 2 attempts: forward siem: tcp:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
});

test('once the earliest waiting message gets through, the ones behind it follow at once, in order, and are not sent again at their retry', async () => {
  const port = await freeTcpPort();
  const channel = createSyslogChannel([{ name: 'siem', url: `tcp://127.0.0.1:${port}` }]);
  const note = (i: number, attempts = 1) => sampleNotification({ id: `f-${i}`, channel: 'syslog', recipient: 'siem', body: `message ${i}`, payload: { order: i }, attempts });
  try {
    const first = await Promise.all([1, 2, 3].map((i) => channel.send(note(i))));
    expect(first.map((r) => r.ok)).toEqual([false, false, false]);
    expect(first.map((r) => (r.ok ? '' : r.error))[2]).toMatch(/waiting behind an earlier message/);
    const receiver = await startStreamReceiver(port);
    try {
      // the later ones' retries come first: they still wait for message 1
      expect((await channel.send(note(3, 2))).ok).toBe(false);
      await new Promise((r) => setTimeout(r, 600)); // past the reconnect back-off
      expect((await channel.send(note(1, 2))).ok).toBe(true);
      await until('messages 1-3', () => receiver.messages.length >= 3);
      expect(receiver.messages).toEqual(['message 1', 'message 2', 'message 3']);
      expect((await channel.send(note(2, 2))).ok).toBe(true);
      expect((await channel.send(note(3, 3))).ok).toBe(true);
      expect((await channel.send(note(4))).ok).toBe(true);
      await until('message 4', () => receiver.messages.length === 4);
      expect(receiver.messages).toEqual(['message 1', 'message 2', 'message 3', 'message 4']);
    } finally {
      await receiver.close();
    }
  } finally {
    await channel.close?.();
  }
});

test('readFrames splits octet-counted UTF-8 messages by bytes, not characters', () => {
  const msg = 'CEF:0|canhgac|canhgac|0.1.0|r|Dò mật khẩu|8|';
  const bytes = Buffer.byteLength(msg);
  const f = readFrames(Buffer.from(`${bytes} ${msg}${bytes} ${msg}5 ab`));
  expect(f.messages).toEqual([msg, msg]);
  expect(f.rest.toString()).toBe('5 ab');
});
