import { parse } from './index';

const ctx = { receivedAt: new Date('2026-03-15T04:00:00Z'), timezone: 'UTC' };
const p = (line: string) => parse(line, ctx) as Record<string, any>;

describe('linux auth / sshd', () => {
  test('failed password for an invalid user is a failed ssh_login with source and user', () => {
    const ev = p('Mar 14 08:12:01 bastion sshd[24121]: Failed password for invalid user oracle from 203.0.113.45 port 51514 ssh2');
    expect(ev.event).toMatchObject({ dataset: 'system.auth', category: ['authentication'], type: ['info'], outcome: 'failure', action: 'ssh_login' });
    expect(ev.source).toEqual({ address: '203.0.113.45', ip: '203.0.113.45', port: 51514 });
    expect(ev.user).toEqual({ name: 'oracle' });
    expect(ev.process).toEqual({ name: 'sshd', pid: 24121 });
    expect(ev.host).toEqual({ hostname: 'bastion' });
    expect(ev.system.auth.ssh).toEqual({ event: 'Failed', method: 'password' });
    expect(ev.related).toEqual({ ip: ['203.0.113.45'], user: ['oracle'], hosts: ['bastion'] });
    expect(ev['@timestamp']).toBe('2026-03-14T08:12:01.000Z');
  });

  test('accepted publickey keeps the key signature', () => {
    const ev = p('Mar 14 08:13:00 bastion sshd[2]: Accepted publickey for deploy from 10.20.0.7 port 40022 ssh2: RSA SHA256:abcDEF123');
    expect(ev.event).toMatchObject({ category: ['authentication', 'session'], type: ['info'], outcome: 'success', action: 'ssh_login' });
    expect(ev.system.auth.ssh).toEqual({ event: 'Accepted', method: 'publickey', signature: 'RSA SHA256:abcDEF123' });
    expect(ev.user.name).toBe('deploy');
  });

  test('accepted password over IPv6', () => {
    const ev = p('Mar 14 08:13:00 bastion sshd[2]: Accepted password for an from 2001:db8::7 port 5000 ssh2');
    expect(ev.source.ip).toBe('2001:db8::7');
    expect(ev.event.outcome).toBe('success');
  });

  test('invalid user line is a failed login', () => {
    const ev = p('Mar 14 08:12:00 bastion sshd[24121]: Invalid user admin from 198.51.100.9 port 40000');
    expect(ev.event).toMatchObject({ outcome: 'failure', action: 'ssh_login', category: ['authentication'] });
    expect(ev.user.name).toBe('admin');
    expect(ev.source).toMatchObject({ ip: '198.51.100.9', port: 40000 });
  });

  test('connection closed by authenticating user and disconnects end a connection', () => {
    const closed = p('Mar 14 08:12:05 bastion sshd[24121]: Connection closed by authenticating user root 198.51.100.9 port 40001 [preauth]');
    expect(closed.event).toMatchObject({ action: 'ssh_disconnect', type: ['end'] });
    expect(closed.user.name).toBe('root');
    expect(closed.source).toMatchObject({ ip: '198.51.100.9', port: 40001 });
    const disc = p('Mar 14 08:12:06 bastion sshd[24121]: Disconnected from invalid user test 198.51.100.9 port 40002 [preauth]');
    expect(disc.user.name).toBe('test');
    expect(disc.system.auth.ssh.stage).toBe('invalid_user');
    const logout = p('Mar 14 08:12:07 bastion sshd[24121]: Disconnected from user deploy 10.20.0.7 port 40022');
    expect(logout.event.category).toEqual(['session']);
  });

  test('pam_unix authentication failure carries rhost and user', () => {
    const ev = p('Mar 14 08:12:02 bastion sshd[24121]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.45  user=root');
    expect(ev.event).toMatchObject({ category: ['authentication'], type: ['info'], outcome: 'failure', action: 'authentication_failure' });
    expect(ev.user.name).toBe('root');
    expect(ev.source.ip).toBe('203.0.113.45');
  });

  test('pam session opened for user by user', () => {
    const ev = p('Mar 14 09:00:00 srv su[300]: pam_unix(su-l:session): session opened for user root by hoang(uid=1000)');
    expect(ev.event).toMatchObject({ action: 'logged-on', category: ['session'] });
    expect(ev.user).toEqual({ name: 'hoang', id: '1000', effective: { name: 'root' } });
  });

  test('sudo command, with and without TTY, and a failure', () => {
    const ev = p('Mar 14 09:01:00 srv sudo:   hoang : TTY=pts/1 ; PWD=/home/hoang ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx ; echo done');
    expect(ev.user).toEqual({ name: 'hoang', effective: { name: 'root' } });
    expect(ev.system.auth.sudo).toEqual({ tty: 'pts/1', pwd: '/home/hoang', user: 'root', command: '/usr/bin/systemctl restart nginx ; echo done' });
    expect(ev.event).toMatchObject({ category: ['process'], type: ['start'] });
    const noTty = p('Mar 14 09:01:00 srv sudo[5]: lan : PWD=/ ; USER=root ; COMMAND=/usr/bin/id');
    expect(noTty.system.auth.sudo.command).toBe('/usr/bin/id');
    const fail = p('Mar 14 09:02:00 srv sudo: mai : 3 incorrect password attempts ; TTY=pts/2 ; PWD=/ ; USER=root ; COMMAND=/bin/bash');
    expect(fail.system.auth.sudo.error).toBe('3 incorrect password attempts');
    expect(fail.event.outcome).toBe('failure');
  });

  test('useradd and usermod are iam events', () => {
    const add = p('Mar 14 09:03:00 srv useradd[10]: new user: name=backup2, UID=1002, GID=1002, home=/home/backup2, shell=/bin/bash');
    expect(add.event).toMatchObject({ category: ['iam'], type: ['user', 'creation'], outcome: 'success' });
    expect(add.user).toMatchObject({ name: 'backup2', id: '1002' });
    const mod = p("Mar 14 09:04:00 srv usermod[11]: add 'backup2' to group 'sudo'");
    expect(mod.event).toMatchObject({ action: 'group-member-added', type: ['user', 'change'] });
    expect(mod.group).toEqual({ name: 'sudo' });
  });

  test('a 5424 sshd line goes through the same rules', () => {
    const ev = p('<86>1 2026-03-14T09:05:00.1+07:00 srv sshd 900 - - Failed password for root from 192.0.2.1 port 22 ssh2');
    expect(ev['@timestamp']).toBe('2026-03-14T02:05:00.100Z');
    expect(ev.event.outcome).toBe('failure');
    expect(ev.log.syslog.priority).toBe(86);
  });

  test('a Filebeat document with a raw auth line in message is parsed like the line', () => {
    const ev = parse({ '@timestamp': '2026-03-14T08:20:00Z', message: 'Mar 14 08:12:01 bastion sshd[7]: Failed password for root from 203.0.113.45 port 1 ssh2', host: { name: 'bastion' }, agent: { type: 'filebeat' } }, ctx) as Record<string, any>;
    expect(ev.event.action).toBe('ssh_login');
    expect(ev.host).toEqual({ name: 'bastion', hostname: 'bastion' });
    expect(ev.agent).toEqual({ type: 'filebeat' });
    expect(ev['@timestamp']).toBe('2026-03-14T08:12:01.000Z');
  });
});

