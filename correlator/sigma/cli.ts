/**
 * `canhgac sigma check <paths...>` and `canhgac sigma match --rules <paths...> --events <file>`.
 * The main bin wires `canhgac sigma ...` here; tests call sigmaCli directly.
 */
import * as fs from 'node:fs';
import { loadRules, createEvaluator, Detection, LoadReport } from './index';
import { readEvents } from './event-reader';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE = `usage:
  canhgac sigma check <paths...>                                   load rules, print per file loaded or why not
  canhgac sigma match --rules <paths...> --events <file> [--mappings <dir>] [--placeholder name=v1,v2 ...]
                                                                   print one JSON line per match`;

interface Parsed {
  rules: string[];
  events?: string;
  mappings?: string;
  placeholders: Record<string, string[]>;
  positional: string[];
}

function parseArgs(argv: string[]): Parsed {
  const p: Parsed = { rules: [], placeholders: {}, positional: [] };
  let mode: 'pos' | 'rules' = 'pos';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rules') mode = 'rules';
    else if (a === '--events') {
      p.events = argv[++i];
      mode = 'pos';
    } else if (a === '--mappings') {
      p.mappings = argv[++i];
      mode = 'pos';
    } else if (a === '--placeholder') {
      const kv = argv[++i] ?? '';
      const eq = kv.indexOf('=');
      if (eq < 1) throw new Error(`--placeholder needs name=value[,value...], got '${kv}'`);
      p.placeholders[kv.slice(0, eq)] = kv.slice(eq + 1).split(',');
      mode = 'pos';
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else if (mode === 'rules') p.rules.push(a);
    else p.positional.push(a);
  }
  return p;
}

function printReport(report: LoadReport[], io: CliIo): { ok: number; total: number } {
  let ok = 0;
  for (const r of report) {
    const what = r.title ? ` (${r.title})` : '';
    if (r.ok) {
      ok++;
      io.stdout(`loaded  ${r.path}${what}`);
      for (const w of r.warnings) io.stdout(`  warning: ${w}`);
    } else io.stdout(`FAILED  ${r.error ?? r.path}${what}`);
  }
  return { ok, total: report.length };
}

export async function sigmaCli(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  let args: Parsed;
  try {
    args = parseArgs(rest);
  } catch (e) {
    io.stderr(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (cmd === 'check') {
    const paths = [...args.positional, ...args.rules];
    if (paths.length === 0) {
      io.stderr(`sigma check: give at least one rule file or directory\n${USAGE}`);
      return 2;
    }
    const { report } = loadRules({ paths, mappingsDir: args.mappings, placeholders: Object.keys(args.placeholders).length ? args.placeholders : undefined });
    const { ok, total } = printReport(report, io);
    io.stdout(`loaded ${ok} of ${total} rules`);
    return ok === total ? 0 : 1;
  }
  if (cmd === 'match') {
    if (args.rules.length === 0 || !args.events) {
      io.stderr(`sigma match: --rules and --events are required\n${USAGE}`);
      return 2;
    }
    const { ruleset, report } = loadRules({ paths: args.rules, mappingsDir: args.mappings, placeholders: Object.keys(args.placeholders).length ? args.placeholders : undefined });
    for (const r of report) if (!r.ok) io.stderr(`rule not loaded: ${r.error}`);
    let text: string;
    try {
      text = fs.readFileSync(args.events, 'utf8');
    } catch (e) {
      io.stderr(`sigma match: cannot read events file ${args.events}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return 2;
    }
    let events;
    try {
      events = readEvents(text);
    } catch (e) {
      io.stderr(`sigma match: ${args.events}: ${(e as Error).message}`);
      return 2;
    }
    const ev = createEvaluator(ruleset);
    const print = (d: Detection, i: number | null): void => {
      const line: Record<string, unknown> = { rule_id: d.rule.id, rule_title: d.rule.title, level: d.rule.level, event_index: i, author: d.rule.author ?? null, kind: d.kind };
      if (d.groupBy) line.group_by = d.groupBy;
      if (d.tenant) line.tenant = d.tenant;
      io.stdout(JSON.stringify(line));
    };
    events.forEach((e, i) => {
      for (const d of ev.evaluate(e)) print(d, i);
    });
    // the input is over: frames of upper-bounded and absence correlations still open are judged now (event_index null)
    for (const d of ev.tick(Infinity)) print(d, null);
    return report.every((r) => r.ok) ? 0 : 1;
  }
  io.stderr(cmd ? `unknown sigma command '${cmd}'\n${USAGE}` : USAGE);
  return 2;
}
