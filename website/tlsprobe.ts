/** The certificate a site presents: expiry, issuer, key, hostname match; a stalled handshake ends at the timeout. */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';

export interface CertificateFacts {
  subject: string;
  issuer: string;
  notBefore: string; // ISO
  notAfter: string; // ISO
  daysLeft: number; // whole days until notAfter (negative once expired)
  sha256: string; // fingerprint of the certificate
  keySha256: string; // of the public key: a new key with the same issuer is still a change
  trusted: boolean;
  trustError?: string;
  hostnameMatch: boolean;
  protocol?: string;
}

export type ProbeResult = { cert: CertificateFacts } | { error: { code: string; message: string } };

const dn = (x: Record<string, unknown> | undefined): string => (x ? Object.entries(x).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`).join(', ') : '');

export function probeCertificate(opts: { host: string; port: number; timeoutMs: number; ca?: string; now?: number }): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const servername = isIP(opts.host) ? undefined : opts.host;
    const socket = tls.connect({ host: opts.host, port: opts.port, servername, rejectUnauthorized: false, ...(opts.ca ? { ca: [...tls.rootCertificates, opts.ca] } : {}) });
    const timer = setTimeout(() => finish({ error: { code: 'TLS_HANDSHAKE_TIMEOUT', message: `no TLS handshake with ${opts.host}:${opts.port} within ${opts.timeoutMs} ms` } }), opts.timeoutMs);
    socket.once('error', (e: Error & { code?: string }) => finish({ error: { code: e.code ?? 'TLS_ERROR', message: `TLS with ${opts.host}:${opts.port}: ${e.message}` } }));
    socket.once('secureConnect', () => {
      const c = socket.getPeerCertificate(false);
      if (!c || !c.valid_to) return finish({ error: { code: 'NO_CERTIFICATE', message: `${opts.host}:${opts.port} presented no certificate` } });
      const notAfter = new Date(c.valid_to).toISOString();
      const mismatch = tls.checkServerIdentity(opts.host, c);
      finish({
        cert: {
          subject: dn(c.subject as unknown as Record<string, unknown>),
          issuer: dn(c.issuer as unknown as Record<string, unknown>),
          notBefore: new Date(c.valid_from).toISOString(),
          notAfter,
          daysLeft: Math.floor((Date.parse(notAfter) - (opts.now ?? Date.now())) / 86_400_000),
          sha256: c.fingerprint256,
          keySha256: c.pubkey ? createHash('sha256').update(c.pubkey).digest('hex') : '',
          trusted: socket.authorized,
          trustError: socket.authorized ? undefined : String(socket.authorizationError ?? 'not trusted'),
          hostnameMatch: !mismatch,
          protocol: socket.getProtocol() ?? undefined,
        },
      });
    });
  });
}
