/**
 * Server-side TLS shared by the listeners that accept it (syslog RFC 5425, Beats): the
 * certificate files read and checked at start with errors naming the config key, and the
 * agency a client certificate names through its CN or OU.
 */
import type net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../../core/log';
import { readPemFile } from '../../core/pem';

export interface ServerTlsConfig {
  cert?: string;
  key?: string;
  ca?: string;
  clientCertificates: 'none' | 'optional' | 'required';
  agencies: Record<string, string>; // client certificate CN or OU → agency id
}

/** TLS server options from PEM files; `where` is the config key named in errors (e.g. collector.beats.tls). */
export function serverTlsOptions(where: string, t: ServerTlsConfig): tls.TlsOptions {
  if (!t.cert || !t.key) throw new Error(`${where}: cert and key (PEM files) are both required to listen with TLS`);
  if (t.clientCertificates !== 'none' && !t.ca) throw new Error(`${where}.ca: a CA file is required when client_certificates is "${t.clientCertificates}"`);
  const read = (what: string, file: string | undefined) => readPemFile(`${where}.${what}`, file);
  const options: tls.TlsOptions = {
    cert: read('cert', t.cert),
    key: read('key', t.key),
    ca: read('ca', t.ca),
    minVersion: 'TLSv1.2',
    requestCert: t.clientCertificates !== 'none',
    rejectUnauthorized: t.clientCertificates === 'required',
  };
  try {
    tls.createSecureContext(options);
  } catch (e) {
    throw new Error(`${where}: the certificate or key is not usable: ${(e as Error).message}`);
  }
  return options;
}

/** The agency a verified client certificate names, if any. */
export function agencyOfClient(socket: tls.TLSSocket, agencies: Record<string, string>, logger: Logger, listener: string): string | undefined {
  if (!socket.authorized) return undefined;
  const subject = socket.getPeerCertificate()?.subject as { CN?: string | string[]; OU?: string | string[] } | undefined;
  const names = [subject?.CN, subject?.OU].flat().filter((x): x is string => typeof x === 'string');
  const agency = names.map((n) => agencies[n]).find(Boolean);
  if (!agency && names.length) logger.warn({ listener, subject: names }, `${listener}: a client certificate maps to no agency; the listener's agency or the source-address map decides`);
  return agency;
}

/** The TCP socket under a server-side TLS socket (node keeps it as _parent), to recognise one the connection gate refused. */
export function rawSocketOf(socket: tls.TLSSocket): net.Socket {
  return (socket as tls.TLSSocket & { _parent?: net.Socket })._parent ?? socket;
}
