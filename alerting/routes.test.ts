import type { Incident } from '../core/model';
import { createSqliteStore } from '../core/store/sqlite';
import type { Store } from '../core/store/store';
import { createOutbox, type Outbox } from './outbox';
import { createNotifier, loadRoutesConfig, parseRoutesConfig, quietHoursEnd, routesConfigFromEnv, type RoutesConfigInput } from './routes';
import { sampleIncident } from './testing';

const channels = {
  email: { url: 'smtp://canhgac:secret@127.0.0.1:2525', from: 'soc@canhgac.example' },
  zalo: { app_id: '42', secret_key: 'k', refresh_token: 'rt' },
  webhooks: { ticketing: { url: 'http://127.0.0.1:9/hook', secret: 'a-webhook-secret-long-enough' } },
};

describe('routes config', () => {
  test('a valid config gets its defaults', () => {
    const cfg = parseRoutesConfig({ channels, routes: [{ name: 'soc', notify: [{ channel: 'email', to: ['soc@tinh.gov.vn'] }] }] });
    expect(cfg.language).toBe('vi');
    expect(cfg.routes[0]).toMatchObject({ min_severity: 'medium', agencies: [], tags: [], digest: false });
    expect(cfg.digest).toEqual({ schedule: '0 7 * * *', time_zone: 'Asia/Ho_Chi_Minh', send_empty: false });
  });

  test('every problem is reported with its path', () => {
    let message = '';
    try {
      parseRoutesConfig({
        channels: { webhooks: channels.webhooks },
        routes: [
          { name: 'a', min_severity: 'urgent', notify: [{ channel: 'email', to: ['soc@tinh.gov.vn'] }] },
          { name: 'a', notify: [{ channel: 'webhook', to: ['chatops'] }], quiet_hours: { from: '25:00', to: '06:00' } },
          { name: 'c', notify: [] },
        ],
      });
    } catch (e) {
      message = String(e);
    }
    expect(message).toContain('alerting.routes[0].min_severity');
    expect(message).toContain('alerting.routes[1].quiet_hours.from: must be a time HH:MM');
    expect(message).toContain('alerting.routes[2].notify: needs at least one channel with recipients');
  });

  test('references are checked once the shape is right: channels configured, webhook targets defined, names unique', () => {
    let message = '';
    try {
      parseRoutesConfig({
        channels: { webhooks: channels.webhooks },
        routes: [
          { name: 'a', notify: [{ channel: 'email', to: ['soc@tinh.gov.vn'] }] },
          { name: 'a', notify: [{ channel: 'webhook', to: ['chatops'] }], escalation: { after_minutes: 30, notify: [{ channel: 'zalo', to: ['1'] }] } },
        ],
      });
    } catch (e) {
      message = String(e);
    }
    expect(message).toContain('alerting.routes[0].notify[0].channel: email is not configured');
    expect(message).toContain('alerting.routes[1].name: "a" is used by two routes');
    expect(message).toContain('alerting.routes[1].notify[0].to[0]: webhook target "chatops" is not defined');
    expect(message).toContain('alerting.routes[1].escalation.notify[0].channel: zalo is not configured');
  });

  test('the environment quick setup gives a default route for severity medium and above', () => {
    const env = {
      CANHGAC_SMTP_URL: 'smtps://soc:pw@mail.tinh.gov.vn:465',
      CANHGAC_ALERT_EMAIL_FROM: 'canhgac@tinh.gov.vn',
      CANHGAC_ALERT_EMAIL_TO: 'a@tinh.gov.vn, b@tinh.gov.vn',
      CANHGAC_ZALO_APP_ID: '4291763606161179100',
      CANHGAC_ZALO_SECRET_KEY: 'secret',
      CANHGAC_ZALO_REFRESH_TOKEN: 'rt-0',
      CANHGAC_ZALO_USER_IDS: '111,222',
      CANHGAC_ZALO_API_URL: 'http://127.0.0.1:9999',
      CANHGAC_CONSOLE_URL: 'https://soc.tinh.gov.vn',
    };
    const cfg = loadRoutesConfig(undefined, env);
    expect(cfg.console_url).toBe('https://soc.tinh.gov.vn');
    expect(cfg.channels.email).toMatchObject({ url: 'smtps://soc:pw@mail.tinh.gov.vn:465', from: 'canhgac@tinh.gov.vn' });
    expect(cfg.channels.zalo).toMatchObject({ app_id: '4291763606161179100', api_url: 'http://127.0.0.1:9999', oauth_url: 'https://oauth.zaloapp.com' });
    expect(cfg.routes).toEqual([
      expect.objectContaining({
        name: 'default',
        min_severity: 'medium',
        notify: [
          { channel: 'email', to: ['a@tinh.gov.vn', 'b@tinh.gov.vn'] },
          { channel: 'zalo', to: ['111', '222'] },
        ],
      }),
    ]);
    // YAML refines: its own routes are added, and a route named default replaces the environment's
    const refined = loadRoutesConfig({ routes: [{ name: 'default', min_severity: 'high', notify: [{ channel: 'zalo', to: ['111'] }] }, { name: 'so-y', agencies: ['so-y'], notify: [{ channel: 'email', to: ['y@tinh.gov.vn'] }] }] }, env);
    expect(refined.routes.map((r) => [r.name, r.min_severity])).toEqual([
      ['default', 'high'],
      ['so-y', 'medium'],
    ]);
  });

  test('a half-done environment setup names the missing variable; none at all is no config', () => {
    expect(() => routesConfigFromEnv({ CANHGAC_ALERT_EMAIL_TO: 'a@x.vn' })).toThrow(/CANHGAC_SMTP_URL is required/);
    expect(() => routesConfigFromEnv({ CANHGAC_SMTP_URL: 'smtp://x' })).toThrow(/CANHGAC_ALERT_EMAIL_FROM is required/);
    expect(() => routesConfigFromEnv({ CANHGAC_ZALO_USER_IDS: '1', CANHGAC_ZALO_APP_ID: '2' })).toThrow(/CANHGAC_ZALO_SECRET_KEY is required/);
    expect(routesConfigFromEnv({ PATH: '/usr/bin' })).toBeNull();
    expect(() => loadRoutesConfig(undefined, { CANHGAC_SMTP_URL: 'smtp://x', CANHGAC_ALERT_EMAIL_FROM: 'a@x.vn', CANHGAC_CONSOLE_URL: 'not a url' })).toThrow(/alerting\.console_url/);
  });

  test('quiet hours across midnight end at the given local time', () => {
    const q = { from: '22:00', to: '06:00', hold_below: 'high' as const, time_zone: 'Asia/Ho_Chi_Minh' };
    // 16:30Z is 23:30 in Vietnam: inside, ends 06:00 Vietnam = 23:00Z
    expect(new Date(quietHoursEnd(q, Date.parse('2026-11-28T16:30:12Z'))!).toISOString()).toBe('2026-11-28T23:00:00.000Z');
    expect(quietHoursEnd(q, Date.parse('2026-11-28T03:00:00Z'))).toBeNull(); // 10:00 in Vietnam
  });
});

