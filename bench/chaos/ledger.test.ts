import { formatCount, Ledger } from './ledger';

test('the chaos ledger counts, per phase and in total, lost (acknowledged, not stored), duplicated and stored-without-a-202 events', () => {
  const l = new Ledger();
  const a = l.take('steady', 4); // 0..3
  const b = l.take('kill -9 #1', 3); // 4..6
  l.acknowledge(a);
  l.acknowledge([4, 5]);
  l.refuse('kill -9 #1', 'no answer', 1);
  // stored: 0, 1 twice, 2; 3 lost; 4, 5; 6 stored although its request got no answer
  const rows = l.count([0, 1, 1, 2, 4, 5, 6]);
  expect(b).toEqual([4, 5, 6]);
  expect(rows.map((r) => formatCount(r).replace(/\s+/g, ' '))).toEqual([
    'steady acknowledged 4, stored 4, lost 1, duplicated 1',
    'kill -9 #1 acknowledged 2, stored 3, lost 0, duplicated 0 (stored without a 202: 1) not acknowledged: no answer×1',
    'total acknowledged 6, stored 7, lost 1, duplicated 1 (stored without a 202: 1) not acknowledged: no answer×1',
  ]);
});
