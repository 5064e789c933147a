/**
 * Live push over WebSocket (/ws): incident notices from the bus go to every connected
 * console whose scope includes the incident's agency. The upgrade is refused without a
 * valid session or API token, and from another site's page (Origin check).
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Bus, Subscription } from '../../core/bus/bus';
import { TOPICS } from '../../core/bus/bus';
import type { Logger } from '../../core/log';
import type { Store } from '../../core/store/store';
import type { IncidentNotice } from '../../alerting/incidents';
import { authenticate, cookieValue, scopeOf, SESSION_COOKIE, type Principal } from './auth';

function refuse(socket: Duplex, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  socket.destroy();
}

export interface PushHub {
  clients(): number;
  close(): Promise<void>;
}

export async function attachPush(server: HttpServer, deps: { store: Store; bus: Bus; logger: Logger; revalidateSeconds?: number }): Promise<PushHub> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Map<WebSocket, Principal>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = (req.url ?? '').split('?')[0];
    if (url !== '/ws') return refuse(socket, 404, 'Not Found');
    const origin = req.headers.origin;
    if (origin) {
      try {
        if (new URL(origin).host !== req.headers.host) return refuse(socket, 403, 'Forbidden: cross-origin WebSocket');
      } catch {
        return refuse(socket, 403, 'Forbidden: bad Origin');
      }
    }
    authenticate(deps.store, { authorization: req.headers.authorization }, cookieValue(req.headers.cookie, SESSION_COOKIE)).then(
      (principal) => {
        if (!principal) return refuse(socket, 401, 'Unauthorized: log in first');
        wss.handleUpgrade(req, socket, head, (ws) => {
          clients.set(ws, principal);
          ws.on('close', () => clients.delete(ws));
          ws.on('error', () => clients.delete(ws));
          ws.on('message', (data) => {
            // the only client message is a ping; anything else is ignored
            if (String(data) === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
          });
          ws.send(JSON.stringify({ type: 'hello', user: principal.username, role: principal.role }));
        });
      },
      () => refuse(socket, 500, 'Internal Server Error'),
    );
  });

  const sub: Subscription = await deps.bus.subscribe<IncidentNotice>({
    topic: TOPICS.incidents,
    group: 'console-push',
    ephemeral: true,
    handler: async (batch) => {
      for (const m of batch) {
        const text = JSON.stringify(m.value);
        for (const [ws, p] of clients) {
          const scope = scopeOf(p);
          if (scope !== null && !scope.includes(m.value.incident.tenant)) continue;
          if (ws.readyState === ws.OPEN && ws.bufferedAmount < 8 * 1024 * 1024) ws.send(text);
        }
      }
    },
  });

  const heartbeat = setInterval(() => {
    for (const ws of clients.keys()) if (ws.readyState === ws.OPEN) ws.ping();
  }, 30000);
  heartbeat.unref();

  return {
    clients: () => clients.size,
    async close() {
      clearInterval(heartbeat);
      await sub.close();
      for (const ws of clients.keys()) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
