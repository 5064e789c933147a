import { silentLogger } from '../../core/log';
import type { AuditEntry } from '../../core/model';
import { createAuditWriter } from './audit-writer';

const entry = (action: string): AuditEntry => ({ at: new Date().toISOString(), actor: 'lan', action, target: null, ip: '127.0.0.1', details: {} });
const full = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

test('on a full disk an audit entry waits instead of failing the request, and is written in order once there is room', async () => {
  const written: string[] = [];
  let diskFull = true;
  const writer = createAuditWriter(
    {
      appendAudit: async (e) => {
        if (diskFull) throw full();
        written.push(e.action);
        return e;
      },
    },
    silentLogger,
  );
  await writer.append(entry('events.search'));
  await writer.append(entry('incident.view'));
  expect(writer.stats()).toEqual({ waiting: 2, lost: 0 });
  diskFull = false;
  await writer.append(entry('events.export')); // arrives while others wait: it does not jump the queue
  await writer.flush();
  expect(written).toEqual(['events.search', 'incident.view', 'events.export']);
  expect(writer.stats().waiting).toBe(0);
  await writer.close();
});

test('a store failure other than a full disk is still the caller’s', async () => {
  const writer = createAuditWriter({ appendAudit: async () => Promise.reject(new Error('no such table: audit')) }, silentLogger);
  await expect(writer.append(entry('events.search'))).rejects.toThrow('no such table');
});
