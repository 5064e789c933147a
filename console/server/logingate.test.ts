import { createAccountGate } from './logingate';

test('attempts on one account run one after the other; other accounts are not held up; too many waiting are refused', async () => {
  const gate = createAccountGate({ maxWaiting: 3 });
  let failures = 0;
  const order: string[] = [];
  // each attempt reads the count, awaits (like argon2), then writes it: without the gate all would read 0
  const attempt = (name: string) => async () => {
    const seen = failures;
    await new Promise((r) => setTimeout(r, 5));
    failures = seen + 1;
    order.push(name);
    return seen;
  };
  const runs = ['a1', 'a2', 'a3', 'a4'].map((n) => gate.run('admin', attempt(n)));
  expect(runs[3]).toBeNull();
  const other = gate.run('lan', async () => 'other');
  expect(await Promise.all(runs.slice(0, 3))).toEqual([0, 1, 2]);
  expect(await other).toBe('other');
  expect(order).toEqual(['a1', 'a2', 'a3']);
  await new Promise((r) => setTimeout(r, 0));
  expect(gate.size()).toBe(0);
  await expect(gate.run('admin', async () => { throw new Error('store down'); })).rejects.toThrow('store down');
  expect(await gate.run('admin', async () => 'after a failure')).toBe('after a failure');
});
