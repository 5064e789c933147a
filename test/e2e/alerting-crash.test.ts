/**
 * Never silence, never twice: canhgac is killed (SIGKILL) while its notifications are queued
 * and being sent to providers that have not answered yet; after a restart each responder gets
 * each message exactly once.
 */
import net from 'node:net';
import { FAKE_ZALO_APP_ID, FAKE_ZALO_SECRET_KEY, mailHeader, startFakeZalo, startTestSmtp } from '../../alerting/testing';
import { sh, startCanhgac, tempDataDir, waitFor } from '../helpers/canhgac';

/** A server that accepts connections and never says a word: the send hangs until we kill canhgac. */
async function silentServer() {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((s) => {
    connections++;
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((r) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => r());
    }),
  };
}

test('killed between queueing and sending, canhgac delivers each email and Zalo message exactly once after restart', async () => {
  const silent = await silentServer();
  const dataDir = tempDataDir();
  const common = {
    CANHGAC_ALERT_EMAIL_FROM: 'canhgac@soc.example.test',
    CANHGAC_ALERT_EMAIL_TO: 'truc-ca@soc.example.test',
    CANHGAC_ZALO_APP_ID: FAKE_ZALO_APP_ID,
    CANHGAC_ZALO_SECRET_KEY: FAKE_ZALO_SECRET_KEY,
    CANHGAC_ZALO_REFRESH_TOKEN: 'rt-initial',
    CANHGAC_ZALO_USER_IDS: '8765432101234567890',
    CANHGAC_CONSOLE_URL: 'https://soc.example.test',
  };
  const first = await startCanhgac({
    dataDir,
    env: { ...common, CANHGAC_SMTP_URL: `smtp://127.0.0.1:${silent.port}`, CANHGAC_ZALO_API_URL: `http://127.0.0.1:${silent.port}`, CANHGAC_ZALO_OAUTH_URL: `http://127.0.0.1:${silent.port}` },
  });
  for (let i = 0; i < 5; i++) sh('logger', ['--tcp', '-P', String(first.syslogTcpPort), '-n', '127.0.0.1', '-t', 'sshd', `Failed password for nguyenvanb from 203.0.113.201 port ${42000 + i} ssh2`]);
  // both channels are mid-send: connected to providers that do not answer
  await waitFor('the sends to start', () => silent.connections() >= 2, 30000);
  await first.kill9();
  await silent.close();

  const smtp = await startTestSmtp();
  const zalo = await startFakeZalo();
  const second = await startCanhgac({ dataDir, env: { ...common, CANHGAC_SMTP_URL: smtp.url, CANHGAC_ZALO_API_URL: zalo.url, CANHGAC_ZALO_OAUTH_URL: zalo.url } });
  try {
    const bruteMails = () => smtp.messages.filter((m) => /SSH Brute Force/.test(mailHeader(m.raw, 'Subject') ?? ''));
    const bruteZalo = () => zalo.delivered.filter((m) => m.text.includes('SSH Brute Force'));
    await waitFor('the email after the restart', () => bruteMails().length >= 1, 60000);
    await waitFor('the Zalo message after the restart', () => bruteZalo().length >= 1, 60000);
    await new Promise((r) => setTimeout(r, 3000)); // anything sent twice would have arrived by now
    expect(bruteMails().length).toBe(1);
    expect(bruteZalo().length).toBe(1);
    expect(bruteMails()[0].raw).toMatch(/https:\/\/soc\.example\.test\/#\/incidents\//);
  } finally {
    await second.stop();
    await smtp.close();
    await zalo.close();
  }
});