describe('older and rarer sshd lines', () => {
  test('disconnects without a port, reverse-mapping warnings, repeated lines and unknown PAM users', () => {
    const rd = p('Dec 10 07:02:47 LabSZ sshd[24203]: error: Received disconnect from 198.51.100.70: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]');
    expect(rd.source.ip).toBe('198.51.100.70');
    expect(rd.system.auth.ssh.disconnect_reason).toBe('com.jcraft.jsch.JSchException: Auth fail');
    const closed = p('Dec 10 07:02:48 LabSZ sshd[24204]: Connection closed by 198.51.100.71 [preauth]');
    expect(closed.source.ip).toBe('198.51.100.71');
    const rev = p('Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.example.com [198.51.100.72] failed - POSSIBLE BREAK-IN ATTEMPT!');
    expect(rev.source).toMatchObject({ ip: '198.51.100.72', domain: 'ns.example.com' });
    expect(rev.system.auth.ssh.possible_break_in).toBe(true);
    const rep = p('Dec 10 06:55:48 LabSZ sshd[24201]: message repeated 5 times: [ Failed password for root from 198.51.100.73 port 4000 ssh2]');
    expect(rep.event).toMatchObject({ action: 'ssh_login', outcome: 'failure' });
    expect(rep.system.auth.message_repeats).toBe(5);
    const unknown = p('Dec 10 06:55:49 LabSZ sshd[24202]: pam_unix(sshd:auth): check pass; user unknown');
    expect(unknown.event).toMatchObject({ outcome: 'failure', category: ['authentication'] });
  });


  test('a session opened by no named user is the session user, as who and as whom', () => {
    const ev = p('Mar 14 09:05:00 web01 sshd[4410]: pam_unix(sshd:session): session opened for user lanpt by (uid=0)');
    expect(ev.event.action).toBe('logged-on');
    expect(ev.user.name).toBe('lanpt');
    expect(ev.user.effective.name).toBe('lanpt');
    expect(ev.related.user).toEqual(['lanpt']);
    // uid=0 is sshd's, not lanpt's
    expect(ev.user.id).toBeUndefined();
  });

  test('a PAM password change names the account changed as target and who ran passwd (logname) as the user', () => {
    const own = parse('Mar 15 10:30:03 web01 passwd[4242]: pam_unix(passwd:chauthtok): password changed for lan', { receivedAt: new Date('2026-03-15T04:00:00Z') }) as Record<string, any>;
    expect(own.user).toMatchObject({ name: 'lan', target: { name: 'lan' } });
    const other = parse('Mar 15 10:30:04 web01 passwd[4243]: pam_unix(passwd:chauthtok): authentication failure; logname=hoa uid=1001 euid=0 tty=pts/1 ruser= rhost=  user=lan', { receivedAt: new Date('2026-03-15T04:00:00Z') }) as Record<string, any>;
    expect(other.user).toMatchObject({ name: 'hoa', target: { name: 'lan' } });
    expect(other.event.outcome).toBe('failure');
  });
});
