import { RecordsRefusedError } from '../core/bus/errors';
import { silentLogger } from '../core/log';
import { Counters } from './counters';
import { Intake, PublishError } from './intake';
import { diskFull, fakeBus } from './listeners/fake-bus';

const item = (message: string) => ({ raw: `<38>Dec  3 10:00:00 h sshd[1]: ${message}`, tenant: 'so-tttt' });
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!cond()) throw new Error('timed out');
};

it('a refused publish rejects at once with a PublishError carrying the cause code, and marks the bus unavailable until one succeeds', async () => {
  const bus = fakeBus();
  const intake = new Intake({ bus, counters: new Counters(), logger: silentLogger, timezone: 'UTC' });
  bus.failWith(diskFull());
  const err = await intake.submit('http', [item('one')]).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PublishError);
  expect((err as PublishError).code).toBe('ENOSPC');
  expect((err as PublishError).message).toMatch(/the bus did not take the events records: ENOSPC: no space left on device/);
  expect(intake.unavailable).toBe(true);
  expect(intake.busy).toBe(true);
  expect(intake.pending).toBe(0); // nothing held for a request that was refused
  bus.failWith(null);
  const drained = new Promise<void>((r) => intake.once('drain', () => r()));
  await intake.submit('http', [item('two')]);
  await drained;
  expect(intake.unavailable).toBe(false);
  expect(bus.of('events')).toHaveLength(1);
});

it('untilDurable retries with back-off until the bus takes the batch; stop() ends the wait with a PublishError', async () => {
  const bus = fakeBus();
  const intake = new Intake({ bus, counters: new Counters(), logger: silentLogger, timezone: 'UTC' });
  bus.failWith(diskFull());
  const kept = intake.submit('syslog-tcp', [item('kept')], { untilDurable: true });
  const letter = intake.deadLetter('syslog-tcp', 'so-tttt', '192.0.2.1', 'binary data', Buffer.from([1, 2, 3]), undefined, { untilDurable: true });
  await until(() => bus.refused >= 4);
  expect(intake.pending).toBe(2); // held while retried
  bus.failWith(null);
  await expect(kept).resolves.toMatchObject({ accepted: 1 });
  await letter;
  expect(bus.of('events')).toHaveLength(1);
  expect(bus.of('dlq')).toHaveLength(1);

  bus.failWith(diskFull());
  const abandoned = intake.submit('syslog-tcp', [item('abandoned')], { untilDurable: true });
  await until(() => intake.unavailable);
  intake.stop();
  await expect(abandoned).rejects.toBeInstanceOf(PublishError);
});

it('an event the bus refuses on its own (too large for the topic) becomes a dead letter at once; the batch is not retried and the others stand', async () => {
  const bus = fakeBus();
  const publish = bus.publish.bind(bus);
  let refusals = 0;
  bus.publish = async (topic, records) => {
    if (topic !== 'events') return publish(topic, records);
    refusals++;
    // as the Kafka bus does: publishes every record but the oversized one, and names it
    await publish(topic, records.filter((_, i) => i !== 1));
    throw new RecordsRefusedError(topic, [{ index: 1, key: records[1].key ?? null, reason: 'too_large', bytes: 9_000_000, limit: 8_388_608, message: 'record 1 is 9000000 bytes; topic "events" takes at most 8388608' }], records.length - 1);
  };
  const counters = new Counters();
  const intake = new Intake({ bus, counters, logger: silentLogger, timezone: 'UTC' });
  const res = await intake.submit('syslog-tcp', [item('one'), item('huge'), item('three')], { untilDurable: true });
  expect(res.accepted).toBe(3);
  expect(refusals).toBe(1); // not retried
  expect(bus.of<{ message: string }>('events').map((e) => e.message)).toEqual(['one', 'three']);
  const [dl] = bus.of<{ tenant: string; listener: string; reason: string; original: string }>('dlq');
  expect(dl).toMatchObject({ tenant: 'so-tttt', listener: 'syslog-tcp', reason: expect.stringContaining('at most 8388608') });
  expect(dl.original).toContain('huge');
  expect(intake.unavailable).toBe(false);
});
