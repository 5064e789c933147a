/**
 * The behaviour every Bus must have. Run against each backend:
 *   describeBusContract('embedded', () => ({ bus: createEmbeddedBus({ dir }), topic: 't-1' }))
 */
import type { Bus, BusMessage } from './bus';

export interface BusUnderTest {
  open(): Promise<Bus> | Bus; // a new connection to the same underlying log (a "restart")
  topic: string; // a fresh topic per test
}

const until = async (cond: () => boolean, ms = 20000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

export function describeBusContract(name: string, factory: () => Promise<BusUnderTest> | BusUnderTest): void {
  describe(`Bus contract: ${name}`, () => {
    test('a published batch is consumed in order with its keys', async () => {
      const { open, topic } = await factory();
      const bus = await open();
      await bus.publish(topic, [1, 2, 3].map((n) => ({ key: `k${n % 2}`, value: { n } })));
      const got: BusMessage<{ n: number }>[] = [];
      const sub = await bus.subscribe<{ n: number }>({ topic, group: 'g1', handler: async (b) => void got.push(...b) });
      await until(() => got.length === 3);
      expect(got.map((m) => m.value.n).sort()).toEqual([1, 2, 3]);
      expect(got.filter((m) => m.key === 'k1').map((m) => m.value.n)).toEqual([1, 3]);
      await sub.close();
      await bus.close();
    });

    test('a value handed over already serialized (a parse worker\'s JSON) arrives as the same value, beside plain ones', async () => {
      const { open, topic } = await factory();
      const bus = await open();
      const doc = { event: { id: '01J', kind: 'event' }, message: 'Đăng nhập thất bại "quote" \\ \u2028', n: 1.5, tags: ['a'] };
      await bus.publish(topic, [
        { key: 'h1', json: JSON.stringify(doc) },
        { key: 'h1', value: { plain: true } },
      ]);
      const got: BusMessage<unknown>[] = [];
      const sub = await bus.subscribe<unknown>({ topic, group: 'gj', handler: async (b) => void got.push(...b) });
      await until(() => got.length === 2);
      expect(got.map((m) => m.value)).toEqual([doc, { plain: true }]);
      expect(got.map((m) => m.key)).toEqual(['h1', 'h1']);
      await sub.close();
      await bus.close();
    });

    test('a failed handler gets the same records again, and nothing is committed until it succeeds', async () => {
      const { open, topic } = await factory();
      const bus = await open();
      await bus.publish(topic, [{ key: 'a', value: 'x' }]);
      let calls = 0;
      const seen: string[] = [];
      const sub = await bus.subscribe<string>({
        topic,
        group: 'g',
        handler: async (b) => {
          calls++;
          if (calls === 1) throw new Error('boom');
          seen.push(...b.map((m) => m.value));
        },
      });
      await until(() => seen.length === 1);
      expect(seen).toEqual(['x']);
      expect(calls).toBe(2);
      await sub.close();
      await bus.close();
    });

    test('a consumer restarted in the same group resumes after the last commit; a new group reads from the start', async () => {
      const { open, topic } = await factory();
      let bus = await open();
      await bus.publish(topic, [{ value: 1 }, { value: 2 }]);
      const first: number[] = [];
      let sub = await bus.subscribe<number>({ topic, group: 'g', handler: async (b) => void first.push(...b.map((m) => m.value)) });
      await until(() => first.length === 2);
      await sub.close();
      await bus.close();

      bus = await open();
      await bus.publish(topic, [{ value: 3 }]);
      const second: number[] = [];
      sub = await bus.subscribe<number>({ topic, group: 'g', handler: async (b) => void second.push(...b.map((m) => m.value)) });
      const other: number[] = [];
      const sub2 = await bus.subscribe<number>({ topic, group: 'other', handler: async (b) => void other.push(...b.map((m) => m.value)) });
      await until(() => second.length >= 1 && other.length === 3);
      await new Promise((r) => setTimeout(r, 300));
      expect(second).toEqual([3]);
      expect(other.sort()).toEqual([1, 2, 3]);
      await sub.close();
      await sub2.close();
      await bus.close();
    });

    test('lag counts what the group has not committed', async () => {
      const { open, topic } = await factory();
      const bus = await open();
      await bus.publish(topic, [{ value: 1 }, { value: 2 }]);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let delivered = 0;
      const sub = await bus.subscribe<number>({ topic, group: 'g', handler: async (b) => {
        delivered += b.length;
        await gate;
      } });
      await until(() => delivered > 0);
      expect(await sub.lag()).toBe(2);
      release();
      await until(() => delivered === 2);
      await new Promise((r) => setTimeout(r, 200));
      expect(await sub.lag()).toBe(0);
      await sub.close();
      await bus.close();
    });
  });
}
