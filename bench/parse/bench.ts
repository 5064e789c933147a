/**
 * Question: how many lines per second does canhgac turn into ECS, per source family, on one core —
 * next to nsyslog-parser (a syslog/CEF parser: header, structured data and CEF fields, no ECS) on the
 * same lines in the same run? The ratio says what the ECS normalization costs on top of plain parsing.
 *
 * Lines: the real logs in ../shared/corpus (loghub OpenSSH and Linux, Elastic test lines of FortiGate,
 * Cisco ASA, PAN-OS, CEF, nginx, Suricata EVE), cycled.
 *
 * Run: npm run bench:parse [-- --seconds 2]   (CANHGAC_CORPUS to move the corpus)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../collector/parsers/index';
import { describeMachine, loadLine, machineLine } from '../machine';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nsyslog = require('nsyslog-parser') as (line: string) => unknown;

const ROOT = path.resolve(__dirname, '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []));
const CORPUS = process.env.CANHGAC_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus');
const SECONDS = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 2;
const LOGS = path.join(CORPUS, 'logs');
const PKG = path.join(LOGS, 'elastic-integrations', 'packages');

function lines(file: string, max = 2000): string[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).slice(0, max);
}

function cefLines(): string[] {
  const f = path.join(PKG, 'cef', 'data_stream', 'log', '_dev', 'test', 'pipeline', 'test-trend-micro.json');
  if (!fs.existsSync(f)) return [];
  const doc = JSON.parse(fs.readFileSync(f, 'utf8')) as { events: Array<{ event?: { original?: string } }> };
  return doc.events.map((e) => e.event?.original).filter((x): x is string => typeof x === 'string').map((l) => `<134>Mar 14 10:00:00 dsm ${l}`);
}

const FAMILIES: Array<{ name: string; lines: string[]; peer: boolean }> = [
  { name: 'sshd (loghub OpenSSH)', lines: lines(path.join(LOGS, 'logpai-loghub', 'OpenSSH', 'OpenSSH_2k.log')), peer: true },
  { name: 'linux syslog (loghub)', lines: lines(path.join(LOGS, 'logpai-loghub', 'Linux', 'Linux_2k.log')), peer: true },
  { name: 'FortiGate kv', lines: lines(path.join(PKG, 'fortinet_fortigate', 'data_stream', 'log', '_dev', 'test', 'pipeline', 'test-fortinet-7-6.log')), peer: true },
  { name: 'Cisco ASA', lines: [...lines(path.join(PKG, 'cisco_asa', 'data_stream', 'log', '_dev', 'test', 'pipeline', 'test-106023-iface-with-prefix.log')), ...lines(path.join(PKG, 'cisco_asa', 'data_stream', 'log', '_dev', 'test', 'pipeline', 'test-302020-direction.log'))], peer: true },
  { name: 'PAN-OS CSV', lines: lines(path.join(PKG, 'panw', 'data_stream', 'panos', '_dev', 'test', 'pipeline', 'test-panw-panos-threat-url-no-xff-sample.log')), peer: true },
  { name: 'CEF over syslog', lines: cefLines(), peer: true },
  { name: 'nginx access', lines: lines(path.join(PKG, 'nginx', 'data_stream', 'access', '_dev', 'test', 'pipeline', 'test-access.log')), peer: false },
  { name: 'Suricata EVE', lines: lines(path.join(LOGS, 'alaajili-EVE-Json-Parser', 'eve.json')), peer: false },
];

function rate(items: string[], fn: (l: string) => unknown): number {
  for (let i = 0; i < Math.min(2000, items.length * 50); i++) fn(items[i % items.length]); // warm-up
  const end = Date.now() + SECONDS * 1000;
  let n = 0;
  const t0 = process.hrtime.bigint();
  while (Date.now() < end) {
    for (let i = 0; i < 500; i++) fn(items[(n + i) % items.length]);
    n += 500;
  }
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

function main(): void {
  const receivedAt = new Date();
  console.log(`bench/parse: ${SECONDS}s per measurement, one core`);
  console.log(machineLine(describeMachine()));
  console.log('family                    lines   canhgac ECS/s   nsyslog-parser/s   ratio canhgac/peer');
  for (const f of FAMILIES) {
    if (!f.lines.length) {
      console.log(`${f.name.padEnd(24)} (no corpus lines at ${CORPUS})`);
      continue;
    }
    const ours = rate(f.lines, (l) => parse(l, { receivedAt }));
    const peer = f.peer ? rate(f.lines, (l) => nsyslog(l)) : undefined;
    console.log(`${f.name.padEnd(24)} ${String(f.lines.length).padStart(6)} ${Math.round(ours).toString().padStart(15)} ${peer ? Math.round(peer).toString().padStart(18) : '(no peer)'.padStart(18)} ${peer ? (ours / peer).toFixed(2).padStart(20) : ''}`);
  }
  console.log(loadLine());
}

main();
