/**
 * Syslog over TLS (RFC 5425; octet counting, LF framing accepted too). The server
 * certificate comes from config; client certificates are optional or required, and a
 * client certificate's CN (or OU) can name the agency, which then overrides the
 * source-address map — the way a device proves which agency it belongs to.
 */
import fs from 'node:fs';
import type net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../../core/log';
import type { Intake } from '../intake';
import type { SourceMap } from '../tenancy';
import { serveSyslogStream, type RunningListener } from './syslog-tcp';

export interface SyslogTlsConfig {
  host: string;
  port: number;
  tenant?: string;
  cert: string; // PEM file of the server certificate (chain)
  key: string; // PEM file of its private key
  ca?: string; // PEM file of the CA that signs client certificates
  clientCertificates: 'none' | 'optional' | 'required';
  agencies: Record<string, string>; // client certificate CN or OU → agency id
  maxMessageBytes: number;
  idleTimeoutSeconds: number;
}

function readPem(what: string, file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new Error(`collector.syslog.tls.${what}: cannot read ${file}: ${(e as Error).message}`);
  }
}

export async function createSyslogTlsListener(config: SyslogTlsConfig, deps: { intake: Intake; sources: SourceMap; logger: Logger }): Promise<RunningListener> {
  const name = 'syslog-tls';
  if (!config.cert || !config.key) throw new Error('collector.syslog.tls: cert and key (PEM files) are required to listen on TLS');
  if (config.clientCertificates !== 'none' && !config.ca) throw new Error(`collector.syslog.tls.ca: a CA file is required when client_certificates is "${config.clientCertificates}"`);
  let context: tls.SecureContextOptions;
  try {
    context = { cert: readPem('cert', config.cert), key: readPem('key', config.key), ca: readPem('ca', config.ca) };
    tls.createSecureContext(context);
  } catch (e) {
    throw new Error(e instanceof Error && e.message.startsWith('collector.') ? e.message : `collector.syslog.tls: the certificate or key is not usable: ${(e as Error).message}`);
  }
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({
    ...context,
    minVersion: 'TLSv1.2',
    requestCert: config.clientCertificates !== 'none',
    rejectUnauthorized: config.clientCertificates === 'required',
  });
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let tenant: string | undefined;
    if (socket.authorized) {
      const subject = socket.getPeerCertificate()?.subject as { CN?: string | string[]; OU?: string | string[] } | undefined;
      const names = [subject?.CN, subject?.OU].flat().filter((x): x is string => typeof x === 'string');
      tenant = names.map((n) => config.agencies[n]).find(Boolean);
      if (!tenant && names.length) deps.logger.warn({ listener: name, subject: names }, 'syslog-tls: a client certificate maps to no agency; the source-address map decides');
    }
    serveSyslogStream(socket, { name, tenant: config.tenant, maxMessageBytes: config.maxMessageBytes, idleTimeoutSeconds: config.idleTimeoutSeconds }, deps, tenant);
  });
  server.on('tlsClientError', (err, socket) => {
    deps.logger.info({ listener: name, peer: socket.remoteAddress, err: err.message }, 'syslog-tls: a TLS handshake failed');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`syslog-tls: cannot listen on ${config.host}:${config.port}: ${err.message}`)));
    server.listen(config.port, config.host, () => resolve());
  });
  const addr = server.address() as net.AddressInfo;
  return {
    name,
    address: { host: config.host, port: addr.port, protocol: 'tls' },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.end();
        setTimeout(() => sockets.forEach((s) => s.destroy()), 2000).unref();
      });
    },
  };
}
