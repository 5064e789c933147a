/** `canhgac start --demo` shows a newcomer incidents without sending anything. */
import { ApiClient, startCanhgac, waitFor } from '../helpers/canhgac';

test('the demo scenario opens brute-force, web-attack and other incidents for agency "demo"', async () => {
  const c = await startCanhgac({ args: ['--demo'] });
  try {
    expect(c.stdout()).toMatch(/demo\s+replaying an attack scenario/);
    const api = await ApiClient.login(c.consoleUrl);
    const { ws, messages } = await api.socket();
    const first = await waitFor('a demo incident pushed over the WebSocket', () => messages.find((m) => m.type === 'incident.created'), 30000);
    expect((first.incident as { tenant: string }).tenant).toBe('demo');
    const titles = await waitFor(
      'the SSH brute force among the demo incidents',
      async () => {
        const r = await api.get<{ items: { title: string; tenant: string }[] }>('/api/incidents?limit=100');
        const t = r.body.items.map((i) => i.title);
        return t.includes('SSH Brute Force') ? t : null;
      },
      30000,
    );
    expect(titles.length).toBeGreaterThan(1);
    ws.close();
  } finally {
    await c.stop();
  }
});
