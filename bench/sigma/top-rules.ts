/**
 * Question: which SigmaHQ rules fire most on the corpus (../shared/corpus: SigmaHQ regression events,
 * OTRF Windows recordings, Suricata EVE, Elastic integrations' ECS documents), among the families a
 * provincial SOC sees (Windows process creation, web, proxy, Linux, antivirus, firewall)? The answer
 * picks which rules rules/i18n/sigmahq.vi.json gives a Vietnamese title first.
 *
 * Run: npm run build && node dist/bench/sigma/top-rules.js [--top 120] [--json]
 */
import * as path from 'node:path';
import { loadRules, createEvaluator } from '../../correlator/sigma/index';
import { CORPUS, corpusMix } from './corpus';
import type { RuleInfo } from '../../correlator/sigma/ruleset';

const TOP = Number(process.argv[process.argv.indexOf('--top') + 1]) || 120;

/** The families the table covers first; other Windows rules come after them. */
function family(r: RuleInfo): number {
  const ls = r.logsource ?? {};
  if (ls.category === 'process_creation') return 0;
  if (['webserver', 'proxy', 'firewall', 'antivirus'].includes(ls.category ?? '') || ls.product === 'linux') return 0;
  return 1;
}

function main(): void {
  const { ruleset } = loadRules({ paths: [path.join(CORPUS, 'sigma', 'rules')] });
  const ev = createEvaluator(ruleset);
  const hits = new Map<string, { rule: RuleInfo; n: number }>();
  const { events } = corpusMix('all');
  for (const e of events) for (const d of ev.evaluate(e)) {
    const h = hits.get(d.rule.id) ?? { rule: d.rule, n: 0 };
    h.n++;
    hits.set(d.rule.id, h);
  }
  const ranked = [...hits.values()].filter((h) => h.rule.kind === 'rule').sort((a, b) => family(a.rule) - family(b.rule) || b.n - a.n || a.rule.title.localeCompare(b.rule.title)).slice(0, TOP);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(ranked.map((h) => ({ id: h.rule.id, title: h.rule.title, hits: h.n, logsource: h.rule.logsource })), null, 1));
    return;
  }
  console.log(`bench/sigma/top-rules: ${events.length} corpus events, ${hits.size} SigmaHQ rules fired; the top ${ranked.length} (covered families first)`);
  for (const h of ranked) console.log(`${String(h.n).padStart(7)}  ${h.rule.id}  ${h.rule.logsource?.category ?? h.rule.logsource?.service ?? ''}  ${h.rule.title}`);
}

main();
