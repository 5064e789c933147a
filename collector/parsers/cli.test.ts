import { parseCli } from './cli';

function run(argv: string[], files: Record<string, string | Buffer>) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (s: string) => out.push(s),
    stderr: (s: string) => err.push(s),
    readFile: async (p: string) => {
      if (!(p in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return files[p];
    },
  };
  return parseCli(argv, io).then((code) => ({ code, events: out.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l)), err: err.join('') }));
}

describe('canhgac parse', () => {
  test('raw lines give one ECS event per line with the dataset and tenant', async () => {
    const r = await run(['parse', '--input', 'auth.log', '--dataset', 'system.auth', '--tenant', 'so-tttt', '--timezone', 'UTC', '--now', '2026-03-15T00:00:00Z'], {
      'auth.log': 'Mar 14 08:12:01 bastion sshd[1]: Failed password for root from 203.0.113.45 port 2 ssh2\n\nMar 14 08:12:02 bastion sshd[1]: Accepted password for an from 10.0.0.2 port 3 ssh2\r\n',
    });
    expect(r.code).toBe(0);
    expect(r.events).toHaveLength(2);
    expect(r.events[0]).toMatchObject({ '@timestamp': '2026-03-14T08:12:01.000Z', event: { dataset: 'system.auth', outcome: 'failure' }, organization: { id: 'so-tttt' } });
    expect(r.events[1].event.original).toBe('Mar 14 08:12:02 bastion sshd[1]: Accepted password for an from 10.0.0.2 port 3 ssh2');
    expect(r.err).toMatch(/2 event\(s\), 0 pipeline error/);
  });

  test('{"events":[...]} documents as in Elastic pipeline tests', async () => {
    const r = await run(['--input=e.json'], {
      'e.json': JSON.stringify({ events: [{ message: '<13>Mar 14 10:00:00 h app: one' }, { message: '<13>Mar 14 10:00:01 h app: two' }] }),
    });
    expect(r.events.map((e) => e.message)).toEqual(['one', 'two']);
  });

  test('JSON lines are parsed as documents', async () => {
    const r = await run(['--input', 'j.ndjson'], { 'j.ndjson': '{"message":"<13>Mar 14 10:00:00 h app: one"}\n{"message":"<13>Mar 14 10:00:00 h app: two"}\n' });
    expect(r.events).toHaveLength(2);
    expect(r.events[1].message).toBe('two');
  });

  test('--help prints the usage with every format and dataset', async () => {
    const out: string[] = [];
    const code = await parseCli(['parse', '--help'], { stdout: (s) => out.push(s), stderr: () => undefined });
    expect(code).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/--format .*fortigate/);
    expect(text).toMatch(/datasets: .*cisco_asa\.log/);
  });

  test('bad arguments name the problem and exit 2; a missing file exits 1', async () => {
    expect((await run([], {})).err).toMatch(/--input is required/);
    const bad = await run(['--input', 'x', '--format', 'nope'], {});
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown --format "nope"/);
    expect((await run(['--input', 'x', '--timezone', 'Mars/Olympus'], {})).err).toMatch(/not an IANA zone/);
    expect((await run(['--input', 'x', '--dataset', 'auth'], {})).err).toMatch(/<package>.<data_stream>/);
    const missing = await run(['--input', 'missing.log'], {});
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read --input "missing.log": ENOENT/);
  });

  test('unparseable lines are printed as pipeline errors and counted, never dropped', async () => {
    const r = await run(['--input', 'a.log', '--format', 'linux_auth'], { 'a.log': Buffer.from([0x41, 0xff, 0x0a, 0x42, 0x0a]) });
    expect(r.events).toHaveLength(2);
    expect(r.events[0].tags).toContain('invalid_utf8');
  });
});

describe('canhgac parse enrichment', () => {
  test('events are enriched as the collector does, unless --no-enrich', async () => {
    const line = 'Mar 14 08:12:01 bastion sshd[1]: Failed password for root from 89.160.20.156 port 2 ssh2\n';
    const on = await run(['--input', 'a.log', '--timezone', 'UTC'], { 'a.log': line });
    expect(on.events[0].source.geo.country_iso_code).toBe('SE');
    expect(on.events[0].labels.source_ip_scope).toBe('public');
    const off = await run(['--input', 'a.log', '--no-enrich'], { 'a.log': line });
    expect(off.events[0].source.geo).toBeUndefined();
    const bad = await run(['--input', 'a.log', '--assets', '/nonexistent/assets.csv'], { 'a.log': line });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/cannot read asset inventory/);
  });
});
