/**
 * `canhgac start --demo`: replays a shipped attack scenario into the collector's intake
 * (as agency "demo") so a newcomer sees incidents open without sending anything.
 * The scenario repeats every few minutes with fresh timestamps.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../core/log';
import type { Store } from '../../core/store/store';
import type { Intake } from '../intake';

export const DEMO_TENANT = 'demo';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface ScenarioStep {
  delayMs: number;
  line: string;
}

export function loadScenario(file = path.join(scenarioDir(), 'scenario.txt')): ScenarioStep[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const tab = l.indexOf('\t');
      return { delayMs: Number(l.slice(0, tab)), line: l.slice(tab + 1) };
    });
}

function scenarioDir(): string {
  // the .txt ships beside the sources; from dist/ look in the source tree
  const here = __dirname;
  const src = here.replace(`${path.sep}dist${path.sep}`, path.sep);
  return fs.existsSync(path.join(here, 'scenario.txt')) ? here : src;
}

/** Fills the time placeholders with `now` (Vietnam local time for device formats without a zone). */
export function renderLine(line: string, now: Date): string {
  const vn = new Date(now.getTime() + 7 * 3600000); // Asia/Ho_Chi_Minh has no DST
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${vn.getUTCFullYear()}-${pad(vn.getUTCMonth() + 1)}-${pad(vn.getUTCDate())}`;
  const time = `${pad(vn.getUTCHours())}:${pad(vn.getUTCMinutes())}:${pad(vn.getUTCSeconds())}`;
  const clf = `${pad(vn.getUTCDate())}/${MONTHS[vn.getUTCMonth()]}/${vn.getUTCFullYear()}:${time} +0700`;
  const bsd = `${MONTHS[vn.getUTCMonth()]} ${String(vn.getUTCDate()).padStart(2, ' ')} ${time}`;
  return line
    .replace(/\{ts\}/g, now.toISOString())
    .replace(/\{bsd\}/g, bsd)
    .replace(/\{clf\}/g, clf)
    .replace(/\{date\}/g, date)
    .replace(/\{time\}/g, time)
    .replace(/\{epoch\}/g, String(now.getTime()))
    .replace(/\{port\}/g, () => String(30000 + Math.floor(Math.random() * 30000)));
}

export async function startDemo(deps: { intake: Intake; store: Store; logger: Logger; repeatMs?: number }): Promise<{ stop(): void; done: Promise<void> }> {
  if (!(await deps.store.getTenant(DEMO_TENANT))) {
    await deps.store.putTenant({ id: DEMO_TENANT, name: 'Sở Thông tin và Truyền thông (demo)', created: new Date().toISOString() });
  }
  const steps = loadScenario();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const sleep = (ms: number) => new Promise<void>((r) => (timer = setTimeout(r, ms)));
  const done = (async () => {
    while (!stopped) {
      for (const step of steps) {
        if (stopped) return;
        await sleep(step.delayMs);
        const line = renderLine(step.line, new Date());
        await deps.intake.submit('demo', [{ raw: line, tenant: DEMO_TENANT, sourceIp: '10.20.0.1' }]).catch((e: Error) => deps.logger.warn({ err: e.message }, 'demo: could not submit a line'));
      }
      await sleep(deps.repeatMs ?? 5 * 60000);
    }
  })();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    done,
  };
}
