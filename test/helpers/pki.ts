/** A throwaway CA and a server certificate for 127.0.0.1, made with openssl (what a cluster with a private CA presents). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

export function makeServerCa(dir: string): { ca: string; cert: string; key: string } {
  const run = (a: string[]) => execFileSync('openssl', a, { cwd: dir, stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=canhgac test cluster CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'node.key', '-out', 'node.csr', '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(path.join(dir, 'node.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'node.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'node.pem', '-days', '2', '-extfile', 'node.ext']);
  return { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'node.pem'), key: path.join(dir, 'node.key') };
}

/**
 * TLS in front of a real plain-HTTP node, as a secured cluster presents itself (a certificate from a
 * private CA); `heads` records each connection's first request head, to check the credentials sent.
 */
export async function tlsFront(target: string): Promise<{ url: string; ca: string; heads: string[]; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-tls-front-'));
  const pki = makeServerCa(dir);
  const to = new URL(target);
  const heads: string[] = [];
  const front = tls.createServer({ cert: fs.readFileSync(pki.cert), key: fs.readFileSync(pki.key) }, (client) => {
    const upstream = net.connect(Number(to.port), to.hostname);
    client.once('data', (first: Buffer) => heads.push(first.toString('latin1').split('\r\n\r\n')[0]));
    client.pipe(upstream).pipe(client);
    for (const s of [client, upstream]) s.on('error', () => s.destroy());
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  return {
    url: `https://127.0.0.1:${(front.address() as net.AddressInfo).port}`,
    ca: pki.ca,
    heads,
    async close() {
      await new Promise((r) => front.close(r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
