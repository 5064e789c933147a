/**
 * `canhgac report periodic [--tenant ID] [--from D] [--to D] --out FILE.pdf|.json`: the periodic monitoring
 * report written to a file from the command line, as the console API makes it (periodicroutes.ts), for one
 * agency or (no --tenant, or --tenant '*') the province; the CLI acts as a provincial user, audited as "cli".
 */
import fs from 'node:fs';
import type { Store } from '../../core/store/store';
import { buildPeriodicReport, PERIODIC_FORM } from '../../reports/periodic';
import { renderPeriodicPdf } from '../../reports/periodic-pdf';
import { readPeriodic } from '../../reports/periodic-read';
import { defaultPeriod } from '../../reports/periodic-stats';
import { parsePeriod, PROVINCE } from './periodicroutes-query';

export interface PeriodicCliArgs {
  positionals: string[]; // ['periodic']
  tenant?: string;
  from?: string;
  to?: string;
  out?: string;
}

const USAGE = "usage: canhgac report periodic [--tenant <agency>|'*'] [--from YYYY-MM-DD] [--to YYYY-MM-DD] --out <file.pdf|file.json>";

/** Exit codes: 0 written, 2 bad usage, an unknown agency or a bad period. */
export async function periodicReportCli(store: Store, a: PeriodicCliArgs, io: { stdout: (s: string) => void; stderr: (s: string) => void }, now = new Date()): Promise<number> {
  if (a.positionals[0] !== 'periodic' || !a.out) {
    io.stderr(USAGE);
    return 2;
  }
  const period = parsePeriod(a.from, a.to, defaultPeriod(now, PERIODIC_FORM.periodMonths));
  if ('problem' in period) {
    io.stderr(`report periodic: --${period.problem}`);
    return 2;
  }
  const province = a.tenant === undefined || a.tenant === PROVINCE;
  if (!province && !(await store.getTenant(a.tenant!))) {
    io.stderr(`report periodic: --tenant: no agency "${a.tenant}" (canhgac tenant list shows them)`);
    return 2;
  }
  const format = a.out.toLowerCase().endsWith('.json') ? 'json' : 'pdf';
  const report = buildPeriodicReport(await readPeriodic(store, { tenants: province ? null : [a.tenant!], ...period }), { scope: province ? 'province' : 'agency', reporter: 'cli', now });
  fs.writeFileSync(a.out, format === 'json' ? JSON.stringify(report, null, 2) : await renderPeriodicPdf(report));
  await store.appendAudit({ at: now.toISOString(), actor: 'cli', action: 'report.periodic', target: province ? 'province' : a.tenant!, details: { from: period.from, to: period.to, format, out: a.out, agencies: province ? [] : [a.tenant!] } });
  io.stdout(`${report.form.title} – ${report.subject}, ${period.from} to ${period.to}: ${report.events.total} events, ${report.alerts.total} alerts, ${report.incidents.total} incidents; written to ${a.out}`);
  return 0;
}
