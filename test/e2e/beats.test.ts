/**
 * Winlogbeat and Filebeat pointed at canhgac with `output.logstash`: the real binary takes
 * Lumberjack v2 windows (compressed, as Beats send them by default), acknowledges them, and
 * the events are searchable as ECS events of the listener's agency. A broken stream is a
 * dead letter the console shows.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { ApiClient, startCanhgac, tempDataDir, waitFor, type Running } from '../helpers/canhgac';

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** One window as elastic/go-lumber's client writes it with compression on: '2W' count, '2C' len, zlib('2J' seq len json ...). */
function compressedWindow(docs: unknown[]): Buffer {
  const frames = Buffer.concat(
    docs.map((d, i) => {
      const json = Buffer.from(JSON.stringify(d));
      return Buffer.concat([Buffer.from('2J'), u32(i + 1), u32(json.length), json]);
    }),
  );
  const z = deflateSync(frames, { level: 3 });
  return Buffer.concat([Buffer.from('2W'), u32(docs.length), Buffer.from('2C'), u32(z.length), z]);
}

/** Sends raw bytes and collects the ACK sequence numbers until `until` returns true or the server closes. */
function exchange(port: number, bytes: Buffer, until: (acks: number[]) => boolean): Promise<{ acks: number[]; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const acks: number[] = [];
    let buf = Buffer.alloc(0);
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 6) {
        if (buf[0] !== 0x32 || buf[1] !== 0x41) return reject(new Error(`not an ACK: ${buf.subarray(0, 6).toString('hex')}`));
        acks.push(buf.readUInt32BE(2));
        buf = buf.subarray(6);
      }
      if (until(acks)) {
        s.destroy();
        resolve({ acks, closedByServer: false });
      }
    });
    s.on('end', () => resolve({ acks, closedByServer: true }));
    s.on('error', reject);
  });
}

let canhgac: Running;
let port: number;
let dataDir: string;

/** Starts the binary on this data directory and reads the Beats port from its banner. */
async function start(): Promise<void> {
  canhgac = await startCanhgac({ dataDir, env: { CANHGAC_BEATS_PORT: '0' } });
  const m = /beats\s+([\d.]+):(\d+)\s+\(Winlogbeat \/ Filebeat output\.logstash\)/.exec(canhgac.stdout());
  if (!m) throw new Error(`the banner shows no Beats address:\n${canhgac.stdout()}`);
  port = Number(m[2]);
}

beforeAll(async () => {
  dataDir = tempDataDir();
  fs.writeFileSync(path.join(dataDir, 'canhgac.yml'), 'collector:\n  beats:\n    enabled: true\n    tenant: so-tttt\n');
  await start();
});
afterAll(async () => canhgac?.stop());

test('Winlogbeat and Filebeat windows are acknowledged and become ECS events of the listener agency', async () => {
  const winlogbeat = {
    '@timestamp': '2026-11-28T02:10:00.000Z',
    '@metadata': { beat: 'winlogbeat', type: '_doc', version: '8.15.0' },
    agent: { type: 'winlogbeat', version: '8.15.0', name: 'DC02' },
    host: { name: 'DC02.so-tttt.local' },
    organization: { id: 'so-khac' },
    message: 'An account failed to log on.',
    winlog: {
      channel: 'Security', event_id: 4625, record_id: 88001, provider_name: 'Microsoft-Windows-Security-Auditing', computer_name: 'DC02.so-tttt.local',
      keywords: ['Audit Failure'], time_created: '2026-11-28T02:09:59.700Z',
      event_data: { TargetUserName: 'e2e-beats-admin', TargetDomainName: 'SO-TTTT', LogonType: '3', IpAddress: '203.0.113.66', IpPort: '50001', Status: '0xc000006d', SubStatus: '0xc000006a' },
    },
  };
  const filebeat = {
    '@timestamp': '2026-11-28T02:10:01.000Z',
    '@metadata': { beat: 'filebeat', type: '_doc', version: '8.15.0' },
    message: 'Nov 28 09:10:01 web-07 sshd[902]: Failed password for e2e-beats-root from 198.51.100.66 port 40022 ssh2',
    log: { file: { path: '/var/log/auth.log' } },
    host: { name: 'web-07' },
  };
  const r = await exchange(port, compressedWindow([winlogbeat, filebeat]), (acks) => acks.includes(2));
  expect(r.acks.filter((a) => a > 0)).toEqual([2]);

  const api = await ApiClient.login(canhgac.consoleUrl);
  type Hit = { organization: { id: string }; winlog?: { event_id: string; channel: string }; event: { outcome?: string; code?: string }; source?: { ip: string }; user?: { name: string }; input?: { type: string } };
  const win = await waitFor('the Winlogbeat event', async () => (await api.get<{ items: Hit[] }>(`/api/events?q=${encodeURIComponent('user.name:e2e-beats-admin')}`)).body.items[0]);
  expect(win.organization.id).toBe('so-tttt');
  expect(win.winlog).toMatchObject({ channel: 'Security', event_id: '4625' });
  expect(win.event).toMatchObject({ code: '4625', outcome: 'failure' });
  expect(win.source?.ip).toBe('203.0.113.66');
  expect(win.input?.type).toBe('beats');
  const line = await waitFor('the Filebeat line', async () => (await api.get<{ items: Hit[] }>(`/api/events?q=${encodeURIComponent('user.name:e2e-beats-root')}`)).body.items[0]);
  expect(line.organization.id).toBe('so-tttt');
  expect(line.source?.ip).toBe('198.51.100.66');
  expect(line.event.outcome).toBe('failure');
});

test('a stream that is not Lumberjack is closed and shows as a dead letter with the reason', async () => {
  const r = await exchange(port, Buffer.from('2W\u0000\u0000\u0000\u00012Q garbage'), () => false);
  expect(r).toEqual({ acks: [], closedByServer: true });
  const api = await ApiClient.login(canhgac.consoleUrl);
  const dead = await waitFor('the dead letter', async () => {
    const d = await api.get<{ items: { listener: string; reason: string; tenant: string }[] }>('/api/dead-letters?limit=100');
    return d.body.items.find((x) => x.listener === 'beats');
  });
  expect(dead.reason).toMatch(/unknown frame type 'Q'/);
  expect(dead.tenant).toBe('so-tttt');
  // the operator sees it in the listener's counters
  await waitFor('the beats counters', async () => {
    const s = await api.get<{ listeners: Record<string, { received: number; failed: number }> }>('/api/collector/stats');
    const b = s.body.listeners.beats;
    return b && b.received >= 3 && b.failed >= 1;
  });
});

test('a window acknowledged just before kill -9 is there after the restart', async () => {
  const docs = Array.from({ length: 300 }, (_, i) => ({
    '@timestamp': '2026-11-28T02:20:00.000Z',
    message: `Nov 28 09:20:00 web-08 sshd[903]: Failed password for e2e-beats-kill${i} from 198.51.100.${(i % 200) + 1} port 40100 ssh2`,
    host: { name: 'web-08' },
  }));
  const r = await exchange(port, compressedWindow(docs), (acks) => acks.includes(300));
  expect(r.acks).toContain(300);
  await canhgac.kill9();
  await start();
  const api = await ApiClient.login(canhgac.consoleUrl);
  const found = await waitFor('all 300 acknowledged events', async () => {
    const s = await api.get<{ total: number }>(`/api/events?q=${encodeURIComponent('host.name:web-08')}`);
    return s.body.total >= 300 ? s.body.total : null;
  }, 60000);
  expect(found).toBe(300);
});
