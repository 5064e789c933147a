/**
 * The Elasticsearch Store against a real node (deploy/local/infra.sh, started through test/infra
 * when none runs on 127.0.0.1:9200 and CANHGAC_TEST_ELASTICSEARCH_URL is unset).
 */
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { tlsFront } from '../../test/helpers/pki';
import { searchNodeForTests } from '../../test/helpers/search-node';
import { startElasticsearch } from '../../test/infra/servers';
import { newId } from '../event';
import { createElasticsearchStore } from './elasticsearch';
import { describeSearchStoreHardening } from './es-hardening.contract';
import { describeStoreContract } from './store.contract';

jest.setTimeout(120_000);

const { node, open } = searchNodeForTests('t', startElasticsearch);
let url = '';
beforeAll(() => {
  url = node.url;
});

describeStoreContract('elasticsearch', () => open());
describeSearchStoreHardening('elasticsearch', () => open());

describe('Elasticsearch store', () => {
  test('a URL with credentials in it works, and the credentials never appear in an error', async () => {
    const u = new URL(url);
    const store = createElasticsearchStore({ url: `http://elastic:s3cret-pw@${u.hostname}:1`, indexPrefix: `${node.run}-cred` });
    const err = (await store.init().then(() => null, (e: Error) => e))!;
    expect(err.message).toMatch(new RegExp(`cannot reach Elasticsearch at http://${u.hostname}:1`));
    expect(err.message).not.toContain('s3cret');
    await store.close();
    expect(() => createElasticsearchStore({ url: 'ftp://elastic:s3cret-pw@host' })).toThrow(/"ftp:\/\/\*\*\*@host" is not an http\(s\) URL/);
    // against the real node the same URL form works (the local node has no security, so any credentials pass)
    const ok = open({ url: `http://elastic:s3cret-pw@${u.host}` });
    await ok.init();
    expect(await ok.countEvents(null)).toBe(0);
    await ok.close();
  });

  test('rejects a config without a URL or with a bad index prefix, naming the field', () => {
    expect(() => createElasticsearchStore({ url: 'localhost:9200' })).toThrow(/store\.elasticsearch\.url: "localhost:9200" is not an http\(s\) URL/);
    expect(() => createElasticsearchStore({ url: 'http://127.0.0.1:9200', indexPrefix: 'Canhgac' })).toThrow(/store\.elasticsearch\.index_prefix/);
  });

  test('events land in daily indices by @timestamp, and retention deletes whole days past the limit', async () => {
    const store = open({ retentionDays: 30 });
    await store.init();
    const ev = (ts: string) => ({ '@timestamp': ts, organization: { id: 'a' }, event: { id: newId(), kind: 'event' }, message: 'x' });
    await store.putEvents([ev('2026-03-01T10:00:00.000Z'), ev('2026-03-02T10:00:00.000Z'), ev('2026-04-15T10:00:00.000Z')]);
    const prefix = node.prefixes[node.prefixes.length - 1];
    const names = async () => Object.keys((await (await fetch(`${url}/${prefix}-events-*`)).json()) as object).sort();
    expect(await names()).toEqual([`${prefix}-events-2026.03.01`, `${prefix}-events-2026.03.02`, `${prefix}-events-2026.04.15`]);
    const deleted = await store.applyRetention(Date.parse('2026-04-01T12:00:00.000Z'));
    expect(deleted.sort()).toEqual([`${prefix}-events-2026.03.01`]);
    expect(await store.countEvents(null)).toBe(2);
    await store.close();
  });

  test('an agency or a dataset with a shorter retention loses its older events; the others keep theirs', async () => {
    const store = open({ retentionDays: 90, retention: { tenants: { b: 7 }, datasets: { 'nginx.access': 3 } } });
    await store.init();
    const ev = (tenant: string, ts: string, dataset: string) => ({ '@timestamp': ts, organization: { id: tenant }, event: { id: newId(), dataset }, message: `${tenant} ${dataset} ${ts.slice(0, 10)}` });
    await store.putEvents([
      ev('a', '2026-03-01T00:00:00.000Z', 'sshd'),
      ev('b', '2026-03-01T00:00:00.000Z', 'sshd'),
      ev('b', '2026-03-09T00:00:00.000Z', 'sshd'),
      ev('a', '2026-03-05T00:00:00.000Z', 'nginx.access'),
      ev('a', '2026-03-09T00:00:00.000Z', 'nginx.access'),
    ]);
    await store.applyRetention(Date.parse('2026-03-10T00:00:00.000Z'));
    const left = (await store.searchEvents({ tenants: null })).items.map((e) => e.message).sort();
    expect(left).toEqual(['a nginx.access 2026-03-09', 'a sshd 2026-03-01', 'b sshd 2026-03-09']);
    expect(() => open({ retention: { tenants: { b: 0 } } })).toThrow(/store\.elasticsearch\.retention\.tenants\.b: expected a whole number of days ≥ 1, got 0/);
    await store.close();
  });

  test('free text finds Vietnamese words with or without their diacritics', async () => {
    const store = open();
    await store.init();
    await store.putEvents([
      { '@timestamp': '2026-01-01T00:00:00.000Z', organization: { id: 'a' }, event: { id: newId() }, message: 'Đăng nhập thất bại: sai mật khẩu cho người dùng quantri' },
      { '@timestamp': '2026-01-01T00:00:01.000Z', organization: { id: 'a' }, event: { id: newId() }, message: 'Đăng nhập thành công' },
    ]);
    const hits = async (q: string) => (await store.searchEvents({ q, tenants: null })).items.map((e) => e.message);
    expect(await hits('"mật khẩu"')).toEqual(['Đăng nhập thất bại: sai mật khẩu cho người dùng quantri']);
    expect(await hits('"mat khau"')).toEqual(['Đăng nhập thất bại: sai mật khẩu cho người dùng quantri']);
    expect(await hits('dang nhap')).toHaveLength(2);
    expect(await hits('thanh*')).toEqual(['Đăng nhập thành công']);
    await store.close();
  });

  test('a word where numbers were seen first is still stored and found by free text', async () => {
    const store = open();
    await store.init();
    await store.putEvents([
      { '@timestamp': '2026-01-01T00:00:00.000Z', organization: { id: 'a' }, event: { id: newId() }, winlog: { event_id: 4625 } },
      { '@timestamp': '2026-01-01T00:00:01.000Z', organization: { id: 'a' }, event: { id: newId() }, winlog: { event_id: 'logon-failed' } },
    ]);
    expect((await store.searchEvents({ q: 'winlog.event_id:>=4000', tenants: null })).total).toBe(1);
    expect((await store.searchEvents({ q: 'winlog.event_id:logon*', tenants: null })).total).toBe(1);
    expect((await store.searchEvents({ q: 'logon', tenants: null })).total).toBe(1);
    await store.close();
  });
});

