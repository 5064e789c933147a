import net from 'node:net';
import { loadConfig } from '../core/config';
import { silentLogger } from '../core/log';
import type { Store } from '../core/store/store';
import { startCollector, type Collector } from './collector';
import { collectorCounters, COUNTERS_KEYS } from './counters';
import { fakeBus } from './listeners/fake-bus';
import { until } from './listeners/listener-harness';

function stateStore() {
  const state = new Map<string, string>();
  return { state, store: { getState: async (k: string) => state.get(k) ?? null, putState: async (k: string, v: string) => void state.set(k, v) } as unknown as Store };
}

const send = (port: number, lines: string[]) =>
  new Promise<void>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(lines.map((l) => l + '\n').join(''), () => resolve()));
    s.on('error', reject);
  });

const portOf = (c: Collector, name: string) => c.listeners.find((l) => l.name === name)!.address.port;

test('two collectors on one store keep their counters under their own instance, and the console reads their sum', async () => {
  const { config } = loadConfig({ file: null, env: {}, overrides: { 'collector.syslog.udp.enabled': false, 'collector.syslog.tcp.port': 0, 'collector.http.enabled': false, 'collector.beats.enabled': false, 'collector.parse_workers': 0 } });
  const { state, store } = stateStore();
  const a = await startCollector(config, { bus: fakeBus(), store, logger: silentLogger, instance: 'col-a' });
  const b = await startCollector(config, { bus: fakeBus(), store, logger: silentLogger, instance: 'col-b' });
  const line = (i: number) => `<38>Dec  3 10:00:00 host sshd[${i}]: Failed password for u${i} from 192.0.2.7 port 22 ssh2`;
  await send(portOf(a, 'syslog-tcp'), [line(1), line(2), line(3)]);
  await send(portOf(b, 'syslog-tcp'), [line(4), line(5)]);
  await until('both collectors counted their lines', () => a.counters.get('syslog-tcp').received === 3 && b.counters.get('syslog-tcp').received === 2);
  await a.stop();
  await b.stop();
  expect(JSON.parse(state.get(COUNTERS_KEYS.instance('col-a'))!).listeners['syslog-tcp'].received).toBe(3);
  expect(JSON.parse(state.get(COUNTERS_KEYS.instance('col-b'))!).listeners['syslog-tcp'].received).toBe(2);
  const total = await collectorCounters(store);
  expect(total!.listeners['syslog-tcp'].received).toBe(5);
  expect(total!.tenants.default.received).toBe(5);
  expect(total!.instances!.sort()).toEqual(['col-a', 'col-b']);
  // the key the console reads holds the sum, not whichever collector saved last
  expect(JSON.parse(state.get(COUNTERS_KEYS.total)!).listeners['syslog-tcp'].received).toBe(5);
});
