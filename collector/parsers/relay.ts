/**
 * The relay rule. A console that reports its agents' events (an antivirus or EDR manager: Trend Micro Deep
 * Security Manager, Kaspersky Security Center, Symantec SEPM, ESET PROTECT; or any forwarder) is not the
 * machine the event is about: `host.*` names the endpoint the event describes and `observer.*` the console
 * that reported it. Rules that count machines (the malware outbreak) read `host.hostname`.
 */
import { Doc, append, get, set } from './util';

export interface Endpoint {
  hostname?: string;
  ip?: string;
  id?: string;
}

export interface Console {
  hostname?: string;
  ip?: string;
}

/** Puts the endpoint in host.* and the console in observer.*; a console field equal to the endpoint's is dropped. */
export function applyRelay(doc: Doc, endpoint: Endpoint, consoleHost: Console = {}): void {
  if (!endpoint.hostname && !endpoint.ip && !endpoint.id) return;
  if (endpoint.hostname) {
    set(doc, 'host.hostname', endpoint.hostname);
    set(doc, 'host.name', endpoint.hostname);
    append(doc, 'related.hosts', endpoint.hostname);
  }
  if (endpoint.ip) set(doc, 'host.ip', [endpoint.ip]);
  if (endpoint.id) set(doc, 'host.id', endpoint.id);
  const observer = (doc.observer ?? {}) as Doc;
  if (consoleHost.hostname && consoleHost.hostname !== endpoint.hostname) set(doc, 'observer.hostname', consoleHost.hostname);
  else if (observer.hostname === endpoint.hostname) delete observer.hostname;
  if (consoleHost.ip && consoleHost.ip !== endpoint.ip) set(doc, 'observer.ip', consoleHost.ip);
  else if (observer.ip === endpoint.ip) delete observer.ip;
  if (typeof get(doc, 'observer.hostname') === 'string') append(doc, 'related.hosts', get(doc, 'observer.hostname') as string);
}
