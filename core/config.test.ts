import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from './config';

const dir = () => fs.mkdtempSync(path.join(tmpdir(), 'canhgac-cfg-'));

test('defaults give the embedded one-process setup on loopback', () => {
  const cwd = dir();
  const { config, file } = loadConfig({ env: {}, cwd });
  expect(file).toBeNull();
  expect(config.bus.kind).toBe('embedded');
  expect(config.store.kind).toBe('sqlite');
  expect(config.bind).toBe('127.0.0.1');
  expect(config.console.port).toBe(8080);
  expect(config.collector.syslog.tcp.port).toBe(5514);
  expect(config.collector.http.port).toBe(8088);
  expect(config.data_dir).toBe(path.join(cwd, 'data'));
  expect(config.store.sqlite.path).toBe(path.join(cwd, 'data', 'canhgac.db'));
});

test('YAML file then environment overrides', () => {
  const cwd = dir();
  fs.writeFileSync(path.join(cwd, 'canhgac.yml'), 'console:\n  port: 9000\nbus:\n  kind: kafka\n');
  const { config, file } = loadConfig({ env: { CANHGAC_STORE: 'elasticsearch', CANHGAC_ELASTICSEARCH_URL: 'http://127.0.0.1:9201', CANHGAC_KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093', CANHGAC_DATA_DIR: '/tmp/x' }, cwd });
  expect(file).toBe(path.join(cwd, 'canhgac.yml'));
  expect(config.console.port).toBe(9000);
  expect(config.bus.kind).toBe('kafka');
  expect(config.bus.kafka.brokers).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
  expect(config.store.kind).toBe('elasticsearch');
  expect(config.store.elasticsearch.url).toBe('http://127.0.0.1:9201');
  expect(config.store.elasticsearch.flavor).toBe('auto');
  expect(config.data_dir).toBe('/tmp/x');
  expect(loadConfig({ env: { CANHGAC_ELASTICSEARCH_FLAVOR: 'opensearch' }, cwd }).config.store.elasticsearch.flavor).toBe('opensearch');
  const secured = loadConfig({ env: { CANHGAC_KAFKA_TLS: 'true', CANHGAC_KAFKA_CA: 'pki/kafka-ca.pem', CANHGAC_KAFKA_SASL_MECHANISM: 'scram-sha-512', CANHGAC_KAFKA_USERNAME: 'canhgac', CANHGAC_KAFKA_PASSWORD: 'x' }, cwd }).config.bus.kafka;
  expect(secured.tls).toEqual({ enabled: true, ca: path.join(cwd, 'pki', 'kafka-ca.pem') });
  expect(secured.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'canhgac', password: 'x' });
  expect(() => loadConfig({ env: { CANHGAC_KAFKA_SASL_MECHANISM: 'plain' }, cwd })).toThrow(/bus\.kafka\.sasl: mechanism is set, so username and password are required/);
  expect(() => loadConfig({ env: { CANHGAC_ELASTICSEARCH_FLAVOR: 'solr' }, cwd })).toThrow(/store\.elasticsearch\.flavor: "solr" is not allowed: one of "auto", "elasticsearch", "opensearch"/);
});

test('a bad value names the key, the value and what is allowed', () => {
  const cwd = dir();
  fs.writeFileSync(path.join(cwd, 'c.yml'), 'console:\n  port: 99999\nbus:\n  kind: rabbit\n');
  expect(() => loadConfig({ file: 'c.yml', env: {}, cwd })).toThrow(/console\.port: 99999 is not allowed/);
  expect(() => loadConfig({ file: 'c.yml', env: {}, cwd })).toThrow(/bus\.kind: "rabbit" is not allowed: one of "embedded", "kafka"/);
  expect(() => loadConfig({ env: { CANHGAC_CONSOLE_PORT: 'eighty' }, cwd })).toThrow(/CANHGAC_CONSOLE_PORT="eighty" \(console.port\) must be an integer/);
});

test('broken YAML names the file and line', () => {
  const cwd = dir();
  fs.writeFileSync(path.join(cwd, 'canhgac.yml'), 'console:\n  port: 1\n bad: [\n');
  expect(() => loadConfig({ env: {}, cwd })).toThrow(/canhgac\.yml:\d+:\d+: invalid YAML/);
});

test('Beats listens on 5044 by default; TLS needs both a certificate and a key', () => {
  const cwd = dir();
  expect(loadConfig({ env: {}, cwd }).config.collector.beats).toMatchObject({ enabled: true, port: 5044 });
  expect(loadConfig({ env: { CANHGAC_BEATS_ENABLED: 'false' }, cwd }).config.collector.beats.enabled).toBe(false);
  fs.writeFileSync(path.join(cwd, 'canhgac.yml'), 'collector:\n  beats:\n    tls:\n      cert: server.pem\n');
  expect(() => loadConfig({ env: {}, cwd })).toThrow(/collector\.beats\.tls: set both cert and key/);
});

test('every error of a file is reported at once, each with its line, and unknown keys are refused with the nearest known key', () => {
  const cwd = dir();
  fs.writeFileSync(path.join(cwd, 'canhgac.yml'), 'log:\n  level: hihg\nconsole:\n  port: 99999\ncollector:\n  syslog:\n    tpc:\n      port: 514\n  beats:\n    idle_timout_seconds: 5\n');
  let message = '';
  try {
    loadConfig({ env: { CANHGAC_HTTP_PORT: '70000' }, cwd });
  } catch (e) {
    message = (e as Error).message;
  }
  const file = path.join(cwd, 'canhgac.yml');
  expect(message).toContain('5 invalid settings');
  expect(message).toContain(`log.level: "hihg" is not allowed: one of "fatal", "error", "warn", "info", "debug", "trace", "silent" (${file}:2:10)`);
  expect(message).toContain(`console.port: 99999 is not allowed`);
  expect(message).toContain(`(${file}:4:9)`);
  expect(message).toContain(`collector.syslog.tpc: unknown key; did you mean collector.syslog.tcp? (${file}:7:5)`);
  expect(message).toContain(`collector.beats.idle_timout_seconds: unknown key; did you mean collector.beats.idle_timeout_seconds? (${file}:10:5)`);
  expect(message).toMatch(/collector\.http\.port: 70000 is not allowed: .* \(from environment CANHGAC_HTTP_PORT\)/);
});

test('agencies, placeholders and other free-form mappings take any key', () => {
  const cwd = dir();
  fs.writeFileSync(path.join(cwd, 'canhgac.yml'), 'collector:\n  syslog:\n    tls:\n      agencies: { fw-hn: so-tttt }\ncorrelator:\n  placeholders: { admins: [root] }\n');
  expect(loadConfig({ env: {}, cwd }).config.correlator.placeholders).toEqual({ admins: ['root'] });
});