/** A TCP relay to the real node that can be cut and restored, so the store sees Elasticsearch go away and come back. */
function relay(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server!.close(() => resolve());
    });
  return { up, down, url: () => `http://127.0.0.1:${port}` };
}

test('a write during an Elasticsearch outage waits, and lands exactly once when it is back', async () => {
  const r = relay(new URL(url));
  await r.up();
  const store = open({ url: r.url(), maxRetries: 12 });
  await store.init();
  const events = Array.from({ length: 50 }, (_, i) => ({ '@timestamp': '2026-02-01T00:00:00.000Z', organization: { id: 'a' }, event: { id: newId() }, message: `e${i}` }));
  await store.putEvents(events.slice(0, 10));
  await r.down();
  let settled = false;
  const write = store.putEvents(events).finally(() => (settled = true));
  await new Promise((res) => setTimeout(res, 2000));
  expect(settled).toBe(false);
  await r.up();
  await write;
  expect(await store.countEvents(['a'])).toBe(50);
  await store.close();
  await r.down();
});

/**
 * An HTTP hop to the real node that, for the first bulk request, holds back every second document
 * and answers for it what a saturated node answers: a per-item 429 (es_rejected_execution_exception).
 */
function rejectingHop(target: string) {
  const rejected: string[] = [];
  const sentIds: string[] = [];
  let bulks = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      let body = Buffer.concat(chunks).toString('utf8');
      const isBulk = req.url!.split('?')[0].endsWith('/_bulk');
      const lines = isBulk ? body.split('\n').filter((l) => l.length > 0) : [];
      const held = new Set<number>();
      if (isBulk) {
        for (let i = 0; i < lines.length; i += 2) sentIds.push(JSON.parse(lines[i]).create._id);
        if (bulks++ === 0) {
          for (let i = 2; i < lines.length; i += 4) held.add(i / 2);
          body = lines.filter((_, i) => !held.has(Math.floor(i / 2))).join('\n') + '\n';
        }
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'content-length' && k !== 'host') headers[k] = v;
      const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body: ['GET', 'HEAD'].includes(req.method!) ? undefined : body });
      let text = await upstream.text();
      if (held.size > 0) {
        const real = JSON.parse(text) as { took: number; items: unknown[] };
        const items: unknown[] = [];
        for (let n = 0, k = 0; n < lines.length / 2; n++) {
          if (!held.has(n)) items.push(real.items[k++]);
          else {
            const action = JSON.parse(lines[n * 2]).create;
            rejected.push(action._id);
            items.push({ create: { _index: action._index, _id: action._id, status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation' } } });
          }
        }
        text = JSON.stringify({ took: real.took, errors: true, items });
      }
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(text);
    });
  });
  return {
    rejected,
    sentIds,
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('documents a saturated node rejects with a per-item 429 are sent again, and every event is stored once', async () => {
  const hop = rejectingHop(url);
  const store = open({ url: await hop.listen() });
  await store.init();
  const events = Array.from({ length: 20 }, (_, i) => ({ '@timestamp': '2026-02-02T00:00:00.000Z', organization: { id: 'a' }, event: { id: newId() }, message: `e${i}` }));
  await store.putEvents(events);
  expect(hop.rejected).toHaveLength(10);
  // each rejected document went out a second time; none of the accepted ones did
  const sentTwice = hop.sentIds.filter((id, i) => hop.sentIds.indexOf(id) !== i);
  expect(sentTwice.sort()).toEqual([...hop.rejected].sort());
  expect(await store.countEvents(['a'])).toBe(20);
  await store.close();
  await hop.close();
});

test('https with a private CA (store.elasticsearch.ca) and an API key: the store verifies the cluster and sends the key', async () => {
  // TLS in front of the real node, as a secured cluster presents itself; it records the requests' headers
  const front = await tlsFront(url);
  const { heads, url: httpsUrl } = front;
  try {
    const apiKey = Buffer.from('key-id:key-secret').toString('base64');
    const store = open({ url: httpsUrl, caFile: front.ca, apiKey });
    await store.init();
    await store.putEvents([{ '@timestamp': '2026-01-01T00:00:00.000Z', organization: { id: 'a' }, event: { id: newId() }, message: 'qua TLS' }]);
    expect((await store.searchEvents({ q: 'TLS', tenants: null })).total).toBe(1);
    await store.close();
    expect(heads.length).toBeGreaterThan(0);
    expect(heads.every((h) => new RegExp(`^authorization: ApiKey ${apiKey}$`, 'im').test(h))).toBe(true);

    // without the CA the cluster's certificate is refused, and the error says so
    const untrusted = open({ url: httpsUrl });
    await expect(untrusted.init()).rejects.toThrow(/cannot reach Elasticsearch at https:\/\/127\.0\.0\.1:\d+: .*(self[- ]signed|unable to verify|certificate)/i);
    await untrusted.close();
    expect(() => open({ url: httpsUrl, caFile: path.join(os.tmpdir(), 'canhgac-none', 'missing.pem') })).toThrow(/store\.elasticsearch\.ca: cannot read .*missing\.pem: ENOENT/);
    expect(() => open({ url: httpsUrl, caFile: path.join(path.dirname(front.ca), 'node.key') })).toThrow(/store\.elasticsearch\.ca: ".*node\.key" holds no PEM certificate/);
  } finally {
    await front.close();
  }
});
