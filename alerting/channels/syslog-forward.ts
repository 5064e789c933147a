/**
 * The forwarder: decides which destinations of `alerting.forward` get an alert or an incident
 * change (what, agencies, min_severity), formats the message once and queues it in the durable
 * outbox for the `syslog` channel. The notification id is the destination and the alert (or
 * incident and change), so a redelivered alert is never forwarded twice.
 */
import type { EcsEvent } from '../../core/event';
import type { Alert, Incident } from '../../core/model';
import { severityRank } from '../../core/model';
import type { Store } from '../../core/store/store';
import type { NewNotification, Outbox } from '../outbox';
import { type Logger, errorText, silentLogger } from './channel';
import { type AlertEventFields, type ForwardRecord, formatSyslog } from './cef-format';
import type { ForwardDestination } from './syslog-config';

export interface ForwarderOptions {
  destinations: ForwardDestination[];
  outbox: Pick<Outbox, 'enqueue'>;
  store: Pick<Store, 'getEvents'>;
  logger?: Logger;
  now?: () => number;
}

export interface Forwarder {
  /** Queues an alert (folded into `incident`) and, for a new incident or a raised severity, the incident change. Never throws. */
  onIncident(incident: Incident, change: 'created' | 'updated' | 'raised', alert?: Alert): Promise<number>;
}

const pick = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/** Ports, users, hosts and action of the event that completed the alert. */
export function eventFields(ev: EcsEvent | undefined): AlertEventFields {
  if (!ev) return {};
  return {
    sourcePort: num(pick(ev, 'source.port')),
    destinationPort: num(pick(ev, 'destination.port')),
    sourceUser: str(pick(ev, 'source.user.name')),
    destinationUser: str(pick(ev, 'destination.user.name')) ?? str(pick(ev, 'user.target.name')) ?? str(pick(ev, 'user.name')),
    sourceHost: str(pick(ev, 'source.domain')),
    destinationHost: str(pick(ev, 'destination.domain')) ?? str(pick(ev, 'host.hostname')) ?? str(pick(ev, 'host.name')),
    action: str(pick(ev, 'event.action')),
  };
}

export function createForwarder(opts: ForwarderOptions): Forwarder {
  const logger = opts.logger ?? silentLogger;
  const now = opts.now ?? Date.now;
  let last = 0;
  // strictly increasing across the process and across restarts (the clock moves on)
  const nextOrder = () => (last = Math.max(last + 1, now() * 1000));

  const wants = (d: ForwardDestination, what: 'alerts' | 'incidents', tenant: string, severity: string) =>
    d.what.includes(what) && (!d.agencies.length || d.agencies.includes(tenant)) && severityRank(severity) >= severityRank(d.min_severity);

  async function enqueue(d: ForwardDestination, rec: ForwardRecord, id: string, reason: string): Promise<boolean> {
    const inc = rec.kind === 'alert' ? null : rec.incident;
    const tenant = rec.kind === 'alert' ? rec.alert.tenant : rec.incident.tenant;
    const n: NewNotification = {
      id: `forward:${d.name}:${id}`,
      incidentId: rec.kind === 'alert' ? (rec.alert.incidentId ?? null) : inc!.id,
      tenant,
      route: 'forward',
      channel: 'syslog',
      recipient: d.name,
      reason,
      subject: rec.kind === 'alert' ? rec.alert.rule.title : rec.incident.title,
      body: formatSyslog(rec, { format: d.format, hostname: d.hostname, facility: d.facility }, new Date(now())),
      payload: { order: nextOrder() },
    };
    return opts.outbox.enqueue(n);
  }

  async function completingEvent(alert: Alert): Promise<EcsEvent | undefined> {
    const id = alert.eventIds[alert.eventIds.length - 1];
    if (!id) return undefined;
    try {
      return (await opts.store.getEvents([id], [alert.tenant]))[0];
    } catch (e) {
      logger.warn({ alert: alert.id, err: errorText(e) }, 'forward: the alert\'s event could not be read; forwarding the alert without its ports and users');
      return undefined;
    }
  }

  return {
    async onIncident(incident, change, alert) {
      let queued = 0;
      try {
        if (alert) {
          const to = opts.destinations.filter((d) => wants(d, 'alerts', alert.tenant, alert.severity));
          const event = to.length ? eventFields(await completingEvent(alert)) : {};
          const rec: ForwardRecord = { kind: 'alert', alert: { ...alert, incidentId: alert.incidentId ?? incident.id }, event };
          for (const d of to) if (await enqueue(d, rec, `alert:${alert.id}`, 'forward-alert')) queued++;
        }
        if (change === 'created' || change === 'raised') {
          const kind = change === 'created' ? 'opened' : 'severity';
          for (const d of opts.destinations.filter((x) => wants(x, 'incidents', incident.tenant, incident.severity))) {
            const id = `incident:${incident.id}:${kind === 'opened' ? 'opened' : incident.severity}`;
            if (await enqueue(d, { kind: 'incident', incident, change: kind }, id, kind === 'opened' ? 'forward-opened' : `forward-raised-${incident.severity}`)) queued++;
          }
        }
      } catch (e) {
        logger.error({ incident: incident.id, err: errorText(e) }, 'forward: could not queue messages for the other SIEM');
      }
      return queued;
    },
  };
}
