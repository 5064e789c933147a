/** Shared by the alerting tests: sample records and a local HTTP server that records what it received. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Incident, Notification } from '../core/model';

export function sampleNotification(over: Partial<Notification> = {}): Notification {
  const now = new Date().toISOString();
  return {
    id: 'inc-1:soc:email:oncall@example.test:opened',
    incidentId: 'inc-1',
    tenant: 'so-x',
    route: 'soc',
    channel: 'email',
    recipient: 'oncall@example.test',
    reason: 'opened',
    subject: '[CAO] Tấn công dò mật khẩu SSH — Sở X',
    body: 'Máy: web-01\nXem: https://soc.example.test/#/incidents/inc-1',
    payload: null,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    providerMessageId: null,
    created: now,
    sentAt: null,
    ...over,
  };
}

export function sampleIncident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    tenant: 'so-x',
    rule: {
      id: 'r-ssh-bf',
      title: 'SSH brute force',
      level: 'high',
      author: 'Florian Roth (Nextron Systems)',
      description: 'Many failed SSH logins from one source address',
      tags: ['attack.credential_access', 'attack.t1110'],
      references: [],
    },
    severity: 'high',
    status: 'new',
    groupKey: 'source.ip=203.0.113.7',
    title: 'Tấn công dò mật khẩu SSH',
    summary: { host: 'web-01', source_ip: '203.0.113.7', user: 'root' },
    count: 12,
    first_seen: '2026-11-28T07:05:03.000Z',
    last_seen: '2026-11-28T07:09:41.000Z',
    created: '2026-11-28T07:05:04.000Z',
    updated: '2026-11-28T07:09:42.000Z',
    assignee: null,
    resolution: null,
    version: 3,
    ...over,
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void;

/** An HTTP server on 127.0.0.1 with a random port; `handler` answers, `requests` keeps what arrived. */
export async function startRecordingServer(handler: Handler) {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(rec);
      handler(rec, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export const FAKE_ZALO_APP_ID = '4291763606161179100';
export const FAKE_ZALO_SECRET_KEY = 'app-secret-key-xyz';

/**
 * A local stand-in for openapi.zalo.me and oauth.zaloapp.com that follows Zalo's documented
 * shapes: the OAuth refresh rotates a single-use refresh token; the OA message API answers
 * {"error":0,"message":"Success","data":{"message_id":…}} or a negative error code.
 */
export async function startFakeZalo() {
  let counter = 0;
  const validRefresh = new Set<string>(['rt-initial']);
  const validAccess = new Set<string>();
  const delivered: { userId: string; text: string; messageId: string }[] = [];
  /** Scripted answers for the next message calls, before the normal behaviour. */
  const script: { error: number; message: string }[] = [];
  const refreshCalls: RecordedRequest[] = [];

  const server = await startRecordingServer((req, res) => {
    if (req.method === 'POST' && req.url === '/v4/oa/access_token') {
      refreshCalls.push(req);
      const form = new URLSearchParams(req.body);
      if (req.headers['secret_key'] !== FAKE_ZALO_SECRET_KEY || form.get('app_id') !== FAKE_ZALO_APP_ID) {
        return sendJson(res, 200, { error: -14002, error_name: 'Invalid app', error_reason: 'secret_key or app_id is wrong', error_description: 'Invalid secret key' });
      }
      const rt = form.get('refresh_token') ?? '';
      if (form.get('grant_type') !== 'refresh_token' || !validRefresh.has(rt)) {
        // Zalo reports OAuth failures with error_name/error_description, with HTTP 200
        return sendJson(res, 200, { error: -14014, error_name: 'Invalid parameter', error_reason: 'Refresh token is invalid', error_description: 'Invalid refresh token' });
      }
      validRefresh.delete(rt); // single use
      counter++;
      const access = `at-${counter}`;
      const refresh = `rt-${counter}`;
      validRefresh.add(refresh);
      validAccess.add(access);
      return sendJson(res, 200, { access_token: access, refresh_token: refresh, expires_in: '90000' });
    }
    if (req.method === 'POST' && req.url === '/v3.0/oa/message/cs') {
      const token = req.headers['access_token'] as string | undefined;
      if (!token || !validAccess.has(token)) return sendJson(res, 200, { error: -216, message: 'Access token is invalid' });
      const next = script.shift();
      if (next) return sendJson(res, 200, next);
      const body = JSON.parse(req.body) as { recipient?: { user_id?: string }; message?: { text?: string } };
      if (!body.recipient?.user_id || !body.message?.text) return sendJson(res, 200, { error: -201, message: 'user_id is invalid!' });
      const messageId = `msg-${delivered.length + 1}`;
      delivered.push({ userId: body.recipient.user_id, text: body.message.text, messageId });
      return sendJson(res, 200, { error: 0, message: 'Success', data: { message_id: messageId, user_id: body.recipient.user_id } });
    }
    sendJson(res, 404, { error: 404, message: 'not found' });
  });
  return { ...server, validRefresh, validAccess, delivered, script, refreshCalls, expireAllAccessTokens: () => validAccess.clear() };
}


/**
 * A plain SMTP server on 127.0.0.1 (no TLS, no auth) that keeps every message it accepted,
 * for tests of the whole alerting path; the email channel's own tests cover STARTTLS and auth.
 */
export async function startTestSmtp() {
  const { SMTPServer } = await import('smtp-server');
  const messages: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Unfolded header value of a raw message, RFC 2047 encoded words decoded. */
export function mailHeader(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':'));
  if (!line) return undefined;
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}

/** The text body of a single-part message, transfer encoding undone. */
export function mailText(raw: string): string {
  const [, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  const cte = mailHeader(raw, 'Content-Transfer-Encoding')?.toLowerCase();
  if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

