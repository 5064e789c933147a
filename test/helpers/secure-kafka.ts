/**
 * A private Apache Kafka broker that only lets clients in over SASL_SSL (SCRAM-SHA-512 over TLS with a
 * throwaway CA), as production clusters are run: the jars of deploy/local (fetched by infra.sh), its own
 * ports, data and credentials. Brokers talk to themselves over a loopback PLAINTEXT listener.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, portOpen } from '../../bench/common';
import { makeServerCa } from './pki';

const REPO = path.resolve(__dirname, '..', '..');
const INFRA_SH = path.join(REPO, 'deploy', 'local', 'infra.sh');

export interface SecureKafka {
  brokers: string[]; // the SASL_SSL listener
  ca: string; // PEM file clients trust
  username: string;
  password: string;
  stop(): Promise<void>;
}

export async function startSecureKafka(dir: string): Promise<SecureKafka> {
  execFileSync('bash', [INFRA_SH, 'fetch', 'kafka'], { stdio: 'pipe' });
  const version = /<kafka.version>(.*)<\/kafka.version>/.exec(fs.readFileSync(path.join(REPO, 'deploy', 'local', 'kafka', 'pom.xml'), 'utf8'))![1];
  const lib = path.join(process.env.CANHGAC_INFRA_DIR ?? path.join(REPO, 'deploy', 'local', '.cache'), `kafka-${version}`, 'lib');
  const pki = makeServerCa(dir);
  const keystore = path.join(dir, 'keystore.pem');
  fs.writeFileSync(keystore, Buffer.concat([fs.readFileSync(pki.key), fs.readFileSync(pki.cert)]));
  const [internal, secure, controller] = [await freePort(), await freePort(), await freePort()];
  const username = 'canhgac';
  const password = 'kafka-s3cret-42';
  const props = path.join(dir, 'server.properties');
  fs.writeFileSync(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controller}`,
      `listeners=INTERNAL://127.0.0.1:${internal},SECURE://127.0.0.1:${secure},CONTROLLER://127.0.0.1:${controller}`,
      `advertised.listeners=INTERNAL://127.0.0.1:${internal},SECURE://127.0.0.1:${secure}`,
      'listener.security.protocol.map=INTERNAL:PLAINTEXT,SECURE:SASL_SSL,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=INTERNAL',
      'controller.listener.names=CONTROLLER',
      'sasl.enabled.mechanisms=SCRAM-SHA-512',
      'listener.name.secure.sasl.enabled.mechanisms=SCRAM-SHA-512',
      'listener.name.secure.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.secure.ssl.keystore.type=PEM',
      `listener.name.secure.ssl.keystore.location=${keystore}`,
      `log.dirs=${path.join(dir, 'data')}`,
      'num.partitions=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
      '',
    ].join('\n'),
  );
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const cp = `${lib}/*`;
  const id = execFileSync(java, ['-cp', cp, 'kafka.tools.StorageTool', 'random-uuid'], { encoding: 'utf8' }).trim().split('\n').pop()!;
  execFileSync(java, ['-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', id, '-c', props, '--add-scram', `SCRAM-SHA-512=[name=${username},password=${password}]`], { stdio: 'pipe' });
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  const proc: ChildProcess = spawn(java, ['-Xms256m', '-Xmx256m', '-cp', cp, 'kafka.Kafka', props], { stdio: ['ignore', log, log] });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  const deadline = Date.now() + 120_000;
  // the broker opens its client listeners only once it is ready to serve
  while (!(await portOpen(secure))) {
    if (proc.exitCode !== null) throw new Error(`the SASL_SSL Kafka broker exited: ${fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-3000)}`);
    if (Date.now() > deadline) throw new Error('the SASL_SSL Kafka broker did not start within 120 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    brokers: [`127.0.0.1:${secure}`],
    ca: pki.ca,
    username,
    password,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
      fs.closeSync(log);
    },
  };
}
