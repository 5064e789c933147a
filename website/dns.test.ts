/** The resolver asks the DNS servers it is pointed at: here a local one on 127.0.0.1 that answers A and NS and nothing else. */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { answerSet, createResolver, lookupAll } from './dns';

/** A minimal DNS server: A → `a`, NS → ns1.example.vn, every other type an empty answer (NOERROR). */
function dnsServer(a: () => string): Promise<{ address: string; close(): void }> {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (q, from) => {
    let i = 12;
    while (q[i] !== 0) i += q[i] + 1;
    const qEnd = i + 5;
    const type = q.readUInt16BE(i + 1);
    const question = q.subarray(12, qEnd);
    const rdata = type === 1 ? Buffer.from(a().split('.').map(Number)) : type === 2 ? Buffer.from([3, ...Buffer.from('ns1'), 7, ...Buffer.from('example'), 2, ...Buffer.from('vn'), 0]) : null;
    const header = Buffer.from([q[0], q[1], 0x81, 0x80, 0, 1, 0, rdata ? 1 : 0, 0, 0, 0, 0]);
    const answer = rdata ? Buffer.concat([Buffer.from([0xc0, 12]), Buffer.from([0, type, 0, 1, 0, 0, 0, 60, 0, rdata.length]), rdata]) : Buffer.alloc(0);
    sock.send(Buffer.concat([header, question, answer]), from.port, from.address);
  });
  return new Promise((r) => sock.bind(0, '127.0.0.1', () => r({ address: `127.0.0.1:${(sock.address() as AddressInfo).port}`, close: () => sock.close() })));
}

test('answers come from the configured server, and a change shows in the answer set', async () => {
  let ip = '203.0.113.5';
  const server = await dnsServer(() => ip);
  const resolver = createResolver({ servers: [server.address], timeoutMs: 2000 });
  const first = await lookupAll(resolver, 'portal.example.vn');
  expect(answerSet(first!)).toEqual(['A 203.0.113.5', 'NS ns1.example.vn']);
  ip = '198.51.100.9';
  expect(answerSet((await lookupAll(resolver, 'portal.example.vn'))!)).toEqual(['A 198.51.100.9', 'NS ns1.example.vn']);
  expect(await lookupAll(resolver, '127.0.0.1')).toBeNull();
  server.close();
});

test('a DNS server that does not answer gives an error on the A query, within the timeout', async () => {
  const silent = dgram.createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
  const resolver = createResolver({ servers: [`127.0.0.1:${(silent.address() as AddressInfo).port}`], timeoutMs: 400 });
  const out = await lookupAll(resolver, 'portal.example.vn');
  expect(out!.error).toMatchObject({ code: 'ETIMEOUT', message: expect.stringContaining('portal.example.vn A') });
  expect(out!.answers).toEqual([]);
  silent.close();
});
