/**
 * Bad input, on every route of the console (from its route table): an unknown query
 * parameter or body field, a malformed value or parameter is a 400 naming the field, an
 * oversized body a 413 — before any handler runs; and what fails inside answers no stack
 * trace or file path.
 */
import { createLogger } from '../../core/log';
import type { Store } from '../../core/store/store';
import { buildConsole } from './app';
import { SAMPLES, startKit, type Caller, type Kit } from './testkit';

let kit: Kit;
let admin: Caller;
beforeAll(async () => {
  kit = await startKit();
  admin = kit.callers.find((c) => c.username === 'admin-prov')!;
});
afterAll(() => kit.close());

const guarded = () => kit.app.routeTable.filter((r) => !r.public && r.method !== 'HEAD');
const withBody = (m: string) => m === 'POST' || m === 'PUT' || m === 'PATCH';
const sample = (r: { method: string; url: string }) => SAMPLES[`${r.method} ${r.url}`](kit).own;
const as = async () => kit.session('admin-prov'); // a fresh session each time: the samples include logout

test('an unknown query parameter is refused on every route, naming it', async () => {
  const problems: string[] = [];
  for (const r of guarded()) {
    const s = sample(r);
    const res = await kit.call(await as(), r.method, `${s.url}${s.url.includes('?') ? '&' : '?'}zzz_unknown=1`, s.body);
    if (res.status !== 400 || !/^querystring\/zzz_unknown: unknown field/.test(res.body.error)) problems.push(`${r.method} ${r.url}: ${res.status} ${res.text.slice(0, 100)}`);
  }
  expect(problems).toEqual([]);
});

test('an unknown body field is refused on every route that takes a body or none, naming it', async () => {
  const problems: string[] = [];
  for (const r of guarded().filter((x) => withBody(x.method))) {
    const s = sample(r);
    const body = { ...((s.body as object) ?? {}), zzz_unknown: 1 };
    const res = await kit.call(await as(), r.method, s.url, body);
    // a route that streams its body (a scan report) takes no JSON at all, and says what it takes
    if (r.streamedBody) {
      if (res.status !== 415 || !/application\/xml/.test(res.body.error)) problems.push(`${r.method} ${r.url}: ${res.status} ${res.text.slice(0, 100)}`);
      continue;
    }
    if (res.status !== 400 || !/^body\/zzz_unknown: unknown field/.test(res.body.error)) problems.push(`${r.method} ${r.url}: ${res.status} ${res.text.slice(0, 100)}`);
  }
  expect(problems).toEqual([]);
});

test('a body over the limit is a 413 saying the limit, on every route that takes a body', async () => {
  const problems: string[] = [];
  const bodies = new Map<number, string>();
  const over = (limit: number) => bodies.get(limit) ?? (bodies.set(limit, JSON.stringify({ label: 'x'.repeat(limit) })), bodies.get(limit)!);
  for (const r of guarded().filter((x) => withBody(x.method))) {
    const res = await kit.call(await as(), r.method, sample(r).url, over(r.bodyLimit ?? 1024 * 1024)); // just over the route's own limit
    if (res.status !== 413 || !/^body too large: .* takes at most \d+ bytes$/.test(res.body.error)) problems.push(`${r.method} ${r.url}: ${res.status} ${res.text.slice(0, 100)}`);
  }
  expect(problems).toEqual([]);
});

