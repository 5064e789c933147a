/**
 * The deployment files stay true to the code: every canhgac container's settings load with
 * canhgac's own config validation, run a real component, and probe routes that exist.
 * (No Docker engine or Kubernetes API exists here, so this is what can be checked.)
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { loadConfig } from '../../core/config';
import { COMPONENTS } from '../../core/runtime';

const DEPLOY = path.resolve(__dirname, '..', '..', 'deploy');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('compose: each canhgac service runs one component on Kafka and Elasticsearch with a valid configuration', () => {
  const doc = YAML.parse(fs.readFileSync(path.join(DEPLOY, 'compose', 'compose.yaml'), 'utf8'), { merge: true }) as Obj;
  const services = doc.services as Obj;
  const components = Object.entries(services).filter(([, s]) => s.image === 'canhgac:local');
  expect(components.map(([n]) => n).sort()).toEqual([...COMPONENTS].sort());
  for (const [name, svc] of components) {
    expect(svc.command).toEqual([name]);
    const env = Object.fromEntries(Object.entries(svc.environment as Obj).map(([k, v]) => [k, String(v).replace(/\$\{[^}]*\}/g, '')]));
    const { config } = loadConfig({ env, cwd: '/tmp' });
    expect(config.bus.kind).toBe('kafka');
    expect(config.bus.kafka.brokers).toEqual(['kafka:9092']);
    expect(config.store.kind).toBe('elasticsearch');
    expect(config.bind).toBe('0.0.0.0');
    expect(svc.depends_on.kafka.condition).toBe('service_healthy');
  }
  expect(services.collector.ports).toEqual(['5514:5514/udp', '5514:5514/tcp', '8088:8088', '5044:5044']);
  expect(services.console.ports).toEqual(['8080:8080']);
  expect(services.correlator.deploy.replicas).toBeGreaterThan(1);
  // the same Kafka as deploy/local tests against
  const kafkaVersion = /(\d+\.\d+\.\d+)/.exec(services.kafka.image)![1];
  expect(fs.readFileSync(path.join(DEPLOY, 'local', 'kafka', 'pom.xml'), 'utf8')).toContain(`<kafka.version>${kafkaVersion}</kafka.version>`);
  const esVersion = /:(\d+\.\d+\.\d+)$/.exec(services.elasticsearch.image)![1];
  expect(fs.readFileSync(path.join(DEPLOY, 'local', 'es-launcher', 'pom.xml'), 'utf8')).toContain(`<es.version>${esVersion}</es.version>`);
});

test('compose with OpenSearch: the override swaps the search service for the OpenSearch line deploy/local tests, and nothing else', () => {
  // !override replaces a key instead of merging it (docker compose 2.24+)
  const override = { tag: '!override', collection: 'map' as const, resolve: (v: unknown) => v };
  const overrideSeq = { tag: '!override', collection: 'seq' as const, resolve: (v: unknown) => v };
  const doc = YAML.parse(fs.readFileSync(path.join(DEPLOY, 'compose', 'compose.opensearch.yaml'), 'utf8'), { customTags: [override, overrideSeq] }) as Obj;
  expect(Object.keys(doc.services)).toEqual(['elasticsearch']);
  const svc = doc.services.elasticsearch as Obj;
  const version = /opensearchproject\/opensearch:(\d+\.\d+\.\d+)$/.exec(svc.image)![1];
  expect(fs.readFileSync(path.join(DEPLOY, 'local', 'os-launcher', 'pom.xml'), 'utf8')).toContain(`<os.version>${version}</os.version>`);
  expect(Object.keys(svc.environment)).not.toContain('xpack.security.enabled'); // OpenSearch refuses x-pack settings
  expect(svc.healthcheck.test.join(' ')).toContain('_cluster/health');
  // the components keep http://elasticsearch:9200 and detect OpenSearch there (flavor auto)
  const base = YAML.parse(fs.readFileSync(path.join(DEPLOY, 'compose', 'compose.yaml'), 'utf8'), { merge: true }) as Obj;
  const { config } = loadConfig({ env: { ...base.services.indexer.environment }, cwd: '/tmp' });
  expect(config.store.elasticsearch.url).toBe('http://elasticsearch:9200');
  expect(config.store.elasticsearch.flavor).toBe('auto');
});

test('k8s: the ConfigMap is a valid canhgac.yml and every Deployment runs a component with probes on real routes', () => {
  const docs = fs
    .readdirSync(path.join(DEPLOY, 'k8s'))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(DEPLOY, 'k8s', f), 'utf8')).map((d) => d.toJS() as Obj));
  const cm = docs.find((d) => d.kind === 'ConfigMap')!;
  const dir = fs.mkdtempSync('/tmp/canhgac-k8s-');
  fs.writeFileSync(path.join(dir, 'canhgac.yml'), cm.data['canhgac.yml']);
  const deployments = docs.filter((d) => d.kind === 'Deployment');
  expect(deployments.map((d) => d.spec.template.spec.containers[0].args[0]).sort()).toEqual([...COMPONENTS].sort());
  for (const d of deployments) {
    const pod = d.spec.template.spec;
    const c = pod.containers[0];
    expect(c.args.slice(1)).toEqual(['--config', '/etc/canhgac/canhgac.yml']);
    if (c.readinessProbe) expect(['/api/health', '/api/v1/health']).toContain(c.readinessProbe.httpGet.path);
    // the passwords come from the secrets Strimzi and ECK write, never from the ConfigMap
    const secretOf = (name: string) => (c.env as Obj[]).find((e) => e.name === name)?.valueFrom?.secretKeyRef;
    expect(secretOf('CANHGAC_KAFKA_PASSWORD')).toEqual({ name: 'canhgac', key: 'password' }); // KafkaUser canhgac
    expect(secretOf('CANHGAC_ELASTICSEARCH_PASSWORD')).toEqual({ name: 'canhgac-es-elastic-user', key: 'elastic' }); // ECK, cluster canhgac
    const env = Object.fromEntries((c.env as Obj[]).map((e) => [e.name, 'from-the-secret']));
    const { config } = loadConfig({ file: 'canhgac.yml', env, cwd: dir });
    expect(config.bus.kind).toBe('kafka');
    expect(config.store.kind).toBe('elasticsearch');
    expect(config.bus.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'canhgac', password: 'from-the-secret' });
    expect(config.store.elasticsearch.url).toMatch(/^https:/);
    // each CA file the config names is mounted from the operator's CA secret
    const mounted = (file: string) => {
      const m = (c.volumeMounts as Obj[]).filter((v) => file.startsWith(v.mountPath + '/')).sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
      const vol = (pod.volumes as Obj[]).find((v) => v.name === m.name)!;
      return { secret: vol.secret.secretName, key: vol.secret.items[0].key, path: path.posix.join(m.mountPath, vol.secret.items[0].path) };
    };
    expect(mounted(config.bus.kafka.tls.ca!)).toEqual({ secret: 'canhgac-cluster-ca-cert', key: 'ca.crt', path: config.bus.kafka.tls.ca });
    expect(mounted(config.store.elasticsearch.ca!)).toEqual({ secret: 'canhgac-es-http-certs-public', key: 'ca.crt', path: config.store.elasticsearch.ca });
  }
  const kafka = docs.find((d) => d.kind === 'Kafka')!;
  expect(kafka.spec.kafka.listeners).toEqual([{ name: 'tls', port: 9093, type: 'internal', tls: true, authentication: { type: 'scram-sha-512' } }]);
  expect(docs.find((d) => d.kind === 'KafkaUser')?.spec.authentication.type).toBe('scram-sha-512');
  expect(docs.find((d) => d.kind === 'Elasticsearch')?.spec.http?.tls?.selfSignedCertificate?.disabled).not.toBe(true);
  expect(docs.some((d) => d.kind === 'Kafka' && d.apiVersion.startsWith('kafka.strimzi.io'))).toBe(true);
  expect(docs.some((d) => d.kind === 'Elasticsearch' && d.apiVersion.startsWith('elasticsearch.k8s.elastic.co'))).toBe(true);
});

test('systemd: the unit starts the built binary on the embedded default', () => {
  const unit = fs.readFileSync(path.join(DEPLOY, 'systemd', 'canhgac.service'), 'utf8');
  expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node dist\/bin\/canhgac\.js start /m);
  expect(fs.existsSync(path.resolve(__dirname, '..', '..', 'dist', 'bin', 'canhgac.js'))).toBe(true);
});
