/** Nothing acknowledged is lost: events answered with 202 survive kill -9 of the whole process. */
import { ApiClient, cli, startCanhgac, waitFor } from '../helpers/canhgac';

test('N events acknowledged over the ingest API are all found after SIGKILL and restart, each once', async () => {
  const first = await startCanhgac();
  const dataDir = first.dataDir;
  const token = /ingest token \(shown once\): (\S+)/.exec(cli(dataDir, ['tenant', 'add', 'so-tc', '--name', 'Sở Tài chính']).stdout)![1];
  const N = 3000;
  const ids = new Set<string>();
  let acked = 0;
  const batches = Array.from({ length: 30 }, (_, b) => b);
  await Promise.all(
    [0, 1, 2].map(async (lane) => {
      for (const b of batches.filter((x) => x % 3 === lane)) {
        const body = Array.from({ length: N / 30 }, (_, i) => JSON.stringify({ message: `durable event ${b}-${i}`, labels: { batch: b, seq: i } })).join('\n');
        const res = await fetch(first.ingestUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body });
        expect(res.status).toBe(202);
        const r = (await res.json()) as { accepted: number; ids: string[] };
        acked += r.accepted;
        r.ids.forEach((id) => ids.add(id));
      }
    }),
  );
  expect(acked).toBe(N);
  await first.kill9(); // right after the last 202: the indexer has not caught up yet

  const second = await startCanhgac({ dataDir });
  try {
    const api = await ApiClient.login(second.consoleUrl);
    const total = await waitFor(
      'all acknowledged events in the store',
      async () => {
        const r = await api.get<{ total: number }>(`/api/events?q=${encodeURIComponent('organization.id:so-tc')}&limit=0`);
        return r.body.total >= N ? r.body.total : null;
      },
      60000,
    );
    expect(total).toBe(N); // each once: redelivery after the crash did not duplicate
    const sample = await api.get<{ items: { event: { id: string } }[] }>(`/api/events?q=${encodeURIComponent('organization.id:so-tc')}&limit=10000`);
    expect(new Set(sample.body.items.map((e) => e.event.id))).toEqual(ids);
  } finally {
    await second.stop();
  }
});
