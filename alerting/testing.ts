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
