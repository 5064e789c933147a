import net from 'node:net';
import { loadConfig } from '../core/config';
import { silentLogger } from '../core/log';
import type { Store } from '../core/store/store';
import { buildListeners } from './collector';
import { Counters } from './counters';
import { fakeBus } from './listeners/fake-bus';
import { Intake } from './intake';
import { SourceMap } from './tenancy';

const taken = () =>
  new Promise<net.Server>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  });

test('every listener that cannot start is reported at once, by name and config key, and the ones that started are closed again', async () => {
  const [a, b] = await Promise.all([taken(), taken()]);
  const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;
  const { config } = loadConfig({
    file: null,
    env: {},
    overrides: { 'collector.syslog.udp.enabled': false, 'collector.syslog.tcp.port': portOf(a), 'collector.http.port': 0, 'collector.beats.port': portOf(b) },
  });
  const counters = new Counters();
  const intake = new Intake({ bus: fakeBus(), counters, logger: silentLogger, timezone: 'UTC' });
  const context = {
    bind: '127.0.0.1', maxMessageBytes: 8192, intake, sources: new SourceMap([], 'default'), counters, store: {} as Store, logger: silentLogger,
    connections: { maxConnections: 10, maxPerAddress: 5, reserve: 1, handshakeTimeoutSeconds: 5 },
  };
  const err = (await buildListeners(config, context).catch((e: Error) => e)) as Error;
  expect(err.message).toContain('2 listeners could not start');
  expect(err.message).toContain(`syslog-tcp (collector.syslog.tcp): syslog-tcp: cannot listen on 127.0.0.1:${portOf(a)}`);
  expect(err.message).toContain(`beats (collector.beats): beats: cannot listen on 127.0.0.1:${portOf(b)}`);
  // the HTTP listener did start and was closed: its port can be taken again
  await Promise.all([a, b].map((s) => new Promise((r) => s.close(r))));
  const again = await buildListeners(config, context);
  expect(again.map((l) => l.name)).toEqual(['syslog-tcp', 'http', 'beats']);
  await Promise.all(again.map((l) => l.close()));
  intake.stop();
});
