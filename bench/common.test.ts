import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenchError, loggenSent, loggenShortfall, runCanhgac, waitForCount, watchProcess } from './common';
import { describeMachine, machineLine } from './machine';

describe('bench watchdogs', () => {
  it('ends a phase whose count never arrives with an error naming the phase and how far it got', async () => {
    const wait = waitForCount({ phase: 'canhgac journal', budgetMs: 300, what: 'lines journaled', want: 200000, count: () => 151223 });
    await expect(wait).rejects.toThrow(BenchError);
    await expect(wait).rejects.toThrow(/^canhgac journal: did not finish within its watchdog of 1 s: lines journaled: 151223 of 200000/);
  });

  it('reports a peer that exits while the phase waits on it, with its code and stderr, long before the budget', async () => {
    const proc = spawn(process.execPath, ['-e', 'console.error("bind: address already in use"); process.exit(3)'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise((r) => proc.once('exit', r));
    const peer = watchProcess('syslog-ng', proc, () => err);
    // a budget far beyond jest's timeout: only the peer's exit can end this wait in time
    const wait = waitForCount({ phase: 'syslog-ng writes', budgetMs: 3_600_000, what: 'lines in the file', want: 10, count: () => 4, peers: [peer] });
    await expect(wait).rejects.toThrow(/^syslog-ng writes: syslog-ng exited with code 3: bind: address already in use \(while waiting: lines in the file: 4 of 10/);
  });

  it('ends the start of a canhgac that exits instead of coming up with its exit code and what it printed (needs dist/: npm run build)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-common-test-'));
    try {
      await expect(runCanhgac('no-such-command', { ...process.env, CANHGAC_DATA_DIR: dir }, dir)).rejects.toThrow(/^canhgac no-such-command start \(in .+\): canhgac no-such-command exited with code 2: [^]*unknown command "no-such-command"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not count a peer that was told to stop as gone early', async () => {
    const proc = spawn(process.execPath, ['-e', 'process.exit(0)']);
    await new Promise((r) => proc.once('exit', r));
    const peer = watchProcess('canhgac start', proc, () => '');
    expect(peer.exitReason()).toBe('canhgac start exited with code 0');
    peer.expectExit();
    expect(peer.exitReason()).toBeUndefined();
  });
});

describe('loggen summary', () => {
  // loggen's own closing lines (syslog-ng 3.38), captured on this machine
  const short = 'average rate = 105.98 msg/sec, count=265, time=2.50047, (average) msg size=2, bandwidth=0.21 kB/sec\n';
  const refused = 'error [loggen_helper.c:connect_to_server:79] error connecting socket: Connection refused\nTotal runtime = 0.505981, count = 0\n';

  it('reads the count it sent', () => {
    expect(loggenSent(short)).toBe(265);
    expect(loggenSent(refused)).toBe(0);
    expect(loggenSent('')).toBeUndefined();
  });

  it('says the interval ran out when loggen exits 0 having sent fewer than asked', () => {
    expect(loggenShortfall(0, short, 2000, 2)).toMatch(/^loggen sent 265 of 2000 messages \(its --interval of 2 s ran out first\)/);
  });

  it('says it sent nothing when it could not connect (it still exits 0)', () => {
    expect(loggenShortfall(0, refused, 2000, 2)).toMatch(/^loggen sent 0 of 2000 messages \(it sent nothing: could it connect\?\).*Connection refused/s);
  });

  it('accepts a run that sent them all', () => {
    expect(loggenShortfall(0, 'average rate = 9000.00 msg/sec, count=2000, time=0.2', 2000, 2)).toBeUndefined();
  });
});

describe('machine line', () => {
  it('names the cores, the load average and a CPU reference measured now', () => {
    const m = describeMachine();
    expect(m.cores).toBeGreaterThan(0);
    expect(m.cpuRefOpsPerSecond).toBeGreaterThan(0);
    expect(machineLine(m)).toMatch(/^machine: \d+ cores \(.+\), load average [\d.]+ [\d.]+ [\d.]+ at start, node v\d+.*cpu-ref \d+ ops per CPU-second/);
  });
});
