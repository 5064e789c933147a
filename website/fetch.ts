/**
 * One page fetch with undici: a deadline over connect, TLS handshake, headers and body; a size cap
 * (the rest of a bigger page is not read); redirects followed only within the configured site (an
 * off-site redirect is reported, never followed, so requests go only to configured sites); a loop
 * or too many hops is an error. Never throws: every failure is a result with a named error.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { rootCertificates } from 'node:tls';

export type FetchErrorType = 'timeout' | 'dns' | 'tls' | 'connection' | 'redirect-loop' | 'too-many-redirects' | 'bad-url';

export interface FetchResult {
  url: string; // what was asked
  finalUrl: string; // after same-site redirects
  status?: number;
  contentType?: string;
  redirects: string[]; // each hop's target, in order
  offsiteRedirect?: string; // a redirect to another site, not followed
  ttfbMs?: number;
  totalMs: number;
  bytes: number; // body bytes read (at most maxBytes)
  truncated: boolean; // the body was longer than maxBytes
  body: string;
  error?: { type: FetchErrorType; code?: string; message: string };
}

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  dispatcher: Dispatcher;
}

/** The dispatcher the checker fetches with: connect (TCP + TLS) bounded by the timeout, an extra CA trusted beside the system's. */
export function createDispatcher(opts: { timeoutMs: number; ca?: string }): Agent {
  return new Agent({
    connect: { timeout: opts.timeoutMs, ...(opts.ca ? { ca: [...rootCertificates, opts.ca] } : {}) },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    keepAliveTimeout: 1000,
    connections: 4,
  });
}

const siteOf = (u: URL) => u.host.toLowerCase().replace(/^www\./, '');
const TLS_CODES = /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|EPROTO/;

type CodedError = Error & { code?: string; cause?: Error & { code?: string } };

export function classify(err: unknown, timedOut: boolean): NonNullable<FetchResult['error']> {
  const e = err as CodedError;
  const code = e.code ?? e.cause?.code;
  const msg = (e.cause?.message ?? e.message) || String(code);
  if (timedOut || e.name === 'AbortError' || /TIMEOUT/.test(code ?? '')) return { type: 'timeout', code, message: msg };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return { type: 'dns', code, message: msg };
  if (code && TLS_CODES.test(code)) return { type: 'tls', code, message: msg };
  return { type: 'connection', code, message: msg };
}

export async function fetchPage(url: string, opts: FetchOptions): Promise<FetchResult> {
  const started = performance.now();
  const res: FetchResult = { url, finalUrl: url, redirects: [], totalMs: 0, bytes: 0, truncated: false, body: '' };
  const done = () => ((res.totalMs = Math.round(performance.now() - started)), res);
  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, opts.timeoutMs);
  try {
    let current: URL;
    try {
      current = new URL(url);
    } catch {
      res.error = { type: 'bad-url', message: `"${url}" is not a URL` };
      return done();
    }
    const visited = new Set([current.href]);
    for (;;) {
      const r = await request(current, { method: 'GET', dispatcher: opts.dispatcher, signal: ac.signal, headers: { 'user-agent': opts.userAgent, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5' } });
      res.ttfbMs ??= Math.round(performance.now() - started);
      res.status = r.statusCode;
      const location = r.headers.location;
      if (r.statusCode >= 300 && r.statusCode < 400 && location) {
        await r.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
        const next = new URL(String(location), current);
        res.redirects.push(next.href);
        if (siteOf(next) !== siteOf(current) || !/^https?:$/.test(next.protocol)) {
          res.offsiteRedirect = next.href;
          return done();
        }
        if (visited.has(next.href)) {
          res.error = { type: 'redirect-loop', message: `redirect loop: ${[...visited, next.href].join(' → ')}` };
          return done();
        }
        if (res.redirects.length > opts.maxRedirects) {
          res.error = { type: 'too-many-redirects', message: `more than ${opts.maxRedirects} redirects (last to ${next.href})` };
          return done();
        }
        visited.add(next.href);
        current = next;
        res.finalUrl = next.href;
        continue;
      }
      const ct = r.headers['content-type'];
      res.contentType = Array.isArray(ct) ? ct[0] : ct;
      const chunks: Buffer[] = [];
      for await (const chunk of r.body) {
        const c = chunk as Buffer;
        const room = opts.maxBytes - res.bytes;
        if (c.length > room) {
          chunks.push(c.subarray(0, room));
          res.bytes += room;
          res.truncated = true;
          r.body.destroy();
          break;
        }
        chunks.push(c);
        res.bytes += c.length;
      }
      res.body = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
      return done();
    }
  } catch (e) {
    res.error = classify(e, timedOut);
    return done();
  } finally {
    clearTimeout(timer);
  }
}
