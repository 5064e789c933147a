/** A full disk (a real 8 MiB tmpfs): ingest is refused, not fatal; a restart on the full disk comes up; ingest resumes once space is freed. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApiClient, cli, startCanhgac, tempDataDir, waitFor, type Running } from '../helpers/canhgac';

function smallTmpfs(): { dir: string } | { reason: string } {
  if (process.getuid?.() !== 0) return { reason: 'not root, so no tmpfs can be mounted' };
  const dir = tempDataDir();
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? { dir } : { reason: `mount -t tmpfs failed: ${r.stderr || r.error?.message}` };
}
const tmpfs = smallTmpfs();

/** Writes a file until the disk has no byte left. */
function fill(file: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let chunk = 1 << 16; chunk >= 512; chunk >>= 1) {
      const buf = Buffer.alloc(chunk);
      for (;;) {
        try {
          fs.writeSync(fd, buf);
        } catch {
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

test('on a full disk HTTP ingest answers 503, the process lives, a restart on the full disk comes up, and ingest resumes once space is freed with every acknowledged event stored once', async () => {
  // a real full disk is the point of this test: without one it fails, saying why, instead of passing unseen
  if (!('dir' in tmpfs)) throw new Error(`this test needs a real tmpfs to fill (run the tests as root, as .ci/run does): ${tmpfs.reason}`);
  const root = (tmpfs as { dir: string }).dir;
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(dataDir);
  let node: Running | undefined;
  try {
    node = await startCanhgac({ dataDir });
    const token = /ingest token \(shown once\): (\S+)/.exec(cli(dataDir, ['tenant', 'add', 'so-full', '--name', 'Disk full']).stdout)![1];
    const apiToken = cli(dataDir, ['token', 'create', '--user', 'admin']).stdout.trim();
    const ingest = (url: string, n: number, tag: string) =>
      fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body: Array.from({ length: n }, (_, i) => JSON.stringify({ message: `${tag} ${i} ${'x'.repeat(900)}` })).join('\n') });
    expect((await ingest(node.ingestUrl, 5, 'before')).status).toBe(202);
    const api = new ApiClient(node.consoleUrl, apiToken);
    const stored = async () => (await api.get<{ total: number }>(`/api/events?q=${encodeURIComponent('organization.id:so-full')}&limit=0`)).body.total;
    await waitFor('the first events stored', async () => (await stored()) === 5);

    fill(path.join(root, 'filler'));
    const refused = await ingest(node.ingestUrl, 300, 'full');
    expect(refused.status).toBe(503);
    expect(node.proc.exitCode).toBeNull();

    await node.kill9();
    node = await startCanhgac({ dataDir }); // on the still full disk: it used to exit with "database or disk is full"
    expect((await ingest(node.ingestUrl, 300, 'still full')).status).toBe(503);
    expect(node.proc.exitCode).toBeNull();
    // reads go on while the disk is full (their audit entries wait until there is room)
    const whileFull = new ApiClient(node.consoleUrl, apiToken);
    const search = await whileFull.get<{ total: number }>(`/api/events?q=${encodeURIComponent('organization.id:so-full OR message:whilefullprobe')}&limit=5`);
    expect([search.status, search.body.total]).toEqual([200, 5]);
    expect((await whileFull.get('/api/incidents?limit=5')).status).toBe(200);

    fs.rmSync(path.join(root, 'filler'));
    const url = node.ingestUrl;
    await waitFor('ingest accepted again', async () => (await ingest(url, 5, 'after')).status === 202, 30000);
    const api2 = new ApiClient(node.consoleUrl, apiToken);
    const total = () => api2.get<{ total: number }>(`/api/events?q=${encodeURIComponent('organization.id:so-full')}&limit=0`);
    await waitFor('the events acknowledged after the disk was freed stored', async () => (await total()).body.total === 10, 30000);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await total()).body.total).toBe(10); // and nothing refused was stored
    // the search made while the disk was full is in the audit log now
    await waitFor('the audit entry of the search made while full', async () => {
      const audit = await api2.get<{ items: { action: string; details?: { q?: string } }[] }>('/api/audit?limit=1000');
      return audit.body.items.some((e) => e.action === 'events.search' && e.details?.q?.includes('whilefullprobe'));
    }, 15000);
  } finally {
    await node?.stop();
    spawnSync('umount', ['-l', root]);
  }
});
