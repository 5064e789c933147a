/**
 * Real logs without Elastic expected output, checked against independent labels: loghub's
 * per-line event templates (OpenSSH) and Suricata's own event_type. Every labelled login failure,
 * success and disconnect must be recognised with its source address, and no line may fail.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from './index';

const CORPUS = process.env.CANHGAC_CORPUS ?? resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
const LOGS = join(CORPUS, 'logs');
const receivedAt = new Date('2026-11-28T00:00:00Z');

/** loghub structured CSV: LineId,Date,Day,Time,Component,Pid,Content,EventId,EventTemplate (Content may be quoted) */
function templates(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => /,(E\d+),[^,]*(?:,.*)?$/.exec(l.replace(/"(?:[^"]|"")*"/g, 'Q'))?.[1] ?? '?');
}

const SSH_EXPECT: Record<string, { action: string; outcome?: string; ip: boolean }> = {
  E1: { action: 'ssh_login', outcome: 'success', ip: true },
  E8: { action: 'ssh_login', outcome: 'failure', ip: true },
  E9: { action: 'ssh_login', outcome: 'failure', ip: true },
  E10: { action: 'ssh_login', outcome: 'failure', ip: true },
  E13: { action: 'ssh_login', outcome: 'failure', ip: true },
  E14: { action: 'ssh_login', outcome: 'failure', ip: true },
  E15: { action: 'authentication_failure', outcome: 'failure', ip: true },
  E16: { action: 'authentication_failure', outcome: 'failure', ip: true },
  E17: { action: 'authentication_failure', outcome: 'failure', ip: true },
  E19: { action: 'authentication_failure', outcome: 'failure', ip: true },
  E20: { action: 'authentication_failure', outcome: 'failure', ip: true },
  E21: { action: 'authentication_failure', outcome: 'failure', ip: false },
  E2: { action: 'ssh_disconnect', ip: true },
  E6: { action: 'ssh_disconnect', ip: true },
  E7: { action: 'ssh_disconnect', ip: true },
  E24: { action: 'ssh_disconnect', ip: true },
  E25: { action: 'ssh_disconnect', ip: true },
  E26: { action: 'ssh_disconnect', ip: true },
  E22: { action: 'logged-off', ip: false },
  E23: { action: 'logged-on', ip: false },
};

