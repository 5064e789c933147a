import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Notification } from '../core/model';
import { createSqliteStore } from '../core/store/sqlite';
import type { Store } from '../core/store/store';
import type { Channel, SendResult } from './channels/channel';
import { createWebhookChannel, IDEMPOTENCY_HEADER, verifyWebhookSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './channels/webhook';
import { createOutbox, type NewNotification } from './outbox';
import { sampleIncident, sendJson, startRecordingServer } from './testing';

/** A channel that answers from a script (then succeeds) and remembers what it was given. */
function scriptedChannel(name: string, script: SendResult[] = []) {
  const sent: Notification[] = [];
  const channel: Channel & { sent: Notification[] } = {
    name,
    sent,
    async send(n) {
      sent.push(n);
      return script.shift() ?? { ok: true, providerMessageId: `${name}-${sent.length}` };
    },
  };
  return channel;
}

function newNotification(over: Partial<NewNotification> = {}): NewNotification {
  return {
    id: 'inc-1:soc:email:oncall@example.test:opened',
    incidentId: 'inc-1',
    tenant: 'so-x',
    route: 'soc',
    channel: 'email',
    recipient: 'oncall@example.test',
    reason: 'opened',
    subject: '[CAO] Tấn công dò mật khẩu SSH — Sở X',
    body: 'Mở sự cố: https://soc/#/incidents/inc-1',
    payload: null,
    ...over,
  };
}

describe('outbox', () => {
  let dir: string;
  let store: Store;
  let clock: number;
  const now = () => clock;
  const all = () => store.listNotifications({ tenants: null, limit: 100 });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'canhgac-outbox-'));
    store = createSqliteStore({ path: path.join(dir, 'canhgac.db') });
    await store.init();
    clock = Date.parse('2026-11-28T07:00:00.000Z');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a notification is in the store before it is sent, and is marked sent with the provider id after', async () => {
    const email = scriptedChannel('email');
    const outbox = createOutbox({ store, channels: [email], now });
    expect(await outbox.enqueue(newNotification())).toBe(true);
    expect(email.sent).toHaveLength(0);
    expect((await all()).map((n) => n.status)).toEqual(['pending']);
    await outbox.drain();
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0].id).toBe('inc-1:soc:email:oncall@example.test:opened'); // the idempotency key reaches the channel
    const [n] = await all();
    expect(n).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: 'email-1', sentAt: '2026-11-28T07:00:00.000Z', lastError: null });
  });

  test('a held follow-up for a severity rise is not sent when the incident was closed before it was due; one for an open incident is', async () => {
    const email = scriptedChannel('email');
    const outbox = createOutbox({ store, channels: [email], now });
    await store.saveIncident(sampleIncident({ id: 'inc-closed', status: 'false_positive' }), null);
    await store.saveIncident(sampleIncident({ id: 'inc-open', status: 'acknowledged' }), null);
    await outbox.enqueue(newNotification({ id: 'inc-closed:soc:email:o:raised-critical', incidentId: 'inc-closed', reason: 'raised-critical' }));
    await outbox.enqueue(newNotification({ id: 'inc-open:soc:email:o:raised-critical', incidentId: 'inc-open', reason: 'raised-critical' }));
    await outbox.drain();
    expect(email.sent.map((n) => n.incidentId)).toEqual(['inc-open']);
    expect((await all()).find((n) => n.incidentId === 'inc-closed')).toMatchObject({ status: 'failed', lastError: 'not sent: incident inc-closed was closed (false_positive) before this follow-up was due' });
  });

  test('the same notification enqueued twice (a redelivered alert) is stored and sent once', async () => {
    const email = scriptedChannel('email');
    const outbox = createOutbox({ store, channels: [email], now });
    expect(await outbox.enqueue(newNotification())).toBe(true);
    expect(await outbox.enqueue(newNotification({ body: 'second copy' }))).toBe(false);
    await outbox.drain();
    await outbox.enqueue(newNotification());
    await outbox.drain();
    expect(email.sent).toHaveLength(1);
    expect(await all()).toHaveLength(1);
  });

  test('retryable failures come back after an exponential back-off, recording the error each time', async () => {
    const email = scriptedChannel('email', [
      { ok: false, retryable: true, error: 'SMTP: 451 try again later' },
      { ok: false, retryable: true, error: 'SMTP: connection refused' },
    ]);
    const outbox = createOutbox({ store, channels: [email], now, backoffBaseMs: 30_000 });
    await outbox.enqueue(newNotification());
    await outbox.drain();
    let [n] = await all();
    expect(n).toMatchObject({ status: 'pending', attempts: 1, lastError: 'SMTP: 451 try again later', nextAttemptAt: '2026-11-28T07:00:30.000Z' });
    // not due yet: nothing is sent
    clock += 29_000;
    await outbox.drain();
    expect(email.sent).toHaveLength(1);
    clock += 1_000;
    await outbox.drain();
    [n] = await all();
    expect(n).toMatchObject({ status: 'pending', attempts: 2, lastError: 'SMTP: connection refused', nextAttemptAt: '2026-11-28T07:01:30.000Z' }); // 60 s later
    clock += 60_000;
    await outbox.drain();
    [n] = await all();
    expect(n).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(email.sent).toHaveLength(3);
  });

  test('a provider wait (rate limit, Retry-After) longer than the back-off is honoured', async () => {
    const zalo = scriptedChannel('zalo', [{ ok: false, retryable: true, error: 'Zalo error -32', retryAfterMs: 300_000 }]);
    const outbox = createOutbox({ store, channels: [zalo], now, backoffBaseMs: 30_000 });
    await outbox.enqueue(newNotification({ id: 'z', channel: 'zalo', recipient: '848' }));
    await outbox.drain();
    expect((await all())[0].nextAttemptAt).toBe('2026-11-28T07:05:00.000Z');
  });

  test('a permanent error fails at once with the reason; retryable ones give up after maxAttempts', async () => {
    const zalo = scriptedChannel('zalo', [{ ok: false, retryable: false, error: 'Zalo error -213 (user has not followed the OA)' }]);
    const webhook = scriptedChannel('webhook', [1, 2, 3].map(() => ({ ok: false as const, retryable: true, error: 'HTTP 503' })));
    const outbox = createOutbox({ store, channels: [zalo, webhook], now, maxAttempts: 3, backoffBaseMs: 1000 });
    await outbox.enqueue(newNotification({ id: 'z', channel: 'zalo', recipient: '848' }));
    await outbox.enqueue(newNotification({ id: 'w', channel: 'webhook', recipient: 'ticketing' }));
    for (let i = 0; i < 5; i++) {
      await outbox.drain();
      clock += 10_000;
    }
    const byId = Object.fromEntries((await all()).map((n) => [n.id, n]));
    expect(byId.z).toMatchObject({ status: 'failed', attempts: 1, lastError: 'Zalo error -213 (user has not followed the OA)' });
    expect(byId.w).toMatchObject({ status: 'failed', attempts: 3, lastError: 'gave up after 3 attempts: HTTP 503' });
    expect(zalo.sent).toHaveLength(1);
    expect(webhook.sent).toHaveLength(3);
  });

  test('a channel that retries until delivered (a forward to another SIEM) outlasts maxAttempts, a minute apart at most, and then gets through', async () => {
    const down = Array.from({ length: 30 }, () => ({ ok: false as const, retryable: true, error: 'connect ECONNREFUSED 127.0.0.1:6514' }));
    const syslog = { ...scriptedChannel('syslog', down), retry: { maxAttempts: Infinity, maxBackoffMs: 60_000 } };
    const outbox = createOutbox({ store, channels: [syslog], now, maxAttempts: 3, backoffBaseMs: 30_000 });
    await outbox.enqueue(newNotification({ id: 'f', channel: 'syslog', recipient: 'siem' }));
    for (let i = 0; i < 31; i++) {
      await outbox.drain();
      const [n] = await all();
      if (n.status === 'pending' && i > 2) expect(Date.parse(n.nextAttemptAt) - clock).toBeLessThanOrEqual(60_000);
      clock += 61_000;
    }
    expect((await all())[0]).toMatchObject({ status: 'sent', attempts: 31, lastError: null });
  });

  test('a notification for a channel that is not configured fails naming it', async () => {
    const outbox = createOutbox({ store, channels: [scriptedChannel('email')], now });
    await outbox.enqueue(newNotification({ channel: 'sms' }));
    await outbox.drain();
    expect((await all())[0]).toMatchObject({ status: 'failed', lastError: expect.stringContaining('no channel "sms"') });
  });

  test('after a crash, a restarted outbox sends what was pending and what was being sent, each once', async () => {
    const dbPath = path.join(dir, 'canhgac.db');
    const first = createOutbox({ store, channels: [scriptedChannel('email')], now });
    await first.enqueue(newNotification({ id: 'a' }));
    await first.enqueue(newNotification({ id: 'b' }));
    // the process claimed one and died before sending it
    const [claimed] = await store.claimDueNotifications(new Date(clock).toISOString(), 1);
    await store.updateNotification({ ...claimed, attempts: 1, nextAttemptAt: new Date(clock + 120_000).toISOString() });
    await store.close();

    store = createSqliteStore({ path: dbPath });
    await store.init();
    const email = scriptedChannel('email');
    const second = createOutbox({ store, channels: [email], now });
    await second.start();
    await second.drain();
    await second.stop();
    expect(email.sent.map((n) => n.id).sort()).toEqual(['a', 'b']);
    expect((await all()).map((n) => n.status)).toEqual(['sent', 'sent']);
  });

  test('with several workers on one store, a claim is taken over only after its lease ran out', async () => {
    await store.enqueueNotification({ ...newNotification({ id: 'a' }), status: 'pending', attempts: 0, nextAttemptAt: new Date(clock).toISOString(), created: new Date(clock).toISOString() });
    const [claimed] = await store.claimDueNotifications(new Date(clock).toISOString(), 1);
    await store.updateNotification({ ...claimed, attempts: 1, nextAttemptAt: new Date(clock + 120_000).toISOString() });
    const email = scriptedChannel('email');
    const other = createOutbox({ store, channels: [email], now, takeOverOnStart: false });
    await other.start();
    await other.drain();
    expect(email.sent).toHaveLength(0);
    clock += 121_000;
    await other.drain();
    await other.stop();
    expect(email.sent.map((n) => n.id)).toEqual(['a']);
    expect((await all())[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  test('a held notification (quiet hours) is sent when its time comes', async () => {
    const email = scriptedChannel('email');
    const outbox = createOutbox({ store, channels: [email], now });
    await outbox.enqueue(newNotification({ status: 'held', nextAttemptAt: '2026-11-28T23:00:00.000Z' }));
    await outbox.drain();
    expect(email.sent).toHaveLength(0);
    expect((await all())[0].status).toBe('held');
    clock = Date.parse('2026-11-28T23:00:00.000Z');
    await outbox.drain();
    expect(email.sent).toHaveLength(1);
  });

  test('the running worker sends a new notification without being asked, and stop() waits for it', async () => {
    const email = scriptedChannel('email');
    const outbox = createOutbox({ store, channels: [email], pollMs: 60_000 });
    await outbox.start();
    await outbox.enqueue(newNotification());
    for (let i = 0; i < 1000 && email.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await outbox.stop();
    expect(email.sent).toHaveLength(1);
    expect((await all())[0].status).toBe('sent');
  });

  test('through a real webhook receiver: a 503 then a 200 deliver once, both tries carrying the same signed idempotency key', async () => {
    const answers = [503, 200];
    const server = await startRecordingServer((_req, res) => sendJson(res, answers.shift() ?? 200, {}));
    try {
      const secret = 'outbox-test-secret-0123456789';
      const outbox = createOutbox({
        store,
        channels: [createWebhookChannel({ ticketing: { url: `${server.url}/hook`, secret } })],
        now,
      });
      await outbox.enqueue(newNotification({ id: 'w1', channel: 'webhook', recipient: 'ticketing' }));
      await outbox.drain();
      clock += 30_000;
      await outbox.drain();
      expect(server.requests).toHaveLength(2);
      expect(server.requests.map((r) => r.headers[IDEMPOTENCY_HEADER])).toEqual(['w1', 'w1']);
      for (const r of server.requests) {
        expect(verifyWebhookSignature(secret, r.headers[TIMESTAMP_HEADER] as string, r.body, r.headers[SIGNATURE_HEADER] as string)).toBe(true);
      }
      expect((await all())[0]).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      await server.close();
    }
  });
});
