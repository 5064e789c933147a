/**
 * The Kafka bus against a broker that admits clients only over SASL_SSL (SCRAM-SHA-512 over TLS with a
 * private CA), as government clusters run it: with the CA and the right credentials the bus publishes and
 * consumes; a wrong password is refused with an error that names SASL and never carries the password.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSecureKafka, type SecureKafka } from '../../test/helpers/secure-kafka';
import { createKafkaBus } from './kafka';

jest.setTimeout(180_000);

let dir = '';
let broker: SecureKafka;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-kafka-sasl-'));
  broker = await startSecureKafka(dir);
}, 10 * 60_000);

afterAll(async () => {
  await broker?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('with the CA and SCRAM credentials the bus publishes and a consumer group reads everything', async () => {
  const bus = createKafkaBus({ brokers: broker.brokers, topicPrefix: 'sasl.', partitions: 2, tls: { ca: broker.ca }, sasl: { mechanism: 'scram-sha-512', username: broker.username, password: broker.password } });
  await bus.publish('events', [1, 2, 3, 4, 5].map((n) => ({ key: `h${n % 2}`, value: { n, message: 'qua SASL_SSL' } })));
  const seen: number[] = [];
  const sub = await bus.subscribe<{ n: number }>({ topic: 'events', group: 'indexer', handler: async (b) => void seen.push(...b.map((m) => m.value.n)) });
  const end = Date.now() + 60_000;
  while (seen.length < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  expect(seen.sort()).toEqual([1, 2, 3, 4, 5]);
  await sub.close();
  await bus.close();
});

test('a wrong password is refused: the error names SASL and does not carry the password', async () => {
  const wrong = 'not-the-password-99';
  const bus = createKafkaBus({ brokers: broker.brokers, topicPrefix: 'sasl.', tls: { ca: broker.ca }, sasl: { mechanism: 'scram-sha-512', username: broker.username, password: wrong } });
  const err = await bus.publish('events', [{ value: 1 }]).then(() => null, (e: Error) => e);
  expect(err).not.toBeNull();
  expect(err!.message).toMatch(/SASL|authentication/i);
  expect(err!.message).not.toContain(wrong);
  await bus.close();
});

test('bad TLS or SASL settings are refused at creation, naming the key', () => {
  expect(() => createKafkaBus({ brokers: broker.brokers, tls: { ca: path.join(dir, 'missing.pem') } })).toThrow(/bus\.kafka\.tls\.ca: cannot read .*missing\.pem: ENOENT/);
  expect(() => createKafkaBus({ brokers: broker.brokers, tls: { cert: broker.ca } })).toThrow(/bus\.kafka\.tls: a client certificate needs both cert and key/);
  expect(() => createKafkaBus({ brokers: broker.brokers, sasl: { mechanism: 'gssapi' as never, username: 'u', password: 'p' } })).toThrow(/bus\.kafka\.sasl\.mechanism: "gssapi" is not one of/);
});
