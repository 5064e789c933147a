import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../core/store/sqlite';
import type { Store } from '../core/store/store';
import { createAlerting } from './index';
import { FAKE_ZALO_APP_ID, FAKE_ZALO_SECRET_KEY, mailHeader, mailText, sampleIncident, startFakeZalo, startTestSmtp } from './testing';

describe('alerting, from the environment quick setup to the SMTP and Zalo servers', () => {
  let dir: string;
  let store: Store;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let zalo: Awaited<ReturnType<typeof startFakeZalo>>;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'canhgac-alerting-'));
    store = createSqliteStore({ path: path.join(dir, 'canhgac.db') });
    await store.init();
    await store.putTenant({ id: 'so-x', name: 'Sở X', created: '2026-01-01T00:00:00Z' });
    smtp = await startTestSmtp();
    zalo = await startFakeZalo();
    env = {
      CANHGAC_SMTP_URL: smtp.url,
      CANHGAC_ALERT_EMAIL_FROM: 'canhgac@tinh.gov.vn',
      CANHGAC_ALERT_EMAIL_TO: 'truc-ban@tinh.gov.vn',
      CANHGAC_ZALO_API_URL: zalo.url,
      CANHGAC_ZALO_OAUTH_URL: zalo.url,
      CANHGAC_ZALO_APP_ID: FAKE_ZALO_APP_ID,
      CANHGAC_ZALO_SECRET_KEY: FAKE_ZALO_SECRET_KEY,
      CANHGAC_ZALO_REFRESH_TOKEN: 'rt-initial',
      CANHGAC_ZALO_USER_IDS: '8480123456789',
      CANHGAC_CONSOLE_URL: 'https://soc.tinh.gov.vn',
    };
  });
  afterEach(async () => {
    await store.close();
    await smtp.close();
    await zalo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an incident reaches the responder once by email and once by Zalo, with its link, while it keeps counting', async () => {
    const alerting = createAlerting({ store, env });
    await alerting.start();
    try {
      const incident = sampleIncident({ severity: 'high' });
      await alerting.onIncident(incident, 'created');
      for (let count = 13; count <= 20; count++) await alerting.onIncident({ ...incident, count, version: count }, 'updated');
      await alerting.outbox.drain();
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0].to).toEqual(['truc-ban@tinh.gov.vn']);
      expect(mailHeader(smtp.messages[0].raw, 'Subject')).toBe('[CAO] Tấn công dò mật khẩu SSH — Sở X');
      expect(mailText(smtp.messages[0].raw)).toContain('https://soc.tinh.gov.vn/#/incidents/inc-1');
      expect(zalo.delivered).toHaveLength(1);
      expect(zalo.delivered[0].userId).toBe('8480123456789');
      expect(zalo.delivered[0].text.split('\n')[0]).toBe('[CAO] Tấn công dò mật khẩu SSH — Sở X');
      expect(zalo.delivered[0].text).toContain('https://soc.tinh.gov.vn/#/incidents/inc-1');
      // delivery status per notification, as the console API will show it
      const status = await store.listNotifications({ incidentId: 'inc-1', tenants: ['so-x'] });
      expect(status.map((n) => [n.channel, n.status]).sort()).toEqual([
        ['email', 'sent'],
        ['zalo', 'sent'],
      ]);
      expect(status.find((n) => n.channel === 'zalo')!.providerMessageId).toBe('msg-1');
      // a low-severity incident is below the default route
      await alerting.onIncident(sampleIncident({ id: 'inc-low', severity: 'low' }), 'created');
      await alerting.outbox.drain();
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await alerting.stop();
    }
  });

  test('killed between queueing and sending, a restarted process delivers each message exactly once', async () => {
    const first = createAlerting({ store, env });
    await first.onIncident(sampleIncident(), 'created'); // queued; the worker never ran
    expect((await store.listNotifications({ tenants: null })).map((n) => n.status)).toEqual(['pending', 'pending']);
    await store.close();

    store = createSqliteStore({ path: path.join(dir, 'canhgac.db') });
    await store.init();
    const second = createAlerting({ store, env });
    await second.start();
    try {
      // the redelivered alert updates the same incident again after the restart
      await second.onIncident({ ...sampleIncident(), count: 13 }, 'updated');
      await second.outbox.drain();
      expect(smtp.messages).toHaveLength(1);
      expect(zalo.delivered).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });

  test('bad settings stop the start with the variable or field named', () => {
    expect(() => createAlerting({ store, env: { ...env, CANHGAC_ALERT_EMAIL_FROM: '' } })).toThrow(/CANHGAC_ALERT_EMAIL_FROM is set but empty; it is required when CANHGAC_SMTP_URL is set/);
    const { CANHGAC_ALERT_EMAIL_FROM: _from, ...withoutFrom } = env;
    expect(() => createAlerting({ store, env: withoutFrom })).toThrow(/CANHGAC_ALERT_EMAIL_FROM is required when CANHGAC_SMTP_URL is set/);
    expect(() => createAlerting({ store, env: { ...env, CANHGAC_SMTP_URL: 'mail.tinh.gov.vn' } })).toThrow(/alerting\.channels\.email\.url/);
    expect(() => createAlerting({ store, env: {}, config: { routes: [{ name: 'x', min_severity: 'severe', notify: [] }] } })).toThrow(/alerting\.routes\[0\]\.min_severity/);
  });
});
