import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import type { EcsEvent } from '../../core/event';
import { silentLogger } from '../../core/log';
import type { DeadLetter, TokenRecord } from '../../core/model';
import type { Store } from '../../core/store/store';
import { hashToken } from '../../core/tokens';
import { Counters } from '../counters';
import { Intake } from '../intake';
import { diskFull, fakeBus, type FakeBus } from './fake-bus';
import { createHttpIngestListener } from './http';
import { MAX_DOCUMENT_DEPTH } from './ingest-documents';
import type { RunningListener } from './syslog-tcp';

const SECRET = 'cgi_test-secret-of-so-tttt';
const record: TokenRecord = { id: 't1', kind: 'ingest', subject: 'so-tttt', hash: hashToken(SECRET), created: new Date().toISOString(), revoked: null };
const store = { findTokenByHash: async (h: string) => (h === record.hash ? record : null) } as unknown as Store;
const MAX_BODY = 64 * 1024;

let bus: FakeBus;
let counters: Counters;
let intake: Intake;
let listener: RunningListener;
let url: string;

const start = async (limits: { maxBodyBytes: number; maxMessageBytes: number }) => {
  await listener.close();
  listener = await createHttpIngestListener({ host: '127.0.0.1', port: 0, ...limits }, { intake, store, counters, logger: silentLogger });
  url = `http://127.0.0.1:${listener.address.port}/api/v1/ingest`;
};

beforeEach(async () => {
  bus = fakeBus();
  counters = new Counters();
  intake = new Intake({ bus, counters, logger: silentLogger, timezone: 'UTC' });
  listener = await createHttpIngestListener({ host: '127.0.0.1', port: 0, maxBodyBytes: MAX_BODY, maxMessageBytes: 8192 }, { intake, store, counters, logger: silentLogger });
  url = `http://127.0.0.1:${listener.address.port}/api/v1/ingest`;
});
afterEach(async () => {
  intake.stop();
  await listener.close();
});

const post = async (body: Buffer | string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { error?: string; accepted?: number; rejected?: number; errors?: { line: number; error: string }[] } };
};

/** The listener still takes a good request, and its event reaches the bus. */
const stillServes = async (marker: string) => {
  const ok = await post(JSON.stringify({ message: marker }));
  expect(ok).toMatchObject({ status: 202, body: { accepted: 1 } });
  expect(bus.of<EcsEvent>('events').some((e) => e.event.original === marker || JSON.stringify(e).includes(marker))).toBe(true);
};

describe('compressed bodies', () => {
  it('refuses a gzip bomb with 413 once the inflated size passes the body limit, counts it for the agency and keeps serving', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)); // ~50 KB that inflates to 50 MB
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const res = await post(bomb, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatch(/inflates beyond 65536 bytes.*max_body_bytes/);
    expect(counters.reason('http', 'decoded_too_large')).toBe(1);
    expect(counters.tenant('so-tttt').refused).toBe(1);
    await stillServes('after the bomb');
  });

  it('answers 400 naming a truncated gzip body, and 400 for garbage that claims to be gzip', async () => {
    const whole = gzipSync(JSON.stringify([{ message: 'one' }, { message: 'two' }]));
    const truncated = await post(whole.subarray(0, whole.length - 12), { 'content-encoding': 'gzip' });
    expect(truncated.status).toBe(400);
    expect(truncated.body.error).toMatch(/declared Content-Encoding: gzip but is truncated/);
    const garbage = await post(Buffer.from('this is not gzip at all, only text'), { 'content-encoding': 'gzip' });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toMatch(/gzip but is corrupt \(incorrect header check\)/);
    expect(counters.reason('http', 'corrupt_encoding')).toBe(2);
    expect(bus.of('events')).toHaveLength(0);
    await stillServes('after the broken gzip');
  });

  it('takes gzip, zlib deflate and raw deflate bodies, and refuses an unknown encoding with 415', async () => {
    expect((await post(gzipSync('{"message":"gz"}'), { 'content-encoding': 'gzip' })).status).toBe(202);
    expect((await post(deflateSync('{"message":"zlib"}'), { 'content-encoding': 'deflate' })).status).toBe(202);
    expect((await post(deflateRawSync('{"message":"raw"}'), { 'content-encoding': 'deflate' })).status).toBe(202);
    const br = await post('{"message":"br"}', { 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    expect(br.body.error).toMatch(/Content-Encoding "br" is not supported: send gzip, x-gzip, deflate, identity/);
    expect(counters.reason('http', 'unsupported_encoding')).toBe(1);
    expect(bus.of('events')).toHaveLength(3);
  });
});

