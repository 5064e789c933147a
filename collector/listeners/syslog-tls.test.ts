import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { createEmbeddedBus } from '../../core/bus/embedded';
import type { EcsEvent } from '../../core/event';
import { silentLogger } from '../../core/log';
import { Counters } from '../counters';
import { Intake } from '../intake';
import { SourceMap } from '../tenancy';
import { createSyslogTlsListener } from './syslog-tls';

/** A throwaway CA, a server certificate for 127.0.0.1 and two client certificates, made with openssl. */
function makePki(dir: string) {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=canhgac test CA']);
  const leaf = (name: string, subj: string, ext: string) => {
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj]);
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
  };
  leaf('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf('fw', '/O=So Y te/OU=so-yte/CN=fortigate-01', 'extendedKeyUsage=clientAuth\n');
  leaf('stranger', '/CN=unknown-device', 'extendedKeyUsage=clientAuth\n');
  const f = (n: string) => path.join(dir, n);
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key'), fwCert: f('fw.pem'), fwKey: f('fw.key'), strangerCert: f('stranger.pem'), strangerKey: f('stranger.key') };
}

async function setup(clientCertificates: 'none' | 'optional' | 'required') {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-tls-'));
  const pki = makePki(dir);
  const bus = createEmbeddedBus({ dir: path.join(dir, 'bus') });
  const intake = new Intake({ bus, counters: new Counters(), logger: silentLogger, timezone: 'UTC' });
  const listener = await createSyslogTlsListener(
    { host: '127.0.0.1', port: 0, cert: pki.cert, key: pki.key, ca: pki.ca, clientCertificates, agencies: { 'so-yte': 'so-yte' }, maxMessageBytes: 65536, idleTimeoutSeconds: 60 },
    { intake, sources: new SourceMap([], 'default'), logger: silentLogger },
  );
  const events: EcsEvent[] = [];
  const sub = await bus.subscribe<EcsEvent>({ topic: 'events', group: 't', handler: async (b) => void events.push(...b.map((m) => m.value)) });
  const send = (msg: string, client?: { cert: string; key: string }) =>
    new Promise<void>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port: listener.address.port, ca: fs.readFileSync(pki.ca), ...(client ? { cert: fs.readFileSync(client.cert), key: fs.readFileSync(client.key) } : {}) }, () => {
        s.end(`${Buffer.byteLength(msg)} ${msg}`);
      });
      s.on('close', () => resolve());
      s.on('error', reject);
    });
  const close = async () => {
    await sub.close();
    await listener.close();
    await bus.close();
  };
  return { pki, send, events, close };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
};

test('RFC 5425: octet-counted syslog over TLS is parsed; a client certificate names the agency', async () => {
  const t = await setup('optional');
  try {
    await t.send('<38>1 2026-11-28T03:00:00Z fw-01 sshd 1 - - Failed password for root from 203.0.113.9 port 22 ssh2', { cert: t.pki.fwCert, key: t.pki.fwKey });
    await t.send('<38>1 2026-11-28T03:00:01Z web-01 sshd 2 - - Failed password for bob from 203.0.113.10 port 22 ssh2');
    await until(() => t.events.length === 2);
    const byUser = Object.fromEntries(t.events.map((e) => [(e.user as { name: string }).name, e]));
    expect(byUser.root.organization?.id).toBe('so-yte'); // from the certificate's OU
    expect(byUser.bob.organization?.id).toBe('default'); // no certificate: the source-address map
    expect((byUser.root.source as { ip: string }).ip).toBe('203.0.113.9');
  } finally {
    await t.close();
  }
});

test('required client certificates: a device without one is refused, one with an unknown CA too', async () => {
  const t = await setup('required');
  try {
    await expect(t.send('<38>1 - h sshd - - - no certificate')).rejects.toThrow();
    await t.send('<38>1 2026-11-28T03:00:00Z fw-01 sshd 1 - - Accepted password for ok from 203.0.113.9 port 22 ssh2', { cert: t.pki.fwCert, key: t.pki.fwKey });
    await until(() => t.events.length === 1);
    expect(t.events.map((e) => (e.user as { name: string }).name)).toEqual(['ok']);
  } finally {
    await t.close();
  }
});

test('a bad certificate path fails at start naming the key and the file', async () => {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'canhgac-tls-'));
  const bus = createEmbeddedBus({ dir });
  const intake = new Intake({ bus, counters: new Counters(), logger: silentLogger, timezone: 'UTC' });
  await expect(
    createSyslogTlsListener(
      { host: '127.0.0.1', port: 0, cert: '/nonexistent/server.pem', key: '/nonexistent/server.key', clientCertificates: 'none', agencies: {}, maxMessageBytes: 1000, idleTimeoutSeconds: 5 },
      { intake, sources: new SourceMap([], 'default'), logger: silentLogger },
    ),
  ).rejects.toThrow(/collector\.syslog\.tls\.cert: cannot read \/nonexistent\/server\.pem/);
  await bus.close();
});
