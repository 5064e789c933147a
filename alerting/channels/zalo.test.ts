import { createSqliteStore } from '../../core/store/sqlite';
import type { Store } from '../../core/store/store';
import { createZaloChannel, ZALO_TEXT_LIMIT } from './zalo';
import { FAKE_ZALO_APP_ID as APP_ID, FAKE_ZALO_SECRET_KEY as SECRET_KEY, sampleNotification, startFakeZalo } from '../testing';

describe('zalo channel', () => {
  let zalo: Awaited<ReturnType<typeof startFakeZalo>>;
  let store: Store;
  let slept: number[];

  beforeEach(async () => {
    zalo = await startFakeZalo();
    store = createSqliteStore({ path: ':memory:' });
    await store.init();
    slept = [];
  });
  afterEach(async () => {
    await zalo.close();
    await store.close();
  });

  function channel(over: Record<string, unknown> = {}) {
    return createZaloChannel(
      { api_url: zalo.url, oauth_url: zalo.url, app_id: APP_ID, secret_key: SECRET_KEY, refresh_token: 'rt-initial', ...over },
      { store, sleep: async (ms) => void slept.push(ms) },
    );
  }
  const zaloNotification = (over = {}) => sampleNotification({ channel: 'zalo', recipient: '8480123456789', body: 'Cảnh báo CAO: Tấn công dò mật khẩu SSH', ...over });

  test('a message is accepted: the token is obtained through the OAuth refresh, the text arrives, the message id comes back', async () => {
    const ch = channel();
    const result = await ch.send(zaloNotification());
    expect(result).toEqual({ ok: true, providerMessageId: 'msg-1' });
    expect(zalo.delivered).toEqual([{ userId: '8480123456789', text: 'Cảnh báo CAO: Tấn công dò mật khẩu SSH', messageId: 'msg-1' }]);
    // the refresh used the documented form and header
    expect(zalo.refreshCalls).toHaveLength(1);
    expect(zalo.refreshCalls[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(zalo.refreshCalls[0].body))).toEqual({ refresh_token: 'rt-initial', app_id: APP_ID, grant_type: 'refresh_token' });
    // the rotated refresh token is saved, since the old one can never be used again
    const saved = JSON.parse((await store.getState(`alerting.zalo.tokens.${APP_ID}`))!);
    expect(saved.refreshToken).toBe('rt-1');
    // the access token is cached: a second message needs no refresh
    expect(await ch.send(zaloNotification())).toMatchObject({ ok: true });
    expect(zalo.refreshCalls).toHaveLength(1);
    expect(zalo.delivered).toHaveLength(2);
  });

  test('an expired token (-216) is refreshed and the message retried once; the new refresh token survives a restart', async () => {
    const ch = channel();
    await ch.send(zaloNotification());
    zalo.expireAllAccessTokens();
    const result = await ch.send(zaloNotification({ id: 'second' }));
    expect(result).toEqual({ ok: true, providerMessageId: 'msg-2' });
    expect(zalo.refreshCalls).toHaveLength(2);
    expect(zalo.validRefresh.has('rt-1')).toBe(false); // spent
    // a restarted process uses the saved chain, not the spent token from config
    zalo.expireAllAccessTokens();
    const restarted = channel();
    expect(await restarted.send(zaloNotification({ id: 'third' }))).toMatchObject({ ok: true });
    expect(Object.fromEntries(new URLSearchParams(zalo.refreshCalls[2].body)).refresh_token).toBe('rt-2');
  });

  test('-220 (expired or removed) is handled like -216', async () => {
    const ch = channel();
    await ch.send(zaloNotification());
    zalo.script.push({ error: -220, message: 'access_token is expired or removed' });
    expect(await ch.send(zaloNotification())).toMatchObject({ ok: true });
    expect(zalo.refreshCalls).toHaveLength(2);
  });

  test('messages sent together while the token is expired spend the refresh token once', async () => {
    const ch = channel();
    await ch.send(zaloNotification());
    zalo.expireAllAccessTokens();
    const results = await Promise.all([1, 2, 3, 4].map((i) => ch.send(zaloNotification({ id: `n${i}` }))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(zalo.refreshCalls).toHaveLength(2);
    expect(zalo.delivered).toHaveLength(5);
  });

  test('a refused refresh token asks for a new authorization; the message stays retryable so it waits for it', async () => {
    const ch = channel({ refresh_token: 'rt-revoked' });
    const result = await ch.send(zaloNotification());
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok) {
      expect(result.error).toContain('Invalid refresh token');
      expect(result.error).toContain('CANHGAC_ZALO_REFRESH_TOKEN');
    }
    expect(await store.getState(`alerting.zalo.tokens.${APP_ID}`)).toBeNull();
    expect(zalo.delivered).toHaveLength(0);
  });

  test('a newly configured refresh token replaces a saved chain (the OA was authorized again)', async () => {
    await channel().send(zaloNotification());
    zalo.validRefresh.add('rt-reauthorized');
    zalo.expireAllAccessTokens();
    const ch = channel({ refresh_token: 'rt-reauthorized' });
    expect(await ch.send(zaloNotification())).toMatchObject({ ok: true });
    expect(Object.fromEntries(new URLSearchParams(zalo.refreshCalls[1].body)).refresh_token).toBe('rt-reauthorized');
  });

  test('the rate limit (-32) is honoured with exponential back-off before retrying', async () => {
    const ch = channel();
    zalo.script.push({ error: -32, message: 'Your application reached limit call api' }, { error: -32, message: 'Your application reached limit call api' });
    const result = await ch.send(zaloNotification());
    expect(result).toEqual({ ok: true, providerMessageId: 'msg-1' });
    expect(slept).toEqual([1000, 2000]);
    expect(zalo.delivered).toHaveLength(1);
  });

  test('a rate limit that persists is retryable, with the wait the outbox should honour', async () => {
    const ch = channel({ rate_limit_retries: 1 });
    zalo.script.push({ error: -32, message: 'limit' }, { error: -32, message: 'limit' });
    const result = await ch.send(zaloNotification());
    expect(result).toMatchObject({ ok: false, retryable: true, retryAfterMs: 2000 });
    expect(slept).toEqual([1000]);
    expect(zalo.delivered).toHaveLength(0);
  });

  test.each([
    [-213, 'not followed the OA'],
    [-230, 'past 7 days'],
    [-232, 'last interaction expired'],
    [-227, 'inactive for more than 45 days'],
    [-201, 'invalid parameter'],
  ])('Zalo error %i is reported as permanent with its code and meaning', async (code, meaning) => {
    const ch = channel();
    zalo.script.push({ error: code, message: 'from zalo' });
    const result = await ch.send(zaloNotification());
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (!result.ok) {
      expect(result.error).toContain(`Zalo error ${code}`);
      expect(result.error).toContain(meaning);
      expect(result.error).not.toContain('at-1'); // no token in errors
    }
  });

  test('an unreachable API is retryable', async () => {
    const ch = createZaloChannel({ api_url: 'http://127.0.0.1:1', oauth_url: 'http://127.0.0.1:1', app_id: APP_ID, secret_key: SECRET_KEY, refresh_token: 'rt-initial' }, { store });
    const result = await ch.send(zaloNotification());
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok) expect(result.error).not.toContain(SECRET_KEY);
  });

  test('a text longer than Zalo accepts is shortened to the limit', async () => {
    const ch = channel();
    const long = 'Tấn công '.repeat(400);
    expect(await ch.send(zaloNotification({ body: long }))).toMatchObject({ ok: true });
    const text = zalo.delivered[0].text;
    expect(Array.from(text)).toHaveLength(ZALO_TEXT_LIMIT);
    expect(text.endsWith('…')).toBe(true);
  });

  test('maintenance refreshes an idle OA before its token runs out, and reports a refused token', async () => {
    let clock = Date.parse('2026-11-28T00:00:00Z');
    const ch = createZaloChannel(
      { api_url: zalo.url, oauth_url: zalo.url, app_id: APP_ID, secret_key: SECRET_KEY, refresh_token: 'rt-initial' },
      { store, now: () => clock },
    );
    expect(await ch.maintain()).toBe(true); // no token yet: refreshed at start
    expect(zalo.refreshCalls).toHaveLength(1);
    clock += 18 * 3600_000; // 7 h left of 25 h
    expect(await ch.maintain()).toBe(true);
    expect(zalo.refreshCalls).toHaveLength(1);
    clock += 2 * 3600_000; // 5 h left: due
    expect(await ch.maintain()).toBe(true);
    expect(zalo.refreshCalls).toHaveLength(2);
    const revoked = createZaloChannel({ api_url: zalo.url, oauth_url: zalo.url, app_id: 'other-app', secret_key: SECRET_KEY, refresh_token: 'rt-x' }, { store });
    expect(await revoked.maintain()).toBe(false);
  });

  test('missing config names the field', () => {
    expect(() => createZaloChannel({ app_id: APP_ID, secret_key: '', refresh_token: 'x' }, { store })).toThrow(/zalo\.secret_key/);
    expect(() => createZaloChannel({ app_id: APP_ID, secret_key: 's', refresh_token: 'x', api_url: 'not a url' }, { store })).toThrow(/zalo\.api_url/);
  });
});
