import { createWebhookChannel, verifyWebhookSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, IDEMPOTENCY_HEADER } from './webhook';
import { sampleNotification, sendJson, startRecordingServer } from '../testing';

const SECRET = 'a-shared-secret-of-32-characters!';

describe('webhook channel', () => {
  let server: Awaited<ReturnType<typeof startRecordingServer>>;
  let answer: { status: number; body: unknown; headers?: Record<string, string> };

  beforeAll(async () => {
    server = await startRecordingServer((_req, res) => sendJson(res, answer.status, answer.body, answer.headers));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    answer = { status: 200, body: { ok: true } };
  });

  function channel() {
    return createWebhookChannel({ ticketing: { url: `${server.url}/hooks/canhgac`, secret: SECRET } });
  }

  test('posts the incident as JSON with a signature the receiver can verify and the idempotency key', async () => {
    const n = sampleNotification({ channel: 'webhook', recipient: 'ticketing', payload: { id: 'inc-1', severity: 'high' } });
    const result = await channel().send(n);
    expect(result).toEqual({ ok: true });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hooks/canhgac');
    expect(req.headers['content-type']).toMatch(/application\/json/);
    expect(req.headers[IDEMPOTENCY_HEADER]).toBe(n.id);
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ id: n.id, reason: 'opened', incidentId: 'inc-1', subject: n.subject, incident: { id: 'inc-1', severity: 'high' } });
    expect(body.text).toContain('#/incidents/inc-1');
    const ts = req.headers[TIMESTAMP_HEADER] as string;
    const sig = req.headers[SIGNATURE_HEADER] as string;
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, ts, req.body, sig)).toBe(true);
    // a tampered body, another secret or an old timestamp do not verify
    expect(verifyWebhookSignature(SECRET, ts, req.body.replace('high', 'low'), sig)).toBe(false);
    expect(verifyWebhookSignature('another-secret-of-enough-length', ts, req.body, sig)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, req.body, sig, { now: (Number(ts) + 3600) * 1000 })).toBe(false);
  });

  test('the same notification sent twice carries the same idempotency key', async () => {
    const n = sampleNotification({ channel: 'webhook', recipient: 'ticketing' });
    await channel().send(n);
    await channel().send(n);
    expect(server.requests.map((r) => r.headers[IDEMPOTENCY_HEADER])).toEqual([n.id, n.id]);
  });

  test('a 503 with Retry-After is retryable and says how long to wait', async () => {
    answer = { status: 503, body: { error: 'maintenance' }, headers: { 'retry-after': '120' } };
    const result = await channel().send(sampleNotification({ channel: 'webhook', recipient: 'ticketing' }));
    expect(result).toMatchObject({ ok: false, retryable: true, retryAfterMs: 120_000 });
    if (!result.ok) expect(result.error).toContain('HTTP 503');
  });

  test('a 400 is a permanent error carrying the receiver message', async () => {
    answer = { status: 400, body: { error: 'unknown project' } };
    const result = await channel().send(sampleNotification({ channel: 'webhook', recipient: 'ticketing' }));
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (!result.ok) expect(result.error).toContain('unknown project');
  });

  test('an unreachable receiver is retryable', async () => {
    const ch = createWebhookChannel({ down: { url: 'http://127.0.0.1:1/hook', secret: SECRET } });
    const result = await ch.send(sampleNotification({ channel: 'webhook', recipient: 'down' }));
    expect(result).toMatchObject({ ok: false, retryable: true });
  });

  test('an unknown target is a permanent error naming it', async () => {
    const result = await channel().send(sampleNotification({ channel: 'webhook', recipient: 'chatops' }));
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (!result.ok) expect(result.error).toContain('"chatops"');
  });

  test('bad config fails at creation naming the field', () => {
    expect(() => createWebhookChannel({ t: { url: 'ftp://x', secret: SECRET } })).toThrow(/webhooks\.t\.url/);
    expect(() => createWebhookChannel({ t: { url: 'https://x.example', secret: 'short' } })).toThrow(/webhooks\.t\.secret.*16/);
  });
});
