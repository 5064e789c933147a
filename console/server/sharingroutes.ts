/**
 * Sharing with the national centre (a fastify plugin): one incident, or the incidents of a
 * period, as a STIX 2.1 bundle (sharing/stix.ts) marked with each agency's TLP level and
 * holding raw observations only where the agency's choice allows. Any role that reads
 * incidents may export them, within its agencies (another agency's incident does not exist);
 * every export is audited as sharing.stix.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Incident, Tenant } from '../../core/model';
import type { Store, TenantScope } from '../../core/store/store';
import { sharingOf } from '../../sharing/choice';
import { STIX_MEDIA_TYPE, stixBundle, type IncidentMaterial } from '../../sharing/stix';
import { scopeOf } from './auth';
import { ANY_ROLE } from './routeaccess';
import { askedScope, attachment, principal, type RouteContext } from './routekit';
import { fileAnswer } from './schemas';

const MAX_INCIDENTS = 500; // one bundle; a longer period is asked for in parts
const MAX_EVENTS = 500; // per incident: the values of a long scan repeat
const DAY = 86_400_000;

const bundleAnswer = () => ({ ...fileAnswer(), 200: { type: 'string', description: `a STIX 2.1 bundle (${STIX_MEDIA_TYPE})` } });

async function materialOf(store: Store, inc: Incident, scope: TenantScope, tenants?: Map<string, Tenant>): Promise<IncidentMaterial> {
  const alerts = await store.listAlerts({ incidentId: inc.id, tenants: scope, limit: 200 });
  const ids = [...new Set(alerts.flatMap((a) => a.eventIds))].slice(0, MAX_EVENTS);
  const [events, tenant] = await Promise.all([ids.length ? store.getEvents(ids, scope) : [], tenants ? tenants.get(inc.tenant) ?? null : store.getTenant(inc.tenant)]);
  return { incident: inc, events, tenant };
}

/** The bundle as the STIX media type, exactly as TAXII 2.1 names it (fastify would rewrite a string's type to add a charset). */
function sendBundle(reply: FastifyReply, name: string, bundle: unknown) {
  attachment(reply, name, STIX_MEDIA_TYPE);
  reply.header('content-type', STIX_MEDIA_TYPE);
  return reply.send(Buffer.from(JSON.stringify(bundle, null, 1), 'utf8'));
}

const counts = (objects: { type: string }[]) => objects.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.type]: (acc[o.type] ?? 0) + 1 }), {});

export const sharingRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, audit } = ctx;

  app.get<{ Params: { id: string } }>(
    '/api/incidents/:id/stix',
    {
      config: { access: { roles: ANY_ROLE, scope: 'agency' } },
      schema: {
        params: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } } },
        querystring: { type: 'object', additionalProperties: false, properties: {} },
        response: bundleAnswer(),
      },
    },
    async (req, reply) => {
      const scope = scopeOf(principal(req));
      const inc = await store.getIncident(req.params.id, scope);
      if (!inc) return reply.code(404).send({ error: `incident ${req.params.id} does not exist or is not visible to you` });
      const m = await materialOf(store, inc, scope);
      const sharing = sharingOf(m.tenant);
      if (!sharing.enabled) {
        return reply.code(409).send({ error: `agency ${inc.tenant} does not share with the national centre (its sharing choice is off); an admin of the agency turns it on: canhgac tenant set ${inc.tenant} --share-enabled yes, or PATCH /api/tenants/${inc.tenant} {"share_enabled": true}` });
      }
      const { bundle } = stixBundle([m]);
      await audit(req, 'sharing.stix', inc.id, { agencies: [inc.tenant], tlp: sharing.tlp, observed_data: sharing.observedData, objects: counts(bundle.objects) });
      return sendBundle(reply, `stix-${inc.id}.json`, bundle);
    },
  );

  app.get<{ Querystring: { agency?: string; from?: string; to?: string } }>(
    '/api/sharing/stix',
    {
      config: { access: { roles: ANY_ROLE, scope: 'agency' } },
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { agency: { type: 'string', maxLength: 64 }, from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } },
        },
        response: bundleAnswer(),
      },
    },
    async (req, reply) => {
      const q = req.query;
      const to = q.to ? Date.parse(q.to) : Date.now();
      const from = q.from ? Date.parse(q.from) : to - 30 * DAY;
      if (from >= to) return reply.code(400).send({ error: `querystring/from: ${q.from ?? new Date(from).toISOString()} is not before to (${new Date(to).toISOString()})` });
      const scope = scopeOf(principal(req));
      const tenants = askedScope(scope, q.agency);
      const inPeriod: Incident[] = [];
      for (let offset = 0; offset < 50_000; offset += 1000) {
        const page = await store.listIncidents({ tenants, limit: 1000, offset });
        // an incident belongs to the period when it was active in it; a merged or duplicate one is shared as the one it joined
        inPeriod.push(...page.items.filter((i) => Date.parse(i.last_seen) >= from && Date.parse(i.first_seen) < to && !i.mergedInto && i.status !== 'duplicate'));
        if (page.items.length < 1000) break;
      }
      if (inPeriod.length > MAX_INCIDENTS) return reply.code(400).send({ error: `querystring: ${inPeriod.length} incidents between ${new Date(from).toISOString()} and ${new Date(to).toISOString()}; at most ${MAX_INCIDENTS} go in one bundle: give a shorter from/to or an agency` });
      const agencies = new Map((await store.listTenants()).map((t) => [t.id, t])); // read once, not once per incident
      const materials = await Promise.all(inPeriod.map((i) => materialOf(store, i, scope, agencies)));
      const { bundle, skipped } = stixBundle(materials);
      const period = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      await audit(req, 'sharing.stix', null, { ...period, agency: q.agency ?? null, agencies: [...new Set(materials.map((m) => m.incident.tenant))], incidents: inPeriod.length - skipped.length, not_shared: skipped, objects: counts(bundle.objects) });
      if (skipped.length) reply.header('X-Canhgac-Not-Shared', [...new Set(skipped.map((s) => s.tenant))].join(','));
      return sendBundle(reply, `stix-${q.agency ?? 'canhgac'}-${period.from.slice(0, 10)}-${period.to.slice(0, 10)}.json`, bundle);
    },
  );
};