test('malformed values and parameters name the field', async () => {
  const err = async (method: string, url: string, body?: unknown) => (await kit.call(await as(), method, url, body)).body.error;
  expect(await err('GET', '/api/incidents?limit=abc')).toBe('querystring/limit: must be integer');
  expect(await err('GET', '/api/incidents/bad%20id')).toMatch(/^params\/id: must match pattern/);
  expect(await err('GET', '/api/events?from=yesterday')).toMatch(/^querystring\/from: must match format "date-time"/);
  expect(await err('POST', '/api/users', { username: 'x', password: 'long-password-1', role: 'boss' })).toMatch(/^body\/role: must be equal to one of the allowed values/);
  expect(await err('PATCH', '/api/users/viewer-a', { agencies: [{}] })).toBe('body/agencies/0: must be string');
  expect(await err('POST', '/api/incidents/inc-so-a/actions', { action: 'comment', comment: 'x', extra: true })).toBe('body/extra: unknown field (not in this route\'s schema)');
  expect(await err('POST', '/api/searches', '{"name": "x", ')).toMatch(/JSON/);
  expect(await err('POST', '/api/searches', { name: 'x' })).toBe('body/q: required');
  // a time that is no date is refused with its position, on the search and on the histogram alike (both answered 500)
  expect(await err('GET', '/api/events?q=' + encodeURIComponent('@timestamp:>foo'))).toBe('query syntax error at character 13: @timestamp value "foo" is not a date (write 2026-12-03 or 2026-12-03T08:00:00+07:00)');
  expect(await err('GET', '/api/events/histogram?q=' + encodeURIComponent('@timestamp:[2026-12-01 TO yesterday]'))).toMatch(/^query syntax error at character 12: @timestamp value "yesterday" is not a date/);
});

describe('errors answered to the browser carry no stack trace or internal path', () => {
  test('a failure inside a route is a bare 500; the details go to the log', async () => {
    const lines: string[] = [];
    const failing = new Proxy(kit.store, {
      get: (t, k) => (k === 'listIncidents' ? async () => { throw new Error(`SQLITE_CORRUPT at ${__filename}:12 in /var/lib/canhgac/canhgac.db`); } : Reflect.get(t, k)),
    }) as Store;
    const logger = createLogger({ level: 'error', destination: { write: (s: string) => lines.push(s) } } as never);
    const app = await buildConsole({ store: failing, bus: kit.bus, logger, sessionHours: 1, secureCookies: false });
    const res = await app.inject({ method: 'GET', url: '/api/incidents', headers: { authorization: `Bearer ${admin.token}` } });
    await app.close();
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'internal error; the server log has the details', code: 'internal' });
    expect(res.body).not.toMatch(/\/var\/lib|\.ts|SQLITE|at /);
  });

  test("a query the search cluster refuses is a 400 saying what to do, without the cluster's index names or exception chain", async () => {
    // as Elasticsearch's and OpenSearch's clients throw it (ResponseError: meta.statusCode, meta.body)
    const reason = 'search_phase_execution_exception\n\tCaused by:\n\t\tillegal_argument_exception: Fielddata is disabled on [canhgac_text] in [canhgac-events-2026.12.03]';
    const refused = Object.assign(new Error(reason), { name: 'ResponseError', statusCode: 400, meta: { statusCode: 400, body: { error: { type: 'search_phase_execution_exception', root_cause: [{ type: 'illegal_argument_exception', reason: 'in [canhgac-events-2026.12.03]' }] } } } });
    const lines: string[] = [];
    const failing = new Proxy(kit.store, { get: (t, k) => (k === 'topValues' ? async () => { throw refused; } : Reflect.get(t, k)) }) as Store;
    const logger = createLogger({ level: 'warn', destination: { write: (s: string) => lines.push(s) } } as never);
    const app = await buildConsole({ store: failing, bus: kit.bus, logger, sessionHours: 1, secureCookies: false });
    const res = await app.inject({ method: 'GET', url: '/api/events/top?field=canhgac_text', headers: { authorization: `Bearer ${admin.token}` } });
    await app.close();
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('GET /api/events/top: the search cluster cannot run this request as asked (illegal argument exception); narrow the query, the time range or the page, or pick another field');
    expect(res.body).not.toMatch(/canhgac-events|Caused by|\[/);
    expect(lines.join('')).toContain('canhgac-events-2026.12.03'); // the log keeps the cluster's reason
  });

  test('unknown routes, bad JSON, bad percent-encoding: the error names the request, never a file', async () => {
    const answers = [
      await kit.call(await as(), 'POST', '/api/nothing-here', {}),
      await kit.call(await as(), 'POST', '/api/searches', '{"name":'),
      await kit.call(null, 'GET', '/%E0%A4%A'),
      await kit.call(await as(), 'GET', '/api/events?q=' + encodeURIComponent('user.name:(x')),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 400, 400, 400]);
    for (const a of answers) expect(a.text).not.toMatch(/\/work\/|node_modules|\.ts:|\.js:|\n\s+at /);
  });
});
