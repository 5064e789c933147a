/** The dashboard's ATT&CK matrix: techniques named from ATT&CK and placed under their tactics even when the rule tags none. */
import { ATTACK_VERSION, attackMatrix, techniqueInfo, type MatrixRule, type MatrixTactic } from './attackmatrix';
import { startKit, type Kit } from './testkit';

const cell = (m: MatrixTactic[], tactic: string, id: string) => m.find((t) => t.tactic === tactic)?.techniques.find((x) => x.id === id);
const tacticsOf = (m: MatrixTactic[], id: string) => m.filter((t) => t.techniques.some((x) => x.id === id)).map((t) => t.tactic);
const none = new Map<string, number>();
const noneOff = new Set<string>();

test('the table is ATT&CK Enterprise with names and tactics', () => {
  expect(ATTACK_VERSION).toMatch(/^\d+\.\d+$/);
  expect(techniqueInfo('T1110.001')).toEqual({ name: 'Password Guessing', tactics: ['credential_access'] });
  expect(techniqueInfo('T1078').tactics).toEqual(['initial_access', 'persistence', 'privilege_escalation', 'defense_evasion']);
});

test('a rule tagged only with a sub-technique lands under its tactic, named', () => {
  const m = attackMatrix([{ id: 'r1', tags: ['attack.t1110.001'] }], new Map([['r1', 4]]), noneOff);
  expect(m).toEqual([{ tactic: 'credential_access', techniques: [{ id: 'T1110.001', name: 'Password Guessing', rules: 1, hits: 4 }] }]);
});

test('a technique of several tactics goes under each of them when the rule tags none', () => {
  const m = attackMatrix([{ id: 'r1', tags: ['attack.t1053.005'] }], none, noneOff);
  expect(tacticsOf(m, 'T1053.005')).toEqual(['execution', 'persistence', 'privilege_escalation']);
  expect(cell(m, 'persistence', 'T1053.005')?.name).toBe('Scheduled Task');
});

test("the rule's own tactic tag narrows a technique of several tactics, however the tactic is spelled", () => {
  for (const tag of ['attack.persistence', 'attack.Persistence', 'attack.ta0003']) {
    expect(tacticsOf(attackMatrix([{ id: 'r1', tags: [tag, 'attack.t1053.005'] }], none, noneOff), 'T1053.005')).toEqual(['persistence']);
  }
  const hyphen = attackMatrix([{ id: 'r1', tags: ['attack.credential-access', 'attack.t1110'] }], none, noneOff);
  expect(hyphen.map((t) => t.tactic)).toEqual(['credential_access']);
  expect(cell(hyphen, 'credential_access', 'T1110')?.name).toBe('Brute Force');
});

test("a tactic tag that is not among the technique's tactics keeps the author's placement", () => {
  const m = attackMatrix([{ id: 'r1', tags: ['attack.discovery', 'attack.t1110'] }], none, noneOff);
  expect(tacticsOf(m, 'T1110')).toEqual(['discovery']);
});

test('a tactic-only rule counts under its tactic without a technique', () => {
  const m = attackMatrix([{ id: 'r1', tags: ['attack.lateral_movement'] }], new Map([['r1', 2]]), noneOff);
  expect(m).toEqual([{ tactic: 'lateral_movement', techniques: [{ id: '—', name: null, rules: 1, hits: 2 }] }]);
});

test('an unknown technique id stays with its id under other; an unknown sub-technique takes its parent tactics, not its name', () => {
  const m = attackMatrix([{ id: 'r1', tags: ['attack.t9999'] }, { id: 'r2', tags: ['attack.t1110.999'] }, { id: 'r3', tags: ['attack.s0002'] }], none, noneOff);
  expect(cell(m, 'other', 'T9999')).toEqual({ id: 'T9999', name: null, rules: 1, hits: 0 });
  expect(cell(m, 'credential_access', 'T1110.999')).toEqual({ id: 'T1110.999', name: null, rules: 1, hits: 0 });
  expect(cell(m, 'other', '—')?.rules).toBe(1); // a software tag alone: neither technique nor tactic
});

test('rules add up per cell; disabled rules and filters are left out; columns in matrix order', () => {
  const rules: MatrixRule[] = [
    { id: 'a', tags: ['attack.t1110.001'] },
    { id: 'b', tags: ['attack.credential_access', 'attack.t1110.001', 'attack.t1110.001'] },
    { id: 'off', tags: ['attack.t1110.001'] },
    { id: 'f', kind: 'filter', tags: ['attack.t1110.001'] },
    { id: 'c', tags: ['attack.t1595'] },
  ];
  const m = attackMatrix(rules, new Map([['a', 1], ['b', 2], ['off', 50], ['f', 50]]), new Set(['off']));
  expect(cell(m, 'credential_access', 'T1110.001')).toMatchObject({ rules: 2, hits: 3 });
  expect(m.map((t) => t.tactic)).toEqual(['reconnaissance', 'credential_access']);
});

describe('GET /api/dashboard', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await startKit();
    const at = new Date().toISOString();
    const rule = (id: string, tags: string[]) => ({ rule: { id, title: id, level: 'high', tags, kind: 'rule' }, hits: 0, last_hit: null });
    await kit.store.putState('correlator.rules', JSON.stringify({ at, rules: [rule('guess', ['attack.t1110.001']), rule('odd', ['attack.t9999'])], report: [] }));
  });
  afterAll(() => kit.close());

  test("answers each technique with ATT&CK's name (through the response schema)", async () => {
    const analyst = kit.callers.find((c) => c.username === 'analyst-prov')!;
    const res = await kit.call(analyst, 'GET', '/api/dashboard');
    expect(res.status).toBe(200);
    const tactics = res.body.attack.tactics as MatrixTactic[];
    expect(cell(tactics, 'credential_access', 'T1110.001')).toMatchObject({ name: 'Password Guessing', rules: 1 });
    expect(cell(tactics, 'other', 'T9999')).toMatchObject({ name: null, rules: 1 });
  });
});
