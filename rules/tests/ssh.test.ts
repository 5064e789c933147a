import { run, iso } from './helpers';

const T0 = '2026-11-28T01:00:00Z';

/** What the collector's sshd parser emits for "Failed password for <user> from <ip> port <port> ssh2". */
function sshd(sec: number, outcome: 'failure' | 'success', ip: string, user = 'root', tenant = 'so-tttt'): Record<string, unknown> {
  return {
    '@timestamp': iso(T0, sec),
    event: { id: `ev-${sec}-${ip}-${user}`, category: ['authentication'], outcome, action: 'ssh_login', dataset: 'system.auth' },
    source: { ip, port: 50000 + sec },
    user: { name: user },
    process: { name: 'sshd' },
    host: { hostname: 'web01' },
    organization: { id: tenant },
  };
}

describe('SSH brute force', () => {
  test('five failures from one address within five minutes fire once, at the fifth', () => {
    const evs = [0, 30, 60, 90, 120, 150].map((s) => sshd(s, 'failure', '203.0.113.7', 'deploy'));
    expect(run(evs).filter((x) => x.endsWith('SSH Brute Force'))).toEqual(['4:SSH Brute Force']);
  });

  test('four failures, or five spread over more than five minutes, do not fire', () => {
    expect(run([0, 30, 60, 90].map((s) => sshd(s, 'failure', '203.0.113.7', 'deploy')))).toEqual([]);
    expect(run([0, 80, 160, 240, 301].map((s) => sshd(s, 'failure', '203.0.113.7', 'deploy')))).toEqual([]);
  });

  test('failures from different addresses or different agencies do not add up', () => {
    expect(run([0, 1, 2, 3, 4].map((s) => sshd(s, 'failure', `198.51.100.${s}`, 'deploy')))).toEqual([]);
    expect(run([0, 1, 2, 3, 4].map((s) => sshd(s, 'failure', '203.0.113.7', 'deploy', s % 2 ? 'so-a' : 'so-b')))).toEqual([]);
  });

  test('successful logins alone and non-sshd failures do not fire', () => {
    expect(run([0, 1, 2, 3, 4, 5].map((s) => sshd(s, 'success', '203.0.113.7', 'deploy')))).toEqual([]);
    const notSsh = [0, 1, 2, 3, 4].map((s) => ({ ...sshd(s, 'failure', '203.0.113.7', 'deploy'), process: { name: 'sudo' } }));
    expect(run(notSsh)).toEqual([]);
  });
});

describe('SSH password spraying', () => {
  test('five different user names from one address within ten minutes fire', () => {
    const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
    const got = run(users.map((u, i) => sshd(i * 100, 'failure', '203.0.113.9', u)));
    expect(got).toContain('4:SSH Password Spraying');
  });

  test('the same user five times is brute force, not spraying', () => {
    const got = run([0, 1, 2, 3, 4].map((s) => sshd(s, 'failure', '203.0.113.9', 'alice')));
    expect(got).toEqual(['4:SSH Brute Force']);
  });
});

describe('SSH login success after brute force', () => {
  test('a success after five failures from the same address fires critical', () => {
    const evs = [0, 10, 20, 30, 40].map((s) => sshd(s, 'failure', '203.0.113.7', 'deploy'));
    evs.push(sshd(100, 'success', '203.0.113.7', 'deploy'));
    expect(run(evs)).toEqual(['4:SSH Brute Force', '5:SSH Login Success After Brute Force']);
  });

  test('a success before the failures, or from another address, does not', () => {
    const before = [sshd(0, 'success', '203.0.113.7', 'deploy'), ...[10, 20, 30, 40, 50].map((s) => sshd(s, 'failure', '203.0.113.7', 'deploy'))];
    expect(run(before)).toEqual(['5:SSH Brute Force']);
    const other = [...[0, 10, 20, 30, 40].map((s) => sshd(s, 'failure', '203.0.113.7', 'deploy')), sshd(60, 'success', '192.0.2.1', 'deploy')];
    expect(run(other)).toEqual(['4:SSH Brute Force']);
  });
});

describe('SSH login attempt for a privileged or default account', () => {
  test('a failed root login fires; a failed login for an ordinary user does not', () => {
    expect(run([sshd(0, 'failure', '203.0.113.7', 'root')])).toEqual(['0:SSH Login Attempt For Privileged Or Default Account']);
    expect(run([sshd(0, 'failure', '203.0.113.7', 'nguyenvana')])).toEqual([]);
    expect(run([sshd(0, 'success', '203.0.113.7', 'root')])).toEqual([]);
  });
});

test('one attempt counts once: the PAM and "Invalid user" lines sshd writes beside "Failed password" do not inflate the count', () => {
  const { parse } = require('../../collector/parsers') as typeof import('../../collector/parsers');
  const { loadRules, createEvaluator } = require('../../correlator/sigma') as typeof import('../../correlator/sigma');
  const path = require('node:path') as typeof import('node:path');
  const root = path.resolve(__dirname, '..');
  const { ruleset } = loadRules({ paths: [path.join(root, 'sigma', 'linux')], mappingsDir: path.join(root, 'mappings') });
  const ev = createEvaluator(ruleset);
  const fired: string[] = [];
  // four attempts by an unknown user, each written three ways by sshd and PAM: 12 lines, 4 attempts
  for (let i = 0; i < 4; i++) {
    for (const line of [
      `<38>Nov 28 10:00:0${i} h sshd[9${i}]: Invalid user ghost${i} from 203.0.113.66 port 500${i}`,
      `<38>Nov 28 10:00:0${i} h sshd[9${i}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.66`,
      `<38>Nov 28 10:00:0${i} h sshd[9${i}]: Failed password for invalid user ghost${i} from 203.0.113.66 port 500${i} ssh2`,
    ]) {
      const e = parse(line, { receivedAt: new Date('2026-11-28T03:00:00Z'), timezone: 'UTC' }) as unknown as Record<string, unknown>;
      e.organization = { id: 'so-a' };
      (e.event as Record<string, unknown>).id = `${i}-${line.length}`;
      fired.push(...ev.evaluate(e).map((d) => d.rule.title));
    }
  }
  expect(fired).not.toContain('SSH Brute Force');
});
