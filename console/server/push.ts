/**
 * Live push over WebSocket (/ws): incident notices from the bus go to every connected
 * console whose scope includes the incident's agency. The upgrade is refused without a
 * valid session or API token, and from another site's page (Origin check). An open socket
 * is re-checked against the store: at once when this process changes its user's access
 * (access.ts), and every few seconds for changes made elsewhere (the CLI, another console).
 * A socket whose session or token no longer stands is closed with code 4401 and the reason;
 * a changed role or agency scope applies to the next notice.
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Bus, Subscription } from '../../core/bus/bus';
import { TOPICS } from '../../core/bus/bus';
import type { Logger } from '../../core/log';
import type { Store } from '../../core/store/store';
import type { IncidentNotice } from '../../alerting/incidents';
import { accessNotifier } from './access';
import { cookieValue, credentialOf, resolveCredential, scopeKey, scopeOf, SESSION_COOKIE, type Credential, type Principal } from './auth';
import { project } from './project';
import { WS_INCIDENT_NOTICE } from './schemas';

/** The close code of a socket whose credential ended (4000–4999 are the application's; 4401 echoes HTTP 401). */
export const CLOSE_ACCESS_ENDED = 4401;

function refuse(socket: Duplex, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  socket.destroy();
}

export interface PushHub {
  clients(): number;
  /** Re-checks every open socket (or one user's) against the store now. */
  revalidate(username?: string): Promise<void>;
  close(): Promise<void>;
}

interface Client {
  principal: Principal;
  credential: Credential;
}

export async function attachPush(server: HttpServer, deps: { store: Store; bus: Bus; logger: Logger; revalidateSeconds?: number }): Promise<PushHub> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Map<WebSocket, Client>();

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
    const credential = credentialOf({ authorization: req.headers.authorization }, cookieValue(req.headers.cookie, SESSION_COOKIE));
    if (!credential) return refuse(socket, 401, 'Unauthorized: log in first');
    resolveCredential(deps.store, credential).then(
      (r) => {
        if (!('principal' in r)) return refuse(socket, 401, 'Unauthorized: log in first');
        const principal = r.principal;
        wss.handleUpgrade(req, socket, head, (ws) => {
          clients.set(ws, { principal, credential });
          ws.on('close', () => clients.delete(ws));
          ws.on('error', () => clients.delete(ws));
          ws.on('message', (data) => {
            // the only client message is a ping; anything else is ignored
            if (String(data) === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
          });
          ws.send(JSON.stringify({ type: 'hello', user: principal.username, role: principal.role, agencies: principal.agencies }));
        });
      },
      () => refuse(socket, 500, 'Internal Server Error'),
    );
  });

  const end = (ws: WebSocket, c: Client, reason: string) => {
    clients.delete(ws); // no notice goes out on it from now on
    deps.logger.info({ user: c.principal.username, via: c.principal.via, reason }, 'console: WebSocket closed, its access ended');
    ws.close(CLOSE_ACCESS_ENDED, reason);
    setTimeout(() => ws.terminate(), 5000).unref(); // a client that does not answer the close
  };

  const check = async (ws: WebSocket, c: Client, resolve: (cred: Credential) => ReturnType<typeof resolveCredential>) => {
    const r = await resolve(c.credential);
    if (clients.get(ws) !== c) return; // closed meanwhile
    if (!('principal' in r)) return end(ws, c, r.ended);
    const before = c.principal;
    c.principal = r.principal;
    if (before.role !== r.principal.role || scopeKey(before) !== scopeKey(r.principal)) {
      deps.logger.info({ user: before.username, role: r.principal.role, agencies: r.principal.agencies }, 'console: WebSocket re-scoped');
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'access', user: r.principal.username, role: r.principal.role, agencies: r.principal.agencies }));
    }
  };

  const revalidate = async (username?: string) => {
    const targets = [...clients].filter(([, c]) => username === undefined || c.principal.username === username);
    // sockets opened with the same session or token (tabs of one browser) are checked with one look-up
    const round = new Map<string, ReturnType<typeof resolveCredential>>();
    const resolve = (cred: Credential) => {
      const k = cred.kind === 'token' ? `t:${cred.hash}` : `s:${cred.id}`;
      let r = round.get(k);
      if (!r) round.set(k, (r = resolveCredential(deps.store, cred)));
      return r;
    };
    await Promise.all(
      targets.map(([ws, c]) => check(ws, c, resolve).catch((e: Error) => deps.logger.warn({ user: c.principal.username, err: e.message }, 'console: cannot re-check a WebSocket; it stays open until the next check'))),
    );
  };

  const unsubscribe = accessNotifier(deps.store).subscribe((change) => revalidate(change.username));

  let checking = false;
  const periodic = setInterval(() => {
    if (checking) return;
    checking = true;
    revalidate().finally(() => (checking = false));
  }, (deps.revalidateSeconds ?? 3) * 1000);
  periodic.unref();

  const sub: Subscription = await deps.bus.subscribe<IncidentNotice>({
    topic: TOPICS.incidents,
    group: 'console-push',
    ephemeral: true,
    handler: async (batch) => {
      for (const m of batch) {
        const text = JSON.stringify(project(WS_INCIDENT_NOTICE, m.value)); // the declared fields only, as over HTTP
        for (const [ws, c] of clients) {
          const scope = scopeOf(c.principal);
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
    revalidate,
    async close() {
      clearInterval(heartbeat);
      clearInterval(periodic);
      unsubscribe();
      await sub.close();
      for (const ws of clients.keys()) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
