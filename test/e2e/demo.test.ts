/** `canhgac start --demo` shows a newcomer incidents without sending anything. */
import { ApiClient, startCanhgac, waitFor } from '../helpers/canhgac';

test('the demo scenario opens one incident for each attack it announces: SSH brute force, web attacks, port scan, malware outbreak', async () => {
  const c = await startCanhgac({ args: ['--demo'] });
  try {
    expect(c.stdout()).toMatch(/demo\s+replaying an attack scenario/);
    const api = await ApiClient.login(c.consoleUrl);
    const { ws, messages } = await api.socket();
    const first = await waitFor('a demo incident pushed over the WebSocket', () => messages.find((m) => m.type === 'incident.created'), 30000);
    expect((first.incident as { tenant: string }).tenant).toBe('demo');
    // every attack the demo announces opens, one incident each (grouped by the attacker's address or the malware)
    const announced = ['SSH Brute Force', 'SQL Injection Attempt In URL', 'Port Scan From Firewall Denies', 'Malware Outbreak'];
    const items = await waitFor(
      'an incident for each announced attack',
      async () => {
        const r = await api.get<{ items: { title: string; tenant: string; rules?: { title: string }[]; entityKeys?: string[] }[] }>('/api/incidents?limit=100');
        const fired = (t: string) => r.body.items.filter((i) => (i.rules ?? []).some((x) => x.title === t));
        return announced.every((t) => fired(t).length > 0) ? r.body.items : null;
      },
      90000,
    );
    const count = (t: string) => items.filter((i) => (i.rules ?? []).some((x) => x.title === t)).length;
    expect(announced.map((t) => [t, count(t)])).toEqual([['SSH Brute Force', 2], ['SQL Injection Attempt In URL', 1], ['Port Scan From Firewall Denies', 1], ['Malware Outbreak', 1]]); // two SSH attackers
    const keys = (title: string) => items.find((i) => (i.rules ?? []).some((x) => x.title === title))!.entityKeys;
    expect(keys('Malware Outbreak')).toContain('malware=Win32/Emotet.BX');
    expect(keys('Port Scan From Firewall Denies')).toContain('source_ip=198.51.100.77');
    expect(keys('SQL Injection Attempt In URL')).not.toContain('source_ip=203.0.113.45'); // the web attack is not the SSH attacker's incident
    ws.close();
  } finally {
    await c.stop();
  }
});
