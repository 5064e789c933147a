/**
 * Responders are told once: a brute force sent with `logger` reaches a real SMTP server and
 * a local Zalo OA server (following Zalo's documented shapes) once each, with the incident's
 * link, while the incident keeps counting further attempts.
 */
import { FAKE_ZALO_APP_ID, FAKE_ZALO_SECRET_KEY, mailHeader, mailText, startFakeZalo, startTestSmtp } from '../../alerting/testing';
import { ApiClient, sh, startCanhgac, waitFor } from '../helpers/canhgac';

test('a brute force produces one email and one Zalo message with the incident link; repeats only raise the count', async () => {
  const smtp = await startTestSmtp();
  const zalo = await startFakeZalo();
  const c = await startCanhgac({
    env: {
      CANHGAC_SMTP_URL: smtp.url,
      CANHGAC_ALERT_EMAIL_FROM: 'canhgac@soc.example.test',
      CANHGAC_ALERT_EMAIL_TO: 'truc-ca@soc.example.test',
      CANHGAC_ZALO_API_URL: zalo.url,
      CANHGAC_ZALO_OAUTH_URL: zalo.url,
      CANHGAC_ZALO_APP_ID: FAKE_ZALO_APP_ID,
      CANHGAC_ZALO_SECRET_KEY: FAKE_ZALO_SECRET_KEY,
      CANHGAC_ZALO_REFRESH_TOKEN: 'rt-initial',
      CANHGAC_ZALO_USER_IDS: '8765432101234567890',
      CANHGAC_CONSOLE_URL: 'https://soc.example.test',
    },
  });
  try {
    const attacker = '203.0.113.99';
    const send = (n: number, from: number) => {
      for (let i = from; i < from + n; i++) sh('logger', ['--tcp', '-P', String(c.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', `Failed password for nguyenvana from ${attacker} port ${41000 + i} ssh2`]);
    };
    const bruteMails = () => smtp.messages.filter((m) => /SSH Brute Force/.test(mailHeader(m.raw, 'Subject') ?? ''));
    const bruteZalo = () => zalo.delivered.filter((m) => m.text.includes('SSH Brute Force'));
    send(5, 0);
    await waitFor('the email', () => bruteMails().length >= 1, 30000);
    await waitFor('the Zalo message', () => bruteZalo().length >= 1, 30000);
    const api = await ApiClient.login(c.consoleUrl);
    const inc = (await api.get<{ items: { id: string; count: number; title: string }[] }>('/api/incidents?limit=10')).body.items.find((i) => i.title === 'SSH Brute Force')!;

    const mail = bruteMails()[0];
    expect(mail.to).toEqual(['truc-ca@soc.example.test']);
    expect(mailHeader(mail.raw, 'Subject')).toMatch(/SSH Brute Force/);
    expect(mailText(mail.raw)).toContain(`https://soc.example.test/#/incidents/${inc.id}`);
    expect(mailText(mail.raw)).toContain(attacker);
    expect(bruteZalo()[0].userId).toBe('8765432101234567890');
    expect(bruteZalo()[0].text).toContain(`https://soc.example.test/#/incidents/${inc.id}`);

    // the delivery status of each message is visible through the API
    const delivered = await waitFor('delivery status through the API', async () => {
      const r = await api.get<{ items: { channel: string; status: string; recipient: string; providerMessageId: string | null }[] }>(`/api/notifications?incident=${inc.id}`);
      return r.body.items.length >= 2 && r.body.items.every((n) => n.status === 'sent') ? r.body.items : null;
    });
    expect(delivered.map((n) => n.channel).sort()).toEqual(['email', 'zalo']);
    expect(delivered.find((n) => n.channel === 'zalo')!.providerMessageId).toBe(bruteZalo()[0].messageId);

    // more attempts: the incident counts them, nobody is paged again
    send(10, 5);
    await waitFor('the incident to count the further attempts', async () => {
      const r = await api.get<{ items: { id: string; count: number }[] }>('/api/incidents?limit=10');
      return (r.body.items.find((i) => i.id === inc.id)?.count ?? 0) >= 3;
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(bruteMails().length).toBe(1);
    expect(bruteZalo().length).toBe(1);
  } finally {
    await c.stop();
    await smtp.close();
    await zalo.close();
  }
});
