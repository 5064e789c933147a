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
});
