/**
 * The web app's types are the server's response schemas: a copy of console/web with the schemas
 * beside it type-checks as it is, and stops type-checking, naming the web file and the field,
 * once a field is renamed in a schema (schemas.ts), with nothing else changed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER_FILES = ['schemas.ts', 'apitypes.ts', 'schematype.ts', 'caseschemas.ts', 'websiteschemas.ts', 'intelschemas.ts', 'routeanswers.ts', 'retentionschemas.ts', 'vulnschemas.ts'];
// what the web app imports from beyond console/ (the rule titles' translations), copied when present
const OTHER_DIRS = [path.join('rules', 'i18n')];

/** console/web and the schema files in a scratch directory, with one of them (schemas.ts unless named) edited by `edit`. */
function webCopy(edit: (schemas: string) => string, file = 'schemas.ts'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-webtypes-'));
  fs.cpSync(path.join(ROOT, 'console', 'web', 'src'), path.join(dir, 'console', 'web', 'src'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'console', 'web', 'tsconfig.json'), path.join(dir, 'console', 'web', 'tsconfig.json'));
  fs.mkdirSync(path.join(dir, 'console', 'server'));
  for (const f of SERVER_FILES) fs.copyFileSync(path.join(ROOT, 'console', 'server', f), path.join(dir, 'console', 'server', f));
  for (const d of OTHER_DIRS) if (fs.existsSync(path.join(ROOT, d))) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
  const schemas = path.join(dir, 'console', 'server', file);
  const before = fs.readFileSync(schemas, 'utf8');
  const after = edit(before);
  if (after === before && edit.name !== 'unchanged') throw new Error(`the edit changed nothing in ${file}: the test no longer renames a field`);
  fs.writeFileSync(schemas, after);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

function typecheckWeb(dir: string): { status: number | null; output: string } {
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', path.join(dir, 'console', 'web')], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const check = (edit: (s: string) => string, file?: string) => {
  const dir = webCopy(edit, file);
  dirs.push(dir);
  return typecheckWeb(dir);
};

test('the web app type-checks against the schemas as they are', () => {
  const unchanged = (s: string) => s;
  expect(check(unchanged)).toEqual({ status: 0, output: '' });
});

test("renaming an incident's title in its response schema breaks the web app where it reads the title", () => {
  const r = check((s) => s.replace("groupKey: str, title: str, summary", "groupKey: str, heading: str, summary").replace("'groupKey', 'title', 'summary'", "'groupKey', 'heading', 'summary'"));
  expect(r.status).not.toBe(0);
  // the list reads the title through the label helper (labels.ts), so the error may name the missing property there
  expect(r.output).toMatch(/src\/views\/incidents\.tsx\(\d+,\d+\): error TS(2339: Property 'title' does not exist|2741: Property 'title' is missing)/);
});

test("dropping a user's disabled flag from its schema breaks the users view", () => {
  const r = check((s) => s.replace("disabled: { type: 'boolean' }, totp", 'totp').replace("'agencies', 'disabled']", "'agencies']"));
  expect(r.status).not.toBe(0);
  expect(r.output).toMatch(/src\/views\/users\.tsx\(\d+,\d+\): error TS2339: Property 'disabled' does not exist/);
});

test('a field of a route-specific answer (the dashboard) is checked too', () => {
  const r = check((s) => s.replace('    topSources: {', '    sources: {').replace("'alerts', 'topSources',", "'alerts', 'sources',"));
  expect(r.status).not.toBe(0);
  expect(r.output).toMatch(/src\/views\/dashboards\.tsx\(\d+,\d+\): error TS\d+: Property 'topSources' does not exist/);
});

test("renaming a website's uptime in its schema breaks the websites view", () => {
  const r = check((s) => s.replace('uptime24h: nnum,', 'uptimeDay: nnum,').replace("'uptime24h',", "'uptimeDay',"), 'websiteschemas.ts');
  expect(r.status).not.toBe(0);
  expect(r.output).toMatch(/src\/views\/websites\.tsx\(\d+,\d+\): error TS2339: Property 'uptime24h' does not exist/);
});

test("renaming an infected host's malware list in its schema breaks the infected view", () => {
  const r = check((s) => s.replace('indicators: int, malware: strings,', 'indicators: int, families: strings,').replace("'indicators', 'malware',", "'indicators', 'families',"), 'intelschemas.ts');
  expect(r.status).not.toBe(0);
  expect(r.output).toMatch(/src\/views\/infected\.tsx\(\d+,\d+\): error TS2339: Property 'malware' does not exist/);
});

test("renaming a split's new incident in its schema breaks the grouping panel", () => {
  const r = check((s) => s.replace("required: ['original', 'split'], properties: { original: ref('Incident'), split: ref('Incident') }", "required: ['original', 'created'], properties: { original: ref('Incident'), created: ref('Incident') }"));
  expect(r.status).not.toBe(0);
  expect(r.output).toMatch(/src\/views\/grouping\.tsx\(\d+,\d+\): error TS2339: Property 'split' does not exist/);
});

test("a route the web app requests by path that the server no longer declares breaks the view that requests it", () => {
  const r = check((s) => s.replace("'GET /api/intel/hosts': INFECTED_HOSTS", "'GET /api/intel/machines': INFECTED_HOSTS"), 'routeanswers.ts');
  expect(r.status).not.toBe(0);
  expect(r.output).toMatch(/src\/views\/infected\.tsx\(\d+,\d+\): error TS2345: Argument of type '"\/api\/intel\/hosts"'/);
});
