/** The corpus events the Sigma scripts evaluate (bench.ts, top-rules.ts): where the corpus is, and its mix by source. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEvents } from '../../correlator/sigma/event-reader';

export type Doc = Record<string, unknown>;

export const ROOT = path.resolve(__dirname, '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []));
export const CORPUS = process.env.CANHGAC_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus');

export function walk(dir: string, pred: (p: string) => boolean, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const n of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    if (fs.statSync(p).isDirectory()) walk(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

const jsonLines = (f: string): Doc[] => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Doc);

/**
 * SigmaHQ regression events (evtx_dump), OTRF Security-Datasets recordings (NXLog JSON; `otrf`: the Windows
 * ones, or Linux too), Suricata EVE and Elastic integrations' expected ECS documents, with a count per source.
 */
export function corpusMix(otrf: 'windows' | 'all' = 'windows'): { events: Doc[]; parts: Record<string, number> } {
  const parts: Record<string, number> = {};
  const events: Doc[] = [];
  const add = (name: string, evs: Doc[]): void => {
    parts[name] = (parts[name] ?? 0) + evs.length;
    events.push(...evs);
  };
  const atomic = path.join(CORPUS, 'logs', 'OTRF-Security-Datasets', 'datasets', 'atomic', ...(otrf === 'windows' ? ['windows'] : []));
  for (const f of walk(path.join(CORPUS, 'sigma', 'regression_data'), (p) => p.endsWith('.json'))) add('sigma regression (evtx_dump)', readEvents(fs.readFileSync(f, 'utf8')));
  for (const f of walk(atomic, (p) => p.endsWith('.json'))) add(`OTRF ${otrf === 'windows' ? 'Windows' : 'Windows and Linux'} (NXLog JSON)`, jsonLines(f));
  for (const f of walk(path.join(CORPUS, 'logs', 'alaajili-EVE-Json-Parser'), (p) => p.endsWith('.json'))) add('Suricata EVE', jsonLines(f));
  for (const f of walk(path.join(CORPUS, 'logs', 'elastic-integrations'), (p) => p.endsWith('-expected.json'))) {
    const doc = JSON.parse(fs.readFileSync(f, 'utf8')) as { expected?: Doc[] };
    add('Elastic integrations (ECS)', (doc.expected ?? []).filter((e) => e && typeof e === 'object'));
  }
  return { events, parts };
}