describe('one document at a time', () => {
  it('keeps the good documents of an array and dead-letters the deeply nested one, naming it', async () => {
    await start({ maxBodyBytes: 4 * 1024 * 1024, maxMessageBytes: 1024 * 1024 });
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const deepObject = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const body = `[{"message":"first"}, ${deep}, ${deepObject}, {"message":"last"}]`;
    const res = await post(body);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 2, rejected: 2 });
    expect(res.body.errors).toEqual([
      { line: 2, error: `element 2 nests 100000 levels deep; at most ${MAX_DOCUMENT_DEPTH} are accepted` },
      { line: 3, error: `element 3 nests 5000 levels deep; at most ${MAX_DOCUMENT_DEPTH} are accepted` },
    ]);
    const dead = bus.of<DeadLetter>('dlq');
    expect(dead.map((d) => d.reason)).toEqual(res.body.errors!.map((e) => e.error));
    expect(dead[0].original.startsWith('[[[[')).toBe(true);
    expect(bus.of('events')).toHaveLength(2);
    await stillServes('after the nested array');
  });

  it('a deeply nested NDJSON line or a whole deep body is a dead letter, not a 500', async () => {
    await start({ maxBodyBytes: 4 * 1024 * 1024, maxMessageBytes: 1024 * 1024 });
    const lines = ['{"message":"a"}', '{"x":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}', '{"message":"b"}'].join('\n');
    const res = await post(lines, { 'content-type': 'application/x-ndjson' });
    expect(res).toMatchObject({ status: 202, body: { accepted: 2, rejected: 1, errors: [{ line: 2 }] } });
    expect(res.body.errors![0].error).toMatch(/NDJSON line 2 nests 50001 levels deep/);
    const whole = await post('{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000));
    expect(whole).toMatchObject({ status: 202, body: { accepted: 0, rejected: 1 } });
    expect(whole.body.errors![0].error).toMatch(/the document nests 20000 levels deep/);
    await stillServes('after the deep lines');
  });

  it('a document over max_message_bytes in an array is refused alone', async () => {
    const res = await post(JSON.stringify([{ message: 'small' }, { message: 'x'.repeat(20_000) }, 'a plain string']));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 2, rejected: 1, errors: [{ line: 2, error: expect.stringMatching(/element 2 of 200\d\d bytes exceeds collector.max_message_bytes \(8192\)/) }] });
  });


  it('a body of many refused documents writes at most 100 dead letters and one for the rest, every document counted', async () => {
    const res = await post(JSON.stringify([{ message: 'the good one' }, ...Array.from({ length: 250 }, (_, i) => i)]));
    expect(res).toMatchObject({ status: 202, body: { accepted: 1, rejected: 250 } });
    const dead = bus.of<DeadLetter>('dlq');
    expect(dead).toHaveLength(101);
    expect(dead[100].reason).toBe('150 more documents of this request (lines 102-251) were refused: must be a JSON object or a string');
    expect(counters.get('http').failed).toBe(250);
  });
});

describe('when the bus refuses events', () => {
  it('answers 503 with Retry-After, never 202, and accepts again once the bus takes events', async () => {
    bus.failWith(diskFull());
    const res = await post(JSON.stringify([{ message: 'during the outage' }]));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.body.error).toMatch(/the disk holding the event journal is full.*nothing of this request was acknowledged, retry after 5 s/);
    expect(intake.unavailable).toBe(true);
    bus.failWith(null);
    await stillServes('after the outage');
    expect(intake.unavailable).toBe(false);
  });
});
