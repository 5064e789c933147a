/**
 * SigmaHQ's auditd and Linux process_creation rules on canhgac's parsed auditd events: the records of
 * one audit serial (SYSCALL, EXECVE, CWD, PATH, PROCTITLE) are one event, and Sigma's auditd names
 * (type, a0.., exe, comm, key) map onto it (rules/mappings/fields.yml). Rules and the recording are
 * SigmaHQ's and OTRF's, from ../shared/corpus.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../collector/parsers';
import { createEvaluator, loadRules } from '../../correlator/sigma/index';

const CORPUS = process.env.CANHGAC_CORPUS ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
const LINUX = path.join(CORPUS, 'sigma', 'rules', 'linux');
const RULES = ['auditd/execve/lnx_auditd_binary_padding.yml', 'auditd/syscall/lnx_auditd_split_file_into_pieces.yml', 'auditd/lnx_auditd_audio_capture.yml', 'process_creation/proc_creation_lnx_dd_file_overwrite.yml'];
const DD = path.join(CORPUS, 'logs', 'OTRF-Security-Datasets', 'datasets', 'atomic', 'linux', 'defense_evasion', 'host', 'sh_binary_padding_dd_2020-11-10081941.log');

const { ruleset, report } = loadRules({ paths: RULES.map((r) => path.join(LINUX, r)) });
const fired = (text: string): string[] => createEvaluator(ruleset).evaluate(parse(text, { receivedAt: new Date('2026-12-03T00:00:00Z') }) as unknown as Record<string, unknown>).map((d) => d.rule.title);
const serial = (seq: number, recs: string[]): string => recs.map((r) => r.replace(/^type=(\S+) /, `type=$1 msg=audit(1604996384.965:${seq}): `)).join('\n');

test('the rules load', () => {
  expect(report.filter((r) => !r.ok)).toEqual([]);
});

test('OTRF binary padding with dd (T1027.001): one serial is one event, and the auditd EXECVE rule fires on it', () => {
  const records = fs.readFileSync(DD, 'utf8').split('\n').filter((l) => l.trim());
  expect(records.length).toBe(6);
  expect(fired(records.join('\n'))).toEqual(['Binary Padding - Linux']);
  // one record alone is not the whole execution: the SYSCALL has no EXECVE, the CWD neither
  expect(fired(records[0])).toEqual([]);
  expect(fired(records[2])).toEqual([]);
});

test('a Linux process_creation rule sees Image (from SYSCALL exe) and CommandLine (from EXECVE) together', () => {
  const wipe = serial(501, ['type=SYSCALL arch=c000003e syscall=59 success=yes exit=0 a0=55 a1=56 a2=57 a3=0 items=2 ppid=1 pid=2 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm="dd" exe="/usr/bin/dd" key=(null)', 'type=EXECVE argc=3 a0="dd" a1="if=/dev/zero" a2="of=/dev/sda"', 'type=CWD cwd="/root"']);
  expect(fired(wipe)).toEqual(['DD File Overwrite']);
  // the same command run by another program (exe) is not dd
  expect(fired(wipe.replace('exe="/usr/bin/dd"', 'exe="/usr/bin/busybox"'))).toEqual([]);
});

test('a SYSCALL rule reads comm and type; an EXECVE rule reads a0.. from the EXECVE, not the SYSCALL pointers', () => {
  const split = serial(502, ['type=SYSCALL arch=c000003e syscall=59 success=yes exit=0 a0=7ffd a1=7ffe a2=7fff a3=0 items=2 ppid=1 pid=3 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm="split" exe="/usr/bin/split" key=(null)', 'type=EXECVE argc=3 a0="split" a1="-b" a2="10M"']);
  expect(fired(split)).toEqual(['Split A File Into Pieces - Linux']);
  const rec = serial(503, ['type=SYSCALL arch=c000003e syscall=59 success=yes exit=0 a0=7ffd a1=7ffe a2=7fff a3=0 items=2 ppid=1 pid=4 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm="arecord" exe="/usr/bin/arecord" key=(null)', 'type=EXECVE argc=3 a0="arecord" a1="-vv" a2="-fdat"']);
  expect(fired(rec)).toEqual(['Audio Capture']);
  expect(fired(rec.replace('a1="-vv"', 'a1="-l"'))).toEqual([]);
});