describe('real logs against independent labels', () => {
  const ssh = join(LOGS, 'logpai-loghub', 'OpenSSH', 'OpenSSH_2k.log');
  const eve = join(LOGS, 'alaajili-EVE-Json-Parser', 'eve.json');

  test('loghub OpenSSH: every labelled login, failure and disconnect is recognised', () => {
    expect(existsSync(ssh)).toBe(true);
    const lines = readFileSync(ssh, 'utf8').split('\n').filter(Boolean);
    const ids = templates(ssh.replace(/\.log$/, '.log_structured.csv'));
    expect(ids).toHaveLength(lines.length);
    const misses: string[] = [];
    let checked = 0;
    lines.forEach((line, i) => {
      const ev = parse(line, { receivedAt, dataset: 'system.auth', timezone: 'UTC' }) as Record<string, any>;
      if (ev.event.kind === 'pipeline_error') misses.push(`${i + 1}: pipeline error ${ev.error.message}`);
      const want = SSH_EXPECT[ids[i]];
      if (!want) return;
      checked++;
      // a host name in rhost= becomes source.domain: the line has no address
    if (ev.event.action !== want.action || (want.outcome && ev.event.outcome !== want.outcome) || (want.ip && !ev.source?.ip && !ev.source?.domain)) {
        misses.push(`${i + 1} (${ids[i]}): got action ${ev.event.action} outcome ${ev.event.outcome} source ${ev.source?.ip} for ${line}`);
      }
    });
    // eslint-disable-next-line no-console
    console.log(`loghub OpenSSH: ${checked} labelled lines checked, ${misses.length} missed`);
    expect(misses.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(1500);
  });

  test('Suricata EVE: every record parses, alerts are alerts, DNS names and flows are read', () => {
    expect(existsSync(eve)).toBe(true);
    const lines = readFileSync(eve, 'utf8').split('\n').filter(Boolean);
    const bad: string[] = [];
    const want = { alert: 0, dnsNamed: 0, flowBytes: 0 };
    const got = { alert: 0, dnsNamed: 0, flowBytes: 0 };
    for (const line of lines) {
      const rec = JSON.parse(line) as Record<string, any>;
      const ev = parse(line, { receivedAt, dataset: 'suricata.eve' }) as Record<string, any>;
      if (ev.event.kind === 'pipeline_error') bad.push(ev.error.message);
      if (rec.event_type === 'alert') {
        want.alert++;
        if (ev.event.kind === 'alert' && ev.rule?.name === rec.alert.signature) got.alert++;
      }
      const qname = rec.dns?.rrname ?? rec.dns?.queries?.[0]?.rrname;
      if (rec.event_type === 'dns' && qname) {
        want.dnsNamed++;
        if (ev.dns?.question?.name === qname) got.dnsNamed++;
      }
      if (rec.event_type === 'flow' && rec.flow?.bytes_toserver !== undefined) {
        want.flowBytes++;
        if (ev.network?.bytes === rec.flow.bytes_toserver + rec.flow.bytes_toclient) got.flowBytes++;
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(want.alert).toBeGreaterThan(0);
    expect(got).toEqual(want);
  });

  test('loghub Linux: PAM failures in old-style tags are failed authentications with the remote host', () => {
    const file = join(LOGS, 'logpai-loghub', 'Linux', 'Linux_2k.log');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const ids = templates(file.replace(/\.log$/, '.log_structured.csv'));
    const misses: string[] = [];
    let checked = 0;
    lines.forEach((line, i) => {
      const ev = parse(line, { receivedAt, timezone: 'UTC' }) as Record<string, any>;
      if (ev.event.kind === 'pipeline_error') misses.push(`${i + 1}: ${ev.error.message}`);
      if (!['E15', 'E16', 'E17', 'E18', 'E19', 'E27'].includes(ids[i])) return;
      checked++;
      const wantSource = ids[i] !== 'E15' && ids[i] !== 'E27';
      if (ev.event.outcome !== 'failure' || !ev.event.category?.includes('authentication') || (wantSource && !ev.source?.ip && !ev.source?.domain)) {
        misses.push(`${i + 1} (${ids[i]}): ${JSON.stringify(ev.event)} ${line}`);
      }
    });
    expect(misses.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(400);
  });

  test('loghub Apache error log: every line gets its level', () => {
    const file = join(LOGS, 'logpai-loghub', 'Apache', 'Apache_2k.log');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const levels = readFileSync(file.replace(/\.log$/, '.log_structured.csv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[2]);
    const misses = lines.map((line, i) => [i, parse(line, { receivedAt, timezone: 'UTC' }) as Record<string, any>] as const)
      .filter(([i, ev]) => ev.log?.level !== levels[i] || ev.event.dataset !== 'apache.error')
      .map(([i, ev]) => `${i + 1}: ${ev.log?.level} vs ${levels[i]}`);
    expect(misses.slice(0, 10)).toEqual([]);
  });

  test('OTRF Windows recordings (NXLog): every event parses; process creations and logons carry what Sigma rules read', () => {
    const dir = join(LOGS, 'OTRF-Security-Datasets', 'datasets', 'atomic', 'windows');
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (n.endsWith('.json')) files.push(p);
      }
    };
    walk(dir);
    expect(files.length).toBeGreaterThan(0);
    const misses: string[] = [];
    let procs = 0;
    let logons = 0;
    for (const f of files) {
      for (const line of readFileSync(f, 'utf8').split('\n')) {
        if (!line.trim().startsWith('{')) continue;
        const raw = JSON.parse(line) as Record<string, any>;
        const ev = parse(line, { receivedAt, timezone: 'UTC' }) as Record<string, any>;
        if (ev.event.kind === 'pipeline_error' || ev.event.dataset !== 'windows.forwarded') misses.push(`${f}: ${ev.error?.message ?? ev.event.dataset}`);
        const id = String(raw.EventID);
        if (/sysmon/i.test(String(raw.Channel)) && id === '1') {
          procs++;
          if (ev.process?.executable !== raw.Image || ev.process?.command_line !== raw.CommandLine || ev.winlog?.event_data?.Image !== raw.Image) misses.push(`sysmon 1 ${raw.Image}`);
        }
        if (/security/i.test(String(raw.Channel)) && (id === '4624' || id === '4625')) {
          logons++;
          if (ev.user?.name !== raw.TargetUserName || ev.event.category?.[0] !== 'authentication') misses.push(`${id} ${raw.TargetUserName} got ${ev.user?.name}`);
        }
      }
    }
    expect(misses.slice(0, 10)).toEqual([]);
    expect(procs).toBeGreaterThan(0);
    expect(logons).toBeGreaterThan(0);
  });
});