describe('notifier', () => {
  let store: Store;
  let outbox: Outbox;
  let clock: number;
  const now = () => clock;
  const queued = () => store.listNotifications({ tenants: null, limit: 1000 });

  beforeEach(async () => {
    store = createSqliteStore({ path: ':memory:' });
    await store.init();
    await store.putTenant({ id: 'so-x', name: 'Sở X', created: '2026-01-01T00:00:00Z' });
    outbox = createOutbox({ store, channels: [], now });
    clock = Date.parse('2026-11-28T03:00:00Z'); // 10:00 in Vietnam
  });
  afterEach(() => store.close());

  function notifier(config: RoutesConfigInput) {
    return createNotifier({ store, routes: parseRoutesConfig({ channels, console_url: 'https://soc.tinh.gov.vn', ...config }), outbox, now });
  }
  const soc = { name: 'soc', notify: [{ channel: 'email' as const, to: ['soc@tinh.gov.vn'] }, { channel: 'zalo' as const, to: ['111'] }] };

  test('an opened incident queues one message per recipient, rendered for its channel; repeats queue nothing', async () => {
    const nt = notifier({ routes: [soc] });
    const inc = sampleIncident();
    expect(await nt.onIncident(inc, 'created')).toEqual({ queued: 2, held: 0, throttled: 0 });
    const items = await queued();
    const email = items.find((n) => n.channel === 'email')!;
    const zalo = items.find((n) => n.channel === 'zalo')!;
    expect(email).toMatchObject({ id: 'inc-1:soc:email:soc@tinh.gov.vn:opened', status: 'pending', reason: 'opened', tenant: 'so-x', incidentId: 'inc-1' });
    expect(email.subject).toBe('[CAO] Tấn công dò mật khẩu SSH — Sở X');
    expect(email.body).toContain('https://soc.tinh.gov.vn/#/incidents/inc-1');
    expect(zalo.body.split('\n')[0]).toBe('[CAO] Tấn công dò mật khẩu SSH — Sở X');
    // the same incident counting further attempts
    expect(await nt.onIncident({ ...inc, count: 50, version: 4 }, 'updated')).toEqual({ queued: 0, held: 0, throttled: 0 });
    // ...also after a restart, when the notifier's memory is empty
    expect(await notifier({ routes: [soc] }).onIncident({ ...inc, count: 51, version: 5 }, 'updated')).toEqual({ queued: 0, held: 0, throttled: 0 });
    expect(await queued()).toHaveLength(2);
  });

  test('routes match by agency, minimum severity and rule tag', async () => {
    const nt = notifier({
      routes: [
        { name: 'so-y-only', agencies: ['so-y'], notify: [{ channel: 'email', to: ['y@tinh.gov.vn'] }] },
        { name: 'critical', min_severity: 'critical', notify: [{ channel: 'email', to: ['ciso@tinh.gov.vn'] }] },
        { name: 'creds', tags: ['ATTACK.Credential_Access'], min_severity: 'low', notify: [{ channel: 'webhook', to: ['ticketing'] }] },
        { name: 'malware', tags: ['attack.execution'], notify: [{ channel: 'email', to: ['av@tinh.gov.vn'] }] },
      ],
    });
    expect(nt.matchRoutes(sampleIncident()).map((r) => r.name)).toEqual(['creds']);
    await nt.onIncident(sampleIncident(), 'created');
    const [hook] = await queued();
    expect(hook).toMatchObject({ channel: 'webhook', recipient: 'ticketing' });
    expect(hook.payload).toMatchObject({ id: 'inc-1', severity: 'high', count: 12, link: 'https://soc.tinh.gov.vn/#/incidents/inc-1' });
  });

  test('one page per attack: an incident already paged pages once more only when its severity rises to critical, with the link; repeats and smaller raises page nothing', async () => {
    const nt = notifier({ routes: [{ name: 'soc', notify: [{ channel: 'email', to: ['soc@tinh.gov.vn'] }] }] });
    const inc = sampleIncident({ severity: 'medium', created: new Date(clock - 11 * 60_000).toISOString(), rules: [{ id: 'r1', title: 'SSH Brute Force', severity: 'high', tags: [], count: 3, first_seen: '2026-11-28T07:05:03.000Z', last_seen: '2026-11-28T07:05:03.000Z' }, { id: 'r2', title: 'SSH Login Success After Brute Force', severity: 'critical', tags: [], count: 1, first_seen: '2026-11-28T07:05:03.000Z', last_seen: '2026-11-28T07:05:03.000Z' }] });
    expect((await nt.onIncident(inc, 'created')).queued).toBe(1);
    expect((await nt.onIncident({ ...inc, severity: 'high', count: 40 }, 'raised')).queued).toBe(0);
    expect((await nt.onIncident({ ...inc, severity: 'high', count: 41 }, 'updated')).queued).toBe(0);
    expect((await nt.onIncident({ ...inc, severity: 'critical', count: 42 }, 'raised')).queued).toBe(1);
    expect((await nt.onIncident({ ...inc, severity: 'critical', count: 43 }, 'raised')).queued).toBe(0);
    const raised = (await queued()).find((n) => n.reason === 'raised-critical')!;
    expect(raised.subject).toMatch(/^\[MỨC ĐỘ TĂNG\] \[NGHIÊM TRỌNG\]/);
    expect(raised.body).toContain('https://soc.tinh.gov.vn/#/incidents/inc-1');
    expect(raised.body).toContain('SSH Brute Force (3); SSH Login Success After Brute Force (1)');
    expect((await queued()).filter((n) => n.incidentId === 'inc-1')).toHaveLength(2);
    // a route that never pages a raise
    // throttle per incident: a raise soon after the opening waits until the incident is 10 minutes old
    const fresh = { ...inc, id: 'inc-3', created: new Date(clock - 60_000).toISOString() };
    await nt.onIncident(fresh, 'created');
    expect(await nt.onIncident({ ...fresh, severity: 'critical' }, 'raised')).toEqual({ queued: 0, held: 1, throttled: 0 });
    expect((await queued()).find((n) => n.id === 'inc-3:soc:email:soc@tinh.gov.vn:raised-critical')).toMatchObject({ status: 'held', nextAttemptAt: new Date(clock + 9 * 60_000).toISOString() });
    const quiet = notifier({ routes: [{ name: 'quiet', page_on_raise: 'off', notify: [{ channel: 'email', to: ['q@tinh.gov.vn'] }] }] });
    await quiet.onIncident({ ...inc, id: 'inc-2' }, 'created');
    expect((await quiet.onIncident({ ...inc, id: 'inc-2', severity: 'critical' }, 'raised')).queued).toBe(0);
  });

  test('an incident whose severity rises into a route gets that route’s first message then', async () => {
    const nt = notifier({ routes: [{ name: 'high', min_severity: 'high', notify: [{ channel: 'email', to: ['soc@tinh.gov.vn'] }] }] });
    const inc = sampleIncident({ severity: 'medium' });
    expect(await nt.onIncident(inc, 'created')).toEqual({ queued: 0, held: 0, throttled: 0 });
    expect(await nt.onIncident({ ...inc, severity: 'high' }, 'updated')).toEqual({ queued: 1, held: 0, throttled: 0 });
  });

  test('two routes to the same recipient send one message; closed incidents send none', async () => {
    const nt = notifier({ routes: [soc, { ...soc, name: 'soc-2' }] });
    expect(await nt.onIncident(sampleIncident(), 'created')).toEqual({ queued: 2, held: 0, throttled: 0 });
    expect(await nt.onIncident(sampleIncident({ id: 'inc-closed', status: 'resolved' }), 'created')).toEqual({ queued: 0, held: 0, throttled: 0 });
  });

  test('throttling records openings beyond the limit as not sent (visible, with the reason) until the window passes', async () => {
    const nt = notifier({ routes: [{ name: 'soc', throttle: { max: 2, per_minutes: 60 }, notify: [{ channel: 'email', to: ['soc@tinh.gov.vn'] }] }] });
    for (const id of ['i1', 'i2']) expect(await nt.onIncident(sampleIncident({ id }), 'created')).toEqual({ queued: 1, held: 0, throttled: 0 });
    expect(await nt.onIncident(sampleIncident({ id: 'i3' }), 'created')).toEqual({ queued: 0, held: 0, throttled: 1 });
    const byIncident = Object.fromEntries((await queued()).map((n) => [n.incidentId, n]));
    expect(byIncident.i1.status).toBe('pending');
    expect(byIncident.i2.status).toBe('pending');
    expect(byIncident.i3).toMatchObject({ status: 'failed', lastError: expect.stringContaining('not sent (throttled)') });
    // repeats of the throttled incident do not send it later
    expect(await nt.onIncident(sampleIncident({ id: 'i3', count: 99 }), 'updated')).toEqual({ queued: 0, held: 0, throttled: 0 });
    clock += 61 * 60_000;
    expect(await nt.onIncident(sampleIncident({ id: 'i4' }), 'created')).toEqual({ queued: 1, held: 0, throttled: 0 });
  });

  test('quiet hours hold low severities until morning and let high ones through', async () => {
    clock = Date.parse('2026-11-28T16:30:00Z'); // 23:30 in Vietnam
    const nt = notifier({ routes: [{ ...soc, quiet_hours: { from: '22:00', to: '06:00', hold_below: 'high' } }] });
    expect(await nt.onIncident(sampleIncident({ id: 'low', severity: 'medium' }), 'created')).toEqual({ queued: 0, held: 2, throttled: 0 });
    expect(await nt.onIncident(sampleIncident({ id: 'high', severity: 'high' }), 'created')).toEqual({ queued: 2, held: 0, throttled: 0 });
    const held = (await queued()).filter((n) => n.status === 'held');
    expect(held.map((n) => n.nextAttemptAt)).toEqual(['2026-11-28T23:00:00.000Z', '2026-11-28T23:00:00.000Z']);
  });

  test('an incident not acknowledged within N minutes escalates to the second list, once', async () => {
    const nt = notifier({ routes: [{ ...soc, escalation: { after_minutes: 30, notify: [{ channel: 'zalo', to: ['999'] }] } }] });
    const created = new Date(clock).toISOString();
    const unacked = sampleIncident({ id: 'unacked', created });
    const acked = sampleIncident({ id: 'acked', created, status: 'acknowledged' });
    await store.saveIncident(unacked, null);
    await store.saveIncident(acked, null);
    await nt.onIncident(unacked, 'created');
    await nt.onIncident(acked, 'created');
    expect(await nt.checkEscalations(new Date(clock + 29 * 60_000))).toBe(0);
    expect(await nt.checkEscalations(new Date(clock + 31 * 60_000))).toBe(1);
    expect(await nt.checkEscalations(new Date(clock + 32 * 60_000))).toBe(0);
    const esc = (await queued()).filter((n) => n.reason === 'escalation');
    expect(esc).toHaveLength(1);
    expect(esc[0]).toMatchObject({ incidentId: 'unacked', channel: 'zalo', recipient: '999', status: 'pending' });
    expect(esc[0].body.split('\n')[0]).toBe('[LEO THANG] [CAO] Tấn công dò mật khẩu SSH — Sở X');
    expect(esc[0].body).toContain('chưa được xác nhận sau 30 phút');
  });

  test('English on request per route', async () => {
    const nt = notifier({ routes: [{ ...soc, language: 'en' }] });
    await nt.onIncident(sampleIncident({ title: 'SSH brute force' }), 'created');
    expect((await queued())[0].subject).toBe('[HIGH] SSH brute force — Sở X');
  });

  test('a failing store never makes onIncident throw', async () => {
    const failing = createNotifier({
      store,
      routes: parseRoutesConfig({ channels, routes: [soc] }),
      outbox: { enqueue: async () => Promise.reject(new Error('disk full')) },
    });
    await expect(failing.onIncident(sampleIncident() as Incident, 'created')).resolves.toEqual({ queued: 0, held: 0, throttled: 0 });
  });
});
