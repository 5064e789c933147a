import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { createEmailChannel, redactUrl } from './email';
import { mailHeader as header, mailText as textBody, sampleNotification } from '../testing';

// A self-signed certificate for 127.0.0.1 made for these tests only (valid until 2046).
const CERT = readFileSync(path.join(__dirname, 'fixtures', 'test-smtp-cert.pem'), 'utf8');
const KEY = readFileSync(path.join(__dirname, 'fixtures', 'test-smtp-key.pem'), 'utf8');

interface Arrived {
  from: string;
  to: string[];
  user: string | undefined;
  secure: boolean;
  raw: string;
}

async function startSmtp(opts: Partial<SMTPServerOptions> & { rejectRcpt?: { code: number; message: string } }) {
  const arrived: Arrived[] = [];
  const authAttempts: string[] = [];
  const { rejectRcpt, ...serverOpts } = opts;
  const server = new SMTPServer({
    key: KEY,
    cert: CERT,
    logger: false,
    disableReverseLookup: true,
    onAuth(auth, _session, cb) {
      authAttempts.push(auth.username ?? '');
      if (auth.username === 'canhgac' && auth.password === 'p@ss:w/rd') return cb(null, { user: auth.username });
      return cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, cb) {
      if (rejectRcpt) return cb(Object.assign(new Error(rejectRcpt.message), { responseCode: rejectRcpt.code }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        arrived.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          secure: session.secure,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
    ...serverOpts,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, arrived, authAttempts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const USERINFO = `canhgac:${encodeURIComponent('p@ss:w/rd')}`;

describe('email channel', () => {
  test('smtp:// upgrades with STARTTLS, authenticates and delivers the Vietnamese subject and body intact', async () => {
    const smtp = await startSmtp({});
    const ch = createEmailChannel({ url: `smtp://${USERINFO}@127.0.0.1:${smtp.port}`, from: 'canhgac <soc@canhgac.example>', tls: { ca: CERT } });
    try {
      const n = sampleNotification();
      const result = await ch.send(n);
      expect(result).toMatchObject({ ok: true });
      expect(smtp.arrived).toHaveLength(1);
      const m = smtp.arrived[0];
      expect(m.secure).toBe(true); // STARTTLS happened before AUTH and DATA
      expect(m.user).toBe('canhgac');
      expect(m.from).toBe('soc@canhgac.example');
      expect(m.to).toEqual(['oncall@example.test']);
      expect(header(m.raw, 'Subject')).toBe('[CAO] Tấn công dò mật khẩu SSH — Sở X');
      expect(textBody(m.raw)).toContain('Xem: https://soc.example.test/#/incidents/inc-1');
      // the notification id is the Message-ID and a header, so a duplicate after a crash is recognisable
      expect(header(m.raw, 'X-Canhgac-Notification-Id')).toBe(n.id);
      const messageId = header(m.raw, 'Message-ID');
      expect(result.ok && result.providerMessageId).toBe(messageId);
      expect(messageId).toMatch(/^<[^<>@\s]+@canhgac\.example>$/);
      // sending the same notification again yields the same Message-ID
      await ch.send(n);
      expect(header(smtp.arrived[1].raw, 'Message-ID')).toBe(messageId);
    } finally {
      await ch.close?.();
      await smtp.close();
    }
  });

  test('smtps:// speaks TLS from the first byte', async () => {
    const smtp = await startSmtp({ secure: true });
    const ch = createEmailChannel({ url: `smtps://${USERINFO}@127.0.0.1:${smtp.port}`, from: 'soc@canhgac.example', tls: { ca: CERT } });
    try {
      expect(await ch.send(sampleNotification())).toMatchObject({ ok: true });
      expect(smtp.arrived).toHaveLength(1);
      expect(smtp.arrived[0].secure).toBe(true);
    } finally {
      await ch.close?.();
      await smtp.close();
    }
  });

  test('a server without STARTTLS never receives the password', async () => {
    const smtp = await startSmtp({ disabledCommands: ['STARTTLS'], allowInsecureAuth: true });
    const ch = createEmailChannel({ url: `smtp://${USERINFO}@127.0.0.1:${smtp.port}`, from: 'soc@canhgac.example', tls: { ca: CERT } });
    try {
      const result = await ch.send(sampleNotification());
      expect(result).toMatchObject({ ok: false, retryable: false });
      expect(smtp.authAttempts).toEqual([]);
      expect(smtp.arrived).toHaveLength(0);
      if (!result.ok) expect(result.error).not.toContain('w/rd');
    } finally {
      await ch.close?.();
      await smtp.close();
    }
  });

  test('a wrong password is a permanent error that does not repeat the password', async () => {
    const smtp = await startSmtp({});
    const ch = createEmailChannel({ url: `smtp://canhgac:wrong-secret@127.0.0.1:${smtp.port}`, from: 'soc@canhgac.example', tls: { ca: CERT } });
    try {
      const result = await ch.send(sampleNotification());
      expect(result).toMatchObject({ ok: false, retryable: false });
      if (!result.ok) {
        expect(result.error).toContain('535');
        expect(result.error).not.toContain('wrong-secret');
      }
    } finally {
      await ch.close?.();
      await smtp.close();
    }
  });

  test('a 451 from the server is retryable, a 550 is permanent', async () => {
    for (const [code, retryable] of [
      [451, true],
      [550, false],
    ] as const) {
      const smtp = await startSmtp({ rejectRcpt: { code, message: code === 451 ? 'Try again later' : 'No such user' } });
      const ch = createEmailChannel({ url: `smtp://${USERINFO}@127.0.0.1:${smtp.port}`, from: 'soc@canhgac.example', tls: { ca: CERT } });
      try {
        const result = await ch.send(sampleNotification());
        expect(result).toMatchObject({ ok: false, retryable });
        if (!result.ok) expect(result.error).toContain(String(code));
      } finally {
        await ch.close?.();
        await smtp.close();
      }
    }
  });

  test('an unreachable server is retryable', async () => {
    const ch = createEmailChannel({ url: `smtp://127.0.0.1:1`, from: 'soc@canhgac.example', connection_timeout_ms: 2000 });
    expect(await ch.send(sampleNotification())).toMatchObject({ ok: false, retryable: true });
  });

  test('bad config names the field and never echoes the password', () => {
    expect(() => createEmailChannel({ url: 'http://u:topsecret@mail.example', from: 'soc@x.example' })).toThrow(/email\.url: protocol "http:"/);
    expect(() => createEmailChannel({ url: 'smtp://u:topsecret@', from: 'soc@x.example' })).toThrow(/email\.url/);
    try {
      createEmailChannel({ url: 'smtp://u:topsecret@', from: 'soc@x.example' });
    } catch (e) {
      expect(String(e)).not.toContain('topsecret');
    }
    expect(() => createEmailChannel({ url: 'smtp://mail.example', from: '' })).toThrow(/email\.from/);
    expect(redactUrl('smtps://u:topsecret@mail.example:465')).toBe('smtps://u:***@mail.example:465');
  });
});
